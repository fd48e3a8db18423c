import { inspect, MAX_VIOLATIONS } from '../../src/guard/inspect.js';

describe('inspect', () => {
  it('reports category and dotted location, array indexes as numbers', () => {
    const result = inspect(
      {
        q: "1' or '1'='1",
        tags: ['ok', '<svg onload=alert(1)>'],
        file: { name: '../../etc/passwd' },
      },
      { location: 'body' },
    );
    expect(result).toEqual({
      violations: [
        { category: 'sql_injection', location: 'body.q' },
        { category: 'xss', location: 'body.tags.1' },
        { category: 'path_traversal', location: 'body.file.name' },
      ],
    });
  });

  it('reports a bad key at the object that holds it, never echoing it', () => {
    const result = inspect({ a: { '<script>alert(1)</script>': 1 } }, { location: 'body' });
    expect(result.violations).toEqual([{ category: 'xss', location: 'body.a' }]);
    expect(JSON.stringify(result)).not.toContain('script');
  });

  it('inspects a bare string at the given location', () => {
    expect(inspect('<script>x</script>').violations).toEqual([{ category: 'xss', location: '' }]);
    expect(inspect("O'Brien").violations).toEqual([]);
  });

  it('honours checks', () => {
    expect(inspect("<script>' or 1=1--", { checks: ['xss'] }).violations).toEqual([
      { category: 'xss', location: '' },
    ]);
  });

  it('stops at maxDepth and says so', () => {
    let deep: unknown = '<script>';
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(inspect(deep)).toEqual({ violations: [], truncated: 'depth' });
    expect(inspect(deep, { maxDepth: 50 }).violations).toHaveLength(1);
  });

  it('stops at maxBytes and says so, still reporting what it read', () => {
    const result = inspect({ a: '<script>', b: 'x'.repeat(100), c: '<script>' }, { maxBytes: 50 });
    expect(result).toEqual({
      violations: [{ category: 'xss', location: 'a' }],
      truncated: 'bytes',
    });
  });

  it(`reports at most ${MAX_VIOLATIONS} violations`, () => {
    const many = Array.from({ length: 500 }, () => '<script>');
    expect(inspect(many).violations).toHaveLength(MAX_VIOLATIONS);
  });

  it('ignores non-string leaves, Buffers and Dates', () => {
    expect(
      inspect({ n: 1, b: true, z: null, buf: Buffer.from('<script>'), d: new Date() }).violations,
    ).toEqual([]);
  });

  it('throws for bad options only', () => {
    expect(() => inspect('x', { checks: ['sqli' as never] })).toThrow(/`checks` must be an array/);
    expect(() => inspect('x', { maxDepth: 0 })).toThrow(/`maxDepth` must be a positive number/);
  });
});
