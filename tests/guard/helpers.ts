import express from 'express';
import { requestGuard } from '../../src/guard/request-guard.js';
import type { RequestGuardOptions } from '../../src/guard/options.js';

/** Express 5 app: body parsers, then the guard, then a handler that records it ran. */
export function guardedApp(options?: RequestGuardOptions, before?: express.RequestHandler) {
  const app = express();
  const seen: string[] = [];
  app.set('trust proxy', true);
  app.use(express.json());
  app.use(express.urlencoded({ extended: true }));
  app.use(express.text());
  if (before) app.use(before);
  app.use(requestGuard(options));
  app.use((req, res) => {
    seen.push(`${req.method} ${req.originalUrl}`);
    res.json({ ok: true });
  });
  return { app, seen };
}
