import type { ConversationJson } from './replies.js';

/** Domain events published on the EVENTS_EXCHANGE topic exchange (SPEC 5.1). */
export const DomainEvents = {
  conversationCreated: 'conversation.created',
} as const;

export type DomainEventName = (typeof DomainEvents)[keyof typeof DomainEvents];

/** AMQP header with the account the event belongs to, for consumers that route or filter on it. */
export const ACCOUNT_ID_HEADER = 'x-account-id';

/**
 * The body of `conversation.created`: the `<conversation>` exactly as the create answered it, plus the
 * event's name, a unique id (delivery is at least once: de-duplicate on it) and when it happened.
 */
export type ConversationCreatedEvent = ConversationJson & {
  event: typeof DomainEvents.conversationCreated;
  event_id: string;
  /** unix seconds */
  occurred_at: number;
};
