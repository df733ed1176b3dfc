/**
 * What the fuzz tests (test/e2e/fuzz-*.e2e-spec.ts) share: hostile strings, arbitrary JSON built from
 * them, create bodies and list queries that are mostly almost right, and the leak check of SPEC 4.4
 * ("No stack trace or SQL ever reaches a client", the patterns of the acceptance suite's leaks.mjs).
 */
import fc from 'fast-check';

/** Fixed, so that a failure in CI is the same failure on a laptop (`FUZZ_SEED=... npm test` to explore). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);

/** SQL injection, prototype pollution, format strings, paths, control and odd Unicode characters. */
export const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '1 OR 1=1',
  '1; DROP TABLE conversations; --',
  '; DROP TABLE conversations',
  "'); DELETE FROM conversations WHERE ('1'='1",
  '1 UNION SELECT token_digest FROM access_tokens',
  "admin'--",
  '$1',
  '$$; select pg_sleep(5); $$',
  "1' AND pg_sleep(5)--",
  '\\',
  "'",
  '"',
  '`',
  '%',
  '_',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  '${7*7}',
  '{{7*7}}',
  '%s%s%s%n',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '9007199254740993',
  '99999999999999999999999',
  '-1',
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u001f\u007f',
  '\ud800',
  '\udfff',
  '\u202e',
  '\ufeff',
  '😀',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'ﷺ',
  'Ω'.repeat(300),
  'x'.repeat(1501),
  'y'.repeat(256),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

/** Numbers that break parsers, integer columns and JSON. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2_147_483_647, 2_147_483_648, 9_999_999_999, 10_000_000_000, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e21, -1e21, 1.5, 1e-7),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Object keys, hostile ones included (JSON.parse turns `__proto__` into a plain key). */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'a', 'b', 'status', 'inbox_id', '$where', '', ' ', 'x'.repeat(300)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Any JSON value made of hostile parts, at most `depth` levels deep. */
export function hostileJson(depth = 4): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      fc.constant(null),
      fc.boolean(),
      hostileNumber,
      hostileString,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
    ),
  }));
  return value;
}

/** `levels` arrays or objects nested in one another (built without recursion). */
export function nested(levels: number, kind: 'array' | 'object', leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = kind === 'array' ? [value] : { k: value };
  return value;
}

const id = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map(String) },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileJson(2) },
);

/** Attribute objects: fine, long, big, deep (around the limit of 32 levels), or hostile. */
const attributes = fc.oneof(
  fc.dictionary(hostileKey, hostileJson(3), { maxKeys: 5 }),
  fc.record({ note: fc.string({ maxLength: 1600 }) }),
  fc.record({ count: fc.constantFrom(9_999_999_999, 10_000_000_000, -10_000_000_000, 1e300) }),
  fc.integer({ min: 28, max: 40 }).chain((levels) => fc.constantFrom(nested(levels, 'array'), nested(levels, 'object'))),
  fc.constant(nested(2_000, 'array')), // far past the limit (fast-check itself overflows its stack on 5,000)
  hostileJson(2),
);

/** Create bodies that are right for account 4, or refer to what another account holds. */
const plausibleBody: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      target: fc.oneof(
        fc.record({ inbox_id: fc.constantFrom(5, 6, 5, 1, 4, 7), contact_id: fc.oneof(fc.integer({ min: 16, max: 35 }), fc.constantFrom(1, 13, 36)) }),
        fc.record({ source_id: fc.oneof(fc.integer({ min: 16, max: 35 }).map((c) => `u${c}-api`), fc.constantFrom('u16-web', 'c1-api', 'g13-api', 'h36-api')) }, { requiredKeys: [] }),
      ),
      team_id: fc.option(fc.constantFrom(4, 1, 3), { nil: undefined }),
      assignee_id: fc.option(fc.constantFrom(6, 7, 1, 4), { nil: undefined }),
      status: fc.option(fc.constantFrom('open', 'resolved', 'pending', 'snoozed'), { nil: undefined }),
      snoozed_until: fc.option(fc.constant('2027-01-01T00:00:00Z'), { nil: undefined }),
      message: fc.option(fc.record({ content: hostileString }), { nil: undefined }),
      custom_attributes: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(hostileString, hostileNumber, fc.boolean()), { maxKeys: 4 }), { nil: undefined }),
    },
    { requiredKeys: ['target'] },
  )
  .map(({ target, ...rest }) => Object.fromEntries(Object.entries({ ...target, ...rest }).filter(([, v]) => v !== undefined)));

/** Create bodies (SPEC 4.2): each field absent, right, almost right or hostile, plus unknown fields. */
const hostileBody: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      source_id: fc.oneof(fc.constantFrom('u16-api', 'u17-web', 'c1-api', 'g13-api', 'h36-api'), hostileString, hostileJson(1)),
      inbox_id: id,
      contact_id: id,
      assignee_id: id,
      team_id: id,
      status: fc.oneof(fc.constantFrom('open', 'resolved', 'pending', 'snoozed', 'all', 'OPEN'), hostileString, hostileJson(1)),
      snoozed_until: fc.oneof(fc.constantFrom('2027-01-01T00:00:00Z', '2026-02-30T10:00:00Z', 'tomorrow'), hostileString),
      additional_attributes: attributes,
      custom_attributes: attributes,
      message: fc.oneof(fc.record({ content: fc.oneof(hostileString, fc.string({ maxLength: 200 }), hostileJson(1)) }), hostileJson(2)),
      labels: fc.array(hostileString, { maxLength: 120 }),
    },
    { requiredKeys: [] },
  )
  .chain((body) => fc.dictionary(hostileKey, hostileJson(2), { maxKeys: 3 }).map((extra) => ({ ...extra, ...body })));

/** A plausible body, the same with one field made hostile, or a hostile one. */
export const createBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  plausibleBody,
  fc.tuple(plausibleBody, hostileBody).chain(([body, hostile]) => {
    const fields = Object.keys(hostile);
    return fields.length === 0 ? fc.constant(body) : fc.constantFrom(...fields).map((field) => ({ ...body, [field]: hostile[field] }));
  }),
  hostileBody,
);

/** Query parameter names: the real ones, bracketed forms, prototype paths, junk. */
const queryKey = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('status', 'assignee_type', 'page', 'inbox_id', 'team_id', 'labels', 'labels[]', 'labels[0]', 'labels[x]', 'labels[][]', 'sort_by', 'q'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '__proto__',
      '__proto__[status]',
      'constructor[prototype][status]',
      'constructor',
      'status[]',
      'status[a][b][c][d]',
      'page[0]',
      'inbox_id[]',
      'a[__proto__][x]',
      'labels[__proto__]',
      'labels[1000000]',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);

const queryValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('open', 'all', 'me', 'unassigned', 'created_at_asc', 'priority_desc', 'vip', '1', '2', '5', '0', '-1', '4') },
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileNumber.map(String) },
);

/** Percent-encodes like a browser would; a lone surrogate becomes the (invalid UTF-8) bytes of its code unit. */
const percentEncode = (value: string) =>
  value.replace(/[\s\S]/gu, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      const unit = ch.charCodeAt(0);
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
  });

/** Encoded, or with some characters sent raw (`%zz`, `&`, `=`, `[` and friends). */
const encoded = (value: string, raw: boolean) => (raw ? percentEncode(value).replace(/%(2[5-9A-F]|3[A-F]|5[BD])/g, (e) => decodeURIComponent(e)) : percentEncode(value));

/** A query string (without `?`): real parameters with odd values, repeated, nested, hostile. */
export const listQuery: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(fc.tuple(queryKey, queryValue, fc.boolean()), { maxLength: 12 })
    .map((pairs) => pairs.map(([key, value, raw]) => `${encoded(key, raw)}=${encoded(value, raw)}`).join('&')),
  fc.integer({ min: 90, max: 600 }).map((n) => Array.from({ length: n }, (_, i) => `labels[]=l${i}`).join('&')),
  fc.constantFrom('%', '%zz', '&&&', '=', '==&=', '?', 'labels', 'page=%00', 'status=%E0%A4%A', '%FF%FE', 'a'.repeat(5_000), 'page=1&page=2', 'labels=a&labels[]=b'),
);

// ---------------------------------------------------------------------------------------------
// the leak check

const LEAK_PATTERNS: [RegExp, string][] = [
  [/(?:^|\n|\\n)[ \t]+at \S/, 'stack trace line'],
  [/\((?:\/|node:|file:)[^()\s]*:\d+:\d+\)/, 'stack frame position'],
  [/\bQueryFailedError\b|\bEntityNotFound(?:Error)?\b|\bTypeORMError\b/, 'TypeORM error'],
  [/\bSELECT\b|\bINSERT INTO\b|\bDELETE FROM\b|\bUPDATE\s+"?\w+"?\s+SET\b/, 'SQL'],
  [/syntax error at or near|invalid input syntax for|violates (?:unique|foreign key|not-null|check) constraint|out of range for type|relation "[^"]+" does not exist/, 'Postgres error text'],
  [/node_modules|\/dist\/|\.[cm]?[jt]s:\d+/, 'source path'],
];

/** A stack trace, a source path, SQL or a driver's error in a response, or null. */
export function findLeak(text: string): string | null {
  for (const [pattern, kind] of LEAK_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return `${kind}: …${text.slice(Math.max(0, match.index - 40), match.index + 80)}…`;
  }
  return null;
}

/** `status → count`, for the summary a fuzz test prints. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(key: string | number): void {
    this.counts.set(String(key), (this.counts.get(String(key)) ?? 0) + 1);
  }
  toString(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, n]) => `${key}: ${n}`)
      .join(', ');
  }
}
