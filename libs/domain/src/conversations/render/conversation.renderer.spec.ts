import type { MessageJson } from '#app/contracts';
import { renderConversation } from '#app/domain';
import type { ConversationRow } from '../sql/conversation-select.js';

const MESSAGE: MessageJson = {
  id: 501,
  content: 'hi',
  account_id: 1,
  inbox_id: 2,
  conversation_id: 12,
  message_type: 0,
  private: false,
  status: 'sent',
  content_type: 'text',
  created_at: 1767348000,
  sender: { id: 9, name: 'Carl', type: 'contact', thumbnail: '' },
};

/** A row as the conversation select returns it: assigned, with a team and a message. */
function row(overrides: Partial<ConversationRow> = {}): ConversationRow {
  return {
    display_id: 12,
    uuid: '0b4e7a0e-5b1a-4c57-9a4e-3f7f2d9b1c11',
    account_id: 1,
    inbox_id: 2,
    status: 0,
    priority: 2,
    labels: ['billing', 'vip'],
    additional_attributes: { browser: { name: 'Firefox' } },
    custom_attributes: { plan: 'gold' },
    snoozed_until: null,
    created_at: 1767261600,
    updated_at: 1767348100,
    last_activity_at: 1767348000,
    agent_last_seen_at: 1767300000,
    assignee_last_seen_at: 0,
    contact_last_seen_at: 1767348000,
    first_reply_created_at: 0,
    waiting_since: 1767348000,
    channel_type: 'Channel::Api',
    hmac_verified: false,
    contact_id: 9,
    contact_name: 'Carl',
    contact_email: 'carl@x.test',
    contact_phone_number: '+15550001',
    contact_identifier: 'crm-1',
    contact_additional_attributes: { city: 'Lisbon' },
    contact_custom_attributes: {},
    contact_blocked: false,
    contact_created_at: 1767000000,
    contact_last_activity_at: 1767348000,
    assignee_id: 3,
    assignee_name: 'Ben Agent',
    assignee_display_name: 'Benny',
    assignee_email: 'ben@acme.test',
    assignee_role: 0,
    team_id: 4,
    team_name: 'Sales',
    team_description: 'Sells things',
    team_allow_auto_assign: false,
    team_account_id: 1,
    latest_message: MESSAGE,
    last_non_activity_message: MESSAGE,
    unread_count: 3,
    ...overrides,
  };
}

describe('renderConversation', () => {
  it('renders the <conversation> of SPEC 4.3', () => {
    expect(renderConversation(row())).toStrictEqual({
      meta: {
        sender: {
          id: 9,
          name: 'Carl',
          email: 'carl@x.test',
          phone_number: '+15550001',
          identifier: 'crm-1',
          thumbnail: '',
          additional_attributes: { city: 'Lisbon' },
          custom_attributes: {},
          blocked: false,
          availability_status: 'offline',
          created_at: 1767000000,
          last_activity_at: 1767348000,
        },
        channel: 'Channel::Api',
        assignee: {
          id: 3,
          account_id: 1,
          name: 'Ben Agent',
          available_name: 'Benny',
          email: 'ben@acme.test',
          role: 'agent',
          availability_status: 'offline',
          thumbnail: '',
        },
        assignee_type: 'User',
        team: { id: 4, name: 'Sales', description: 'Sells things', allow_auto_assign: false, account_id: 1 },
        hmac_verified: false,
      },
      id: 12,
      messages: [MESSAGE],
      account_id: 1,
      uuid: '0b4e7a0e-5b1a-4c57-9a4e-3f7f2d9b1c11',
      additional_attributes: { browser: { name: 'Firefox' } },
      custom_attributes: { plan: 'gold' },
      inbox_id: 2,
      labels: ['billing', 'vip'],
      status: 'open',
      priority: 'high',
      muted: false,
      can_reply: true,
      snoozed_until: null,
      created_at: 1767261600,
      updated_at: 1767348100,
      timestamp: 1767348000,
      last_activity_at: 1767348000,
      agent_last_seen_at: 1767300000,
      assignee_last_seen_at: 0,
      contact_last_seen_at: 1767348000,
      first_reply_created_at: 0,
      waiting_since: 1767348000,
      unread_count: 3,
      last_non_activity_message: MESSAGE,
    });
  });

  it("lists the top-level keys in Chatwoot's order", () => {
    expect(Object.keys(renderConversation(row()))).toEqual([
      'meta',
      'id',
      'messages',
      'account_id',
      'uuid',
      'additional_attributes',
      'custom_attributes',
      'inbox_id',
      'labels',
      'status',
      'priority',
      'muted',
      'can_reply',
      'snoozed_until',
      'created_at',
      'updated_at',
      'timestamp',
      'last_activity_at',
      'agent_last_seen_at',
      'assignee_last_seen_at',
      'contact_last_seen_at',
      'first_reply_created_at',
      'waiting_since',
      'unread_count',
      'last_non_activity_message',
    ]);
  });

  it('exposes the display id, never the internal key', () => {
    const rendered = renderConversation(row({ display_id: 77 }));
    expect(rendered.id).toBe(77);
    expect(JSON.stringify(rendered)).not.toContain('display_id');
  });

  it('omits assignee and assignee_type when unassigned (keys absent, not null)', () => {
    const { meta } = renderConversation(
      row({ assignee_id: null, assignee_name: null, assignee_display_name: null, assignee_email: null, assignee_role: null }),
    );
    expect(Object.keys(meta)).toEqual(expect.arrayContaining(['sender', 'channel', 'team', 'hmac_verified']));
    expect(meta).not.toHaveProperty('assignee');
    expect(meta).not.toHaveProperty('assignee_type');
  });

  it('omits team when there is none (key absent, not null)', () => {
    const { meta } = renderConversation(
      row({ team_id: null, team_name: null, team_description: null, team_allow_auto_assign: null, team_account_id: null }),
    );
    expect(meta).not.toHaveProperty('team');
    expect(meta.assignee_type).toBe('User');
  });

  it('renders only sender, channel and hmac_verified for an unassigned conversation without a team', () => {
    const { meta } = renderConversation(row({ assignee_id: null, team_id: null, hmac_verified: true }));
    expect(Object.keys(meta).sort()).toEqual(['channel', 'hmac_verified', 'sender']);
    expect(meta.hmac_verified).toBe(true);
  });

  describe('available_name', () => {
    it('is the display name when set', () => {
      expect(renderConversation(row({ assignee_display_name: 'Benny' })).meta.assignee?.available_name).toBe('Benny');
    });

    it('falls back to the name when the display name is null or empty', () => {
      expect(renderConversation(row({ assignee_display_name: null })).meta.assignee?.available_name).toBe('Ben Agent');
      expect(renderConversation(row({ assignee_display_name: '' })).meta.assignee?.available_name).toBe('Ben Agent');
    });
  });

  it.each([
    [0, 'agent'],
    [1, 'administrator'],
  ])('renders role %d as %s', (code, role) => {
    expect(renderConversation(row({ assignee_role: code })).meta.assignee?.role).toBe(role);
  });

  it.each([
    [0, 'open'],
    [1, 'resolved'],
    [2, 'pending'],
    [3, 'snoozed'],
  ])('renders status %d as %s', (code, status) => {
    expect(renderConversation(row({ status: code })).status).toBe(status);
  });

  it.each([
    [null, null],
    [0, 'low'],
    [1, 'medium'],
    [2, 'high'],
    [3, 'urgent'],
  ])('renders priority %p as %p', (code, priority) => {
    expect(renderConversation(row({ priority: code })).priority).toBe(priority);
  });

  it('renders snoozed_until as an ISO-8601 string', () => {
    const rendered = renderConversation(row({ status: 3, snoozed_until: new Date('2026-03-01T09:30:00Z') }));
    expect(rendered.snoozed_until).toBe('2026-03-01T09:30:00.000Z');
    expect(rendered.status).toBe('snoozed');
  });

  it('renders no messages as [] and no last message as null', () => {
    const rendered = renderConversation(row({ latest_message: null, last_non_activity_message: null }));
    expect(rendered.messages).toEqual([]);
    expect(rendered.last_non_activity_message).toBeNull();
  });

  it('uses last_activity_at as the timestamp', () => {
    const rendered = renderConversation(row({ last_activity_at: 1800000000 }));
    expect(rendered.timestamp).toBe(1800000000);
    expect(rendered.last_activity_at).toBe(1800000000);
  });

  it('renders unset timestamps as 0, as the row gives them', () => {
    const rendered = renderConversation(row({ waiting_since: 0, agent_last_seen_at: 0 }));
    expect(rendered.waiting_since).toBe(0);
    expect(rendered.agent_last_seen_at).toBe(0);
  });

  it('renders a team whose allow_auto_assign and account are unknown with the defaults', () => {
    expect(renderConversation(row({ team_allow_auto_assign: null, team_account_id: null, team_description: null })).meta.team).toStrictEqual({
      id: 4,
      name: 'Sales',
      description: null,
      allow_auto_assign: true,
      account_id: 1,
    });
  });
});
