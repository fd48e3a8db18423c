import { count, html, time, type Html } from './html.js';
import { layout, select } from './page.js';
import type { TeamView } from './view.js';

/** The form that edits a team (only rendered for administrators of every team). */
function teamForm(team: TeamView): Html {
  const sub = team.subscription;
  const status = sub ? sub.status : '';
  return html`<section class="card" aria-labelledby="team-edit-title">
<h2 id="team-edit-title">Plan, subscription and limits</h2>
<form id="team-form" data-team="${team.id}" novalidate>
<div class="row2">
<div class="field"><label for="team-plan">Plan</label><input id="team-plan" name="plan" value="${team.plan ?? ''}" autocomplete="off" placeholder="pro"></div>
<div class="field"><label for="team-features">Features</label><input id="team-features" name="features" value="${team.features.join(', ')}" autocomplete="off" placeholder="pro, enterprise"></div>
</div>
<div class="row2">
<div class="field">${select(
    'subscription',
    'Subscription',
    [
      ['', 'None'],
      ['active', 'Active'],
      ['canceled', 'Canceled'],
    ],
    status,
    'team-subscription',
  )}</div>
<div class="field"><label for="team-expires">Subscription ends (optional, your local time)</label><input id="team-expires" name="expiresAt" type="datetime-local" data-iso="${sub?.expiresAt ?? ''}" aria-describedby="team-expires-utc"><small id="team-expires-utc" data-utc-for="team-expires"></small></div>
</div>
<fieldset><legend>Team limits, shared by all its keys (empty: the plan's)</legend>
<div class="row2">
<div class="field"><label for="team-per-minute">Per minute</label><input id="team-per-minute" name="perMinute" type="number" min="0" step="1" inputmode="numeric" value="${team.limits.perMinute ?? ''}"></div>
<div class="field"><label for="team-monthly">Per month</label><input id="team-monthly" name="monthly" type="number" min="0" step="1" inputmode="numeric" value="${team.limits.monthly ?? ''}"></div>
</div></fieldset>
<p class="form-error" id="team-error" role="alert"></p>
<div class="buttons"><button type="submit" class="primary">Save team</button></div>
</form>
</section>`;
}

/** The team page: plan, features, subscription and limits, editable by unconfined administrators. */
export function teamPage(
  title: string,
  base: string,
  team: TeamView,
  now: number,
  editable = false,
): string {
  const sub = team.subscription;
  const subscription = !sub
    ? html`<span class="badge inactive">None</span>`
    : html`<span class="badge ${sub.status === 'active' && !(sub.expiresAt && Date.parse(sub.expiresAt) <= now) ? 'active' : 'expired'}">${
        sub.status === 'active'
          ? sub.expiresAt && Date.parse(sub.expiresAt) <= now
            ? 'Expired'
            : 'Active'
          : 'Canceled'
      }</span>${sub.expiresAt ? html` <small>${Date.parse(sub.expiresAt) <= now ? 'ended' : 'renews or ends'} ${time(new Date(sub.expiresAt))}</small>` : ''}`;
  const source = {
    team: 'the team’s own limits',
    plan: `plan “${team.plan ?? ''}”`,
    none: 'no limits set',
  }[team.effectiveLimits.source];
  const body = html`<header class="top">
<div><h1>Team ${team.id}</h1><p><a href="${base}/">← ${title}</a></p></div>
</header>
<main id="main">
<div id="flash" class="flash" role="status" aria-live="polite" hidden></div>
<dl class="facts">
<dt>Plan</dt><dd>${team.plan ?? html`<span class="muted">none</span>`}</dd>
<dt>Features</dt><dd>${team.features.length ? html`<ul class="scopes">${team.features.map((f) => html`<li><code>${f}</code></li>`)}</ul>` : html`<span class="muted">none</span>`}</dd>
<dt>Subscription</dt><dd>${subscription}</dd>
<dt>Team limits</dt><dd>${count(team.effectiveLimits.perMinute)} / min · ${count(team.effectiveLimits.monthly)} / month <small>(${source})</small></dd>
</dl>
<p><a href="${base}/?team=${encodeURIComponent(team.id)}">Keys of this team →</a></p>
${editable ? teamForm(team) : ''}
</main>`;
  return layout(`${team.id} · ${title}`, base, body);
}
