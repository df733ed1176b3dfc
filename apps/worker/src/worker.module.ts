import { Module, type DynamicModule } from '@nestjs/common';
import type { QueueDefinition } from '#app/contracts';
import type { WorkerSettings } from '#app/config';
import { DomainModule } from '#app/domain';
import { ConversationsController } from './conversations.controller.js';
import { MessageSettlement, QUEUE_DEFINITION, RETRY_POLICY, type RetryPolicy } from './messaging/message-settlement.js';

@Module({})
export class WorkerModule {
  static forRoot(settings: WorkerSettings, queue: QueueDefinition): DynamicModule {
    return {
      module: WorkerModule,
      imports: [DomainModule.forRoot({ url: settings.DATABASE_URL, poolSize: settings.DB_POOL_SIZE, applicationName: 'conversations-worker' })],
      controllers: [ConversationsController],
      providers: [
        MessageSettlement,
        { provide: QUEUE_DEFINITION, useValue: queue },
        { provide: RETRY_POLICY, useValue: { limit: settings.EVENT_RETRY_LIMIT, firstDelayMs: settings.EVENT_RETRY_DELAY_MS } satisfies RetryPolicy },
      ],
    };
  }
}
