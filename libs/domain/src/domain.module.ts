import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, type DatabaseSettings } from '#app/persistence';
import { AccessService } from './access/access.service.js';
import { DatabaseConnection } from './database-connection.js';
import { ConversationCreateService } from './conversations/create/conversation-create.service.js';
import { ConversationListService } from './conversations/list/conversation-list.service.js';
import { OutboxService } from './events/outbox.service.js';

/**
 * The conversation rules over one Postgres DataSource. Any app (worker, in-process benchmark) imports it,
 * and calls DatabaseConnection.connect() before it takes work.
 */
@Module({})
export class DomainModule {
  static forRoot(database: DatabaseSettings): DynamicModule {
    return {
      module: DomainModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(database), manualInitialization: true })],
      providers: [AccessService, ConversationListService, ConversationCreateService, OutboxService, DatabaseConnection],
      exports: [ConversationListService, ConversationCreateService, OutboxService, DatabaseConnection],
    };
  }
}
