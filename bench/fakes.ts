/**
 * Minimal request/response stand-ins for calling keyward middlewares directly in
 * microbenchmarks: just the members the middlewares read and write, so the figure is the
 * middleware's own cost rather than building `IncomingMessage`/`ServerResponse` objects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

type Middleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

export interface FakePair {
  req: IncomingMessage;
  res: ServerResponse;
}

const headerCache = new Map<string, { headers: Record<string, string>; rawHeaders: string[] }>();

/** Headers are built once per key and shared (middlewares only read them). */
function headersFor(key: string | undefined): {
  headers: Record<string, string>;
  rawHeaders: string[];
} {
  const id = key ?? '';
  let entry = headerCache.get(id);
  if (!entry) {
    const headers: Record<string, string> = {
      host: 'api.example.com',
      'user-agent': 'bench/1.0',
      accept: 'application/json',
    };
    if (key !== undefined) headers['x-api-key'] = key;
    entry = { headers, rawHeaders: Object.entries(headers).flat() };
    headerCache.set(id, entry);
  }
  return entry;
}

class FakeResponse {
  headersSent = false;
  statusCode = 200;
  readonly #sent: Record<string, unknown> = {};
  setHeader(name: string, value: unknown): this {
    this.#sent[name.toLowerCase()] = value;
    return this;
  }
  getHeader(name: string): unknown {
    return this.#sent[name.toLowerCase()];
  }
  hasHeader(name: string): boolean {
    return name.toLowerCase() in this.#sent;
  }
  removeHeader(name: string): void {
    delete this.#sent[name.toLowerCase()];
  }
  end(): this {
    this.headersSent = true;
    return this;
  }
}

/** A GET `url` from `ip` carrying `key` in `x-api-key` (none when `key` is undefined). */
export function fakePair(key: string | undefined, ip = '203.0.113.7', url = '/v1/items'): FakePair {
  const { headers, rawHeaders } = headersFor(key);
  const req = {
    method: 'GET',
    url,
    originalUrl: url,
    path: url,
    headers,
    rawHeaders,
    socket: { remoteAddress: ip },
    ip,
    query: {},
    params: {},
  };
  return {
    req: req as unknown as IncomingMessage,
    res: new FakeResponse() as unknown as ServerResponse,
  };
}

/** Runs `mw` and resolves when it calls `next()`; rejects if it answers or passes an error. */
export function runMiddleware(mw: Middleware, { req, res }: FakePair): Promise<void> {
  return new Promise((resolve, reject) => {
    mw(req, res, (err?: unknown) =>
      err
        ? reject(err instanceof Error ? err : new Error('next(err) with a non-Error'))
        : resolve(),
    );
    if (res.headersSent)
      reject(new Error(`the middleware answered ${res.statusCode} instead of calling next()`));
  });
}

/** A realistic ~1 KB JSON API body (an order with a customer, lines and free text). */
export function jsonBody1k(): unknown {
  return {
    id: 'ord_0001f3a9',
    createdAt: '2026-03-10T12:00:00Z',
    customer: {
      name: "Siobhan O'Brien",
      email: 'siobhan.obrien@example.com',
      phone: '+353 1 555 0134',
      company: 'Drop-down Menus Ltd',
    },
    shipping: { street: '12 Select Street', city: 'Dublin', postcode: 'D02 X285', country: 'IE' },
    lines: [
      { sku: 'TS-001', title: 'T-shirt, organic cotton (blue)', quantity: 2, unitPrice: 19.9 },
      { sku: 'MG-114', title: 'Mug "1 < 2" edition', quantity: 1, unitPrice: 12.5 },
      {
        sku: 'BK-310',
        title: 'Book: Select a plan that fits your team',
        quantity: 1,
        unitPrice: 34,
      },
    ],
    notes:
      'Please leave the parcel at the door; if nobody answers, drop it at the shop across the road. Thanks!',
    tags: ['gift', 'priority', 'eu'],
    markdown:
      '**Gift message:** Happy birthday! See https://example.com/cards?id=42&lang=en for the card.',
    payment: { method: 'card', last4: '4242', status: 'authorized', amount: 86.3, currency: 'EUR' },
    metadata: {
      source: 'web',
      campaign: 'spring-2026',
      referrer: 'https://news.example.org/articles/2026/03/best-mugs',
    },
  };
}
