import type { ConsumeMessage } from 'amqplib';
import { deliveryKind, isRpcRequest } from './delivery.js';

/** A delivered message with these AMQP properties and this body. */
function delivered(properties: Partial<ConsumeMessage['properties']>, body: unknown): ConsumeMessage {
  return { content: Buffer.from(JSON.stringify(body)), fields: {}, properties: { headers: {}, ...properties } } as ConsumeMessage;
}

const envelope = { pattern: 'conversations.list', data: {}, id: 'r1' };
const { id: _id, ...withoutId } = envelope;

describe('deliveryKind', () => {
  it('is an RPC request with reply_to, correlation_id and an envelope id', () => {
    const message = delivered({ replyTo: 'amq.rabbitmq.reply-to', correlationId: 'c1' }, envelope);
    expect(deliveryKind(message)).toEqual({ kind: 'rpc' });
    expect(isRpcRequest(message)).toBe(true);
  });

  it('is an event without reply_to, whatever else it carries', () => {
    expect(deliveryKind(delivered({}, withoutId))).toEqual({ kind: 'event' });
    expect(deliveryKind(delivered({ correlationId: 'c1' }, envelope))).toEqual({ kind: 'event' });
  });

  it.each([
    ['no correlation_id', {}, envelope, ['correlation_id property']],
    ['no envelope id', { correlationId: 'c1' }, withoutId, ['id in the body']],
    ['an id that is no string or number', { correlationId: 'c1' }, { ...envelope, id: { x: 1 } }, ['id in the body']],
    ['neither', {}, withoutId, ['correlation_id property', 'id in the body']],
  ])('is incomplete with reply_to and %s: neither an RPC request nor an event', (_name, properties, body, missing) => {
    const message = delivered({ replyTo: 'amq.rabbitmq.reply-to', ...properties }, body);
    expect(deliveryKind(message)).toEqual({ kind: 'incomplete', missing });
    expect(isRpcRequest(message)).toBe(false);
  });

  it('reads a correlation_id sent as a header as no correlation_id at all: it is a property', () => {
    const message = delivered({ replyTo: 'amq.rabbitmq.reply-to', headers: { correlation_id: 'c1' } }, envelope);
    expect(deliveryKind(message)).toEqual({ kind: 'incomplete', missing: ['correlation_id property'] });
  });
});
