import type { CreateKeyInput, IssuedKey } from '../keys/manager.js';
import type { KeyListFilter } from '../stores/key-store.js';
import { ENVIRONMENTS, type ApiKeyRecord, type Environment, type KeyLimits } from '../types.js';
import { dateValue, duration, limitValue, oneId, required, type Values } from './args.js';
import type { CommandContext } from './context.js';
import { CliError } from './io.js';
import { keyDetails, keyTable, toJson } from './output.js';

const WARNING =
  'Warning: copy this secret now. It will not be shown again: keyward stores only its digest.';

function environment(value: string | undefined): Environment | undefined {
  if (value === undefined) return undefined;
  if ((ENVIRONMENTS as readonly string[]).includes(value)) return value as Environment;
  throw new CliError(`--env must be one of ${ENVIRONMENTS.join(', ')}, received "${value}"`, true);
}

function keyLimits(values: Values): KeyLimits | undefined {
  const limits: KeyLimits = {};
  if (values['per-minute'] !== undefined)
    limits.perMinute = limitValue('per-minute', values['per-minute']);
  if (values.monthly !== undefined) limits.monthly = limitValue('monthly', values.monthly);
  if (values['ips-per-month'] !== undefined)
    limits.ipsPerMonth = limitValue('ips-per-month', values['ips-per-month']);
  return Object.keys(limits).length ? limits : undefined;
}

/** Prints a new secret once: on stdout alone (so `$(keyward keys create …)` captures it), the rest on stderr. */
function printIssued(ctx: CommandContext, issued: IssuedKey, summary: string): void {
  if (ctx.json) ctx.io.stdout(toJson(issued));
  else {
    ctx.io.stderr(summary);
    ctx.io.stdout(issued.key);
  }
  ctx.io.stderr(WARNING);
}

function printRecord(ctx: CommandContext, record: ApiKeyRecord, summary: string): void {
  if (ctx.json) ctx.io.stdout(toJson(record));
  else ctx.io.stdout(summary);
}

/** `keyward keys <action>`. */
export async function keysCommand(ctx: CommandContext): Promise<void> {
  const { parsed, manager } = ctx;
  const { values } = parsed;
  switch (parsed.command) {
    case 'keys create': {
      if (parsed.args.length) throw new CliError(`unexpected argument \`${parsed.args[0]}\``, true);
      const input: CreateKeyInput = {
        teamId: required(values, 'team', parsed.command),
        name: required(values, 'name', parsed.command),
        environment: environment(required(values, 'env', parsed.command)) as Environment,
        scopes: values.scopes ?? [],
        limits: keyLimits(values),
        validUntil:
          values['valid-until'] === undefined
            ? null
            : dateValue('valid-until', values['valid-until']),
        customerId: values.customer ?? null,
      };
      const issued = await manager.create(input);
      const r = issued.record;
      printIssued(
        ctx,
        issued,
        `Created ${r.environment} key ${r.id} (${r.prefix}…) "${r.name}" for team ${r.teamId}.`,
      );
      return;
    }
    case 'keys list': {
      if (parsed.args.length) throw new CliError(`unexpected argument \`${parsed.args[0]}\``, true);
      const status = values.status;
      if (status !== undefined && status !== 'active' && status !== 'revoked') {
        throw new CliError(`--status must be active or revoked, received "${status}"`, true);
      }
      const filter: KeyListFilter = {
        ...(values.team !== undefined ? { teamId: values.team } : {}),
        ...(values.env !== undefined ? { environment: environment(values.env) } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(values.limit !== undefined ? { limit: limitValue('limit', values.limit) } : {}),
        ...(values.before !== undefined ? { before: values.before } : {}),
      };
      const records = await manager.list(filter);
      ctx.io.stdout(ctx.json ? toJson(records) : keyTable(records, ctx.now()));
      return;
    }
    case 'keys show': {
      const id = oneId(parsed, 'key id');
      const record = await manager.get(id);
      if (!record) throw new CliError(`no API key with id "${id}"`);
      printRecord(ctx, record, keyDetails(record, ctx.now()));
      return;
    }
    case 'keys revoke':
    case 'keys restore':
    case 'keys unblock': {
      const id = oneId(parsed, 'key id');
      const action = parsed.command.slice(5) as 'revoke' | 'restore' | 'unblock';
      const record = await manager[action](id);
      const done = { revoke: 'Revoked', restore: 'Restored', unblock: 'Unblocked' }[action];
      printRecord(ctx, record, `${done} key ${record.id} (${record.prefix}…).`);
      return;
    }
    case 'keys block': {
      const id = oneId(parsed, 'key id');
      if ((values.until === undefined) === (values.for === undefined)) {
        throw new CliError(
          '`keyward keys block` needs exactly one of --until <ISO date> or --for <duration>',
          true,
        );
      }
      const until =
        values.until !== undefined
          ? dateValue('until', values.until)
          : new Date(ctx.now() + duration('for', values.for ?? ''));
      const record = await manager.block(id, until);
      printRecord(ctx, record, `Blocked key ${record.id} until ${until.toISOString()}.`);
      return;
    }
    case 'keys regenerate': {
      const issued = await manager.regenerate(oneId(parsed, 'key id'));
      printIssued(
        ctx,
        issued,
        `Regenerated key ${issued.record.id}: the previous secret no longer works.`,
      );
      return;
    }
    case 'keys rotate': {
      const id = oneId(parsed, 'key id');
      const graceMs = values.grace === undefined ? undefined : duration('grace', values.grace);
      const issued = await manager.rotate(id, graceMs === undefined ? {} : { graceMs });
      const until = issued.record.previous?.expiresAt.toISOString() ?? 'now';
      printIssued(
        ctx,
        issued,
        `Rotated key ${issued.record.id}: the previous secret keeps working until ${until}.`,
      );
      return;
    }
    default:
      throw new CliError(`unknown command \`${parsed.command}\``, true);
  }
}
