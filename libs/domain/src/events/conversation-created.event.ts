import { DomainEvents, type ConversationCreatedEvent, type ConversationJson } from '#app/contracts';

/** `conversation.created`: the conversation as the create answers it, plus the event's own fields. */
export function conversationCreatedEvent(conversation: ConversationJson, eventId: string, occurredAt: Date): ConversationCreatedEvent {
  return {
    ...conversation,
    event: DomainEvents.conversationCreated,
    event_id: eventId,
    occurred_at: Math.floor(occurredAt.getTime() / 1000),
  };
}
