import {
  ACCOUNT_ID_HEADER,
  DEAD_LETTER_REASONS,
  DomainEvents,
  ERROR_REASON_HEADER,
  Patterns,
  queueDefinition,
  ReplySchemas,
  REQUEST_ID_HEADER,
  RETRY_COUNT_HEADER,
  RPC_DEADLINE_HEADER,
} from '#app/contracts';
import { domainEventProperties, eventProperties, propertiesBinding, queueBinding, replyProperties, rpcRequestProperties } from './amqp-bindings.js';
import { dtoSchemas } from './dto-schemas.js';

/** The work queue's name in channel addresses: the RMQ_QUEUE setting, a parameter of each channel. */
const QUEUE = '{queue}';

const ref = (kind: 'schemas' | 'messages' | 'parameters', name: string) => ({ $ref: `#/components/${kind}/${name}` });
const channelMessage = (channel: string, message: string) => ({ $ref: `#/channels/${channel}/messages/${message}` });

/** `{"pattern", "data", "id"}` with `pattern` fixed; `id` required for an RPC request. */
const envelope = (pattern: string, dataSchema: string, rpc: boolean) => ({
  type: 'object',
  required: ['pattern', 'data', ...(rpc ? ['id'] : [])],
  properties: {
    pattern: { const: pattern },
    data: ref('schemas', dataSchema),
    id: {
      type: ['string', 'number'],
      description: rpc
        ? 'The request id (a UUID, say): with the properties reply_to and correlation_id it makes the message an RPC request.'
        : 'Optional. A create with neither data.idempotency_key nor a message_id is de-duplicated on this id together with its data.',
    },
  },
});

const replyEnvelope = (responseSchema: object) => ({
  type: 'object',
  required: ['response', 'isDisposed'],
  properties: { response: responseSchema, isDisposed: { const: true } },
});

const requestHeaders = {
  type: 'object',
  properties: {
    [RPC_DEADLINE_HEADER]: {
      type: ['integer', 'string'],
      description:
        'Optional: when you stop waiting (unix milliseconds, a number or decimal text). A worker that takes the request later discards it unexecuted and unanswered. Set the expiration property too.',
    },
    [REQUEST_ID_HEADER]: { type: 'string', description: "Optional: a request id of yours; the worker's log lines for the message carry it." },
  },
};

const rpcMessage = (name: string, pattern: string, dataSchema: string, summary: string) => ({
  name,
  title: `${pattern} (RPC)`,
  summary,
  contentType: 'application/json',
  headers: requestHeaders,
  payload: envelope(pattern, dataSchema, true),
  bindings: propertiesBinding(rpcRequestProperties),
});

const replyMessage = (name: string, payload: object, summary: string) => ({
  name,
  summary,
  contentType: 'application/json',
  payload,
  bindings: propertiesBinding(replyProperties),
});

const rpcOperation = (title: string, summary: string, request: string, reply: string) => ({
  action: 'send',
  channel: { $ref: '#/channels/workQueue' },
  title,
  summary,
  messages: [channelMessage('workQueue', request)],
  reply: {
    channel: { $ref: '#/channels/replies' },
    messages: [channelMessage('replies', reply), channelMessage('replies', 'errorReply')],
  },
});

/** Markdown: paragraphs are joined lines, items start with "- ". */
const DESCRIPTION = [
  [
    'Other services list and create support conversations by publishing to the work queue, whose name is the',
    'RMQ_QUEUE setting ({queue} below, "conversations" by default), a JSON body in the NestJS envelope',
    '{"pattern", "data", "id"}. What a message is follows from its AMQP properties (properties, not headers:',
    'a header named correlation_id or message_id is not read):',
  ],
  [
    '- RPC request: the properties reply_to and correlation_id, and an `id` in the body. It gets exactly one reply',
    'on reply_to, with the same correlation_id: {"response", "isDisposed": true} or {"err", "isDisposed": true}.',
  ],
  [
    '- Event: no reply_to. Only conversations.create can be one; it is acknowledged once its effect is committed,',
    'and de-duplicated on data.idempotency_key, else on the message_id property, else on the envelope id with its data.',
  ],
  [
    '- Neither (reply_to without correlation_id or without an envelope id; a list or meta without reply_to, whose',
    'answer nobody could read): moved to {queue}.dlq with its reason, never acknowledged in silence.',
  ],
  [
    'A message that can never succeed is moved once to {queue}.dlq, with the header x-error-reason: the HTTP status',
    'first, then why (see the DeadLetter message). Publish to the queue without declaring it, or declare it with',
    'exactly the arguments of its channel binding (queue.arguments): RabbitMQ refuses a declaration with other',
    'arguments (406 PRECONDITION_FAILED). The message bindings list the AMQP properties of each message',
    '(x-properties); examples/python in the repository publishes and subscribes from this document alone.',
  ],
]
  .map((lines, i, all) => lines.join(' ') + (i === all.length - 1 ? '' : all[i + 1][0].startsWith('- ') ? '\n' : '\n\n'))
  .join('');

/**
 * The AsyncAPI 3 description of the queue contract: generated, not written, so that the
 * payloads are the DTOs' own (the very schemas of the OpenAPI document) and the queue arguments the
 * service's own (queueDefinition). `npm run asyncapi` writes it to docs/asyncapi.yaml.
 */
export async function asyncApiDocument(eventsExchange = 'conversations.events'): Promise<Record<string, unknown>> {
  const queue = queueDefinition(QUEUE);
  const dlqReasons = DEAD_LETTER_REASONS.map(({ reason, when }) => `- \`${reason}\`: ${when}`).join('\n');

  return {
    asyncapi: '3.1.0',
    info: { title: 'Conversations service: message contract', version: '1.0.0', description: DESCRIPTION },
    defaultContentType: 'application/json',
    servers: {
      local: { host: '127.0.0.1:5672', protocol: 'amqp', description: 'RabbitMQ (AMQP_URL)' },
    },
    channels: {
      workQueue: {
        address: queue.name,
        title: 'Work queue',
        description: `RPC requests and create events, consumed by competing workers (manual ack, bounded prefetch). Durable; its arguments name the dead-letter exchange ${queue.deadLetterExchange}, to which nothing is bound, so what RabbitMQ itself dead-letters (an RPC request that expired unanswered) is dropped. x-queue-type is "quorum" instead where the service runs with RMQ_QUEUE_TYPE=quorum.`,
        parameters: { queue: ref('parameters', 'queue') },
        messages: {
          listRequest: ref('messages', 'ListRequest'),
          metaRequest: ref('messages', 'MetaRequest'),
          createRequest: ref('messages', 'CreateRequest'),
          createEvent: ref('messages', 'CreateEvent'),
        },
        bindings: queueBinding(queue.name, queue.options),
      },
      replies: {
        address: null,
        title: 'Replies',
        description: "The queue named by the request's reply_to property (amq.rabbitmq.reply-to for direct reply-to). Each reply carries the request's correlation_id property.",
        messages: {
          listReply: ref('messages', 'ListReply'),
          metaReply: ref('messages', 'MetaReply'),
          createReply: ref('messages', 'CreateReply'),
          errorReply: ref('messages', 'ErrorReply'),
        },
      },
      retryQueue: {
        address: queue.retryQueue,
        title: 'Retry queue',
        description: `The workers' own: do not publish to it. An event whose database is unavailable waits here (per-message TTL, doubling from EVENT_RETRY_DELAY_MS up to EVENT_RETRY_MAX_DELAY_MS, counted in the header ${RETRY_COUNT_HEADER}), then goes back to ${queue.name} through the default exchange, for as long as the outage lasts. Declared by the workers with these arguments.`,
        parameters: { queue: ref('parameters', 'queue') },
        messages: { createEvent: ref('messages', 'CreateEvent') },
        bindings: queueBinding(queue.retryQueue, queue.retryQueueOptions),
      },
      deadLetters: {
        address: queue.deadLetterQueue,
        title: 'Dead letters',
        description: `Messages that can never succeed, each there once, with its original body and properties (less user_id and the expiration) and the header ${ERROR_REASON_HEADER}. A valid event whose database is unavailable is never here (it waits in ${queue.retryQueue}); nor is an RPC request nobody waits for any more (dropped when it expires in the queue; discarded by a worker that takes it after its ${RPC_DEADLINE_HEADER}).`,
        parameters: { queue: ref('parameters', 'queue') },
        messages: { deadLetter: ref('messages', 'DeadLetter') },
        bindings: queueBinding(queue.deadLetterQueue, queue.deadLetterQueueOptions),
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
      listConversations: rpcOperation(Patterns.list, 'One page of conversations with the four counts.', 'listRequest', 'listReply'),
      conversationCounts: rpcOperation(Patterns.meta, 'The four counts only.', 'metaRequest', 'metaReply'),
      createConversation: rpcOperation(Patterns.create, 'Create a conversation and get it back.', 'createRequest', 'createReply'),
      publishCreateEvent: {
        action: 'send',
        channel: { $ref: '#/channels/workQueue' },
        title: `${Patterns.create} (event)`,
        summary: 'Create a conversation without waiting for it: persistent, confirmed, de-duplicated on idempotency_key or message_id.',
        messages: [channelMessage('workQueue', 'createEvent')],
        bindings: { amqp: { deliveryMode: 2, ack: true, bindingVersion: '0.3.0' } },
      },
      readDeadLetters: {
        action: 'receive',
        channel: { $ref: '#/channels/deadLetters' },
        summary: `For operators: what was refused, and why (${ERROR_REASON_HEADER}).`,
        messages: [channelMessage('deadLetters', 'deadLetter')],
      },
      onConversationCreated: {
        action: 'receive',
        channel: { $ref: '#/channels/domainEvents' },
        title: DomainEvents.conversationCreated,
        summary: 'A conversation was created (committed). At least once: de-duplicate on event_id.',
        messages: [channelMessage('domainEvents', 'conversationCreated')],
      },
    },
    components: {
      parameters: {
        queue: {
          description: 'The work queue: the RMQ_QUEUE setting of the service. Its dead-letter queue, retry queue and dead-letter exchange are named after it.',
          default: 'conversations',
          examples: ['conversations'],
        },
      },
      messages: {
        ListRequest: rpcMessage('ListRequest', Patterns.list, 'ListConversationsMessage', 'List conversations'),
        MetaRequest: rpcMessage('MetaRequest', Patterns.meta, 'ListConversationsMessage', 'Count conversations'),
        CreateRequest: rpcMessage('CreateRequest', Patterns.create, 'CreateConversationMessage', 'Create a conversation'),
        CreateEvent: {
          name: 'CreateEvent',
          title: `${Patterns.create} (event)`,
          summary: 'A create nobody waits for: no reply_to.',
          contentType: 'application/json',
          headers: { type: 'object', properties: { [REQUEST_ID_HEADER]: requestHeaders.properties[REQUEST_ID_HEADER] } },
          payload: envelope(Patterns.create, 'CreateConversationMessage', false),
          bindings: propertiesBinding(eventProperties),
        },
        ListReply: replyMessage('ListReply', replyEnvelope(ref('schemas', 'ConversationList')), 'A page and the counts.'),
        MetaReply: replyMessage('MetaReply', replyEnvelope(ref('schemas', 'ConversationMeta')), 'The four counts.'),
        CreateReply: replyMessage('CreateReply', replyEnvelope(ref('schemas', 'Conversation')), 'The created conversation (or, for a repeated idempotency_key, the first one).'),
        ErrorReply: replyMessage(
          'ErrorReply',
          { type: 'object', required: ['err', 'isDisposed'], properties: { err: ref('schemas', 'ErrorReply'), isDisposed: { const: true } } },
          'Any failed request: the HTTP status the same request gets over HTTP, and why.',
        ),
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
          bindings: propertiesBinding(domainEventProperties, { messageType: DomainEvents.conversationCreated }),
        },
        DeadLetter: {
          name: 'DeadLetter',
          summary: 'The refused message, body and properties unchanged, with the reason.',
          description: `${ERROR_REASON_HEADER} is "<status> <why>": the HTTP status the same request gets over HTTP, a space, then why. The reasons:\n\n${dlqReasons}`,
          headers: {
            type: 'object',
            required: [ERROR_REASON_HEADER],
            properties: {
              [ERROR_REASON_HEADER]: {
                type: 'string',
                pattern: '^[45][0-9]{2} .+',
                maxLength: 1000,
                description: 'Status first, then why (see the message description).',
                examples: DEAD_LETTER_REASONS.map(({ reason }) => reason),
              },
            },
          },
          payload: {},
        },
      },
      schemas: {
        ...(await dtoSchemas()),
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
