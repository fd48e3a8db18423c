import type { IncomingMessage } from 'node:http';
import { compileEndpointMatcher, type EndpointMatcher } from '../http/endpoint.js';
import { isViolationCategory, type ViolationCategory } from './violation.js';

/**
 * An exemption from `requestGuard`: requests to `endpoint` may carry what `checks` detect
 * in `fields`. Leave out `endpoint` for every endpoint, `fields` for the whole request,
 * `checks` for every category.
 *
 * @example
 * ```ts
 * // The CMS stores page HTML; everything else on the endpoint is still inspected.
 * const rule: GuardExemption = { endpoint: 'POST /v1/pages', fields: ['body.html'], checks: ['xss'] };
 * ```
 */
export interface GuardExemption {
  /** Endpoints as in `publicOnly` (one string is accepted for a single endpoint). @defaultValue every endpoint */
  endpoint?: string | EndpointMatcher;
  /**
   * Locations written as in `violations` (`body.html`, `query.q`, `headers.referer`); a
   * location also covers everything nested under it, and `*` stands for one segment
   * (`body.blocks.*.html`). @defaultValue the whole request
   */
  fields?: readonly string[];
  /** Categories exempted. @defaultValue all */
  checks?: readonly ViolationCategory[];
}

/** An exemption compiled at construction. */
export interface CompiledExemption {
  applies: (req: IncomingMessage) => boolean;
  /** Field patterns split on `.`; undefined: every location. */
  fields: string[][] | undefined;
  checks: ReadonlySet<ViolationCategory> | undefined;
}

const ROOTS = new Set(['path', 'query', 'body', 'headers']);

function compileField(field: unknown, where: string): string[] {
  const parts = typeof field === 'string' ? field.split('.') : [];
  if (!ROOTS.has(parts[0] ?? '') || parts.some((part) => part === '')) {
    throw new TypeError(
      `${where}: received ${JSON.stringify(field)}. Write a location as in violations: "body.html", "query.q", "headers.referer" or "path".`,
    );
  }
  return parts;
}

/** Compiles `requestGuard`'s `allow` option; throws a TypeError naming the bad entry. */
export function compileExemptions(allow: unknown): CompiledExemption[] {
  if (allow === undefined) return [];
  if (!Array.isArray(allow)) {
    throw new TypeError(
      `requestGuard: \`allow\` must be an array such as [{ endpoint: 'POST /v1/pages', fields: ['body.html'] }], received ${typeof allow}.`,
    );
  }
  return allow.map((rule: unknown, i): CompiledExemption => {
    const where = `requestGuard: \`allow[${i}]\``;
    if (typeof rule !== 'object' || rule === null) {
      throw new TypeError(`${where} must be an object { endpoint?, fields?, checks? }.`);
    }
    const { endpoint, fields, checks, ...unknown } = rule as Record<string, unknown>;
    const extra = Object.keys(unknown)[0];
    if (extra !== undefined) {
      throw new TypeError(
        `${where}: received an unsupported property, \`${extra}\`. Use endpoint, fields or checks.`,
      );
    }
    if (fields !== undefined && !Array.isArray(fields)) {
      throw new TypeError(`${where}.fields must be an array of locations such as ['body.html'].`);
    }
    if (checks !== undefined && (!Array.isArray(checks) || !checks.every(isViolationCategory))) {
      throw new TypeError(
        `${where}.checks must be an array of 'sql_injection', 'xss', 'path_traversal', received ${JSON.stringify(checks)}.`,
      );
    }
    const matcher =
      endpoint === undefined
        ? () => true
        : compileEndpointMatcher(
            (typeof endpoint === 'string' ? [endpoint] : endpoint) as EndpointMatcher,
            `${where}.endpoint`,
          );
    return {
      applies: matcher,
      fields: fields?.map((field: unknown, k) => compileField(field, `${where}.fields[${k}]`)),
      checks: checks === undefined ? undefined : new Set(checks),
    };
  });
}

function covers(pattern: readonly string[], location: string): boolean {
  const parts = location.split('.');
  if (parts.length < pattern.length) return false;
  return pattern.every((part, i) => part === '*' || part === parts[i]);
}

/**
 * The exemptions that apply to `req`, as a predicate over findings, or `'all'` when the
 * whole request is exempt (nothing needs inspecting), or undefined when none applies.
 */
export function exemptionsFor(
  exemptions: readonly CompiledExemption[],
  req: IncomingMessage,
): 'all' | ((category: ViolationCategory, location: string) => boolean) | undefined {
  if (exemptions.length === 0) return undefined;
  const active = exemptions.filter((rule) => rule.applies(req));
  if (active.length === 0) return undefined;
  if (active.some((rule) => !rule.fields && !rule.checks)) return 'all';
  return (category, location) =>
    active.some(
      (rule) =>
        (!rule.checks || rule.checks.has(category)) &&
        (!rule.fields || rule.fields.some((field) => covers(field, location))),
    );
}
