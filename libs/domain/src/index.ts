// Decorator metadata must be available before any decorated class is evaluated.
import 'reflect-metadata';
export * from './errors.js';
export * from './access/caller.js';
export * from './access/access.service.js';
export * from './conversations/list/conversation-list.service.js';
export * from './conversations/create/conversation-create.service.js';
export * from './conversations/create/attribute-limits.js';
export * from './conversations/create/request-digest.js';
export * from './conversations/sql/list-query.js';
export * from './conversations/render/conversation.renderer.js';
export * from './domain.module.js';
export * from './database-connection.js';
export * from './fixtures/fixture.types.js';
export * from './fixtures/fixture-loader.js';
export * from './events/outbox.service.js';
export * from './events/conversation-created.event.js';
