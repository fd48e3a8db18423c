import { ENVIRONMENTS } from '../types.js';
import type { KeyPage, ListQuery } from './query.js';
import { ASSET_VERSION } from './assets.js';
import { count, html, time, type Html } from './html.js';
import type { KeyView } from './view.js';

/** What the list page needs besides the keys. */
export interface ListPageModel {
  title: string;
  base: string;
  query: ListQuery;
  page: KeyPage;
  /** Teams for the filter and the create form; `null` when the store cannot list them. */
  teams: string[] | null;
  /** Set when the administrator is confined to one team. */
  confinedTo: string | undefined;
  /** Whether usage can be shown (a counter store was given). */
  usage: boolean;
}

const ENV_LABEL = {
  production: 'Production',
  staging: 'Staging',
  development: 'Development',
} as const;

/** The HTML document around a page's body, with the versioned script and stylesheet. */
export function layout(title: string, base: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="${base}/assets/admin.css?v=${ASSET_VERSION}">
<script src="${base}/assets/admin.js?v=${ASSET_VERSION}" defer></script>
</head>
<body data-base="${base}">
<a class="skip" href="#main">Skip to content</a>
${body}
<noscript><p class="flash error">Creating and changing keys needs JavaScript; the list works without it.</p></noscript>
</body>
</html>
`.value;
}

function limitsSummary(limits: KeyView['limits']): Html {
  const parts: string[] = [];
  if (limits.perMinute !== undefined) parts.push(`${count(limits.perMinute)} / min`);
  if (limits.monthly !== undefined) parts.push(`${count(limits.monthly)} / month`);
  if (limits.ipsPerMonth !== undefined) parts.push(`${count(limits.ipsPerMonth)} IPs / month`);
  if (parts.length === 0) return html`<span class="muted">Team / plan</span>`;
  return html`${parts.map((p, i) => html`${i ? html`<br>` : ''}${p}`)}`;
}

function scopesSummary(scopes: string[]): Html {
  if (scopes.length === 0) return html`<span class="muted">No scopes</span>`;
  return html`<ul class="scopes">${scopes.map((s) => html`<li><code>${s === '*' ? '* (everything)' : s}</code></li>`)}</ul>`;
}

function statusBadge(key: KeyView): Html {
  if (key.status === 'Active' && key.blocked) {
    return html`<span class="badge blocked">Blocked</span><small>until ${time(key.blockedUntil ? new Date(key.blockedUntil) : null)}</small>`;
  }
  const badge = html`<span class="badge ${key.status.toLowerCase()}">${key.status}</span>`;
  if (key.status === 'Active' && key.validUntil)
    return html`${badge}<small>expires ${time(new Date(key.validUntil))}</small>`;
  if (key.status === 'Expired' && key.validUntil)
    return html`${badge}<small>since ${time(new Date(key.validUntil))}</small>`;
  return badge;
}

function usageCell(key: KeyView, enabled: boolean): Html {
  const usage = key.usage;
  if (!enabled || !usage) return html`<span class="muted">—</span>`;
  if (!usage.available) return html`<span class="muted">unavailable</span>`;
  if (usage.limit === null || usage.used === null)
    return html`<span class="muted">not metered</span>`;
  return html`<span>${count(usage.used)} / ${count(usage.limit)}</span><meter min="0" max="${usage.limit}" value="${usage.used}" high="${Math.floor(usage.limit * 0.8)}" aria-label="Usage this month">${usage.used}</meter>`;
}

function actions(key: KeyView): Html {
  const button = (action: string, label: string, extra = '') =>
    html`<button type="button" class="action ${extra}" data-action="${action}" aria-label="${label} ${key.name}">${label}</button>`;
  if (key.status === 'Inactive')
    return html`${button('edit', 'Edit')}${button('restore', 'Restore')}`;
  return html`${button('edit', 'Edit')}${button('regenerate', 'Regenerate')}${button('rotate', 'Rotate')}${
    key.blocked ? button('unblock', 'Unblock') : button('block', 'Block')
  }${button('revoke', 'Revoke', 'danger')}`;
}

function row(key: KeyView, base: string, usage: boolean): Html {
  return html`<tr data-id="${key.id}" data-name="${key.name}">
<td data-label="Name"><strong class="name">${key.name}</strong><small class="id">${key.id}</small><small class="team">team <a href="${base}/teams/${encodeURIComponent(key.teamId)}">${key.teamId}</a></small>${key.customerId ? html`<small class="customer">customer <span>${key.customerId}</span></small>` : ''}</td>
<td data-label="Key"><code class="prefix">${key.display}</code><span class="env ${key.environment}">${ENV_LABEL[key.environment]}</span>${key.previousExpiresAt ? html`<small>old secret until ${time(new Date(key.previousExpiresAt))}</small>` : ''}</td>
<td data-label="Permissions">${scopesSummary(key.scopes)}</td>
<td data-label="Rate limits">${limitsSummary(key.limits)}</td>
<td data-label="Status">${statusBadge(key)}</td>
<td data-label="Usage this month">${usageCell(key, usage)}</td>
<td data-label="Last used">${key.lastUsedAt ? html`${time(new Date(key.lastUsedAt))}${key.lastUsedIp ? html`<small>from ${key.lastUsedIp}</small>` : ''}` : html`<span class="muted">Never</span>`}</td>
<td data-label="Created">${time(new Date(key.createdAt))}</td>
<td data-label="Actions"><div class="actions">${actions(key)}</div></td>
</tr>`;
}

/** A labelled `<select>`. */
export function select(
  name: string,
  label: string,
  options: readonly (readonly [string, string])[],
  current: string | undefined,
  id: string,
): Html {
  return html`<label for="${id}">${label}</label><select id="${id}" name="${name}">${options.map(
    ([value, text]) =>
      html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${text}</option>`,
  )}</select>`;
}

function filters(m: ListPageModel): Html {
  const envs = [
    ['', 'All environments'] as const,
    ...ENVIRONMENTS.map((e) => [e, ENV_LABEL[e]] as const),
  ];
  const statuses = [
    ['', 'All statuses'],
    ['Active', 'Active'],
    ['Blocked', 'Blocked'],
    ['Expired', 'Expired'],
    ['Inactive', 'Inactive (revoked)'],
  ] as const;
  let team: Html | string = '';
  if (m.confinedTo === undefined) {
    team = m.teams
      ? html`<div class="field">${select('team', 'Team', [['', 'All teams'], ...m.teams.map((t) => [t, t] as const)], m.query.teamId, 'filter-team')}</div>`
      : html`<div class="field"><label for="filter-team">Team</label><input id="filter-team" name="team" value="${m.query.teamId ?? ''}" placeholder="team id"></div>`;
  }
  return html`<form class="filters" method="get" action="${m.base}/" aria-label="Filter keys">
<div class="field">${select('environment', 'Environment', envs, m.query.environment, 'filter-environment')}</div>
<div class="field">${select('status', 'Status', statuses, m.query.status, 'filter-status')}</div>
${team}
<div class="field buttons"><button type="submit">Filter</button><a href="${m.base}/">Clear</a></div>
</form>`;
}

/** The fields a key is created and edited with; `between` goes after the name (team, environment). */
function keyFields(p: string, between: Html | string = ''): Html {
  return html`<div class="field"><label for="${p}-name">Name</label><input id="${p}-name" name="name" required maxlength="200" autocomplete="off" placeholder="Production Server"></div>
${between}
<div class="field"><label for="${p}-scopes">Permissions (scopes)</label><input id="${p}-scopes" name="scopes" autocomplete="off" placeholder="companies:read, licenses:*" aria-describedby="${p}-scopes-help"><small id="${p}-scopes-help">Comma-separated; <code>*</code> grants everything.</small></div>
<fieldset><legend>Rate limits (empty: team or plan limits)</legend>
<div class="row3">
<div class="field"><label for="${p}-per-minute">Per minute</label><input id="${p}-per-minute" name="perMinute" type="number" min="0" step="1" inputmode="numeric"></div>
<div class="field"><label for="${p}-monthly">Per month</label><input id="${p}-monthly" name="monthly" type="number" min="0" step="1" inputmode="numeric"></div>
<div class="field"><label for="${p}-ips">Distinct IPs / month</label><input id="${p}-ips" name="ipsPerMonth" type="number" min="0" step="1" inputmode="numeric"></div>
</div></fieldset>
<div class="row2">
<div class="field"><label for="${p}-valid-until">Expires (optional, your local time)</label><input id="${p}-valid-until" name="validUntil" type="datetime-local" aria-describedby="${p}-valid-until-utc"><small id="${p}-valid-until-utc" data-utc-for="${p}-valid-until"></small></div>
<div class="field"><label for="${p}-customer">Customer (optional)</label><input id="${p}-customer" name="customerId" autocomplete="off"></div>
</div>`;
}

function createDialog(m: ListPageModel): Html {
  const team =
    m.confinedTo !== undefined
      ? html`<input type="hidden" name="teamId" value="${m.confinedTo}">`
      : m.teams
        ? html`<div class="field">${select(
            'teamId',
            'Team',
            m.teams.map((t) => [t, t] as const),
            m.query.teamId ?? m.teams[0],
            'create-team',
          )}</div>`
        : html`<div class="field"><label for="create-team">Team</label><input id="create-team" name="teamId" required value="${m.query.teamId ?? ''}"></div>`;
  return html`<dialog id="create-dialog" aria-labelledby="create-title">
<form id="create-form" novalidate>
<h2 id="create-title">Create an API key</h2>
${keyFields(
  'create',
  html`${team}
<div class="field">${select(
    'environment',
    'Environment',
    ENVIRONMENTS.map((e) => [e, ENV_LABEL[e]] as const),
    'production',
    'create-environment',
  )}</div>`,
)}
<p class="form-error" id="create-error" role="alert"></p>
<div class="buttons"><button type="button" data-close>Cancel</button><button type="submit" class="primary">Create key</button></div>
</form>
</dialog>`;
}

const EDIT_DIALOG = html`<dialog id="edit-dialog" aria-labelledby="edit-title">
<form id="edit-form" novalidate>
<h2 id="edit-title">Edit key</h2>
<p class="muted">The secret, team and environment stay as they are.</p>
${keyFields('edit')}
<p class="form-error" id="edit-error" role="alert"></p>
<div class="buttons"><button type="button" data-close>Cancel</button><button type="submit" class="primary">Save changes</button></div>
</form>
</dialog>`;

const DIALOGS = html`${EDIT_DIALOG}<dialog id="secret-dialog" aria-labelledby="secret-title" aria-describedby="secret-warning">
<h2 id="secret-title">Your new API key</h2>
<p id="secret-warning" class="warning"><strong>Copy it now: it will not be shown again.</strong> keyward stores only a digest of it. If you lose it, regenerate the key.</p>
<p class="secret-for" id="secret-for"></p>
<div class="secret"><code id="secret-value" tabindex="0"></code><button type="button" id="secret-copy">Copy</button></div>
<p id="secret-copied" class="muted" role="status" aria-live="polite"></p>
<div class="buttons"><button type="button" id="secret-done" class="primary">I have stored it</button></div>
</dialog>
<dialog id="confirm-dialog" aria-labelledby="confirm-title">
<form id="confirm-form" novalidate>
<h2 id="confirm-title"></h2>
<p id="confirm-text"></p>
<div class="field" id="confirm-grace" hidden><label for="confirm-grace-input">The current secret keeps working for</label><select id="confirm-grace-input" name="grace"><option value="3600000">1 hour</option><option value="86400000" selected>24 hours</option><option value="604800000">7 days</option><option value="0">0 (stop it now)</option></select></div>
<div class="field" id="confirm-until" hidden><label for="confirm-until-input">Blocked until (your local time)</label><input id="confirm-until-input" name="until" type="datetime-local" aria-describedby="confirm-until-utc"><small id="confirm-until-utc" data-utc-for="confirm-until-input"></small></div>
<p class="form-error" id="confirm-error" role="alert"></p>
<div class="buttons"><button type="button" data-close>Cancel</button><button type="submit" id="confirm-submit" class="primary"></button></div>
</form>
</dialog>`;

/** The list page: filters, the keys table, the create form and the dialogs. */
export function listPage(m: ListPageModel): string {
  const { page, base } = m;
  const params = new URLSearchParams();
  if (m.query.environment) params.set('environment', m.query.environment);
  if (m.query.status) params.set('status', m.query.status);
  if (m.query.teamId && m.confinedTo === undefined) params.set('team', m.query.teamId);
  if (page.next) params.set('before', page.next);
  const heading = m.confinedTo === undefined ? 'All teams' : `Team ${m.confinedTo}`;
  const body = html`<header class="top">
<div><h1>${m.title}</h1><p class="muted">${heading}</p></div>
<button type="button" id="create-open" class="primary">Create key</button>
</header>
<main id="main">
<div id="flash" class="flash" role="status" aria-live="polite" hidden></div>
${filters(m)}
${
  page.data.length === 0
    ? html`<p class="empty">${
        page.next
          ? 'No match among the keys searched so far: older keys may still match.'
          : html`No keys match. ${m.query.before ? html`<a href="${base}/">Back to the newest keys</a>` : 'Create one with “Create key”.'}`
      }</p>`
    : html`<div class="table-wrap"><table id="keys">
<caption>${page.data.length === 1 ? '1 key' : `${page.data.length} keys`}${m.query.before ? ' (older page)' : ''}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Key · environment</th><th scope="col">Permissions</th><th scope="col">Rate limits</th><th scope="col">Status</th><th scope="col">Usage this month</th><th scope="col">Last used</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
<tbody>
${page.data.map((k) => row(k, base, m.usage))}
</tbody>
</table></div>`
}
${page.next ? html`<nav class="pager" aria-label="Pages"><a href="${base}/?${params.toString()}">Older keys →</a></nav>` : ''}
</main>
${createDialog(m)}
${DIALOGS}`;
  return layout(m.title, base, body);
}
