// Decorator metadata must be available before any decorated class is evaluated.
import 'reflect-metadata';
export * from './patterns.js';
export * from './queue.js';
export * from './enums.js';
export * from './errors.js';
export * from './validation.js';
export * from './replies.js';
export * from './schemas/reply.schemas.js';
export * from './dto/list-conversations.query.js';
export * from './dto/create-conversation.body.js';
export * from './messages/conversation-messages.js';
export * from './envelope.js';
export * from './dead-letter-reasons.js';
export * from './domain-events.js';
export * from './token-digest.js';
