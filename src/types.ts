import type { IncomingMessage, ServerResponse } from 'node:http';

/** The deployment environment a key is issued for. Encoded in the key as `live`, `stg` or `dev`. */
export type Environment = 'production' | 'staging' | 'development';

/** All environments, in display order. */
export const ENVIRONMENTS: readonly Environment[] = ['production', 'staging', 'development'];

/** Milliseconds since the Unix epoch. Every time-dependent part of keyward takes one of these. */
export type Clock = () => number;

/** Per-key limits. Absent or `undefined` means "no limit of this kind". */
export interface KeyLimits {
  /** Requests admitted in any sliding 60-second window. */
  perMinute?: number;
  /** Requests admitted per calendar month (UTC). */
  monthly?: number;
  /** Distinct client IPs (IPv6 aggregated to /64) per calendar month (UTC). */
  ipsPerMonth?: number;
}

/** Limits shared by every key of a team. */
export interface TeamLimits {
  /** Requests admitted in any sliding 60-second window, across all the team's keys. */
  perMinute?: number;
  /** Requests admitted per calendar month (UTC), across all the team's keys. */
  monthly?: number;
}

/** A stored API key. The secret itself is never stored: only its digest. */
export interface ApiKeyRecord {
  /** Public, stable id, e.g. `key_2f9c…`; never the secret. */
  id: string;
  /** Lowercase hex SHA-256 (or HMAC-SHA-256 with a pepper) of the full secret. */
  hash: string;
  /** First characters of the secret, for display, e.g. `kw_live_4hT9`. */
  prefix: string;
  /** Human name, e.g. "Production Server". */
  name: string;
  /** The account the key belongs to. */
  teamId: string;
  environment: Environment;
  /** Granted scopes: `companies:read`, `licenses:*`, `*`. */
  scopes: string[];
  /** Restricts the key to one customer's data; exposed to handlers as `req.apiKey.customerId`. */
  customerId?: string | null;
  status: 'active' | 'revoked';
  /** Expiry. */
  validUntil?: Date | null;
  /** Temporary administrative block. */
  blockedUntil?: Date | null;
  limits?: KeyLimits;
  createdAt: Date;
  lastUsedAt?: Date | null;
  lastUsedIp?: string | null;
  /** The previous secret's digest, still accepted until `expiresAt` during a rotation. */
  previous?: { hash: string; expiresAt: Date } | null;
  metadata?: Record<string, unknown>;
}

/** A team (account) with its subscription. */
export interface Team {
  id: string;
  /** Free-form plan name: `free`, `starter`, `pro`, … Used to look up `rateLimit({ plans })`. */
  plan?: string;
  /** Plan features checked by `requireFeature`: `pro`, `max`, `enterprise`, … */
  features: string[];
  /** `null` means the team has no subscription. */
  subscription: { status: 'active' | 'canceled'; expiresAt?: Date | null } | null;
  limits?: TeamLimits;
}

/** Derived display status of a key (SPEC §2). */
export type KeyDisplayStatus = 'Active' | 'Inactive' | 'Expired';

/**
 * What `apiKeyAuth` attaches to the request as `req.apiKey` after a successful authentication:
 * everything a handler needs to scope data to the calling account. Never contains the secret.
 */
export interface ApiKeyContext {
  keyId: string;
  teamId: string;
  name: string;
  environment: Environment;
  scopes: readonly string[];
  customerId: string | null;
  features: readonly string[];
  plan: string | null;
  limits: Readonly<KeyLimits>;
  teamLimits: Readonly<TeamLimits>;
}

/** The `next` callback of Express and Connect. */
export type NextFunction = (err?: unknown) => void;

/**
 * A keyward middleware: a plain `(req, res, next)` function typed on `node:http`, so it mounts
 * under Express 4, Express 5 and Connect alike.
 */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;

/** An error-handling middleware, `(err, req, res, next)`. */
export type ErrorMiddleware = (
  err: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
) => void;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by keyward's `apiKeyAuth` when the request authenticated with an API key. */
      apiKey?: ApiKeyContext;
    }
  }
}

/** `IncomingMessage` as keyward reads it: the fields Express adds are optional. */
export interface KeywardRequest extends IncomingMessage {
  apiKey?: ApiKeyContext;
  originalUrl?: string;
  ip?: string;
  secure?: boolean;
  body?: unknown;
  query?: unknown;
  path?: string;
}
