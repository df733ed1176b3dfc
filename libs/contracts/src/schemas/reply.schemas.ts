/**
 * JSON schemas (2020-12) of the replies (SPEC 4.1, 4.3, 5), the one definition behind both the AsyncAPI
 * document of the queue and the OpenAPI 3.1 document of the HTTP API. The reply types are interfaces
 * (nothing to reflect on), so they are written here; test/asyncapi.spec.ts checks them against what
 * the renderer produces.
 */
import { CONVERSATION_STATUSES, PER_PAGE, PRIORITIES, ROLES } from '../enums.js';

export type JsonSchema = Record<string, unknown>;

/** Both documents keep these schemas under `components.schemas`, where their `$ref`s point. */
export const replySchemaRef = (name: ReplySchemaName): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

const integer = { type: 'integer' };
const text = { type: 'string' };
const nullableText = { type: ['string', 'null'] };
/** additional_attributes, custom_attributes: any JSON object, as stored (declared open, so generated types can read it). */
const freeForm = { type: 'object', additionalProperties: true };
const boolean = { type: 'boolean' };
const unixSeconds = { type: 'integer', minimum: 0, description: 'unix seconds; 0 when unset' };

const objectOf = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
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
        additional_attributes: freeForm,
        custom_attributes: freeForm,
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
        role: { enum: [...ROLES] },
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
  messages: { type: 'array', maxItems: 1, items: replySchemaRef('Message'), description: '[] or the latest message' },
  account_id: integer,
  uuid: { type: 'string', format: 'uuid' },
  additional_attributes: freeForm,
  custom_attributes: freeForm,
  inbox_id: integer,
  labels: { type: 'array', items: text, description: 'sorted' },
  status: { enum: [...CONVERSATION_STATUSES] },
  priority: { enum: [...PRIORITIES, null] },
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
  last_non_activity_message: { oneOf: [{ type: 'null' }, replySchemaRef('Message')] },
});

const counts = { mine_count: integer, assigned_count: integer, unassigned_count: integer, all_count: integer };

export const countsSchema = objectOf(counts);

export const metaReplySchema = objectOf({ meta: replySchemaRef('ConversationCounts') });

export const listReplySchema = objectOf({
  data: objectOf({
    meta: objectOf({ ...counts, current_page: integer, per_page: { const: PER_PAGE }, total_pages: integer }),
    payload: { type: 'array', maxItems: PER_PAGE, items: replySchemaRef('Conversation') },
  }),
});

/** One entry of a 400's `errors` (FieldError), over AMQP and HTTP alike. */
export const fieldErrorSchema = objectOf({ field: text, message: text, code: text });

export const errorReplySchema = objectOf(
  {
    status: { type: 'integer', description: 'the HTTP status the same request gets over HTTP: 400, 401, 403, 404, 422, 500 or 503' },
    error: text,
    errors: { type: 'array', items: fieldErrorSchema, description: '400 only' },
    attributes: { type: 'array', items: text, description: '422 only' },
  },
  ['errors', 'attributes'],
);

/** The reply schemas by component name, in the order the documents list them. */
export const ReplySchemas = {
  Conversation: conversationSchema,
  Message: messageSchema,
  ConversationCounts: countsSchema,
  ConversationMeta: metaReplySchema,
  ConversationList: listReplySchema,
  ErrorReply: errorReplySchema,
} as const satisfies Record<string, JsonSchema>;

export type ReplySchemaName = keyof typeof ReplySchemas;
