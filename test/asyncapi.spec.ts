import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { ASYNCAPI_FILE, asyncApiYaml } from '../apps/cli/src/asyncapi.js';
import { asyncApiDocument } from '../apps/cli/src/asyncapi/asyncapi-document.js';
import { renderConversation } from '../libs/domain/src/conversations/render/conversation.renderer.js';
import type { ConversationRow } from '../libs/domain/src/conversations/sql/conversation-select.js';

const committed = readFileSync(ASYNCAPI_FILE, 'utf8');

describe('docs/asyncapi.yaml', () => {
  it('is what `npm run asyncapi` generates from the contracts today (rerun it after changing a DTO)', () => {
    expect(committed).toBe(asyncApiYaml());
  });

  it('parses as AsyncAPI 3 without a single error', async () => {
    const { document, diagnostics } = await new Parser().parse(committed);
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document?.operations().all().map((o) => o.id())).toEqual([
      'listConversations',
      'conversationCounts',
      'createConversation',
      'publishCreateEvent',
      'readDeadLetters',
      'onConversationCreated',
    ]);
  });

  it('describes request payloads with the DTOs\' own rules', () => {
    const schemas = (asyncApiDocument().components as { schemas: Record<string, any> }).schemas;
    expect(schemas.ListConversationsQuery.properties.status.enum).toEqual(['open', 'resolved', 'pending', 'snoozed', 'all']);
    expect(schemas.CreateConversationMessage.required).toEqual(expect.arrayContaining(['api_access_token', 'account_id', 'body']));
    expect(Object.keys(schemas.CreateConversationBody.properties).sort()).toEqual(
      ['additional_attributes', 'assignee_id', 'contact_id', 'custom_attributes', 'inbox_id', 'message', 'snoozed_until', 'source_id', 'status', 'team_id'],
    );
  });

  it('names every key the worker renders in a <conversation>', () => {
    const schema = (asyncApiDocument().components as { schemas: Record<string, any> }).schemas.Conversation;
    const rendered = renderConversation(sampleRow());
    expect(Object.keys(schema.properties)).toEqual(Object.keys(rendered));
    expect(Object.keys(schema.properties.meta.properties).sort()).toEqual(Object.keys(rendered.meta).sort());
    expect(Object.keys(schema.properties.meta.properties.sender.properties)).toEqual(Object.keys(rendered.meta.sender));
    expect(Object.keys(schema.properties.meta.properties.assignee.properties)).toEqual(Object.keys(rendered.meta.assignee ?? {}));
    expect(Object.keys(schema.properties.meta.properties.team.properties)).toEqual(Object.keys(rendered.meta.team ?? {}));
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
