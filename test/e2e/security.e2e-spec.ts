/**
 * Security and hostile input on the shared e2e stack: how tokens are kept, that they never show in
 * logs or replies, the limits on input (body size, nesting depth, prototype keys, string lengths,
 * attribute values, labels, page), the security headers and the default CORS policy, the token check
 * for paths spelled with escapes. Writes go to account 4 only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { findLeak, nested } from '../support/fuzz.js';
import { conversationsPath, request, type HttpResult } from '../support/http-client.js';
import { LOG_DIR } from '../support/processes.mjs';

const ACCOUNT = 4;
const INBOX = 5;
const CONTACT = 16;
const FAY = TOKENS.umbrellaAdmin;
const create = (body: unknown, token: string = FAY) => request('POST', conversationsPath(ACCOUNT), { token, body });
const createRaw = (rawBody: string, token: string = FAY) => request('POST', conversationsPath(ACCOUNT), { token, rawBody });
const list = (query: string, token: string = FAY) => request('GET', conversationsPath(ACCOUNT), { token, query });

function expectBadRequest(res: HttpResult, field: string, code?: string): void {
  expect({ status: res.status, errors: res.json?.errors?.map((e: { field: string; code: string }) => [e.field, code === undefined ? '*' : e.code]) }).toEqual({
    status: 400,
    errors: expect.arrayContaining([[field, code ?? '*']]),
  });
  expect(res.json.description).toEqual(expect.any(String));
  expect(findLeak(res.text)).toBeNull();
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
  await db.connect();
});
afterAll(() => db?.end());

describe('access tokens', () => {
  it('are stored only as SHA-256 digests', async () => {
    const { rows } = await db.query<{ token_digest: string }>('select token_digest from access_tokens');
    const digests = rows.map((r) => r.token_digest);
    expect(digests.length).toBeGreaterThanOrEqual(Object.keys(TOKENS).length);
    for (const digest of digests) expect(digest).toMatch(/^[0-9a-f]{64}$/);
    for (const token of Object.values(TOKENS)) {
      expect(digests).toContain(sha256(token));
      expect(digests).not.toContain(token);
    }
    const { rows: anywhere } = await db.query<{ n: number }>(
      `select count(*)::int as n from access_tokens t where t::text like any($1)`,
      [Object.values(TOKENS).map((token) => `%${token}%`)],
    );
    expect(anywhere[0].n).toBe(0);
  });

  it('never appear in a reply, not even the unknown or malformed ones', async () => {
    const secret = 'e2e-secret-token-value-4711';
    const answers = [
      await list('', secret),
      await list('page=abc', secret),
      await create({ inbox_id: 'x' }, secret),
      await request('GET', conversationsPath(1), { token: TOKENS.umbrellaAdmin }),
      await request('GET', conversationsPath(987_654), { token: secret }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 400, 400, 403, 401]);
    for (const answer of answers) {
      expect(answer.text).not.toContain(secret);
      expect(answer.text).not.toContain(TOKENS.umbrellaAdmin);
    }
  });

  it("never appear in this run's logs of the shared gateway and worker", () => {
    // The log files are appended to by every run: this run's part starts at the line its app logged on start.
    const { baseUrl, queue } = e2eEnvironment();
    const thisRun = (name: string, marker: string) => {
      const text = readFileSync(path.join(LOG_DIR, name), 'utf8');
      const start = text.lastIndexOf(marker);
      expect([name, start]).not.toEqual([name, -1]);
      return text.slice(start);
    };
    const logs = { gateway: thisRun('gateway.log', `${new URL(baseUrl).port}/api/v1`), worker: thisRun('worker.log', `consuming queue \\"${queue}\\"`) };
    expect(logs.gateway).toContain('request completed');
    for (const [name, text] of Object.entries(logs)) {
      for (const token of [...Object.values(TOKENS), 'e2e-secret-token-value-4711']) expect([name, token, text.includes(token)]).toEqual([name, token, false]);
    }
  });

  it('are required on an API path however it is spelled (the route decides, not the raw URL)', async () => {
    for (const spelled of ['/%61pi/v1/accounts/4/conversations', '/api/v1/accounts/4/%63onversations', '/api/v1/accounts/4/conversations/%6deta']) {
      const res = await request('GET', spelled);
      expect([spelled, res.status, res.json]).toEqual([spelled, 401, { error: 'You need to sign in or sign up before continuing.' }]);
    }
  });
});

describe('limits on input', () => {
  it('refuses a body over 1 MB (400 naming body) and takes one just under it', async () => {
    const over = await createRaw(JSON.stringify({ source_id: 'nobody', pad: 'x'.repeat(1024 * 1024) }));
    expectBadRequest(over, 'body', 'FST_ERR_CTP_BODY_TOO_LARGE');
    const under = await createRaw(JSON.stringify({ source_id: 'nobody', pad: 'x'.repeat(1024 * 1024 - 100) }));
    expect({ status: under.status, body: under.json }).toEqual({ status: 404, body: { error: 'Resource could not be found' } });
  });

  it.each([['custom_attributes'], ['additional_attributes']])('takes %s nested 32 levels deep and refuses 33 (400 naming it)', async (field) => {
    const ok = await create({ inbox_id: INBOX, contact_id: CONTACT, [field]: nested(32, 'object', 'deep') });
    expect(ok.status).toBe(200);
    expect(ok.json[field]).toEqual(nested(32, 'object', 'deep'));
    expectBadRequest(await create({ inbox_id: INBOX, contact_id: CONTACT, [field]: nested(33, 'object', 'deep') }), field, 'maxDepth');
    expectBadRequest(await create({ inbox_id: INBOX, contact_id: CONTACT, [field]: nested(33, 'array') }), field, 'maxDepth');
  });

  it('refuses a body nested 300,000 levels deep with a 400, not a crash', async () => {
    expectBadRequest(await createRaw(`{"source_id":"s","custom_attributes":{"x":${'['.repeat(300_000)}${']'.repeat(300_000)}}}`), 'custom_attributes', 'maxDepth');
    expectBadRequest(await createRaw(`{"x":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`), 'x', 'maxDepth');
    expect((await list('')).status).toBe(200);
  });

  it('refuses __proto__ and constructor keys (400), which would otherwise crash the DTO transform', async () => {
    expectBadRequest(await createRaw('{"source_id":"u16-api","custom_attributes":{"constructor":"x"}}'), 'custom_attributes.constructor', 'forbiddenKey');
    expectBadRequest(await createRaw('{"source_id":"u16-api","assignee_id":{"constructor":1}}'), 'assignee_id.constructor', 'forbiddenKey');
    expectBadRequest(await createRaw('{"source_id":"u16-api","__proto__":{"status":"resolved"}}'), 'body');
    expectBadRequest(await createRaw('{"source_id":"u16-api","x":{"constructor":{"prototype":{"polluted":1}}}}'), 'body');
  });

  it('limits strings: source_id 255, message 150,000, each label 255 characters', async () => {
    expectBadRequest(await create({ source_id: 's'.repeat(256) }), 'source_id', 'maxLength');
    expect((await create({ source_id: 's'.repeat(255) })).status).toBe(404);
    expectBadRequest(await create({ inbox_id: INBOX, contact_id: CONTACT, message: { content: 'm'.repeat(150_001) } }), 'message.content', 'maxLength');
    expectBadRequest(await list(`labels[]=${'l'.repeat(256)}`), 'labels', 'maxLength');
    expect((await list(`labels[]=${'l'.repeat(255)}`)).status).toBe(200);
  });

  it('limits label filters to 100 and the page to 2,147,483,647', async () => {
    const labels = (n: number) => Array.from({ length: n }, (_, i) => `labels[]=l${i}`).join('&');
    expect((await list(labels(100))).status).toBe(200);
    expectBadRequest(await list(labels(101)), 'labels', 'arrayMaxSize');
    const last = await list('page=2147483647');
    expect({ status: last.status, payload: last.json.data.payload }).toEqual({ status: 200, payload: [] });
    expectBadRequest(await list('page=2147483648'), 'page', 'max');
    expectBadRequest(await list('page=99999999999999999999'), 'page', 'isInt');
  });

  it("holds attribute values to Chatwoot's limits: 422 for a string over 1,500 characters or an integer over 9,999,999,999", async () => {
    const at = (attributes: Record<string, unknown>) => create({ inbox_id: INBOX, contact_id: CONTACT, custom_attributes: attributes });
    expect((await at({ note: 'n'.repeat(1500), big: 9_999_999_999 })).status).toBe(200);
    const long = await at({ note: 'n'.repeat(1501) });
    expect({ status: long.status, body: long.json }).toEqual({
      status: 422,
      body: { message: 'Attribute values exceed the allowed length or size', attributes: ['custom_attributes.note'] },
    });
    const big = await create({ inbox_id: INBOX, contact_id: CONTACT, additional_attributes: { nested: [{ n: 10_000_000_000 }] } });
    expect({ status: big.status, body: big.json }).toEqual({
      status: 422,
      body: { message: 'Attribute values exceed the allowed length or size', attributes: ['additional_attributes.nested[0].n'] },
    });
  });

  it('stores SQL as text: injection strings are values, never statements', async () => {
    const injection = "'); DELETE FROM conversations; --";
    const res = await create({ inbox_id: INBOX, contact_id: CONTACT, source_id: `x' OR 1=1 --`, message: { content: injection }, custom_attributes: { q: injection } });
    expect(res.status).toBe(200);
    expect(res.json.messages[0].content).toBe(injection);
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from conversations where account_id = 1');
    expect(rows[0].n).toBe(40);
    expect((await list(`labels[]=${encodeURIComponent("' OR 1=1 --")}&status=all`)).json.data.meta.all_count).toBe(0);
  });
});

describe('headers', () => {
  it.each([
    ['a list', () => list('')],
    ['a 400', () => list('page=0')],
    ['a 401 for a missing token', () => request('GET', conversationsPath(ACCOUNT))],
    ['a 404', () => request('GET', '/no/such/path')],
  ])('%s carries the security headers and a CSP that lets nothing load', async (_, send) => {
    const res = await send();
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers no CORS headers when CORS_ORIGINS is not set', async () => {
    const res = await list('', FAY);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const withOrigin = await request('GET', conversationsPath(ACCOUNT), { token: FAY, headers: { origin: 'https://app.example.com' } });
    expect(withOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('Swagger UI renders at /docs under its Content-Security-Policy, with no violation reported', async () => {
    const docs = await fetch(`${e2eEnvironment().baseUrl}/docs`);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      // Runs in the page (a string, so that this file needs no DOM types).
      await page.addInitScript(
        "window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));",
      );
      await page.goto(`${e2eEnvironment().baseUrl}/docs`);
      await page.locator('.opblock').first().waitFor();
      expect(await page.evaluate('window.violations')).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
