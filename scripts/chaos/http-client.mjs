/**
 * conversations.create over HTTP, through whichever gateway is next (as a load balancer would).
 * With an Idempotency-Key the caller retries 5xx answers and network errors with the same key,
 * backing off, until its deadline: that is what the key is for. Without one it never retries.
 */
import { sleep } from './util.mjs';

const REQUEST_TIMEOUT_MS = 15_000;
const BACKOFF_MS = [250, 500, 1000, 2000, 4000];

let next = 0;

/**
 * @param {{ gateways: string[], accountId: number, token: string, body: object, idempotencyKey?: string, retryForMs: number }} request
 * @returns {Promise<{ status: number | null, outcome: string, conversation?: any, attempts: number, answers: string[] }>}
 */
export async function httpCreate({ gateways, accountId, token, body, idempotencyKey, retryForMs }) {
  const deadline = Date.now() + retryForMs;
  const answers = [];
  for (let attempt = 1; ; attempt++) {
    const base = gateways[next++ % gateways.length];
    const answer = await postOnce(`${base}/api/v1/accounts/${accountId}/conversations`, token, body, idempotencyKey);
    answers.push(answer.outcome);
    const retryable = answer.status === null || answer.status >= 500;
    if (!idempotencyKey || !retryable || Date.now() >= deadline) return { ...answer, attempts: attempt, answers };
    await sleep(BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)]);
  }
}

async function postOnce(url, token, body, idempotencyKey) {
  const headers = { api_access_token: token, 'content-type': 'application/json' };
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  try {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    if (response.status !== 200) return { status: response.status, outcome: String(response.status) };
    return { status: 200, outcome: '200', conversation: JSON.parse(text) };
  } catch (error) {
    const timedOut = error?.name === 'TimeoutError';
    return { status: null, outcome: timedOut ? 'no answer (client timeout)' : 'network error' };
  }
}
