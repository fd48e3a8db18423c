/**
 * A custom key store: keyward over a table you already have. `npx tsx examples/custom-store.ts`
 *
 * The "table" here is an array of snake_case rows, standing in for any database: the adapter
 * only maps rows to `ApiKeyRecord` and back. `KeyStore` (findByHash, findTeam, touch) is all
 * `apiKeyAuth` needs; `KeyAdminStore` adds what `KeyManager` needs. Counters stay in the
 * bundled `MemoryCounterStore` (or `RedisCounterStore` from `keyward/redis`).
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  apiKeyAuth,
  KeyManager,
  MemoryCounterStore,
  problemHandler,
  type ApiKeyRecord,
  type KeyAdminStore,
  type KeyListFilter,
  type KeyPatch,
  type Team,
} from '../src/index.js';

/** A row of the existing `api_keys` table. Only the digest is stored, never the key. */
interface ApiKeyRow {
  id: string;
  team_id: string;
  key_digest: string;
  previous_digest: string | null;
  previous_expires_at: string | null;
  display_prefix: string;
  label: string;
  env: ApiKeyRecord['environment'];
  scopes: string; // comma-separated in this legacy schema (and no column for `metadata`)
  status: ApiKeyRecord['status'];
  valid_until: string | null;
  blocked_until: string | null;
  limits: string | null; // JSON
  customer_id: string | null;
  created_at: string;
  last_used_at: string | null;
  last_used_ip: string | null;
}

const date = (s: string | null): Date | null => (s === null ? null : new Date(s));
const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    hash: row.key_digest,
    prefix: row.display_prefix,
    name: row.label,
    teamId: row.team_id,
    environment: row.env,
    scopes: row.scopes === '' ? [] : row.scopes.split(','),
    customerId: row.customer_id,
    status: row.status,
    validUntil: date(row.valid_until),
    blockedUntil: date(row.blocked_until),
    ...(row.limits ? { limits: JSON.parse(row.limits) as ApiKeyRecord['limits'] } : {}),
    createdAt: new Date(row.created_at),
    lastUsedAt: date(row.last_used_at),
    lastUsedIp: row.last_used_ip,
    previous:
      row.previous_digest && row.previous_expires_at
        ? { hash: row.previous_digest, expiresAt: new Date(row.previous_expires_at) }
        : null,
  };
}

function toRow(r: ApiKeyRecord): ApiKeyRow {
  return {
    id: r.id,
    team_id: r.teamId,
    key_digest: r.hash,
    previous_digest: r.previous?.hash ?? null,
    previous_expires_at: iso(r.previous?.expiresAt),
    display_prefix: r.prefix,
    label: r.name,
    env: r.environment,
    scopes: r.scopes.join(','),
    status: r.status,
    valid_until: iso(r.validUntil),
    blocked_until: iso(r.blockedUntil),
    limits: r.limits ? JSON.stringify(r.limits) : null,
    customer_id: r.customerId ?? null,
    created_at: r.createdAt.toISOString(),
    last_used_at: iso(r.lastUsedAt),
    last_used_ip: r.lastUsedIp ?? null,
  };
}

/**
 * `KeyAdminStore` over the table. With a real database each method is one query: index
 * `key_digest` and `previous_digest`, since `findByHash` runs on every uncached request.
 */
class TableKeyStore implements KeyAdminStore {
  readonly rows: ApiKeyRow[] = [];
  readonly teams = new Map<string, Team>();

  findByHash(hash: string): Promise<ApiKeyRecord | null> {
    // SELECT * FROM api_keys WHERE key_digest = $1 OR previous_digest = $1
    const row = this.rows.find((r) => r.key_digest === hash || r.previous_digest === hash);
    return Promise.resolve(row ? toRecord(row) : null); // a miss is null, never a throw
  }
  findTeam(teamId: string): Promise<Team | null> {
    return Promise.resolve(this.teams.get(teamId) ?? null);
  }
  touch(keyId: string, at: Date, ip: string): Promise<void> {
    const row = this.rows.find((r) => r.id === keyId);
    if (row) Object.assign(row, { last_used_at: at.toISOString(), last_used_ip: ip });
    return Promise.resolve();
  }
  insertKey(record: ApiKeyRecord): Promise<void> {
    if (this.rows.some((r) => r.id === record.id || r.key_digest === record.hash))
      return Promise.reject(new Error('duplicate key'));
    this.rows.push(toRow(record));
    return Promise.resolve();
  }
  updateKey(id: string, patch: KeyPatch): Promise<ApiKeyRecord | null> {
    const i = this.rows.findIndex((r) => r.id === id);
    const row = this.rows[i];
    if (!row) return Promise.resolve(null);
    const next = toRow({ ...toRecord(row), ...patch });
    this.rows[i] = next;
    return Promise.resolve(toRecord(next));
  }
  getKey(id: string): Promise<ApiKeyRecord | null> {
    const row = this.rows.find((r) => r.id === id);
    return Promise.resolve(row ? toRecord(row) : null);
  }
  listKeys(filter: KeyListFilter = {}): Promise<ApiKeyRecord[]> {
    const newestFirst = [...this.rows].reverse();
    const start =
      filter.before === undefined ? 0 : newestFirst.findIndex((r) => r.id === filter.before) + 1;
    return Promise.resolve(
      newestFirst
        .slice(start)
        .filter(
          (r) =>
            (filter.teamId === undefined || r.team_id === filter.teamId) &&
            (filter.environment === undefined || r.env === filter.environment) &&
            (filter.status === undefined || r.status === filter.status),
        )
        .slice(0, filter.limit ?? 100)
        .map(toRecord),
    );
  }
  saveTeam(team: Team): Promise<void> {
    this.teams.set(team.id, structuredClone(team));
    return Promise.resolve();
  }
}

const store = new TableKeyStore();
await store.saveTeam({
  id: 'team_acme',
  plan: 'pro',
  features: ['pro'],
  subscription: { status: 'active' },
});
const manager = new KeyManager(store);
const { key, record } = await manager.create({
  teamId: 'team_acme',
  name: 'Production Server',
  environment: 'production',
  scopes: 'companies:read',
});

const app = express();
app.use('/v1', apiKeyAuth(store, { counters: new MemoryCounterStore() }));
app.get('/v1/me', (req, res) => {
  res.json({ team: req.apiKey?.teamId, scopes: req.apiKey?.scopes });
});
app.use(problemHandler());

const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const call = async () => {
  const res = await fetch(`${base}/v1/me`, { headers: { 'x-api-key': key } });
  return `${res.status} ${await res.text()}`;
};

console.log('stored row (no secret in it):', JSON.stringify(store.rows[0]));
console.log('with the key:        ', await call());
await manager.revoke(record.id); // reaches apiKeyAuth's cache at once
console.log('after revoke:        ', await call());
server.close();
