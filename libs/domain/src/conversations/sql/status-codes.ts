import { CONVERSATION_STATUSES, PRIORITIES, type ConversationStatus, type Priority } from '#app/contracts';

/** Stored as Chatwoot stores them: the index in the enum list. */
export const statusCode = (status: ConversationStatus): number => CONVERSATION_STATUSES.indexOf(status);
export const statusName = (code: number): ConversationStatus => CONVERSATION_STATUSES[code] ?? 'open';
export const priorityCode = (priority: Priority): number => PRIORITIES.indexOf(priority);
export const priorityName = (code: number | null): Priority | null => (code === null ? null : (PRIORITIES[code] ?? null));
