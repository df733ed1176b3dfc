import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, RmqRecord } from '@nestjs/microservices';
import { ErrorReplies, isErrorReply, REQUEST_ID_HEADER, RPC_DEADLINE_HEADER, type ErrorReply, type Pattern } from '#app/contracts';
import type { BrokerConnection } from '#app/runtime';
import { EmptyError, filter, firstValueFrom, Subject, takeUntil, timeout, TimeoutError } from 'rxjs';
import { ErrorReplyException } from '../http/error-reply.exception.js';
import { GatewayMetrics, type RpcOutcome } from '../observability/gateway-metrics.js';

export const CONVERSATIONS_CLIENT = Symbol('CONVERSATIONS_CLIENT');
export const RPC_TIMEOUT_MS = Symbol('RPC_TIMEOUT_MS');

const RECONNECT_DELAY_MS = 1_000;

/**
 * One request, one reply, within RPC_TIMEOUT_MS; every failure becomes an ErrorReplyException.
 * While RabbitMQ is unreachable it answers 503 at once instead of queueing requests nobody will
 * answer, and it reconnects by itself.
 */
@Injectable()
export class ConversationsRpc implements BrokerConnection, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ConversationsRpc.name);
  private connected = false;
  private closing = false;
  /** Emits when the connection drops: requests waiting for a reply will not get one. */
  private readonly disconnected$ = new Subject<void>();

  constructor(
    @Inject(CONVERSATIONS_CLIENT) private readonly client: ClientProxy,
    @Inject(RPC_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly metrics: GatewayMetrics,
  ) {}

  isConnected(): boolean {
    return this.connected;
  }

  onApplicationBootstrap(): void {
    this.client.status.subscribe((status) => {
      const connected = status === 'connected';
      if (this.connected && !connected) this.disconnected$.next();
      if (connected !== this.connected) this.log.log(connected ? 'connected to RabbitMQ' : 'RabbitMQ connection lost');
      this.connected = connected;
    });
    void this.connectUntilUp();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.client.close();
  }

  /** The first connection: retried until it works; after that the connection manager reconnects. */
  private async connectUntilUp(): Promise<void> {
    while (!this.closing) {
      try {
        await this.client.connect();
        this.connected = true;
        return;
      } catch (error) {
        this.log.warn(`RabbitMQ is not reachable yet (${describe(error)}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS));
      }
    }
  }

  async call<T>(pattern: Pattern, data: object, requestId: string): Promise<T> {
    const started = performance.now();
    const done = (outcome: RpcOutcome) => this.metrics.rpcDuration.observe({ pattern, outcome }, (performance.now() - started) / 1000);
    if (!this.connected) {
      done('unavailable');
      throw this.failure(pattern, unavailable());
    }
    // Expires when the gateway stops waiting, in the queue (expiration) and in a worker's hands (the deadline
    // header): a worker never runs a request nobody awaits any more.
    const record = new RmqRecord(data, {
      expiration: String(this.timeoutMs),
      headers: { [REQUEST_ID_HEADER]: requestId, [RPC_DEADLINE_HEADER]: String(Date.now() + this.timeoutMs) },
    });
    try {
      const reply = await firstValueFrom(
        this.client.send<T>(pattern, record).pipe(timeout(this.timeoutMs), takeUntil(this.disconnected$.pipe(filter(() => true)))),
      );
      done('ok');
      return reply;
    } catch (error) {
      const reply = this.failureReply(error);
      done(reply.status === 504 ? 'timeout' : reply.status === 503 ? 'unavailable' : 'error_reply');
      throw this.failure(pattern, reply);
    }
  }

  private failure(pattern: Pattern, reply: ErrorReply): ErrorReplyException {
    this.metrics.rpcErrors.inc({ pattern, status: String(reply.status) });
    if (reply.status === 504) this.metrics.rpcTimeouts.inc({ pattern });
    return new ErrorReplyException(reply);
  }

  private failureReply(error: unknown): ErrorReply {
    if (isErrorReply(error)) return error; // the worker's own error reply
    if (error instanceof TimeoutError) return ErrorReplies.timeout();
    // The connection dropped after the request went out: its reply cannot arrive any more, but a worker
    // may still have done the work. Not a 503 ("not done, try again"): without an Idempotency-Key a
    // retry could create twice.
    if (error instanceof EmptyError) return ErrorReplies.timeout(REPLY_LOST);
    // The client failed to publish: while the broker is down it rejects with a plain string or a connection error.
    this.log.warn(`RPC failed: ${describe(error)}`);
    return unavailable();
  }
}

const REPLY_LOST = 'The connection to the message broker dropped before the reply came; the request may have been carried out. Retry with the same Idempotency-Key to be sure.';

const unavailable = () => ErrorReplies.unavailable('The message broker is unavailable; try again shortly.');

function describe(error: unknown): string {
  return error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
}
