import express from 'express';
import {
  apiKeyAuth,
  KeyManager,
  MemoryCounterStore,
  MemoryKeyStore,
  problemHandler,
  rateLimit,
  type CounterStore,
  type KeyLimits,
  type KeywardEvent,
  type RateLimitOptions,
  type Team,
} from '../../src/index.js';
import { fakeClock } from '../helpers/clock.js';

export async function limited(
  limits: KeyLimits,
  options: RateLimitOptions = {},
  team: Partial<Team> = {},
  counters: CounterStore = new MemoryCounterStore(),
) {
  const store = new MemoryKeyStore();
  const clock = fakeClock('2026-03-10T12:00:00.000Z');
  const events: KeywardEvent[] = [];
  await store.saveTeam({
    id: 'team_1',
    plan: 'free',
    features: [],
    subscription: { status: 'active' },
    ...team,
  });
  const manager = new KeyManager(store, { clock });
  const { key, record } = await manager.create({
    teamId: 'team_1',
    name: 'k',
    environment: 'production',
    limits,
  });
  let handled = 0;
  const app = express();
  app.set('trust proxy', true);
  app.use(
    apiKeyAuth(store, { clock, bruteForce: false }),
    rateLimit(counters, { clock, onEvent: (e) => void events.push(e), ...options }),
  );
  app.get('/', (_req, res) => {
    handled++;
    res.json({ ok: true });
  });
  app.use(problemHandler());
  return { app, key, record, clock, manager, events, store, counters, handled: () => handled };
}
