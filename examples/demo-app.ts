/**
 * The demo API: a small "companies" API on the memory stores, wired the way the README
 * recommends. `demo.ts` starts it; tests import `createDemo()` directly.
 */
import express, { type Express } from 'express';
import {
  apiKeyAuth,
  KeyManager,
  MemoryCounterStore,
  MemoryKeyStore,
  problemHandler,
  publicOnly,
  rateLimit,
  requestGuard,
  requireFeature,
  requireScope,
  type KeywardEvent,
} from '../src/index.js';

export interface Demo {
  app: Express;
  store: MemoryKeyStore;
  counters: MemoryCounterStore;
  manager: KeyManager;
  /** The seeded key's plaintext: printed once by demo.ts. */
  key: string;
  keyId: string;
}

const COMPANIES = [
  { id: '1', name: 'Acme Corp', country: 'US' },
  { id: '2', name: 'Globex', country: 'DE' },
  { id: '3', name: 'Initech', country: 'GB' },
];

/** Builds the demo app and seeds one team and one production key. */
export async function createDemo(options: { log?: (event: KeywardEvent) => void } = {}): Promise<Demo> {
  const store = new MemoryKeyStore();
  const counters = new MemoryCounterStore();
  const manager = new KeyManager(store, options.log ? { onEvent: options.log } : {});
  await store.saveTeam({
    id: 'team_demo',
    plan: 'pro',
    features: ['pro'],
    subscription: { status: 'active', expiresAt: null },
    limits: { perMinute: 600 },
  });
  const { key, record } = await manager.create({
    teamId: 'team_demo',
    name: 'Demo key',
    environment: 'production',
    scopes: ['companies:read'],
    limits: { perMinute: 60, monthly: 10_000 },
  });

  const app = express();
  app.use(express.json({ limit: '100kb' }));
  app.use(requestGuard());
  app.get('/', (_req, res) => {
    res.json({ name: 'keyward demo', endpoints: ['GET /v1/companies', 'GET /v1/companies/:id', 'GET /v1/reports'] });
  });
  app.use(
    '/v1',
    apiKeyAuth(store, { environment: 'production', counters, ...(options.log ? { onEvent: options.log } : {}) }),
    publicOnly(['GET /v1/companies', 'GET /v1/companies/:id', 'GET /v1/reports']),
    rateLimit(counters, { plans: { free: { perMinute: 100 }, pro: { perMinute: 2000 }, enterprise: { perMinute: Infinity } } }),
  );
  app.get('/v1/companies', requireScope('companies:read'), (req, res) => {
    res.json({ team: req.apiKey?.teamId, data: COMPANIES });
  });
  app.get('/v1/companies/:id', requireScope('companies:read'), (req, res) => {
    const company = COMPANIES.find((c) => c.id === req.params.id);
    if (!company) return void res.status(404).json({ error: 'not found' });
    res.json(company);
  });
  app.get('/v1/reports', requireFeature('enterprise'), (_req, res) => void res.json({ reports: [] }));
  app.use(problemHandler());
  return { app, store, counters, manager, key, keyId: record.id };
}
