/**
 * What an operator reads: health probes, Prometheus metrics, and JSON logs that follow one request
 * id from the gateway through the queue into the worker, with no token anywhere in them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { conversationsPath, listConversations, request } from '../support/http-client.js';
import { LOG_DIR, waitFor } from '../support/processes.mjs';

const workerHealth = () => {
  const url = process.env.E2E_WORKER_HEALTH_URL;
  if (!url) throw new Error('the e2e global setup did not run');
  return url;
};

/** The JSON lines of an app's log so far (non-JSON lines, e.g. a crash trace, are skipped). */
function logLines(app: 'gateway' | 'worker'): Record<string, unknown>[] {
  return readFileSync(path.join(LOG_DIR, `${app}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('health', () => {
  it.each([
    ['gateway', () => e2eEnvironment().baseUrl, ['broker']],
    ['worker', workerHealth, ['broker', 'database']],
  ] as const)('%s: /health/live and /health/ready answer 200 with every check up', async (_app, base, checks) => {
    expect((await fetch(`${base()}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base()}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; info: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.info).sort()).toEqual([...checks].sort());
  });

  it('needs no token (outside /api)', async () => {
    expect((await fetch(`${e2eEnvironment().baseUrl}/health/ready`)).status).toBe(200);
  });
});

describe('metrics', () => {
  it('gateway: HTTP durations by route template and status, RPC durations by pattern and outcome', async () => {
    await listConversations(TOKENS.admin, 1, { status: 'all' });
    await listConversations('no-such-token', 1);
    const text = await (await fetch(`${e2eEnvironment().baseUrl}/metrics`)).text();
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*method="GET",route="\/api\/v1\/accounts\/:account_id\/conversations",status_code="200"[^}]*\} \d+/);
    expect(text).toMatch(/rpc_duration_seconds_count\{[^}]*pattern="conversations\.list",outcome="ok"[^}]*\} \d+/);
    expect(text).toMatch(/rpc_errors_total\{[^}]*pattern="conversations\.list",status="401"[^}]*\} \d+/);
    expect(text).toContain('# TYPE rpc_timeouts_total counter');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('worker: messages by pattern and outcome, handler durations, dead letters', async () => {
    const text = await (await fetch(`${workerHealth()}/metrics`)).text();
    expect(text).toMatch(/messages_handled_total\{[^}]*pattern="conversations\.list",outcome="acked"[^}]*\} \d+/);
    expect(text).toMatch(/messages_handled_total\{[^}]*pattern="conversations\.list",outcome="error_reply"[^}]*\} \d+/);
    expect(text).toMatch(/message_handler_duration_seconds_bucket\{[^}]*pattern="conversations\.list"/);
    expect(text).toContain('# TYPE messages_dead_lettered_total counter');
    expect(text).toContain('# TYPE domain_events_published_total counter');
  });
});

describe('logs', () => {
  it('follow the caller\'s X-Request-Id from the gateway into the worker, and echo it', async () => {
    const requestId = `e2e-trace-${randomBytes(4).toString('hex')}`;
    const res = await request('GET', conversationsPath(1), { token: TOKENS.admin, headers: { 'X-Request-Id': requestId } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    await waitFor('the log lines', async () => logLines('worker').some((l) => l.reqId === requestId) && logLines('gateway').some((l) => l.reqId === requestId && l.msg === 'request completed'), 5_000);
    const gatewayLines = logLines('gateway').filter((l) => l.reqId === requestId);
    const workerLines = logLines('worker').filter((l) => l.reqId === requestId);
    expect(gatewayLines.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    expect(workerLines.length).toBeGreaterThan(0);
    expect(workerLines.every((l) => l.service === 'worker' && (l.rpc as { pattern?: string })?.pattern === 'conversations.list')).toBe(true);
  });

  it('make an id when the caller sends none (or an unusable one)', async () => {
    const res = await request('GET', conversationsPath(1), { token: TOKENS.admin, headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echo the id on every response, also those answered before any route runs', async () => {
    const responses = {
      'no token (401)': await request('GET', conversationsPath(1), {}),
      'a body that is not JSON (400)': await request('POST', conversationsPath(1), { token: TOKENS.admin, rawBody: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      'an unknown route (404)': await request('GET', '/api/v1/nothing-here', { token: TOKENS.admin }),
      'an invalid query (400)': await request('GET', conversationsPath(1), { token: TOKENS.admin, query: 'page=0' }),
    };
    for (const [name, res] of Object.entries(responses)) expect([name, res.headers.get('x-request-id')]).toEqual([name, expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  });

  it('never contain a token, whichever header carried it and however far it went', async () => {
    const secret = `e2e-secret-${randomBytes(8).toString('hex')}`; // unknown: the worker answers 401
    const requestId = `e2e-secret-trace-${randomBytes(4).toString('hex')}`;
    for (const tokenHeader of ['api_access_token', 'api-access-token', 'bearer'] as const) {
      const res = await request('GET', conversationsPath(1), { token: secret, tokenHeader, headers: { 'X-Request-Id': requestId } });
      expect(res.status).toBe(401);
      expect(res.text.includes(secret)).toBe(false);
    }
    await waitFor('the worker\'s lines', async () => logLines('worker').filter((l) => l.reqId === requestId).length >= 3, 5_000);
    const text = ['gateway', 'worker'].map((app) => readFileSync(path.join(LOG_DIR, `${app}.log`), 'utf8')).join('\n');
    expect(text.includes(secret)).toBe(false);
  });
});
