import { Inject, Injectable, Logger } from '@nestjs/common';
import { RmqContext, RpcException } from '@nestjs/microservices';
import { type QueueDefinition } from '#app/contracts';
import { errorReplyFor } from '#app/domain';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { deadLetter, isRpcRequest } from './dead-letter.js';

export const QUEUE_DEFINITION = Symbol('QUEUE_DEFINITION');

/**
 * The one place that decides what becomes of a message once a handler has run (the queue is
 * consumed with manual acks):
 * - success: ack, after the work (and its transaction) is done;
 * - an RPC request that failed: an error reply, and ack; it is answered, not retried;
 * - an event that failed for good (invalid, unauthorised, a rule): dead-letter with the reason;
 * - an event that failed because the database was unreachable: requeue once, then dead-letter.
 */
@Injectable()
export class MessageSettlement {
  private readonly log = new Logger(MessageSettlement.name);

  constructor(@Inject(QUEUE_DEFINITION) private readonly queue: QueueDefinition) {}

  async settle<T>(context: RmqContext, work: () => Promise<T>): Promise<T | undefined> {
    const message = context.getMessage() as ConsumeMessage;
    const channel = context.getChannelRef() as ConfirmChannel;
    let result: T;
    try {
      result = await work();
    } catch (error) {
      return this.settleFailure(message, channel, error);
    }
    this.ack(channel, message);
    return result;
  }

  private async settleFailure(message: ConsumeMessage, channel: ConfirmChannel, error: unknown): Promise<undefined> {
    const reply = errorReplyFor(error);
    if (reply.status >= 500) this.log.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const rpc = isRpcRequest(message, envelopeId(message));
    if (rpc) {
      this.ack(channel, message);
      throw new RpcException(reply);
    }
    if (reply.status === 503 && !message.fields.redelivered) {
      channel.nack(message, false, true);
      return undefined;
    }
    const detail = reply.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    await deadLetter(channel, message, this.queue.deadLetterQueue, `${reply.status} ${reply.error}${detail ? ` (${detail})` : ''}`);
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

function envelopeId(message: ConsumeMessage): string | undefined {
  try {
    const id = (JSON.parse(message.content.toString('utf8')) as { id?: unknown }).id;
    return id === undefined || id === null ? undefined : String(id);
  } catch {
    return undefined;
  }
}
