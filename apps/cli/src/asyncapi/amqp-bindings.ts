/**
 * AMQP bindings of the AsyncAPI document. Binding 0.3.0 has no field for a queue's arguments nor for
 * a message's AMQP properties (reply_to, correlation_id, message_id, expiration, delivery_mode,
 * content_type), which are not headers: a client that sends them as headers sends nothing the broker
 * or the worker reads. So the queue bindings carry `arguments` (what queue.declare takes, from
 * queueDefinition) and the message bindings an `x-properties` schema of the properties, under their
 * AMQP names.
 */
import { RPC_DEADLINE_HEADER, type JsonSchema } from '#app/contracts';

const BINDING_VERSION = '0.3.0';

interface QueueOptions {
  durable: boolean;
  arguments: Record<string, string>;
}

/** A queue as the service declares it: declare it exactly so, or not at all (else 406 PRECONDITION_FAILED). */
export function queueBinding(name: string, options: QueueOptions): Record<string, unknown> {
  return {
    amqp: {
      is: 'queue',
      queue: { name, durable: options.durable, exclusive: false, autoDelete: false, vhost: '/', arguments: options.arguments },
      bindingVersion: BINDING_VERSION,
    },
  };
}

/** A message binding whose `x-properties` is the JSON schema of the message's AMQP properties. */
export function propertiesBinding(properties: JsonSchema, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { amqp: { ...extra, 'x-properties': properties, bindingVersion: BINDING_VERSION } };
}

const JSON_CONTENT_TYPE = { const: 'application/json', description: 'content_type: application/json.' };

/** The AMQP properties of an RPC request. */
export const rpcRequestProperties: JsonSchema = {
  type: 'object',
  required: ['reply_to', 'correlation_id'],
  properties: {
    reply_to: {
      type: 'string',
      description:
        "The queue the reply goes to: amq.rabbitmq.reply-to (RabbitMQ's direct reply-to; consume it with no-ack on the channel you publish on, before publishing) or a queue of your own. With it the message must be a complete RPC request: without correlation_id or an envelope id it is dead-lettered (400 incomplete RPC request), never taken for an event.",
      examples: ['amq.rabbitmq.reply-to'],
    },
    correlation_id: { type: 'string', description: 'Any text; the reply carries it back in its own correlation_id property.' },
    content_type: JSON_CONTENT_TYPE,
    expiration: {
      type: 'string',
      pattern: '^\\d+$',
      description: `Optional: milliseconds as decimal text, how long you wait. RabbitMQ drops a request that waits longer in the queue (nothing keeps a copy); set the header ${RPC_DEADLINE_HEADER} too, so that a worker that takes it later discards it.`,
      examples: ['10000'],
    },
    delivery_mode: { enum: [1, 2], description: 'Either: 1 (transient) suits a request somebody waits for.' },
    message_id: { type: 'string', description: 'Optional. A create without data.idempotency_key is de-duplicated on it.' },
  },
};

/** The AMQP properties of a create published as an event. */
export const eventProperties: JsonSchema = {
  type: 'object',
  not: { required: ['reply_to'] },
  properties: {
    message_id: {
      type: 'string',
      description: 'Unique per event (a UUID), the same when you publish it again: a create without data.idempotency_key is applied once per message_id.',
    },
    delivery_mode: { const: 2, description: '2 (persistent), and publish with publisher confirms: the event then survives a broker restart.' },
    content_type: JSON_CONTENT_TYPE,
    reply_to: { description: 'Must be absent: a message with reply_to is an RPC request.' },
  },
};

/** The AMQP properties of a reply, which the worker publishes to the request's reply_to. */
export const replyProperties: JsonSchema = {
  type: 'object',
  required: ['correlation_id', 'content_type'],
  properties: {
    correlation_id: { type: 'string', description: "The request's correlation_id." },
    content_type: JSON_CONTENT_TYPE,
  },
};

/** The AMQP properties of a domain event, as the outbox relay publishes it. */
export const domainEventProperties: JsonSchema = {
  type: 'object',
  required: ['message_id', 'delivery_mode', 'content_type', 'type'],
  properties: {
    message_id: { type: 'string', format: 'uuid', description: 'The event_id: de-duplicate on it.' },
    delivery_mode: { const: 2 },
    content_type: JSON_CONTENT_TYPE,
    type: { type: 'string', description: 'The routing key, e.g. conversation.created.' },
  },
};
