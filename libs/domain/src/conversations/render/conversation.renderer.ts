import { ROLES, type ConversationJson, type MessageJson } from '#app/contracts';
import type { ConversationRow } from '../sql/conversation-select.js';
import { priorityName, statusName } from '../sql/status-codes.js';

/** A row of the conversation select as the `<conversation>` of SPEC 4.3 (Chatwoot's key order). */
export function renderConversation(row: ConversationRow): ConversationJson {
  const meta: Omit<ConversationJson['meta'], 'hmac_verified'> & { hmac_verified?: boolean } = {
    sender: {
      id: row.contact_id,
      name: row.contact_name,
      email: row.contact_email,
      phone_number: row.contact_phone_number,
      identifier: row.contact_identifier,
      thumbnail: '',
      additional_attributes: row.contact_additional_attributes,
      custom_attributes: row.contact_custom_attributes,
      blocked: row.contact_blocked,
      availability_status: 'offline',
      created_at: row.contact_created_at,
      last_activity_at: row.contact_last_activity_at,
    },
    channel: row.channel_type,
  };
  if (row.assignee_id !== null) {
    meta.assignee = {
      id: row.assignee_id,
      account_id: row.account_id,
      name: row.assignee_name ?? '',
      available_name: row.assignee_display_name || row.assignee_name || '',
      email: row.assignee_email ?? '',
      role: row.assignee_role === null ? 'agent' : (ROLES[row.assignee_role] ?? 'agent'),
      availability_status: 'offline',
      thumbnail: '',
    };
    meta.assignee_type = 'User';
  }
  if (row.team_id !== null) {
    meta.team = {
      id: row.team_id,
      name: row.team_name ?? '',
      description: row.team_description,
      allow_auto_assign: row.team_allow_auto_assign ?? true,
      account_id: row.team_account_id ?? row.account_id,
    };
  }
  meta.hmac_verified = row.hmac_verified; // last, as Chatwoot renders meta
  const latest = row.latest_message as MessageJson | null;
  return {
    meta: meta as ConversationJson['meta'],
    id: row.display_id,
    messages: latest ? [latest] : [],
    account_id: row.account_id,
    uuid: row.uuid,
    additional_attributes: row.additional_attributes,
    custom_attributes: row.custom_attributes,
    inbox_id: row.inbox_id,
    labels: row.labels,
    status: statusName(row.status),
    priority: priorityName(row.priority),
    muted: false,
    can_reply: true,
    snoozed_until: row.snoozed_until ? row.snoozed_until.toISOString() : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    timestamp: row.last_activity_at,
    last_activity_at: row.last_activity_at,
    agent_last_seen_at: row.agent_last_seen_at,
    assignee_last_seen_at: row.assignee_last_seen_at,
    contact_last_seen_at: row.contact_last_seen_at,
    first_reply_created_at: row.first_reply_created_at,
    waiting_since: row.waiting_since,
    unread_count: row.unread_count,
    last_non_activity_message: row.last_non_activity_message as MessageJson | null,
  };
}
