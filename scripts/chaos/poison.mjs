/**
 * Messages that can never succeed, published on purpose: the dead-letter queue must end up holding
 * exactly these (each once, with its reason in x-error-reason), so anything else found there is a
 * create that was lost to it.
 */
/** @param {string} runId @param {string} botToken @param {number} accountId */
export function poisonMessages(runId, botToken, accountId) {
  return [
    { messageId: `poison-${runId}-not-json`, content: Buffer.from('{"pattern": "conversations.create", not json'), reason: /not JSON/i },
    {
      messageId: `poison-${runId}-unknown-pattern`,
      content: Buffer.from(JSON.stringify({ pattern: 'conversations.explode', data: { api_access_token: botToken, account_id: accountId } })),
      reason: /unknown pattern/i,
    },
    {
      messageId: `poison-${runId}-invalid-data`,
      content: Buffer.from(JSON.stringify({ pattern: 'conversations.create', data: { api_access_token: botToken, account_id: accountId, body: { inbox_id: 'seven' } } })),
      reason: /^400\b/,
    },
  ];
}

/** @param {import('./event-publisher.mjs').EventPublisher} publisher */
export async function publishPoison(publisher, messages) {
  for (const m of messages) {
    const { confirmed } = await publisher.publish(m.content, { messageId: m.messageId });
    if (!confirmed) throw new Error(`poison message ${m.messageId} was never confirmed`);
  }
}
