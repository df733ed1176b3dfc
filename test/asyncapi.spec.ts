import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { ASYNCAPI_FILE, asyncApiYaml } from '../apps/cli/src/asyncapi.js';
import { asyncApiDocument } from '../apps/cli/src/asyncapi/asyncapi-document.js';
import { DEAD_LETTER_REASONS, queueDefinition } from '../libs/contracts/src/index.js';
import { renderConversation } from '../libs/domain/src/conversations/render/conversation.renderer.js';
import type { ConversationRow } from '../libs/domain/src/conversations/sql/conversation-select.js';

const committed = readFileSync(ASYNCAPI_FILE, 'utf8');

let document: Record<string, any>;
beforeAll(async () => {
  document = await asyncApiDocument();
});
const schemas = () => document.components.schemas as Record<string, any>;

describe('docs/asyncapi.yaml', () => {
  it('is what `npm run asyncapi` generates from the contracts today (rerun it after changing a DTO)', async () => {
    expect(committed).toBe(await asyncApiYaml());
  });

  it('parses as AsyncAPI 3 without a single error', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(committed);
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(parsed?.operations().all().map((o) => o.id())).toEqual([
      'listConversations',
      'conversationCounts',
      'createConversation',
      'publishCreateEvent',
      'readDeadLetters',
      'onConversationCreated',
    ]);
  });

  it('describes request payloads with the DTOs\' own rules', () => {
    expect(schemas().ListConversationsQuery.properties.status.enum).toEqual(['open', 'resolved', 'pending', 'snoozed', 'all']);
    expect(schemas().CreateConversationMessage.required).toEqual(expect.arrayContaining(['api_access_token', 'account_id', 'body']));
    expect(Object.keys(schemas().CreateConversationBody.properties).sort()).toEqual(
      ['additional_attributes', 'assignee_id', 'contact_id', 'custom_attributes', 'inbox_id', 'message', 'snoozed_until', 'source_id', 'status', 'team_id'],
    );
  });

  it('names every key the worker renders in a <conversation>', () => {
    const schema = schemas().Conversation;
    const rendered = renderConversation(sampleRow());
    expect(Object.keys(schema.properties)).toEqual(Object.keys(rendered));
    expect(Object.keys(schema.properties.meta.properties).sort()).toEqual(Object.keys(rendered.meta).sort());
    expect(Object.keys(schema.properties.meta.properties.sender.properties)).toEqual(Object.keys(rendered.meta.sender));
    expect(Object.keys(schema.properties.meta.properties.assignee.properties)).toEqual(Object.keys(rendered.meta.assignee ?? {}));
    expect(Object.keys(schema.properties.meta.properties.team.properties)).toEqual(Object.keys(rendered.meta.team ?? {}));
  });
});

describe('the queues as the document gives them', () => {
  const channel = (name: string) => document.channels[name];

  it('are parameters of RMQ_QUEUE: {queue}, {queue}.retry, {queue}.dlq', () => {
    expect(['workQueue', 'retryQueue', 'deadLetters'].map((name) => [channel(name).address, channel(name).bindings.amqp.queue.name])).toEqual([
      ['{queue}', '{queue}'],
      ['{queue}.retry', '{queue}.retry'],
      ['{queue}.dlq', '{queue}.dlq'],
    ]);
    expect(document.components.parameters.queue).toMatchObject({ default: 'conversations', description: expect.stringContaining('RMQ_QUEUE') });
  });

  it('carry the arguments the service declares them with', () => {
    const queue = queueDefinition('{queue}');
    expect(channel('workQueue').bindings.amqp.queue).toMatchObject({ durable: true, arguments: queue.options.arguments });
    expect(channel('workQueue').bindings.amqp.queue.arguments).toEqual({
      'x-queue-type': 'classic',
      'x-dead-letter-exchange': '{queue}.dlx',
      'x-dead-letter-routing-key': '{queue}.dlq',
    });
    expect(channel('retryQueue').bindings.amqp.queue.arguments).toEqual(queue.retryQueueOptions.arguments);
    expect(channel('deadLetters').bindings.amqp.queue.arguments).toEqual(queue.deadLetterQueueOptions.arguments);
  });
});

describe('AMQP properties', () => {
  const message = (name: string) => document.components.messages[name];
  const properties = (name: string) => message(name).bindings.amqp['x-properties'];

  it('are in the message bindings, never headers', () => {
    for (const [name, msg] of Object.entries<any>(document.components.messages)) {
      const headers = Object.keys(msg.headers?.properties ?? {});
      expect([name, headers.filter((h) => /^(reply_to|correlation_id|message_id|expiration|delivery_mode|content_type)$/.test(h))]).toEqual([name, []]);
      expect([name, msg.correlationId]).toEqual([name, undefined]);
    }
    expect(properties('CreateRequest').required).toEqual(['reply_to', 'correlation_id']);
    expect(Object.keys(properties('CreateRequest').properties).sort()).toEqual(['content_type', 'correlation_id', 'delivery_mode', 'expiration', 'message_id', 'reply_to']);
    expect(Object.keys(properties('CreateEvent').properties).sort()).toEqual(['content_type', 'delivery_mode', 'message_id', 'reply_to']);
    expect(properties('CreateEvent').not).toEqual({ required: ['reply_to'] });
  });

  it('of every reply: its correlation_id and content_type application/json', () => {
    for (const name of ['ListReply', 'MetaReply', 'CreateReply', 'ErrorReply']) {
      expect([name, properties(name).required, properties(name).properties.content_type.const]).toEqual([name, ['correlation_id', 'content_type'], 'application/json']);
    }
  });
});

describe('the dead letters', () => {
  it('document x-error-reason as status first, with every reason the worker gives', () => {
    const deadLetter = document.components.messages.DeadLetter;
    const reason = deadLetter.headers.properties['x-error-reason'];
    expect(reason.examples).toEqual(DEAD_LETTER_REASONS.map((r) => r.reason));
    for (const example of reason.examples) expect(example).toMatch(new RegExp(reason.pattern));
    expect(deadLetter.description).toContain('400 incomplete RPC request');
    expect(deadLetter.description).toContain('400 conversations.list is answered only as an RPC request');
  });
});

/** A row with an assignee and a team, so that every optional key is rendered. */
function sampleRow(): ConversationRow {
  return {
    display_id: 7, uuid: '0b6f5f4e-8a5e-4c1e-9d7a-1f2e3d4c5b6a', account_id: 1, inbox_id: 2, status: 0, priority: 2, labels: ['a'],
    additional_attributes: {}, custom_attributes: {}, snoozed_until: null, created_at: 1, updated_at: 2, last_activity_at: 3,
    agent_last_seen_at: 0, assignee_last_seen_at: 0, contact_last_seen_at: 0, first_reply_created_at: 0, waiting_since: 0,
    channel_type: 'Channel::Api', hmac_verified: false, contact_id: 4, contact_name: 'C', contact_email: null, contact_phone_number: null,
    contact_identifier: null, contact_additional_attributes: {}, contact_custom_attributes: {}, contact_blocked: false,
    contact_created_at: 1, contact_last_activity_at: 0, assignee_id: 5, assignee_name: 'A', assignee_display_name: null,
    assignee_email: 'a@x.test', assignee_role: 1, team_id: 6, team_name: 'T', team_description: null, team_allow_auto_assign: true,
    team_account_id: 1, latest_message: null, last_non_activity_message: null, unread_count: 0,
  };
}
