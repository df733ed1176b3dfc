/**
 * Events onto the work queue as another service publishes them: the envelope without id or
 * reply_to, persistent, with a message_id (the worker de-duplicates on it), and publisher confirms.
 * A publish is repeated until the broker confirms it, also across a broker restart: a repeat is safe
 * because the message_id stays the same.
 */
import { AmqpLink } from './amqp-link.mjs';
import { sleep } from './util.mjs';

const CONFIRM_TIMEOUT_MS = 10_000;

export class EventPublisher {
  /** @param {string} url @param {string} queue */
  constructor(url, queue) {
    this.queue = queue;
    this.link = new AmqpLink(url, { confirm: true }).start();
  }

  /**
   * @param {Buffer} content
   * @param {{ messageId: string }} properties
   * @returns {Promise<{ confirmed: boolean, attempts: number }>}
   */
  async publish(content, { messageId }, deadlineMs = 120_000) {
    const deadline = Date.now() + deadlineMs;
    let attempts = 0;
    while (Date.now() < deadline) {
      attempts += 1;
      try {
        const channel = await this.link.ready(Math.max(1, deadline - Date.now()));
        await confirmed(channel, this.queue, content, { persistent: true, contentType: 'application/json', messageId });
        return { confirmed: true, attempts };
      } catch {
        await sleep(300); // the channel closed before the confirm, or the broker nacked: publish again
      }
    }
    return { confirmed: false, attempts };
  }

  close() {
    return this.link.close();
  }
}

/** One publish, resolved on the broker's ack; rejected on a nack, a closed channel or no answer. */
function confirmed(channel, queue, content, options) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no confirm')), CONFIRM_TIMEOUT_MS);
    try {
      channel.sendToQueue(queue, content, options, (error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(undefined);
      });
    } catch (error) {
      clearTimeout(timer);
      reject(error);
    }
  });
}
