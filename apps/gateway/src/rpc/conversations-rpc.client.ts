import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, RmqRecord } from '@nestjs/microservices';
import { ErrorReplies, isErrorReply, type ErrorReply, type Pattern } from '#app/contracts';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { ErrorReplyException } from '../http/error-reply.exception.js';

export const CONVERSATIONS_CLIENT = Symbol('CONVERSATIONS_CLIENT');
export const RPC_TIMEOUT_MS = Symbol('RPC_TIMEOUT_MS');

/** One request, one reply, within RPC_TIMEOUT_MS; every failure becomes an ErrorReplyException. */
@Injectable()
export class ConversationsRpc implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ConversationsRpc.name);

  constructor(
    @Inject(CONVERSATIONS_CLIENT) private readonly client: ClientProxy,
    @Inject(RPC_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  /** Connect early, but start even when the broker is down: requests answer 503 until it is back. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      this.log.warn(`RabbitMQ is not reachable yet: ${describe(error)}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  async call<T>(pattern: Pattern, data: object): Promise<T> {
    // The message expires when the gateway stops waiting: a worker never runs a request nobody awaits.
    const record = new RmqRecord(data, { expiration: String(this.timeoutMs) });
    try {
      return await firstValueFrom(this.client.send<T>(pattern, record).pipe(timeout(this.timeoutMs)));
    } catch (error) {
      throw new ErrorReplyException(this.failureReply(error));
    }
  }

  private failureReply(error: unknown): ErrorReply {
    if (isErrorReply(error)) return error; // the worker's own error reply
    if (error instanceof TimeoutError) return ErrorReplies.timeout();
    // While the broker is down the client rejects with a plain string or a connection error.
    this.log.warn(`RPC failed: ${describe(error)}`);
    return ErrorReplies.unavailable('The message broker is unavailable; try again shortly.');
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
}
