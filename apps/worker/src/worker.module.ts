import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { QueueDefinition } from '#app/contracts';
import type { WorkerSettings } from '#app/config';
import { DomainModule } from '#app/domain';
import { BROKER_CONNECTION, BrokerHealthIndicator, HealthController, loggerModule, MetricsModule, READINESS_CHECKS, type BrokerConnection } from '#app/runtime';
import { OutboxRelay, RELAY_SETTINGS, type RelaySettings } from './events/outbox-relay.js';
import { WorkerMetrics } from './observability/worker-metrics.js';
import { Housekeeping } from './housekeeping.js';
import { ConversationsController } from './conversations.controller.js';
import { MessageSettlement, QUEUE_DEFINITION, RETRY_POLICY, type RetryPolicy } from './messaging/message-settlement.js';

@Module({})
export class WorkerModule {
  static forRoot(settings: WorkerSettings, queue: QueueDefinition, broker: BrokerConnection): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        DomainModule.forRoot({
          url: settings.DATABASE_URL,
          poolSize: settings.DB_POOL_SIZE,
          applicationName: 'conversations-worker',
          statementTimeoutMs: settings.DB_STATEMENT_TIMEOUT_MS,
        }),
        loggerModule('worker'),
        MetricsModule.forRoot('worker'),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [ConversationsController, HealthController],
      providers: [
        MessageSettlement,
        WorkerMetrics,
        BrokerHealthIndicator,
        { provide: BROKER_CONNECTION, useValue: broker },
        {
          provide: READINESS_CHECKS,
          inject: [BrokerHealthIndicator, TypeOrmHealthIndicator],
          useFactory: (brokerHealth: BrokerHealthIndicator, database: TypeOrmHealthIndicator) => [
            () => brokerHealth.check(),
            () => database.pingCheck('database', { timeout: 1_500 }),
          ],
        },
        OutboxRelay,
        Housekeeping,
        {
          provide: RELAY_SETTINGS,
          useValue: {
            amqpUrl: settings.EVENTS_AMQP_URL ?? settings.AMQP_URL,
            exchange: settings.EVENTS_EXCHANGE,
            pollMs: settings.OUTBOX_POLL_MS,
          } satisfies RelaySettings,
        },
        { provide: QUEUE_DEFINITION, useValue: queue },
        { provide: RETRY_POLICY, useValue: { firstDelayMs: settings.EVENT_RETRY_DELAY_MS, maxDelayMs: settings.EVENT_RETRY_MAX_DELAY_MS } satisfies RetryPolicy },
      ],
    };
  }
}
