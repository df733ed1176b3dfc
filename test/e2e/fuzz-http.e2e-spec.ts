/**
 * Property-based fuzzing of the live gateway (fast-check, fixed seed, bounded runs): random query
 * strings, bodies and headers against the list, the counts and the create of account 4, with the
 * tokens of account 4 (so that a create that happens to be valid lands there), unknown tokens and
 * hostile ones. Whatever is sent: never a 5xx; the body is exactly one of the documented shapes of
 * SPEC 4.4 (or a 200 of the endpoint's shape, about account 4 only); never a stack trace or SQL; and
 * no other account gets a row.
 */
import fc from 'fast-check';
import pg from 'pg';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { createBody, findLeak, FUZZ_SEED, hostileJson, hostileString, listQuery, Tally } from '../support/fuzz.js';
import { conversationsPath, request, type HttpResult } from '../support/http-client.js';

const ACCOUNT = 4;
const RUNS = { query: 250, body: 250, raw: 150, headers: 200 };

/** Tokens whose creates may only land in account 4, and tokens that are no tokens. */
const ACCOUNT_4_TOKENS = [TOKENS.umbrellaAdmin, TOKENS.umbrellaAgent, TOKENS.umbrellaBot];
const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ACCOUNT_4_TOKENS) },
  { weight: 1, arbitrary: fc.constantFrom("' OR 1=1 --", 'e2e-token-fay ', 'E2E-TOKEN-FAY', 'e2e-token-fa', 'x'.repeat(5_000), '__proto__', 'Bearer e2e-token-fay') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 60 }) },
);

/** Every error body of SPEC 4.4, exactly: nothing more, nothing less. */
function documentedError(res: HttpResult): string | null {
  const body = res.json as Record<string, unknown> | undefined;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) return `not a JSON object: ${res.text.slice(0, 200)}`;
  const keys = Object.keys(body).sort().join();
  switch (res.status) {
    case 400: {
      const errors = body.errors as { field: unknown; message: unknown; code: unknown }[];
      if (keys !== 'description,errors' || typeof body.description !== 'string' || !Array.isArray(errors) || errors.length === 0) return 'a 400 that is not bad_request_error';
      for (const e of errors) {
        if (Object.keys(e).sort().join() !== 'code,field,message' || typeof e.field !== 'string' || typeof e.message !== 'string' || typeof e.code !== 'string') {
          return `a 400 error entry of another shape: ${JSON.stringify(e)}`;
        }
      }
      return findLeak([body.description, ...errors.flatMap((e) => [e.message, e.code])].join('\n'));
    }
    case 422: {
      const attributes = body.attributes as unknown[];
      if (keys !== 'attributes,message' || typeof body.message !== 'string' || !Array.isArray(attributes) || !attributes.every((a) => typeof a === 'string')) return 'a 422 of another shape';
      return findLeak(body.message);
    }
    case 401:
    case 403:
    case 404:
      if (keys !== 'error' || typeof body.error !== 'string' || body.error.trim() === '') return `a ${res.status} of another shape`;
      if (res.status === 401 && !['Invalid Access Token', 'You need to sign in or sign up before continuing.'].includes(body.error)) return `a 401 saying ${body.error}`;
      if (res.status === 404 && body.error !== 'Resource could not be found') return `a 404 saying ${body.error}`;
      return findLeak(body.error);
    default:
      return `status ${res.status}`;
  }
}

const COUNT_KEYS = ['all_count', 'assigned_count', 'mine_count', 'unassigned_count'];
const isCount = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
const ofAccount4 = (c: { account_id?: unknown }) => c.account_id === ACCOUNT;

/** A 200 of the endpoint's shape, about account 4 only. */
function documentedSuccess(endpoint: 'list' | 'meta' | 'create', body: any): string | null {
  if (endpoint === 'meta') {
    return Object.keys(body?.meta ?? {}).sort().join() === COUNT_KEYS.join() && COUNT_KEYS.every((k) => isCount(body.meta[k])) ? null : 'a meta 200 of another shape';
  }
  if (endpoint === 'list') {
    const meta = body?.data?.meta;
    const payload = body?.data?.payload;
    if (!meta || !Array.isArray(payload) || ![...COUNT_KEYS, 'current_page', 'per_page', 'total_pages'].every((k) => isCount(meta[k]))) return 'a list 200 of another shape';
    return payload.every(ofAccount4) ? null : 'a conversation of another account';
  }
  return Number.isInteger(body?.id) && ofAccount4(body) && typeof body.uuid === 'string' ? null : 'a create 200 of another shape or account';
}

/** Checks one answer; returns what is wrong with it, or null. */
function verdict(endpoint: 'list' | 'meta' | 'create', res: HttpResult): string | null {
  if (res.status >= 500) return `${res.status}: ${res.text.slice(0, 300)}`;
  if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) return `content-type ${res.headers.get('content-type')}`;
  if (res.status === 200) return documentedSuccess(endpoint, res.json);
  return documentedError(res);
}

let db: pg.Client;

/** Rows per account in what a create writes, for every account but 4. */
async function othersFingerprint(): Promise<string> {
  const { rows } = await db.query(`
    select 'c' as t, account_id, count(*)::int as n from conversations where account_id <> $1 group by account_id
    union all select 'm', account_id, count(*)::int from messages where account_id <> $1 group by account_id
    union all select 'ci', i.account_id, count(*)::int from contact_inboxes ci join inboxes i on i.id = ci.inbox_id where i.account_id <> $1 group by i.account_id
    union all select 'k', account_id, count(*)::int from idempotency_keys where account_id <> $1 group by account_id
    union all select 'd', account_id, last_display_id from account_display_ids where account_id <> $1
    order by 1, 2`, [ACCOUNT]);
  return JSON.stringify(rows);
}

type Endpoint = 'list' | 'meta' | 'create';
const PATHS: Record<Endpoint, [string, string]> = {
  list: ['GET', conversationsPath(ACCOUNT)],
  meta: ['GET', `${conversationsPath(ACCOUNT)}/meta`],
  create: ['POST', conversationsPath(ACCOUNT)],
};

/** Runs a property; a counter-example fails with the request and the answer. */
async function fuzz<T>(arbitrary: fc.Arbitrary<T>, runs: number, send: (input: T) => Promise<[Endpoint, HttpResult]>, tally: Tally): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const [endpoint, res] = await send(input);
      tally.add(`${endpoint} ${res.status}`);
      const problem = verdict(endpoint, res);
      if (problem !== null) throw new Error(`${problem}\nanswer ${res.status}: ${res.text.slice(0, 500)}`);
    }),
    { numRuns: runs, seed: FUZZ_SEED, endOnFailure: true },
  );
}

describe('fuzzing the gateway (fast-check)', () => {
  let before: string;
  const tallies: Record<string, Tally> = {};

  beforeAll(async () => {
    db = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
    await db.connect();
    before = await othersFingerprint();
  });
  afterAll(async () => {
    console.log(`HTTP fuzz, seed ${FUZZ_SEED}:\n${Object.entries(tallies).map(([name, t]) => `  ${name}: ${t}`).join('\n')}`);
    await db?.end();
  });

  it(`random query strings on the list and the counts (${RUNS.query} runs)`, async () => {
    const tally = (tallies.query = new Tally());
    const input = fc.tuple(fc.constantFrom<Endpoint>('list', 'meta'), listQuery, token);
    await fuzz(input, RUNS.query, async ([endpoint, query, t]) => [endpoint, await request(PATHS[endpoint][0], PATHS[endpoint][1], { token: t, query })], tally);
  });

  it(`random JSON bodies on the create (${RUNS.body} runs)`, async () => {
    const tally = (tallies.body = new Tally());
    const input = fc.tuple(fc.oneof({ weight: 4, arbitrary: createBody }, { weight: 1, arbitrary: hostileJson(3) }), token, fc.option(hostileString, { nil: undefined }));
    await fuzz(
      input,
      RUNS.body,
      async ([body, t, key]) => {
        const headers: Record<string, string> = {};
        if (key !== undefined && /^[\x20-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
        return ['create', await request('POST', PATHS.create[1], { token: t, body, headers })];
      },
      tally,
    );
  });

  it(`random raw bodies and content types on the create (${RUNS.raw} runs)`, async () => {
    const tally = (tallies.raw = new Tally());
    const rawBody = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.constantFrom('', '{', '}', '[]', 'null', '"x"', '1', '{"a":', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":1,"a":2}', `{"a":"${'x'.repeat(1_100_000)}"}`, '[[[[[[[[[[', `{"x":${'['.repeat(300_000)}${']'.repeat(300_000)}}`),
      createBody.map((b) => JSON.stringify(b)),
    );
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '*/*', 'application/json; charset=latin1', '');
    await fuzz(
      fc.tuple(rawBody, contentType, token),
      RUNS.raw,
      async ([body, type, t]) => ['create', await request('POST', PATHS.create[1], { token: t, rawBody: body, headers: { 'content-type': type } })],
      tally,
    );
  });

  it(`random headers: token headers, Authorization schemes, Idempotency-Key, X-Request-Id (${RUNS.headers} runs)`, async () => {
    const tally = (tallies.headers = new Tally());
    const printable = fc.string({ maxLength: 300 }).filter((s) => /^[\x20-\x7e]*$/.test(s));
    const headerValue = fc.oneof(printable, fc.constantFrom("' OR 1=1 --", '__proto__', 'x'.repeat(3_000), ' ', ''));
    // Real tokens only in the token headers: one sent as X-Request-Id would rightly be logged as the request id.
    const tokenHeaders = fc.dictionary(fc.constantFrom('api_access_token', 'api-access-token'), fc.oneof(fc.constantFrom(...ACCOUNT_4_TOKENS), headerValue), { maxKeys: 2 });
    const otherHeaders = fc.dictionary(
      fc.constantFrom('idempotency-key', 'x-request-id', 'content-type', 'accept', 'x-forwarded-for', 'origin', 'cookie', 'x-http-method-override'),
      headerValue,
      { maxKeys: 4 },
    );
    const headers = fc.tuple(tokenHeaders, otherHeaders).map(([t, o]) => ({ ...o, ...t }));
    const authorization = fc.tuple(fc.constantFrom('Bearer ', 'bearer ', 'Basic ', 'Token ', 'Bearer', ''), fc.oneof(fc.constantFrom(...ACCOUNT_4_TOKENS), printable)).map(([s, v]) => `${s}${v}`);
    const input = fc.tuple(fc.constantFrom<Endpoint>('list', 'meta', 'create'), headers, fc.option(authorization, { nil: undefined }), createBody);
    await fuzz(
      input,
      RUNS.headers,
      async ([endpoint, h, auth, body]) => {
        const all: Record<string, string> = { ...h, ...(auth === undefined ? {} : { authorization: auth }) };
        const [method, path] = PATHS[endpoint];
        const options = endpoint === 'create' ? { body, headers: { 'content-type': 'application/json', ...all } } : { headers: all };
        return [endpoint, await request(method, path, options)];
      },
      tally,
    );
  });

  it('wrote nothing to any account but 4', async () => {
    expect(await othersFingerprint()).toEqual(before);
  });
});
