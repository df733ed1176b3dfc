import { Module, type DynamicModule } from '@nestjs/common';
import { queueDefinition } from '#app/contracts';
import type { WorkerSettings } from '#app/config';
import { DomainModule } from '#app/domain';
import { ConversationsController } from './conversations.controller.js';
import { MessageSettlement, QUEUE_DEFINITION } from './messaging/message-settlement.js';

@Module({})
export class WorkerModule {
  static forRoot(settings: WorkerSettings): DynamicModule {
    return {
      module: WorkerModule,
      imports: [DomainModule.forRoot({ url: settings.DATABASE_URL, poolSize: settings.DB_POOL_SIZE, applicationName: 'conversations-worker' })],
      controllers: [ConversationsController],
      providers: [MessageSettlement, { provide: QUEUE_DEFINITION, useValue: queueDefinition(settings.RMQ_QUEUE, settings.RMQ_QUEUE_TYPE) }],
    };
  }
}
