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
