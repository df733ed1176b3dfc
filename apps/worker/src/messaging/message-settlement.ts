import { Inject, Injectable, Logger } from '@nestjs/common';
import { RmqContext, RpcException } from '@nestjs/microservices';
import { parseRequestEnvelope, RETRY_COUNT_HEADER, type QueueDefinition } from '#app/contracts';
import { errorReplyFor } from '#app/domain';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { WorkerMetrics, type MessageOutcome } from '../observability/worker-metrics.js';
import { deadLetter, isRpcRequest, moveMessage } from './dead-letter.js';

export const QUEUE_DEFINITION = Symbol('QUEUE_DEFINITION');
export const RETRY_POLICY = Symbol('RETRY_POLICY');

/** Retries of an event whose database was unreachable, before it is dead-lettered; delays double. */
export interface RetryPolicy {
  limit: number;
  firstDelayMs: number;
}

/**
 * The one place that decides what becomes of a message once a handler has run (the queue is
 * consumed with manual acks):
 * - success: ack, after the work (and its transaction) is done;
 * - an RPC request that failed: an error reply, and ack; it is answered, not retried;
 * - an event that failed for good (invalid, unauthorised, a rule): dead-letter with the reason;
 * - an event that failed because the database was unreachable: parked in the retry queue with a
 *   doubling delay (1, 2, 4, 8, 16 s by default), then dead-lettered if it still fails.
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
    if (reply.status >= 500) this.log.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const rpc = isRpcRequest(message, envelopeId(message));
    if (rpc) {
      this.ack(channel, message);
      settled('error_reply');
      throw new RpcException(reply);
    }
    const retries = Number(message.properties.headers?.[RETRY_COUNT_HEADER] ?? 0) || 0;
    if (reply.status === 503 && retries < this.retry.limit) {
      await moveMessage(channel, message, this.queue.retryQueue, { [RETRY_COUNT_HEADER]: retries + 1 }, this.retry.firstDelayMs * 2 ** retries);
      this.log.warn(`database unreachable; event parked for retry ${retries + 1} of ${this.retry.limit}`);
      settled('retried');
      return undefined;
    }
    const detail = reply.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    const after = reply.status === 503 ? ` after ${retries} retries` : '';
    const reason = `${reply.status} ${reply.error}${detail ? ` (${detail})` : ''}${after}`;
    await deadLetter(channel, message, this.queue.deadLetterQueue, reason);
    this.log.warn(`event dead-lettered: ${reason}`);
    this.metrics.deadLettered.inc({ reason: String(reply.status) });
    settled('dead_lettered');
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

/**
 * The envelope id by the rule ConversationsServer dispatched on (a string or a number), so that a
 * message handled as an event (say `"id": true`) is settled as one: dead-lettered, not acked unanswered.
 */
function envelopeId(message: ConsumeMessage): string | undefined {
  return parseRequestEnvelope(message.content).id;
}
