import { deadLetterQueueName, ERROR_REASON_HEADER, QUEUE_TYPES, queueDefinition } from '#app/contracts';

describe('queueDefinition', () => {
  it('is durable and dead-letters into <queue>.dlx, routed to <queue>.dlq', () => {
    expect(queueDefinition('conversations')).toEqual({
      name: 'conversations',
      type: 'classic',
      deadLetterExchange: 'conversations.dlx',
      deadLetterQueue: 'conversations.dlq',
      retryQueue: 'conversations.retry',
      options: {
        durable: true,
        arguments: {
          'x-queue-type': 'classic',
          'x-dead-letter-exchange': 'conversations.dlx',
          'x-dead-letter-routing-key': 'conversations.dlq',
        },
      },
      deadLetterQueueOptions: { durable: true, arguments: { 'x-queue-type': 'classic' } },
      retryQueueOptions: {
        durable: true,
        arguments: { 'x-queue-type': 'classic', 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'conversations' },
      },
    });
  });

  it('follows the configured queue name', () => {
    const definition = queueDefinition('e2e-1234.work');
    expect(definition.name).toBe('e2e-1234.work');
    expect(definition.deadLetterQueue).toBe('e2e-1234.work.dlq');
    expect(definition.deadLetterExchange).toBe('e2e-1234.work.dlx');
    expect(definition.retryQueue).toBe('e2e-1234.work.retry');
    expect(definition.options.arguments).toEqual({
      'x-queue-type': 'classic',
      'x-dead-letter-exchange': 'e2e-1234.work.dlx',
      'x-dead-letter-routing-key': 'e2e-1234.work.dlq',
    });
    // An expired retry goes back to the work queue through the default exchange.
    expect(definition.retryQueueOptions.arguments['x-dead-letter-exchange']).toBe('');
    expect(definition.retryQueueOptions.arguments['x-dead-letter-routing-key']).toBe('e2e-1234.work');
  });

  it('declares every queue with the requested type', () => {
    expect([...QUEUE_TYPES]).toEqual(['classic', 'quorum']);
    const quorum = queueDefinition('q', 'quorum');
    expect(quorum.type).toBe('quorum');
    expect(quorum.options.arguments['x-queue-type']).toBe('quorum');
    expect(quorum.deadLetterQueueOptions.arguments['x-queue-type']).toBe('quorum');
    expect(quorum.retryQueueOptions.arguments['x-queue-type']).toBe('quorum');
    expect([quorum.options.durable, quorum.deadLetterQueueOptions.durable, quorum.retryQueueOptions.durable]).toEqual([true, true, true]);
  });

  it('gives equal arguments every time (RabbitMQ refuses a redeclaration that differs)', () => {
    expect(queueDefinition('q')).toEqual(queueDefinition('q'));
    expect(queueDefinition('q', 'classic')).toEqual(queueDefinition('q'));
  });

  it('names the dead-letter queue and the reason header of SPEC 5', () => {
    expect(deadLetterQueueName('conversations')).toBe('conversations.dlq');
    expect(ERROR_REASON_HEADER).toBe('x-error-reason');
  });
});
