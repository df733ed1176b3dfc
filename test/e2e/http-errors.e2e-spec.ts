/**
 * Authentication, authorisation and validation errors of the HTTP API (SPEC 4.4), with their
 * precedence: 401 without a token, then 400, then the worker's 401 / 404 (account) / 403, then 404
 * for a referenced resource. Only accounts 1-3 are touched. Every create request is refused: they name
 * an inbox and a contact that do not exist and mostly go to account 3, which has no inbox at all, so
 * even one wrongly let through could create nothing. The one exception: bodies that are not JSON name
 * account 4's real inbox and contact, to show that such a body is refused rather than read as a form.
 */
import { TOKENS } from '../support/e2e-environment.js';
import { conversationsPath, listConversations, request, type HttpResult, type RequestOptions, type TokenHeader } from '../support/http-client.js';

const SIGN_IN = { error: 'You need to sign in or sign up before continuing.' };
const INVALID_TOKEN = { error: 'Invalid Access Token' };
const NOT_FOUND = { error: 'Resource could not be found' };
const UNKNOWN_TOKEN = 'e2e-token-nobody-has-this';
/** A well-formed create body naming an inbox and a contact that exist nowhere: it can never create anything. */
const WELL_FORMED = { inbox_id: 999_999, contact_id: 999_999 };

/** The three endpoints, each as a function of (account, request options). */
const ENDPOINTS = {
  list: (account: number | string, options: RequestOptions = {}) => request('GET', conversationsPath(account), options),
  meta: (account: number | string, options: RequestOptions = {}) => request('GET', `${conversationsPath(account)}/meta`, options),
  create: (account: number | string, options: RequestOptions = {}) => request('POST', conversationsPath(account), { body: {}, ...options }),
};
type Endpoint = keyof typeof ENDPOINTS;
const READS: Endpoint[] = ['list', 'meta'];
const ALL: Endpoint[] = ['list', 'meta', 'create'];

/** What a body must never show a client: a stack trace, a file path, SQL or a driver's error. */
const LEAKS = /\bat .+:\d+:\d+|node_modules|\/dist\/|\.[cm]?[jt]s:\d+|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|\bWHERE\b|QueryFailedError|syntax error|violates|relation "|\bstack\b/i;

/** Below 500, and (for an error) nothing that looks like a stack trace or SQL. */
function expectNoLeak(res: HttpResult): void {
  const leak = res.status >= 300 ? (res.text.match(LEAKS)?.[0] ?? null) : null;
  expect({ status: res.status < 500 ? 'below 500' : res.status, leak, ...(leak ? { body: res.text } : {}) }).toEqual({ status: 'below 500', leak: null });
}

/** Exactly `status` with exactly `body`, as JSON. */
function expectError(res: HttpResult, status: number, body: unknown): void {
  expect({ status: res.status, body: res.json ?? res.text }).toEqual({ status, body });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expectNoLeak(res);
}

/** 403 with `{"error": "<some text>"}` and nothing else. */
const expectForbidden = (res: HttpResult) => expectError(res, 403, { error: expect.stringMatching(/\S/) });

/** The seed's bad_request_error: `{description, errors: [{field, message, code}]}`, one error naming `field`. */
function expectBadRequest(res: HttpResult, field?: string | RegExp): void {
  expectError(res, 400, { description: expect.any(String), errors: expect.any(Array) });
  const errors = res.json.errors as unknown[];
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) expect(error).toEqual({ field: expect.any(String), message: expect.any(String), code: expect.any(String) });
  if (field !== undefined) {
    const fields = errors.map((e: any) => e.field as string);
    expect(fields).toContainEqual(typeof field === 'string' ? field : expect.stringMatching(field));
  }
}

describe('authentication', () => {
  it.each(ALL)('%s without a token: 401 "You need to sign in"', async (endpoint) => {
    expectError(await ENDPOINTS[endpoint](1), 401, SIGN_IN);
  });

  it.each(ALL)('%s with an unknown token: 401 "Invalid Access Token"', async (endpoint) => {
    const body = endpoint === 'create' ? WELL_FORMED : undefined;
    expectError(await ENDPOINTS[endpoint](1, { token: UNKNOWN_TOKEN, body }), 401, INVALID_TOKEN);
  });

  const HEADERS: TokenHeader[] = ['api_access_token', 'api-access-token', 'bearer'];

  it.each(HEADERS)('the token is accepted in the %s header (list and meta)', async (tokenHeader) => {
    const list = await ENDPOINTS.list(1, { token: TOKENS.admin, tokenHeader });
    expect(list.status).toBe(200);
    expect(list.json.data.meta).toMatchObject({ all_count: 16, mine_count: 4 });
    const meta = await ENDPOINTS.meta(1, { token: TOKENS.agentCleo, tokenHeader, query: 'status=all' });
    expect({ status: meta.status, body: meta.json }).toEqual({ status: 200, body: { meta: { mine_count: 3, assigned_count: 13, unassigned_count: 7, all_count: 20 } } });
  });

  it.each(HEADERS)('an unknown token in the %s header is 401 "Invalid Access Token"', async (tokenHeader) => {
    expectError(await ENDPOINTS.list(1, { token: UNKNOWN_TOKEN, tokenHeader }), 401, INVALID_TOKEN);
  });

  it('an unknown token is 401 even on an account that does not exist', async () => {
    expectError(await ENDPOINTS.list(999, { token: UNKNOWN_TOKEN }), 401, INVALID_TOKEN);
  });

  it('a 5000-character token is an unknown token: 401 "Invalid Access Token"', async () => {
    expectError(await ENDPOINTS.list(1, { token: 'x'.repeat(5000) }), 401, INVALID_TOKEN);
  });
});

describe('authorisation', () => {
  it.each(READS)('%s: a user of account 2 (Dora) on account 1 is 403', async (endpoint) => {
    expectForbidden(await ENDPOINTS[endpoint](1, { token: TOKENS.globexAdmin }));
  });

  it.each(READS)('%s: a user of accounts 1 and 3 (Ada) on account 2 is 403', async (endpoint) => {
    expectForbidden(await ENDPOINTS[endpoint](2, { token: TOKENS.admin }));
  });

  it.each(READS)('%s: the agent bot of account 1 on account 1 is 403 (bots may not list)', async (endpoint) => {
    expectForbidden(await ENDPOINTS[endpoint](1, { token: TOKENS.bot, query: 'status=all' }));
  });

  it.each([
    ['the bot of account 1 on account 2', TOKENS.bot, 2],
    ['the bot of account 2 on account 1', TOKENS.globexBot, 1],
  ])('%s is 403', async (_name, token, account) => {
    for (const endpoint of READS) expectForbidden(await ENDPOINTS[endpoint](account, { token }));
  });

  it.each([
    ['Ada', TOKENS.admin],
    ['agent Ben', TOKENS.agentBen],
    ['the bot of account 1', TOKENS.bot],
  ])('an account that does not exist is 404 for %s, on list, meta and create', async (_name, token) => {
    for (const endpoint of ALL) {
      const body = endpoint === 'create' ? WELL_FORMED : undefined;
      expectError(await ENDPOINTS[endpoint](999, { token, body }), 404, NOT_FOUND);
    }
  });

  it.each([
    ['a team of account 2', 3],
    ['a team that does not exist', 99],
  ])('team_id of %s is 404 on list and meta', async (_name, teamId) => {
    for (const endpoint of READS) {
      for (const token of [TOKENS.admin, TOKENS.agentBen]) {
        expectError(await ENDPOINTS[endpoint](1, { token, query: `team_id=${teamId}` }), 404, NOT_FOUND);
      }
    }
  });

  it('membership comes before the team: Dora on account 1 with her own team 3 is 403', async () => {
    expectForbidden(await ENDPOINTS.list(1, { token: TOKENS.globexAdmin, query: 'team_id=3' }));
  });

  it('a team of the account is no error for an agent outside it (Eve, team 1): 200, empty', async () => {
    const res = await ENDPOINTS.list(1, { token: TOKENS.agentEve, query: 'team_id=1' });
    expect({ status: res.status, total: res.json?.data?.meta?.all_count }).toEqual({ status: 200, total: 0 });
  });
});

describe('query validation: 400 bad_request_error naming the parameter', () => {
  const INVALID_QUERIES: [string, string][] = [
    ['status=closed', 'status'],
    ['status=OPEN', 'status'],
    ['status=', 'status'],
    ['status[]=open&status[]=resolved', 'status'],
    ['status=open&status=resolved', 'status'],
    ['assignee_type=mine', 'assignee_type'],
    ['assignee_type=ME', 'assignee_type'],
    ['sort_by=newest', 'sort_by'],
    ['sort_by=last_activity_at', 'sort_by'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['inbox_id=x', 'inbox_id'],
    ['inbox_id=1.5', 'inbox_id'],
    ['team_id=1e3', 'team_id'],
    ['team_id=abc', 'team_id'],
    ['labels=%00', 'labels'],
    ['labels[]=vip&labels[]=a%00b', 'labels'],
    ['sort_by=Latest', 'sort_by'],
    ['conversation_type=mention', 'conversation_type'],
    ['conversation_type=participating', 'conversation_type'],
    ['conversation_type=unassigned', 'conversation_type'],
    ['conversation_type=', 'conversation_type'],
    ['updated_within=0', 'updated_within'],
    ['updated_within=2592001', 'updated_within'],
    ['updated_within=1h', 'updated_within'],
    ['updated_within=', 'updated_within'],
    [`q=${'x'.repeat(201)}`, 'q'],
    ['q[]=a&q[]=b', 'q'],
    ['source_id=', 'source_id'],
    [`source_id=${'s'.repeat(256)}`, 'source_id'],
  ];
  const cases = READS.flatMap((endpoint) => INVALID_QUERIES.map(([query, field]) => [endpoint, query, field] as const));

  it.each(cases)('%s ?%s is 400 naming %s', async (endpoint, query, field) => {
    expectBadRequest(await ENDPOINTS[endpoint](1, { token: TOKENS.admin, query }), field);
  });

  it('several invalid parameters are all named', async () => {
    const res = await ENDPOINTS.list(1, { token: TOKENS.admin, query: 'status=closed&page=0&sort_by=newest' });
    expectBadRequest(res);
    expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['page', 'sort_by', 'status']));
  });

  it.each(ALL)('%s with account id "abc" in the path is 400 naming account_id', async (endpoint) => {
    const body = endpoint === 'create' ? WELL_FORMED : undefined;
    expectBadRequest(await ENDPOINTS[endpoint]('abc', { token: TOKENS.admin, body }), 'account_id');
  });

  it("an unknown parameter (foo=bar, Chatwoot's page_size) is ignored", async () => {
    const [withQ, without] = await Promise.all([
      ENDPOINTS.list(1, { token: TOKENS.admin, query: 'foo=bar&page_size=5&status=all' }),
      ENDPOINTS.list(1, { token: TOKENS.admin, query: 'status=all' }),
    ]);
    expect(withQ.status).toBe(200);
    expect(withQ.json).toEqual(without.json);
    expect((await ENDPOINTS.meta(1, { token: TOKENS.admin, query: 'foo=bar' })).json).toEqual({ meta: { mine_count: 4, assigned_count: 12, unassigned_count: 4, all_count: 16 } });
  });

  describe('precedence', () => {
    it.each(READS)('%s: no token and an invalid query is 401 (the gateway checks the token first)', async (endpoint) => {
      expectError(await ENDPOINTS[endpoint](1, { query: 'status=closed' }), 401, SIGN_IN);
    });

    it.each([
      ['an unknown token', UNKNOWN_TOKEN, 1],
      ['a user of another account', TOKENS.globexAdmin, 1],
      ['an agent bot', TOKENS.bot, 1],
      ['a valid token on an account that does not exist', TOKENS.admin, 999],
    ])('an invalid query with %s is 400 (validation comes before the worker)', async (_name, token, account) => {
      for (const endpoint of READS) expectBadRequest(await ENDPOINTS[endpoint](account, { token, query: 'status=closed' }), 'status');
    });

    it('an invalid query with a team of another account is 400, not 404', async () => {
      expectBadRequest(await ENDPOINTS.list(1, { token: TOKENS.admin, query: 'team_id=3&page=0' }), 'page');
    });
  });
});

describe('create body validation: 400 bad_request_error', () => {
  const create = (options: RequestOptions) => ENDPOINTS.create(3, { token: TOKENS.admin, ...options });
  const valid = WELL_FORMED;

  it.each<[string, RequestOptions, string | RegExp | undefined]>([
    ['a body that is not JSON', { rawBody: '{"inbox_id": 1,' }, 'body'],
    ['a body that is not JSON at all', { rawBody: 'not json' }, 'body'],
    ['a body over 1 MB', { body: { ...valid, additional_attributes: { blob: 'x'.repeat(1_100_000) } } }, 'body'],
    ['a JSON array', { rawBody: JSON.stringify([WELL_FORMED]) }, undefined],
    ['a JSON null', { rawBody: 'null' }, undefined],
    ['a JSON string', { rawBody: '"inbox_id"' }, undefined],
    ['inbox_id "abc"', { body: { ...valid, inbox_id: 'abc' } }, 'inbox_id'],
    ['contact_id true', { body: { ...valid, contact_id: true } }, 'contact_id'],
    ['status "closed"', { body: { ...valid, status: 'closed' } }, 'status'],
    ['status "all" (a filter, not a status)', { body: { ...valid, status: 'all' } }, 'status'],
    ['neither source_id nor contact_id', { body: { inbox_id: WELL_FORMED.inbox_id } }, /^(source_id|contact_id)$/],
    ['an empty object', { body: {} }, /^(source_id|inbox_id|contact_id)$/],
    ['message {content: 5}', { body: { ...valid, message: { content: 5 } } }, /^message/],
    ['message "hi" (not an object)', { body: { ...valid, message: 'hi' } }, /^message/],
    ['snoozed_until "tomorrow"', { body: { ...valid, status: 'snoozed', snoozed_until: 'tomorrow' } }, 'snoozed_until'],
    ['additional_attributes "x"', { body: { ...valid, additional_attributes: 'x' } }, 'additional_attributes'],
    ['custom_attributes [1]', { body: { ...valid, custom_attributes: [1] } }, 'custom_attributes'],
    ['source_id with a NUL byte', { body: { ...valid, source_id: 'a\u0000b' } }, 'source_id'],
  ])('%s', async (_name, options, field) => {
    expectBadRequest(await create(options), field);
  });

  it.each<[string, RequestOptions]>([
    ['a body that is not JSON', { rawBody: 'not json' }],
    ['a body over 1 MB', { body: { ...valid, additional_attributes: { blob: 'x'.repeat(1_100_000) } } }],
    ['a JSON array', { rawBody: '[]' }],
    ['status "closed"', { body: { ...valid, status: 'closed' } }],
  ])('no token and %s is 401 (the token is checked first)', async (_name, options) => {
    expectError(await ENDPOINTS.create(3, options), 401, SIGN_IN);
  });

  it('an invalid body with an unknown token is 400', async () => {
    expectBadRequest(await ENDPOINTS.create(3, { token: UNKNOWN_TOKEN, body: { ...valid, status: 'closed' } }), 'status');
  });

  it.each<[string, Record<string, string>]>([
    ['form-encoded (curl -d)', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['plain text', { 'content-type': 'text/plain' }],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['XML', { 'content-type': 'application/xml' }],
  ])('a %s body is 400 naming body, and creates nothing', async (_name, headers) => {
    // Account 4 has inbox 5 and contact 16: read as a form, this body would create a conversation.
    const before = await listConversations(TOKENS.umbrellaAdmin, 4, { status: 'all' });
    const res = await request('POST', conversationsPath(4), { token: TOKENS.umbrellaAdmin, rawBody: 'inbox_id=5&contact_id=16&message[content]=hi', headers });
    expectBadRequest(res, 'body');
    expect(res.json.errors).toEqual([{ field: 'body', message: 'body must be application/json', code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }]);
    const after = await listConversations(TOKENS.umbrellaAdmin, 4, { status: 'all' });
    expect(after.json.data.meta.all_count).toBe(before.json.data.meta.all_count);
  });

  it('the well-formed body these cases start from gets past validation (404 for its unknown inbox)', async () => {
    expectError(await create({ body: valid }), 404, NOT_FOUND);
  });
});

describe('never a 5xx, never a stack trace or SQL', () => {
  /** Odd queries and what they must get; "not 5xx" where the spec allows either a 200 or a 400. */
  const ODD_QUERIES: [string, 200 | 400 | 'not 5xx'][] = [
    ["labels='; DROP TABLE conversations; --", 200],
    ["labels[]=vip' OR '1'='1", 200],
    ['labels[]=%E2%9C%93%F0%9F%98%80', 200],
    ['labels[a]=b', 400],
    ['sort_by=last_activity_at_desc; DROP TABLE conversations', 400],
    ['sort_by=id', 400],
    ['sort_by=created_at desc, (SELECT 1)', 400],
    ['status=open%27--', 400],
    ['inbox_id=1 OR 1=1', 400],
    ['inbox_id=99999999999999999999', 400],
    ['team_id=99999999999999999999', 400],
    ['page=99999999999999999999', 400],
    [`labels=${'x'.repeat(3000)}`, 'not 5xx'],
    ['labels=%ZZ', 'not 5xx'],
    ['page=99999999', 'not 5xx'],
    ['inbox_id=-1', 'not 5xx'],
    ['team_id=0', 'not 5xx'],
    ['__proto__[x]=1&constructor[prototype][y]=2', 200],
  ];

  const shortened = (query: string) => (query.length > 80 ? `${query.slice(0, 20)}… (${query.length} characters)` : query);
  it.each(ODD_QUERIES.map(([query, expected]) => [shortened(query), expected, query] as const))('?%s: %s', async (_title, expected, query) => {
    for (const endpoint of READS) {
      const res = await ENDPOINTS[endpoint](1, { token: TOKENS.admin, query: query.replace(/ /g, '%20') });
      expectNoLeak(res);
      if (expected === 400) expectBadRequest(res);
      else if (expected === 200) expect(res.status).toBe(200);
    }
  });

  it('SQL-looking labels match no conversation', async () => {
    const res = await ENDPOINTS.meta(1, { token: TOKENS.admin, query: `status=all&labels=${encodeURIComponent("vip' OR '1'='1")}` });
    expect(res.json).toEqual({ meta: { mine_count: 0, assigned_count: 0, unassigned_count: 0, all_count: 0 } });
  });

  it.each<[string, string, RequestOptions]>([
    ['a very long token', 'list', { token: 'x'.repeat(5000) }],
    ['a token of odd characters', 'list', { token: "' OR 1=1 --" }],
    ['an empty Bearer', 'list', { headers: { authorization: 'Bearer ' } }],
    ['Basic credentials', 'list', { headers: { authorization: 'Basic YWRhOnNlY3JldA==' } }],
    ['an account id beyond bigint', 'list/99999999999999999999', { token: TOKENS.admin }],
    ['a deeply nested body', 'create', { token: TOKENS.admin, rawBody: `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}` }],
    ['a body with __proto__', 'create', { token: TOKENS.admin, rawBody: '{"__proto__": {"inbox_id": 999999}, "contact_id": 999999}' }],
    ['a huge number', 'create', { token: TOKENS.admin, body: { inbox_id: 1e308, contact_id: 999_999 } }],
  ])('%s', async (_name, target, options) => {
    const [endpoint, account] = target.split('/');
    const res = await ENDPOINTS[endpoint as Endpoint](account ?? 3, options);
    expectNoLeak(res);
  });
});
