import { Inject, Injectable, Logger } from '@nestjs/common';
import { RmqContext, RpcException } from '@nestjs/microservices';
import { deadLetterReason, RETRY_COUNT_HEADER, type QueueDefinition } from '#app/contracts';
import { errorReplyFor } from '#app/domain';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { WorkerMetrics, type MessageOutcome } from '../observability/worker-metrics.js';
import { deadLetter, moveMessage, putBack } from './dead-letter.js';
import { isRpcRequest, retryCountOf } from './delivery.js';

export const QUEUE_DEFINITION = Symbol('QUEUE_DEFINITION');
export const RETRY_POLICY = Symbol('RETRY_POLICY');

/** Delays before an event whose database was unavailable is tried again: doubling, up to a ceiling. */
export interface RetryPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
}

/** The delay before retry number `retries + 1`. */
export function retryDelayMs(policy: RetryPolicy, retries: number): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(retries, 30));
}

/**
 * The one place that decides what becomes of a message once a handler has run (the queue is
 * consumed with manual acks):
 * - success: ack, after the work (and its transaction) is done;
 * - an RPC request that failed: an error reply, and ack; it is answered, not retried;
 * - an event that failed for good (invalid, unauthorised, a rule): dead-letter with the reason;
 * - an event that failed because the database was unavailable (down, overloaded, failing over):
 *   parked in the retry queue with a doubling delay (1, 2, 4 ... 30 s by default) for as long as the
 *   outage lasts. It is valid, so it is never dead-lettered (SPEC 5);
 * - a move the broker refused, or a channel that closed meanwhile: the message goes back to the queue
 *   and is redelivered, which is safe because every create is de-duplicated.
 */
@Injectable()
export class MessageSettlement {
  private readonly log = new Logger(MessageSettlement.name);

  constructor(
    @Inject(QUEUE_DEFINITION) private readonly queue: QueueDefinition,
    @Inject(RETRY_POLICY) private readonly retry: RetryPolicy,
    private readonly metrics: WorkerMetrics,
  ) {}

  async settle<T>(context: RmqContext, work: () => Promise<T>): Promise<T | undefined> {
    const message = context.getMessage() as ConsumeMessage;
    const channel = context.getChannelRef() as ConfirmChannel;
    const pattern = context.getPattern();
    const stopTimer = this.metrics.handlerDuration.startTimer({ pattern });
    const settled = (outcome: MessageOutcome) => {
      stopTimer();
      this.metrics.handled.inc({ pattern, outcome });
    };
    let result: T;
    try {
      result = await work();
    } catch (error) {
      return this.settleFailure(message, channel, error, settled);
    }
    this.ack(channel, message);
    settled('acked');
    return result;
  }

  private async settleFailure(
    message: ConsumeMessage,
    channel: ConfirmChannel,
    error: unknown,
    settled: (outcome: MessageOutcome) => void,
  ): Promise<undefined> {
    const reply = errorReplyFor(error);
    // An outage is expected and says so in one line; anything else unexpected is a bug, with its stack.
    if (reply.status === 503) this.log.warn(`database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    else if (reply.status >= 500) this.log.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (isRpcRequest(message)) {
      this.ack(channel, message);
      settled('error_reply');
      throw new RpcException(reply);
    }
    try {
      if (reply.status === 503) {
        const retries = retryCountOf(message);
        const delayMs = retryDelayMs(this.retry, retries);
        await moveMessage(channel, message, this.queue.retryQueue, { [RETRY_COUNT_HEADER]: retries + 1 }, delayMs);
        this.log.warn(`database unavailable; event parked for retry ${retries + 1} in ${delayMs} ms`);
        settled('retried');
        return undefined;
      }
      const detail = reply.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
      const reason = deadLetterReason(reply.status, `${reply.error}${detail ? ` (${detail})` : ''}`);
      await deadLetter(channel, message, this.queue.deadLetterQueue, reason);
      this.log.warn(`event dead-lettered: ${reason}`);
      this.metrics.deadLettered.inc({ reason: String(reply.status) });
      settled('dead_lettered');
    } catch (moveError) {
      this.log.warn(`could not move an event (it goes back to the queue): ${(moveError as Error).message}`);
      await putBack(channel, message);
      settled('requeued');
    }
    return undefined;
  }

  /** A channel that closed meanwhile cannot ack; the broker redelivers the message, which is safe. */
  private ack(channel: ConfirmChannel, message: ConsumeMessage): void {
    try {
      channel.ack(message);
    } catch (error) {
      this.log.warn(`could not ack (the message will be redelivered): ${(error as Error).message}`);
    }
  }
}
