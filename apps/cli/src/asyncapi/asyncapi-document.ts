import { ACCOUNT_ID_HEADER, DomainEvents, Patterns, queueDefinition, ReplySchemas, RPC_DEADLINE_HEADER } from '#app/contracts';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

/** The DTO classes of libs/contracts whose JSON schemas are generated from their validation rules. */
const DTO_SCHEMAS = ['ListConversationsQuery', 'CreateConversationBody', 'CreateMessageBody', 'ListConversationsMessage', 'CreateConversationMessage'];

const ref = (kind: 'schemas' | 'messages', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** `{"pattern", "data", "id"?}` with `pattern` fixed. */
const envelope = (pattern: string, dataSchema: string, rpc: boolean) => ({
  type: 'object',
  required: ['pattern', 'data', ...(rpc ? ['id'] : [])],
  properties: {
    pattern: { const: pattern },
    data: ref('schemas', dataSchema),
    ...(rpc ? { id: { type: 'string', description: 'request id; with reply_to and correlation_id it makes the message an RPC request' } } : {}),
  },
  ...(rpc ? {} : { not: { required: ['id'] } }),
});

const replyEnvelope = (responseSchema: object) => ({
  type: 'object',
  required: ['response', 'isDisposed'],
  properties: { response: responseSchema, isDisposed: { const: true } },
});

const rpcMessage = (name: string, pattern: string, dataSchema: string, summary: string) => ({
  name,
  title: `${pattern} (RPC)`,
  summary,
  contentType: 'application/json',
  correlationId: { location: '$message.header#/correlation_id' },
  headers: {
    type: 'object',
    properties: {
      [RPC_DEADLINE_HEADER]: {
        type: ['integer', 'string'],
        description: 'When the caller stops waiting (unix milliseconds, a number or decimal text): a worker that takes the request later discards it unexecuted. Set the AMQP expiration too, so that one expiring in the queue is dropped.',
      },
    },
  },
  payload: envelope(pattern, dataSchema, true),
  bindings: { amqp: { bindingVersion: '0.3.0' } },
});

/**
 * The AsyncAPI 3 description of the queue contract (SPEC 5): generated, not written, so that the
 * request payloads are the DTOs' own rules. `npm run asyncapi` writes it to docs/asyncapi.yaml.
 */
export function asyncApiDocument(queueName = 'conversations', eventsExchange = 'conversations.events'): Record<string, unknown> {
  const queue = queueDefinition(queueName);
  const generated = validationMetadatasToSchemas({ classTransformerMetadataStorage: defaultMetadataStorage, refPointerPrefix: '#/components/schemas/' });
  const dtoSchemas = Object.fromEntries(DTO_SCHEMAS.map((name) => [name, generated[name]]));

  return {
    asyncapi: '3.1.0',
    info: {
      title: 'Conversations service: message contract',
      version: '1.0.0',
      description: [
        'Other services list and create support conversations by publishing to the work queue (its name is',
        `the RMQ_QUEUE setting, "${queue.name}" by default), in the NestJS RMQ envelope {"pattern", "data", "id"}.`,
        'A message with the properties reply_to and correlation_id and an `id` in the body is an RPC request',
        'and gets exactly one reply, {"response", "isDisposed": true} or {"err", "isDisposed": true}; one',
        'without is an event, acknowledged only once its effect is committed and de-duplicated on',
        'data.idempotency_key, else on the AMQP message_id. A message that can never succeed is moved once to',
        `"${queue.deadLetterQueue}" with the header x-error-reason. Declare nothing, or declare the queue with`,
        'exactly the arguments shown in its channel bindings: RabbitMQ refuses a declaration with others.',
      ].join(' '),
    },
    defaultContentType: 'application/json',
    servers: {
      local: { host: '127.0.0.1:5672', protocol: 'amqp', description: 'RabbitMQ (AMQP_URL)' },
    },
    channels: {
      workQueue: {
        address: queue.name,
        title: 'Work queue',
        description: 'RPC requests and create events, consumed by competing workers (manual ack, bounded prefetch).',
        messages: {
          listRequest: ref('messages', 'ListRequest'),
          metaRequest: ref('messages', 'MetaRequest'),
          createRequest: ref('messages', 'CreateRequest'),
          createEvent: ref('messages', 'CreateEvent'),
        },
        bindings: {
          amqp: {
            is: 'queue',
            queue: { name: queue.name, durable: true, exclusive: false, autoDelete: false, vhost: '/' },
            bindingVersion: '0.3.0',
          },
        },
      },
      replies: {
        address: null,
        title: 'Replies',
        description: 'The queue named by the request\'s reply_to (amq.rabbitmq.reply-to for direct reply-to); correlation_id is the request\'s.',
        messages: {
          listReply: ref('messages', 'ListReply'),
          metaReply: ref('messages', 'MetaReply'),
          createReply: ref('messages', 'CreateReply'),
          errorReply: ref('messages', 'ErrorReply'),
        },
      },
      deadLetters: {
        address: queue.deadLetterQueue,
        title: 'Dead letters',
        description: `Messages that can never succeed: not JSON, no or unknown pattern, an event that fails validation, authentication or a rule. Each is there once, with its original body and properties (less user_id and the TTL) and the header x-error-reason. A valid event whose database is unavailable is never here: it waits in ${queue.retryQueue} for as long as the outage lasts. Nor is an RPC request nobody waits for any more: one that expires in the work queue is dropped (nothing is bound to its dead-letter exchange ${queue.deadLetterExchange}), and a worker discards one it takes after the deadline in its x-reply-deadline header.`,
        messages: { deadLetter: ref('messages', 'DeadLetter') },
        bindings: { amqp: { is: 'queue', queue: { name: queue.deadLetterQueue, durable: true, exclusive: false, autoDelete: false, vhost: '/' }, bindingVersion: '0.3.0' } },
      },
      domainEvents: {
        address: DomainEvents.conversationCreated,
        title: 'Domain events',
        description: `The durable topic exchange named by EVENTS_EXCHANGE ("${eventsExchange}" by default), declared by the workers. Bind a queue of your own with the routing key "${DomainEvents.conversationCreated}" (or "conversation.#"). Every conversation created by any path (HTTP, RPC, event) is announced once its transaction has committed, through a transactional outbox relayed with publisher confirms: nothing is announced for a create that failed, and a broker outage delays events without losing them. Delivery is at least once: a relay that crashes after publishing and before recording it publishes the event again, so de-duplicate on event_id (also the AMQP message_id).`,
        messages: { conversationCreated: ref('messages', 'ConversationCreated') },
        bindings: {
          amqp: { is: 'routingKey', exchange: { name: eventsExchange, type: 'topic', durable: true, autoDelete: false, vhost: '/' }, bindingVersion: '0.3.0' },
        },
      },
    },
    operations: {
      listConversations: {
        action: 'send',
        channel: { $ref: '#/channels/workQueue' },
        title: Patterns.list,
        summary: 'One page of conversations with the four counts (SPEC 4.1).',
        messages: [{ $ref: '#/channels/workQueue/messages/listRequest' }],
        reply: {
          address: { location: '$message.header#/reply_to' },
          channel: { $ref: '#/channels/replies' },
          messages: [{ $ref: '#/channels/replies/messages/listReply' }, { $ref: '#/channels/replies/messages/errorReply' }],
        },
      },
      conversationCounts: {
        action: 'send',
        channel: { $ref: '#/channels/workQueue' },
        title: Patterns.meta,
        summary: 'The four counts only.',
        messages: [{ $ref: '#/channels/workQueue/messages/metaRequest' }],
        reply: {
          address: { location: '$message.header#/reply_to' },
          channel: { $ref: '#/channels/replies' },
          messages: [{ $ref: '#/channels/replies/messages/metaReply' }, { $ref: '#/channels/replies/messages/errorReply' }],
        },
      },
      createConversation: {
        action: 'send',
        channel: { $ref: '#/channels/workQueue' },
        title: Patterns.create,
        summary: 'Create a conversation and get it back (SPEC 4.2).',
        messages: [{ $ref: '#/channels/workQueue/messages/createRequest' }],
        reply: {
          address: { location: '$message.header#/reply_to' },
          channel: { $ref: '#/channels/replies' },
          messages: [{ $ref: '#/channels/replies/messages/createReply' }, { $ref: '#/channels/replies/messages/errorReply' }],
        },
      },
      publishCreateEvent: {
        action: 'send',
        channel: { $ref: '#/channels/workQueue' },
        title: `${Patterns.create} (event)`,
        summary: 'Create a conversation without waiting for it: persistent, confirmed, de-duplicated on idempotency_key or message_id.',
        messages: [{ $ref: '#/channels/workQueue/messages/createEvent' }],
        bindings: { amqp: { deliveryMode: 2, ack: true, bindingVersion: '0.3.0' } },
      },
      readDeadLetters: {
        action: 'receive',
        channel: { $ref: '#/channels/deadLetters' },
        summary: 'For operators: what was refused, and why (x-error-reason).',
        messages: [{ $ref: '#/channels/deadLetters/messages/deadLetter' }],
      },
      onConversationCreated: {
        action: 'receive',
        channel: { $ref: '#/channels/domainEvents' },
        title: DomainEvents.conversationCreated,
        summary: 'A conversation was created (committed). At least once: de-duplicate on event_id.',
        messages: [{ $ref: '#/channels/domainEvents/messages/conversationCreated' }],
      },
    },
    components: {
      messages: {
        ListRequest: rpcMessage('ListRequest', Patterns.list, 'ListConversationsMessage', 'List conversations'),
        MetaRequest: rpcMessage('MetaRequest', Patterns.meta, 'ListConversationsMessage', 'Count conversations'),
        CreateRequest: rpcMessage('CreateRequest', Patterns.create, 'CreateConversationMessage', 'Create a conversation'),
        CreateEvent: {
          name: 'CreateEvent',
          title: `${Patterns.create} (event)`,
          contentType: 'application/json',
          headers: { type: 'object', properties: { message_id: { type: 'string', description: 'AMQP property: de-duplication when no idempotency_key is given' } } },
          payload: envelope(Patterns.create, 'CreateConversationMessage', false),
        },
        ListReply: { name: 'ListReply', correlationId: { location: '$message.header#/correlation_id' }, payload: replyEnvelope(ref('schemas', 'ConversationList')) },
        MetaReply: { name: 'MetaReply', correlationId: { location: '$message.header#/correlation_id' }, payload: replyEnvelope(ref('schemas', 'ConversationMeta')) },
        CreateReply: { name: 'CreateReply', correlationId: { location: '$message.header#/correlation_id' }, payload: replyEnvelope(ref('schemas', 'Conversation')) },
        ErrorReply: {
          name: 'ErrorReply',
          summary: 'Any failed request: the HTTP status the same request gets over HTTP, and why.',
          correlationId: { location: '$message.header#/correlation_id' },
          payload: { type: 'object', required: ['err', 'isDisposed'], properties: { err: ref('schemas', 'ErrorReply'), isDisposed: { const: true } } },
        },
        ConversationCreated: {
          name: 'ConversationCreated',
          title: DomainEvents.conversationCreated,
          summary: 'The <conversation> exactly as the create answered it, plus event, event_id and occurred_at.',
          contentType: 'application/json',
          headers: {
            type: 'object',
            required: [ACCOUNT_ID_HEADER],
            properties: { [ACCOUNT_ID_HEADER]: { type: 'integer', description: 'the account of the conversation' } },
          },
          payload: ref('schemas', 'ConversationCreatedEvent'),
          bindings: { amqp: { messageType: DomainEvents.conversationCreated, bindingVersion: '0.3.0' } },
        },
        DeadLetter: {
          name: 'DeadLetter',
          summary: 'The refused message, body and properties unchanged.',
          headers: { type: 'object', required: ['x-error-reason'], properties: { 'x-error-reason': { type: 'string' } } },
          payload: {},
        },
      },
      schemas: {
        ...dtoSchemas,
        ...ReplySchemas,
        ConversationCreatedEvent: {
          allOf: [
            ref('schemas', 'Conversation'),
            {
              type: 'object',
              required: ['event', 'event_id', 'occurred_at'],
              properties: {
                event: { const: DomainEvents.conversationCreated },
                event_id: { type: 'string', format: 'uuid', description: 'unique per event: de-duplicate on it' },
                occurred_at: { type: 'integer', description: 'unix seconds' },
              },
            },
          ],
        },
      },
    },
  };
}
