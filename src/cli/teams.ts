import type { Team } from '../types.js';
import { dateValue, limitValue, oneId } from './args.js';
import type { CommandContext } from './context.js';
import { CliError } from './io.js';
import { teamDetails, toJson } from './output.js';

const FEATURE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Applies `teams set` flags to the team (or a new one): flags not given keep their value. */
function applyFlags(ctx: CommandContext, id: string, existing: Team | null): Team {
  const v = ctx.parsed.values;
  const team: Team = existing ? { ...existing } : { id, features: [], subscription: null };
  if (v.plan !== undefined) {
    if (v.plan === 'none' || v.plan === '') delete team.plan;
    else team.plan = v.plan;
  }
  if (v.features !== undefined) {
    const features = v.features
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const bad = features.find((f) => !FEATURE.test(f));
    if (bad !== undefined)
      throw new CliError(
        `--features: "${bad}" is not a feature name (letters, digits, _ . : -)`,
        true,
      );
    team.features = [...new Set(features)];
  }
  if (v.subscription !== undefined) {
    if (v.subscription === 'none') team.subscription = null;
    else if (v.subscription === 'active' || v.subscription === 'canceled') {
      team.subscription = {
        status: v.subscription,
        expiresAt: team.subscription?.expiresAt ?? null,
      };
    } else
      throw new CliError(
        `--subscription must be active, canceled or none, received "${v.subscription}"`,
        true,
      );
  }
  if (v.expires !== undefined) {
    if (!team.subscription)
      throw new CliError('--expires needs a subscription: add --subscription active', true);
    team.subscription = {
      ...team.subscription,
      expiresAt: v.expires === 'never' ? null : dateValue('expires', v.expires),
    };
  }
  const limits = { ...team.limits };
  for (const [flag, field] of [
    ['per-minute', 'perMinute'],
    ['monthly', 'monthly'],
  ] as const) {
    const value = v[flag];
    if (value === undefined) continue;
    if (value === 'none') delete limits[field];
    else limits[field] = limitValue(flag, value);
  }
  if (Object.keys(limits).length) team.limits = limits;
  else delete team.limits;
  return team;
}

/** `keyward teams set|show`. */
export async function teamsCommand(ctx: CommandContext): Promise<void> {
  const id = oneId(ctx.parsed, 'team id');
  if (ctx.parsed.command === 'teams show') {
    const team = await ctx.store.findTeam(id);
    if (!team) throw new CliError(`no team with id "${id}"`);
    ctx.io.stdout(ctx.json ? toJson(team) : teamDetails(team));
    return;
  }
  const existing = await ctx.store.findTeam(id);
  const team = applyFlags(ctx, id, existing);
  await ctx.store.saveTeam(team);
  if (ctx.json) ctx.io.stdout(toJson(team));
  else ctx.io.stdout(`${existing ? 'Updated' : 'Created'} team ${id}.\n${teamDetails(team)}`);
}
