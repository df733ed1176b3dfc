/** Enumerations of SPEC 4.1 / 4.2. Values are lower case and case-sensitive. */
export const CONVERSATION_STATUSES = ['open', 'resolved', 'pending', 'snoozed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const STATUS_FILTERS = [...CONVERSATION_STATUSES, 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const ASSIGNEE_TYPES = ['me', 'unassigned', 'assigned', 'all'] as const;
export type AssigneeType = (typeof ASSIGNEE_TYPES)[number];

export const SORT_ORDERS = [
  'last_activity_at_desc',
  'last_activity_at_asc',
  'created_at_desc',
  'created_at_asc',
  'priority_desc',
  'priority_asc',
  'waiting_since_asc',
  'waiting_since_desc',
] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Chatwoot's older sort names, still sent by its clients, and the order each stands for. */
export const SORT_ORDER_ALIASES = {
  latest: 'last_activity_at_desc',
  sort_on_created_at: 'created_at_asc',
  sort_on_priority: 'priority_desc',
  sort_on_waiting_since: 'waiting_since_asc',
} as const satisfies Record<string, SortOrder>;

/** Every name `sort_by` accepts: the orders, then the older aliases. */
export const SORT_ORDER_NAMES = [...SORT_ORDERS, ...Object.keys(SORT_ORDER_ALIASES)] as readonly string[];

/** `unattended`: nobody has answered yet, or the contact waits for an answer. */
export const CONVERSATION_TYPES = ['unattended'] as const;
export type ConversationType = (typeof CONVERSATION_TYPES)[number];

/** Chatwoot's other conversation types: they need mentions and participants, which this service does not keep. */
export const UNSUPPORTED_CONVERSATION_TYPES = ['mention', 'participating'] as const;

/** Ranked low < medium < high < urgent; stored as the index in this list. */
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Chatwoot's message_type numbers. */
export const MESSAGE_TYPES = ['incoming', 'outgoing', 'activity', 'template'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const ROLES = ['agent', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

/** Conversations per page (Chatwoot's fixed page size). */
export const PER_PAGE = 25;
