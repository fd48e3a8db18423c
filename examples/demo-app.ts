/**
 * The demo API: a small "companies" API on the memory stores, wired the way the README
 * recommends. `demo.ts` starts it; tests import `createDemo()` directly.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { type Express } from 'express';
import { keyAdmin } from '../src/admin/index.js';
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
  /** Path that signs the browser in to the admin page, once: `/admin/login?token=…`. */
  adminLogin: string;
}

const PLANS = {
  free: { perMinute: 100 },
  pro: { perMinute: 2000 },
  enterprise: { perMinute: Infinity },
};

/**
 * The demo's stand-in for the host's own admin login: a one-time token, printed at start,
 * exchanged for an HttpOnly, SameSite=Strict session cookie. Use your real sign-in instead.
 */
function oneTimeAdminLogin() {
  const token = randomBytes(24).toString('base64url');
  const sessions = new Set<string>();
  let used = false;
  const sessionOf = (req: IncomingMessage) =>
    /(?:^|;\s*)kw_admin=([A-Za-z0-9_-]{32})(?:;|$)/.exec(req.headers.cookie ?? '')?.[1];
  return {
    path: `/admin/login?token=${token}`,
    login(req: express.Request, res: express.Response) {
      const raw = req.query.token;
      const given = Buffer.from(typeof raw === 'string' ? raw : '');
      const ok =
        !used && given.length === token.length && timingSafeEqual(given, Buffer.from(token));
      if (!ok)
        return void res
          .status(401)
          .type('text/plain')
          .send('This admin link was already used or is wrong. Restart the demo for a new one.\n');
      used = true;
      const session = randomBytes(24).toString('base64url');
      sessions.add(session);
      res.setHeader('Set-Cookie', `kw_admin=${session}; Path=/admin; HttpOnly; SameSite=Strict`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.redirect(303, '/admin/api-keys/');
    },
    authorize: (req: IncomingMessage) => {
      const session = sessionOf(req);
      return session !== undefined && sessions.has(session);
    },
  };
}

const COMPANIES = [
  { id: '1', name: 'Acme Corp', country: 'US' },
  { id: '2', name: 'Globex', country: 'DE' },
  { id: '3', name: 'Initech', country: 'GB' },
];

/** Builds the demo app and seeds one team and one production key. */
export async function createDemo(
  options: { log?: (event: KeywardEvent) => void } = {},
): Promise<Demo> {
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
  // The API Keys page, before requestGuard: administrators may name a key anything.
  const admin = oneTimeAdminLogin();
  app.get('/admin/login', admin.login);
  app.use(
    '/admin/api-keys',
    keyAdmin({
      store,
      counters,
      authorize: admin.authorize,
      plans: PLANS,
      ...(options.log ? { onEvent: options.log } : {}),
    }),
  );
  app.use(requestGuard());
  app.get('/', (_req, res) => {
    res.json({
      name: 'keyward demo',
      endpoints: ['GET /v1/companies', 'GET /v1/companies/:id', 'GET /v1/reports'],
    });
  });
  app.use(
    '/v1',
    apiKeyAuth(store, {
      environment: 'production',
      counters,
      ...(options.log ? { onEvent: options.log } : {}),
    }),
    publicOnly(['GET /v1/companies', 'GET /v1/companies/:id', 'GET /v1/reports']),
    rateLimit(counters, { plans: PLANS }),
  );
  app.get('/v1/companies', requireScope('companies:read'), (req, res) => {
    res.json({ team: req.apiKey?.teamId, data: COMPANIES });
  });
  app.get('/v1/companies/:id', requireScope('companies:read'), (req, res) => {
    const company = COMPANIES.find((c) => c.id === req.params.id);
    if (!company) return void res.status(404).json({ error: 'not found' });
    res.json(company);
  });
  app.get(
    '/v1/reports',
    requireFeature('enterprise'),
    (_req, res) => void res.json({ reports: [] }),
  );
  app.use(problemHandler());
  return { app, store, counters, manager, key, keyId: record.id, adminLogin: admin.path };
}
