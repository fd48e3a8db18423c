import type { IncomingMessage } from 'node:http';
import { compileEndpointMatcher } from '../../src/http/endpoint.js';

const req = (method: string, url: string): IncomingMessage =>
  ({ method, url, originalUrl: url, headers: {} }) as unknown as IncomingMessage;

describe('compileEndpointMatcher', () => {
  const match = compileEndpointMatcher([
    'POST /v1/pages',
    'GET /v1/companies/:id',
    '* /v1/files/*',
    /^DELETE \/v1\/tmp\/\d+$/,
  ]);

  it.each([
    ['POST', '/v1/pages', true],
    ['POST', '/v1/pages/', true],
    ['post', '/V1/Pages?x=1', true],
    ['GET', '/v1/pages', false],
    ['GET', '/v1/companies/42', true],
    ['HEAD', '/v1/companies/42', true],
    ['GET', '/v1/companies', false],
    ['GET', '/v1/companies/42/people', false],
    ['PUT', '/v1/files', true],
    ['PATCH', '/v1/files/a/b/c', true],
    ['DELETE', '/v1/tmp/7', true],
    ['DELETE', '/v1/tmp/x', false],
  ])('%s %s → %s', (method, url, expected) => {
    expect(match(req(method, url))).toBe(expected);
  });

  it('accepts a predicate as is', () => {
    const fn = (r: IncomingMessage): boolean => r.method === 'PUT';
    expect(compileEndpointMatcher(fn)).toBe(fn);
  });

  it.each([['/v1/pages'], ['GET v1/pages'], ['GET /v1/*/x'], ['G3T /x']])(
    'rejects %j at construction with a fix',
    (entry) => {
      expect(() => compileEndpointMatcher([entry], 'allow[0].endpoint')).toThrow(
        /allow\[0\]\.endpoint/,
      );
    },
  );
});
