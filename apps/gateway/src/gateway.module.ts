import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { TerminusModule } from '@nestjs/terminus';
import { queueDefinition } from '#app/contracts';
import type { GatewaySettings } from '#app/config';
import { BROKER_CONNECTION, BrokerHealthIndicator, HealthController, loggerModule, MetricsModule, READINESS_CHECKS } from '#app/runtime';
import { ConversationsController } from './conversations.controller.js';
import { HttpErrorFilter } from './http/http-error.filter.js';
import { rateLimitProviders } from './http/rate-limit.js';
import { GatewayMetrics } from './observability/gateway-metrics.js';
import { CONVERSATIONS_CLIENT, ConversationsRpc, RPC_TIMEOUT_MS } from './rpc/conversations-rpc.client.js';

@Module({})
export class GatewayModule {
  static forRoot(settings: GatewaySettings): DynamicModule {
    const queue = queueDefinition(settings.RMQ_QUEUE, settings.RMQ_QUEUE_TYPE);
    return {
      module: GatewayModule,
      imports: [loggerModule('gateway'), MetricsModule.forRoot('gateway'), TerminusModule.forRoot({ logger: false })],
      controllers: [ConversationsController, HealthController],
      providers: [
        ConversationsRpc,
        GatewayMetrics,
        BrokerHealthIndicator,
        ...rateLimitProviders(settings),
        { provide: BROKER_CONNECTION, useExisting: ConversationsRpc },
        { provide: READINESS_CHECKS, inject: [BrokerHealthIndicator], useFactory: (broker: BrokerHealthIndicator) => [() => broker.check()] },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: RPC_TIMEOUT_MS, useValue: settings.RPC_TIMEOUT_MS },
        {
          provide: CONVERSATIONS_CLIENT,
          useFactory: () =>
            ClientProxyFactory.create({
              transport: Transport.RMQ,
              options: {
                urls: [settings.AMQP_URL],
                queue: queue.name,
                queueOptions: queue.options, // must equal the worker's, or the broker refuses the declaration
                noAck: true, // replies arrive on direct reply-to, which only works without acks
                persistent: false, // a request is worth nothing once its caller has timed out
                socketOptions: { connectionOptions: { noDelay: true }, heartbeatIntervalInSeconds: 5, reconnectTimeInSeconds: 1 },
              },
            }),
        },
      ],
    };
  }
}
