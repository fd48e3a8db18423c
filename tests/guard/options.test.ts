import type { IncomingMessage } from 'node:http';
import { requestGuard } from '../../src/guard/request-guard.js';
import type { RequestGuardOptions } from '../../src/guard/options.js';

describe('requestGuard options', () => {
  it.each([
    [{ maxbytes: 10 }, /unsupported property, `maxbytes`. Did you mean to pass `maxBytes`\?/],
    [{ check: ['xss'] }, /Did you mean to pass `checks`\?/],
    [
      { checks: ['sqli'] },
      /`checks` must be an array of 'sql_injection', 'xss', 'path_traversal', received \["sqli"\]/,
    ],
    [{ maxBytes: -1 }, /`maxBytes` must be a positive number, received -1/],
    [{ maxDepth: 'deep' }, /`maxDepth` must be a positive number/],
    [{ overflow: 'drop' }, /`overflow` must be 'refuse' or 'pass', received "drop"/],
    [{ headers: 'user-agent' }, /`headers` must be an array of header names/],
    [{ requireHttps: 'yes' }, /`requireHttps` must be true or false/],
    [{ errorFormat: 'xml' }, /unsupported `errorFormat`/],
    [{ onEvent: 'log' }, /`onEvent` must be a function/],
    [{ allow: {} }, /`allow` must be an array/],
    [{ allow: [{ endpoint: 'pages' }] }, /allow\[0\]`\.endpoint.*"METHOD \/path"/],
    [{ allow: [{ fields: ['html'] }] }, /allow\[0\]`\.fields\[0\].*"body\.html"/],
    [{ allow: [{ field: ['body.html'] }] }, /unsupported property, `field`/],
    [{ allow: [{ checks: ['html'] }] }, /allow\[0\]`\.checks must be an array/],
  ])('%j throws at construction', (options, message) => {
    expect(() => requestGuard(options as RequestGuardOptions)).toThrow(message);
  });

  it('catches app.use(requestGuard) without the call', () => {
    const req = { method: 'GET', socket: {}, headers: {} } as unknown as IncomingMessage;
    expect(() => (requestGuard as unknown as (r: unknown) => void)(req)).toThrow(
      /Did you write app\.use\(requestGuard\) instead of app\.use\(requestGuard\(\)\)\?/,
    );
  });

  it('does not mutate the options object', () => {
    const options: RequestGuardOptions = {
      headers: ['User-Agent'],
      allow: [{ endpoint: 'POST /x', fields: ['body.a'] }],
    };
    const copy = structuredClone(options);
    requestGuard(options);
    expect(options).toEqual(copy);
  });

  it('returns a named middleware', () => {
    expect(requestGuard().name).toBe('requestGuardMiddleware');
  });
});
