import { Logger } from '@nestjs/common';
import { RmqContext, ServerRMQ, type RmqOptions } from '@nestjs/microservices';
import { ErrorReplies, parseRequestEnvelope, type QueueDefinition } from '#app/contracts';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { deadLetter, isRpcRequest } from './dead-letter.js';

/**
 * Nest's RMQ server, with the decisions it leaves open made explicit:
 * - it declares the dead-letter queue before consuming;
 * - a body that is not a request envelope, or names no known pattern, is answered with an error
 *   reply when it is an RPC request and dead-lettered (with its reason) when it is an event,
 *   instead of Nest's bare nack;
 * - RPC means `reply_to`, `correlation_id` and an envelope `id` together (SPEC 5); a message with
 *   an `id` but nowhere to reply is handled as the event it is.
 */
export class ConversationsServer extends ServerRMQ {
  private readonly log = new Logger(ConversationsServer.name);

  private readonly definition: QueueDefinition;

  constructor(options: NonNullable<RmqOptions['options']>, definition: QueueDefinition) {
    super(options);
    this.definition = definition;
  }

  override async setupChannel(channel: ConfirmChannel, callback: () => void): Promise<void> {
    await channel.assertQueue(this.definition.deadLetterQueue, { durable: true });
    return super.setupChannel(channel, callback);
  }

  override async handleMessage(delivery: Record<string, any> | null, channel: ConfirmChannel): Promise<void> {
    if (!delivery) return; // the broker cancelled the consumer
    const message = delivery as ConsumeMessage;
    const envelope = parseRequestEnvelope(message.content);
    const rpc = isRpcRequest(message, envelope.id);
    const handler = envelope.ok ? this.getHandlerByPattern(envelope.pattern) : null;
    if (!envelope.ok || !handler) {
      const reason = envelope.ok ? `unknown pattern "${envelope.pattern.slice(0, 100)}"` : envelope.reason;
      return this.refuse(message, channel, rpc, reason);
    }
    const context = new RmqContext([message, channel, envelope.pattern]);
    if (!rpc) {
      return this.handleEvent(envelope.pattern, { pattern: envelope.pattern, data: envelope.data }, context);
    }
    const { replyTo, correlationId } = message.properties;
    return this.handleRequest(
      context,
      async () => this.transformToObservable(await handler(envelope.data, context)),
      (reply) => this.sendMessage(reply, replyTo, correlationId, context),
    );
  }

  private async refuse(message: ConsumeMessage, channel: ConfirmChannel, rpc: boolean, reason: string): Promise<void> {
    if (rpc) {
      const err = ErrorReplies.badRequest([{ field: 'pattern', message: reason, code: 'unknownPattern' }], `Bad message: ${reason}`);
      this.sendMessage({ err, isDisposed: true }, message.properties.replyTo, message.properties.correlationId, undefined as never);
      channel.ack(message);
      return;
    }
    this.log.warn(`dead-lettering a message: ${reason}`);
    await deadLetter(channel, message, this.definition.deadLetterQueue, reason);
  }
}
