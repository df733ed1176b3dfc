/**
 * The one statement shape that renders conversations: everything SPEC 4.3 shows, joined in one
 * query whatever the page holds (no per-row queries). The list joins it to a page of ids, the create
 * to the one new conversation.
 */

/**
 * Integer unix seconds of a timestamp, 0 when unset (as Chatwoot renders them). Truncated to the second
 * first, the epoch is a whole number that float8 holds exactly: the same value as
 * floor(extract(epoch ...)), without extract's numeric arithmetic (a fifth of the page's cost).
 */
const epoch = (column: string) => `COALESCE(date_part('epoch', date_trunc('second', ${column})), 0)`;

const MESSAGE_STATUSES = `(ARRAY['sent','delivered','read','failed'])`;

const senderJson = (m: string) => `CASE ${m}.sender_type
    WHEN 'Contact' THEN (SELECT json_build_object('id', s.id, 'name', s.name, 'type', 'contact', 'thumbnail', '') FROM contacts s WHERE s.id = ${m}.sender_id)
    WHEN 'User' THEN (SELECT json_build_object('id', s.id, 'name', s.name, 'type', 'user', 'thumbnail', '') FROM users s WHERE s.id = ${m}.sender_id)
    WHEN 'AgentBot' THEN (SELECT json_build_object('id', s.id, 'name', s.name, 'type', 'agent_bot', 'thumbnail', '') FROM agent_bots s WHERE s.id = ${m}.sender_id)
  END`;

/** A message as SPEC 4.3 renders it, built by Postgres (`conversation_id` is the display id). */
const messageJson = (m: string) => `CASE WHEN ${m}.id IS NULL THEN NULL ELSE json_build_object(
    'id', ${m}.id, 'content', ${m}.content, 'account_id', ${m}.account_id, 'inbox_id', ${m}.inbox_id,
    'conversation_id', c.display_id, 'message_type', ${m}.message_type, 'private', ${m}.private,
    'status', ${MESSAGE_STATUSES}[${m}.status + 1], 'content_type', ${m}.content_type,
    'created_at', date_part('epoch', date_trunc('second', ${m}.created_at))::bigint, 'sender', ${senderJson(m)}) END`;

/**
 * The latest message, and the latest that is not an activity: the same message unless the latest is an
 * activity, so the second lookup (and its JSON) runs only then.
 */
const LATEST_MESSAGES = `LEFT JOIN LATERAL (
    SELECT m.message_type, ${messageJson('m')} AS json FROM messages m WHERE m.conversation_id = c.id
     ORDER BY m.created_at DESC, m.id DESC LIMIT 1) lm ON true
  LEFT JOIN LATERAL (
    SELECT CASE WHEN lm.message_type IS NULL THEN NULL WHEN lm.message_type <> 2 THEN lm.json ELSE (
      SELECT ${messageJson('m')} FROM messages m WHERE m.conversation_id = c.id AND m.message_type <> 2
       ORDER BY m.created_at DESC, m.id DESC LIMIT 1) END AS json) lnm ON true`;

/** Incoming messages since the agent last looked, counted up to Chatwoot's cap of 10. */
const UNREAD_COUNT = `(SELECT count(*)::int FROM (
    SELECT 1 FROM messages um
     WHERE um.conversation_id = c.id AND um.message_type = 0
       AND um.created_at > COALESCE(c.agent_last_seen_at, '-infinity'::timestamptz)
     LIMIT 10) unread)`;

const SELECT_LIST = `
  c.display_id, c.uuid, c.account_id, c.inbox_id, c.status, c.priority, c.labels,
  c.additional_attributes, c.custom_attributes, c.snoozed_until,
  ${epoch('c.created_at')} AS created_at, ${epoch('c.updated_at')} AS updated_at,
  ${epoch('c.last_activity_at')} AS last_activity_at, ${epoch('c.agent_last_seen_at')} AS agent_last_seen_at,
  ${epoch('c.assignee_last_seen_at')} AS assignee_last_seen_at, ${epoch('c.contact_last_seen_at')} AS contact_last_seen_at,
  ${epoch('c.first_reply_created_at')} AS first_reply_created_at, ${epoch('c.waiting_since')} AS waiting_since,
  i.channel_type, ci.hmac_verified,
  ct.id AS contact_id, ct.name AS contact_name, ct.email AS contact_email, ct.phone_number AS contact_phone_number,
  ct.identifier AS contact_identifier, ct.additional_attributes AS contact_additional_attributes,
  ct.custom_attributes AS contact_custom_attributes, ct.blocked AS contact_blocked,
  ${epoch('ct.created_at')} AS contact_created_at, ${epoch('ct.last_activity_at')} AS contact_last_activity_at,
  u.id AS assignee_id, u.name AS assignee_name, u.display_name AS assignee_display_name, u.email AS assignee_email,
  au.role AS assignee_role,
  t.id AS team_id, t.name AS team_name, t.description AS team_description,
  t.allow_auto_assign AS team_allow_auto_assign, t.account_id AS team_account_id,
  lm.json AS latest_message,
  lnm.json AS last_non_activity_message,
  ${UNREAD_COUNT} AS unread_count`;

const JOINS = `
  JOIN inboxes i ON i.id = c.inbox_id
  JOIN contacts ct ON ct.id = c.contact_id
  JOIN contact_inboxes ci ON ci.id = c.contact_inbox_id
  LEFT JOIN users u ON u.id = c.assignee_id
  LEFT JOIN account_users au ON au.user_id = c.assignee_id AND au.account_id = c.account_id
  LEFT JOIN teams t ON t.id = c.team_id
  ${LATEST_MESSAGES}`;

/** Renders the conversations whose internal ids `idsSubquery` yields, in `orderBy` order. */
export function selectConversationsSql(idsSubquery: string, orderBy: string): string {
  return `SELECT ${SELECT_LIST}
            FROM (${idsSubquery}) page
            JOIN conversations c ON c.id = page.id
            ${JOINS}
           ORDER BY ${orderBy}`;
}

/** Renders one conversation by internal id (`$1`). */
export const SELECT_CONVERSATION_BY_ID_SQL = `SELECT ${SELECT_LIST} FROM conversations c ${JOINS} WHERE c.id = $1::bigint`;

/** A row of the statements above. */
export interface ConversationRow {
  display_id: number;
  uuid: string;
  account_id: number;
  inbox_id: number;
  status: number;
  priority: number | null;
  labels: string[];
  additional_attributes: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  snoozed_until: Date | null;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  agent_last_seen_at: number;
  assignee_last_seen_at: number;
  contact_last_seen_at: number;
  first_reply_created_at: number;
  waiting_since: number;
  channel_type: string;
  hmac_verified: boolean;
  contact_id: number;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone_number: string | null;
  contact_identifier: string | null;
  contact_additional_attributes: Record<string, unknown>;
  contact_custom_attributes: Record<string, unknown>;
  contact_blocked: boolean;
  contact_created_at: number;
  contact_last_activity_at: number;
  assignee_id: number | null;
  assignee_name: string | null;
  assignee_display_name: string | null;
  assignee_email: string | null;
  assignee_role: number | null;
  team_id: number | null;
  team_name: string | null;
  team_description: string | null;
  team_allow_auto_assign: boolean | null;
  team_account_id: number | null;
  latest_message: unknown;
  last_non_activity_message: unknown;
  unread_count: number;
}
