import { ProblemDocument } from 'http-problem-details';

/**
 * The one place that touches http-problem-details. Its constructor replaces `title` when
 * `type` is `about:blank`, so keyward always passes a concrete type URI, and we copy the
 * result into a plain object so what we serialise is exactly what we built.
 */
export function buildProblem(
  fields: { type: string; title: string; status: number; detail: string; instance: string },
  extensions: Record<string, unknown>,
): Record<string, unknown> {
  const doc = new ProblemDocument(
    {
      type: fields.type,
      title: fields.title,
      status: fields.status,
      detail: fields.detail,
      instance: fields.instance,
    },
    extensions as Record<string, object>,
  );
  // The library can rewrite title/type; the contract is ours, so restore it.
  return { ...doc, type: fields.type, title: fields.title };
}
