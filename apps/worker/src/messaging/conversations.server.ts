import { Logger } from '@nestjs/common';
import { RmqContext, ServerRMQ, type OutgoingResponse, type RmqOptions } from '@nestjs/microservices';
import { deadLetterReason, ErrorReplies, EVENT_PATTERNS, MessageFaults, type QueueDefinition } from '#app/contracts';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrokerConnection } from '#app/runtime';
import type { WorkerMetrics } from '../observability/worker-metrics.js';
import { deadLetter, putBack } from './dead-letter.js';
import { deliveryKind, envelopeOf, isPastDeadline } from './delivery.js';

/** How long a closing worker waits for the messages it holds (SIGTERM must exit within 10 s). */
const DRAIN_TIMEOUT_MS = 7_000;

/**
 * Nest's RMQ server, with the decisions it leaves open made explicit:
 * - it declares the dead-letter queue before consuming;
 * - a body that is not a request envelope, or names no known pattern, is answered with an error
 *   reply when it is an RPC request and dead-lettered (with its reason) when it is an event,
 *   instead of Nest's bare nack;
 * - RPC means `reply_to`, `correlation_id` and an envelope `id` together (SPEC 5); a message with
 *   an `id` but nowhere to reply is handled as the event it is, but one with `reply_to` that lacks
 *   another part, or a list or meta event (whose answer nobody could read), is dead-lettered:
 *   never acknowledged in silence;
 * - an RPC request taken after its caller stopped waiting is discarded unexecuted (SPEC 5);
 * - a reply that cannot be published (the connection is closing) is logged, never an unhandled rejection;
 * - closing first cancels the consumer, then waits for the messages in hand to be settled.
 */
export class ConversationsServer extends ServerRMQ implements BrokerConnection {
  private readonly log = new Logger(ConversationsServer.name);
  private connected = false;
  private metrics: WorkerMetrics | null = null;

  private readonly definition: QueueDefinition;
  private readonly consumerTag: string;
  private consumerChannel: ConfirmChannel | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: NonNullable<RmqOptions['options']>, definition: QueueDefinition) {
    const consumerTag = `conversations-worker-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    super({ ...options, consumerTag });
    this.definition = definition;
    this.consumerTag = consumerTag;
    this.status.subscribe((status) => (this.connected = status === 'connected'));
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** The server is built before the app (it is the app's transport): its metrics arrive afterwards. */
  useMetrics(metrics: WorkerMetrics): void {
    this.metrics = metrics;
  }

  /** Declares the dead-letter and retry topology, then (in Nest's setup) the work queue and the consumer. */
  override async setupChannel(channel: ConfirmChannel, callback: () => void): Promise<void> {
    this.consumerChannel = channel;
    const { deadLetterExchange, deadLetterQueue, deadLetterQueueOptions, retryQueue, retryQueueOptions } = this.definition;
    await channel.assertExchange(deadLetterExchange, 'direct', { durable: true });
    await channel.assertQueue(deadLetterQueue, deadLetterQueueOptions);
    // Earlier versions bound the DLQ here, which kept expired RPC requests (and their tokens) in it.
    await channel.unbindQueue(deadLetterQueue, deadLetterExchange, deadLetterQueue);
    await channel.assertQueue(retryQueue, retryQueueOptions);
    return super.setupChannel(channel, callback);
  }

  override async close(): Promise<void> {
    try {
      await this.consumerChannel?.cancel(this.consumerTag);
    } catch {
      // the channel is already gone: nothing more will arrive anyway
    }
    await Promise.race([Promise.allSettled([...this.inFlight]), sleep(DRAIN_TIMEOUT_MS)]);
    await sleep(10); // replies are published on the next tick after their handler settles
    await super.close();
  }

  override async handleMessage(delivery: Record<string, any> | null, channel: ConfirmChannel): Promise<void> {
    if (!delivery) return; // the broker cancelled the consumer
    const work = this.dispatch(delivery as ConsumeMessage, channel);
    this.inFlight.add(work);
    try {
      await work;
    } catch (error) {
      // Nest does not await this handler: whatever escapes would be an unhandled rejection, and end the
      // process. The message, unsettled, is redelivered when this channel goes.
      this.log.error(`a message was left unsettled: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      this.inFlight.delete(work);
    }
  }

  /** Nest's own, except that a reply that cannot be published (the connection is closing) is logged, not an unhandled rejection. */
  override sendMessage<T = any>(message: T, replyTo: any, correlationId: string, _context?: RmqContext): void {
    const { options, ...outgoing } = this.serializer.serialize(message as OutgoingResponse) as { options?: object };
    const published: Promise<unknown> = this.channel.sendToQueue(replyTo, Buffer.from(JSON.stringify(outgoing)), {
      correlationId,
      contentType: 'application/json',
      ...options,
    });
    // A reply lost here is a 504 for its caller; a create behind it is committed and de-duplicated if retried.
    published.catch((error: unknown) => this.log.warn(`a reply was not published: ${error instanceof Error ? error.message : String(error)}`));
  }

  private async dispatch(message: ConsumeMessage, channel: ConfirmChannel): Promise<void> {
    const envelope = envelopeOf(message);
    const delivery = deliveryKind(message);
    const rpc = delivery.kind === 'rpc';
    if (rpc && isPastDeadline(message)) {
      channel.ack(message); // nobody waits for the answer, and a create must not run after its caller's 504
      this.metrics?.handled.inc({ pattern: envelope.ok ? envelope.pattern : 'none', outcome: 'expired' });
      return;
    }
    const handler = envelope.ok ? this.getHandlerByPattern(envelope.pattern) : null;
    if (!envelope.ok || !handler) {
      const reason = envelope.ok ? MessageFaults.unknownPattern(envelope.pattern) : envelope.reason;
      const kind = envelope.ok ? 'unknown_pattern' : envelope.reason.replace(/\W+/g, '_');
      return this.refuse(message, channel, rpc, reason, kind);
    }
    if (delivery.kind === 'incomplete') {
      return this.deadLetterMalformed(message, channel, MessageFaults.incompleteRpc(delivery.missing), 'incomplete_rpc');
    }
    if (!rpc && !EVENT_PATTERNS.includes(envelope.pattern)) {
      return this.deadLetterMalformed(message, channel, MessageFaults.notAnEvent(envelope.pattern), 'not_an_event');
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

  private async refuse(message: ConsumeMessage, channel: ConfirmChannel, rpc: boolean, reason: string, kind: string): Promise<void> {
    if (rpc) {
      const err = ErrorReplies.badRequest([{ field: 'pattern', message: reason, code: 'unknownPattern' }], `Bad message: ${reason}`);
      const context = new RmqContext([message, channel, '']);
      this.sendMessage({ err, isDisposed: true }, message.properties.replyTo, message.properties.correlationId, context);
      channel.ack(message);
      this.metrics?.handled.inc({ pattern: 'none', outcome: 'error_reply' });
      return;
    }
    return this.deadLetterMalformed(message, channel, reason, kind);
  }

  /** Every message refused here is a malformed request: 400, status first in its x-error-reason. */
  private async deadLetterMalformed(message: ConsumeMessage, channel: ConfirmChannel, why: string, kind: string): Promise<void> {
    const reason = deadLetterReason(400, why);
    this.log.warn(`dead-lettering a message: ${reason}`);
    try {
      await deadLetter(channel, message, this.definition.deadLetterQueue, reason);
    } catch (error) {
      this.log.warn(`could not dead-letter a message (it goes back to the queue): ${(error as Error).message}`);
      return putBack(channel, message);
    }
    this.metrics?.deadLettered.inc({ reason: kind });
    this.metrics?.handled.inc({ pattern: 'none', outcome: 'dead_lettered' });
  }
}
