import express, { type Express } from 'express';
import {
  apiKeyAuth,
  KeyManager,
  MemoryCounterStore,
  MemoryKeyStore,
  problemHandler,
  type ApiKeyAuthOptions,
  type KeywardEvent,
  type Team,
} from '../../src/index.js';
import { fakeClock, type FakeClock } from './clock.js';

export const ACTIVE_TEAM: Team = {
  id: 'team_acme',
  plan: 'pro',
  features: ['pro'],
  subscription: { status: 'active', expiresAt: null },
};

export interface World {
  app: Express;
  store: MemoryKeyStore;
  counters: MemoryCounterStore;
  manager: KeyManager;
  clock: FakeClock;
  events: KeywardEvent[];
  /** Handler runs, by path. */
  hits: string[];
}

/**
 * A real Express 5 app: `trust proxy` on (tests pick client IPs with X-Forwarded-For),
 * `apiKeyAuth` on `/v1`, a `GET /v1/echo` handler that returns `req.apiKey`.
 */
export async function world(
  options: ApiKeyAuthOptions = {},
  team: Team | null = ACTIVE_TEAM,
): Promise<World> {
  const store = new MemoryKeyStore();
  const counters = new MemoryCounterStore();
  const clock = fakeClock();
  const events: KeywardEvent[] = [];
  const hits: string[] = [];
  if (team) await store.saveTeam(team);
  const manager = new KeyManager(store, { clock, onEvent: (e) => void events.push(e) });
  const app = express();
  app.set('trust proxy', true);
  app.use(
    '/v1',
    apiKeyAuth(store, { counters, clock, onEvent: (e) => void events.push(e), ...options }),
  );
  app.get('/v1/echo', (req, res) => {
    hits.push(req.originalUrl.split('?')[0] ?? '');
    res.json({ apiKey: req.apiKey ?? null });
  });
  app.use(problemHandler());
  return { app, store, counters, manager, clock, events, hits };
}

/** Issues a production key for ACTIVE_TEAM (or `teamId`). */
export async function issue(w: World, input: Partial<Parameters<KeyManager['create']>[0]> = {}) {
  return w.manager.create({
    teamId: ACTIVE_TEAM.id,
    name: 'Production Server',
    environment: 'production',
    scopes: ['companies:read'],
    ...input,
  });
}
