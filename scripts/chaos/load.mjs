/**
 * The creates: planned up front (each with a unique chaos_ref in custom_attributes, so it can be
 * found in Postgres and on the event stream afterwards), then driven through four paths, at most
 * `concurrency` in flight and paced over the load's duration so the faults land mid-load.
 */
import { randomUUID } from 'node:crypto';
import { httpCreate } from './http-client.mjs';
import { sleep } from './util.mjs';

/** The four ways in: HTTP with and without Idempotency-Key, RPC over AMQP, an event on the queue. */
export const PATHS = ['http_keyed', 'http_unkeyed', 'rpc', 'event'];

/**
 * @typedef {{ index: number, ref: string, path: string, token: string, body: object, messageId?: string, idempotencyKey?: string }} PlannedCreate
 * @typedef {PlannedCreate & { status: number | null, outcome: string, attempts: number, answers?: string[], displayId?: number, uuid?: string, ms: number, startedAt: number }} CreateResult
 */

/** @returns {PlannedCreate[]} */
export function planCreates(count, runId, fixture) {
  return Array.from({ length: count }, (_, index) => {
    const path = PATHS[index % PATHS.length];
    const ref = `${runId}-${path}-${String(index).padStart(5, '0')}`;
    const contact = fixture.contacts[index % fixture.contacts.length];
    const [contactInbox] = contact.inboxes;
    // Both lookups of SPEC 4.2: an existing source_id alone, or inbox + contact (a new contact_inbox).
    const target = index % 2 === 0 ? { source_id: contactInbox.source_id } : { inbox_id: contactInbox.inbox_id, contact_id: contact.id };
    const body = { ...target, custom_attributes: { chaos_ref: ref }, ...(index % 3 === 0 ? { message: { content: `chaos ${ref}` } } : {}) };
    // Events are what services publish with a bot token; the HTTP and RPC callers alternate.
    const token = path === 'event' || index % 8 < 4 ? fixture.botToken : fixture.adminToken;
    return {
      index,
      ref,
      path,
      token,
      body,
      ...(path === 'http_keyed' ? { idempotencyKey: `chaos-${ref}` } : {}),
      ...(path === 'event' ? { messageId: randomUUID() } : {}),
    };
  });
}

/**
 * Runs every planned create; resolves with one result each.
 * @param {PlannedCreate[]} plan
 * @param {{ concurrency: number, ratePerSecond: number, accountId: number, gateways: string[], keyedRetryMs: number,
 *   rpc: import('./rpc-client.mjs').RpcClient, events: import('./event-publisher.mjs').EventPublisher, onProgress?: (done: number) => void }} options
 * @returns {Promise<CreateResult[]>}
 */
export async function driveLoad(plan, options) {
  const results = new Array(plan.length);
  const started = performance.now();
  let nextIndex = 0;
  let done = 0;
  const lane = async () => {
    while (nextIndex < plan.length) {
      const item = plan[nextIndex++];
      const due = started + (item.index / options.ratePerSecond) * 1000;
      if (due > performance.now()) await sleep(due - performance.now());
      const t0 = performance.now();
      const outcome = await runOne(item, options);
      results[item.index] = { ...item, ...outcome, ms: performance.now() - t0, startedAt: (t0 - started) / 1000 };
      options.onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return results;
}

/** @param {PlannedCreate} item */
async function runOne(item, options) {
  const data = { api_access_token: item.token, account_id: options.accountId, body: item.body };
  switch (item.path) {
    case 'http_keyed':
    case 'http_unkeyed': {
      const answer = await httpCreate({
        gateways: options.gateways,
        accountId: options.accountId,
        token: item.token,
        body: item.body,
        idempotencyKey: item.idempotencyKey,
        retryForMs: options.keyedRetryMs,
      });
      return { status: answer.status, outcome: answer.outcome, attempts: answer.attempts, answers: answer.answers, displayId: answer.conversation?.id, uuid: answer.conversation?.uuid };
    }
    case 'rpc': {
      const answer = await options.rpc.create(data);
      return { status: answer.status, outcome: answer.outcome, attempts: 1, displayId: answer.conversation?.id, uuid: answer.conversation?.uuid };
    }
    case 'event': {
      const content = Buffer.from(JSON.stringify({ pattern: 'conversations.create', data }));
      const published = await options.events.publish(content, { messageId: item.messageId });
      return { status: null, outcome: published.confirmed ? 'published' : 'never confirmed', attempts: published.attempts };
    }
    default:
      throw new Error(`unknown path ${item.path}`);
  }
}
