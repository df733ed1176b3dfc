/**
 * JSON schemas of the replies (SPEC 4.1, 4.3). The reply types are interfaces (nothing to reflect on),
 * so they are written here; test/asyncapi.spec.ts checks them against what the renderer produces.
 */
type Schema = Record<string, unknown>;

const integer = { type: 'integer' };
const text = { type: 'string' };
const nullableText = { type: ['string', 'null'] };
const object = { type: 'object' };
const boolean = { type: 'boolean' };
const unixSeconds = { type: 'integer', minimum: 0, description: 'unix seconds; 0 when unset' };

const objectOf = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
});

export const messageSchema = objectOf({
  id: integer,
  content: nullableText,
  account_id: integer,
  inbox_id: integer,
  conversation_id: { ...integer, description: 'the display id' },
  message_type: { type: 'integer', enum: [0, 1, 2, 3], description: '0 incoming, 1 outgoing, 2 activity, 3 template' },
  private: boolean,
  status: text,
  content_type: text,
  created_at: unixSeconds,
  sender: { oneOf: [{ type: 'null' }, objectOf({ id: integer, name: nullableText, type: { enum: ['contact', 'user', 'agent_bot'] }, thumbnail: text })] },
});

export const conversationSchema = objectOf({
  meta: objectOf(
    {
      sender: objectOf({
        id: integer,
        name: nullableText,
        email: nullableText,
        phone_number: nullableText,
        identifier: nullableText,
        thumbnail: text,
        additional_attributes: object,
        custom_attributes: object,
        blocked: boolean,
        availability_status: text,
        created_at: unixSeconds,
        last_activity_at: unixSeconds,
      }),
      channel: { ...text, examples: ['Channel::Api'] },
      assignee: objectOf({
        id: integer,
        account_id: integer,
        name: text,
        available_name: text,
        email: text,
        role: { enum: ['administrator', 'agent'] },
        availability_status: text,
        thumbnail: text,
      }),
      assignee_type: { const: 'User' },
      team: objectOf({ id: integer, name: text, description: nullableText, allow_auto_assign: boolean, account_id: integer }),
      hmac_verified: boolean,
    },
    ['assignee', 'assignee_type', 'team'],
  ),
  id: { ...integer, description: 'the per-account display id' },
  messages: { type: 'array', maxItems: 1, items: { $ref: '#/components/schemas/Message' }, description: '[] or the latest message' },
  account_id: integer,
  uuid: { type: 'string', format: 'uuid' },
  additional_attributes: object,
  custom_attributes: object,
  inbox_id: integer,
  labels: { type: 'array', items: text, description: 'sorted' },
  status: { enum: ['open', 'resolved', 'pending', 'snoozed'] },
  priority: { enum: ['low', 'medium', 'high', 'urgent', null] },
  muted: boolean,
  can_reply: boolean,
  snoozed_until: { type: ['string', 'null'], format: 'date-time' },
  created_at: unixSeconds,
  updated_at: unixSeconds,
  timestamp: { ...unixSeconds, description: 'equals last_activity_at' },
  last_activity_at: unixSeconds,
  agent_last_seen_at: unixSeconds,
  assignee_last_seen_at: unixSeconds,
  contact_last_seen_at: unixSeconds,
  first_reply_created_at: unixSeconds,
  waiting_since: unixSeconds,
  unread_count: { type: 'integer', minimum: 0, maximum: 10 },
  last_non_activity_message: { oneOf: [{ type: 'null' }, { $ref: '#/components/schemas/Message' }] },
});

const counts = { mine_count: integer, assigned_count: integer, unassigned_count: integer, all_count: integer };

export const countsSchema = objectOf(counts);

export const listReplySchema = objectOf({
  data: objectOf({
    meta: objectOf({ ...counts, current_page: integer, per_page: { const: 25 }, total_pages: integer }),
    payload: { type: 'array', maxItems: 25, items: { $ref: '#/components/schemas/Conversation' } },
  }),
});

export const errorReplySchema = objectOf(
  {
    status: { type: 'integer', description: 'the HTTP status of SPEC 4.4 (400, 401, 403, 404, 422, 503)' },
    error: text,
    errors: { type: 'array', items: objectOf({ field: text, message: text, code: text }), description: '400 only' },
    attributes: { type: 'array', items: text, description: '422 only' },
  },
  ['errors', 'attributes'],
);
