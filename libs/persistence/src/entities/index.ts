import { AccessToken } from './access-token.entity.js';
import { AccountUser } from './account-user.entity.js';
import { Account } from './account.entity.js';
import { AgentBot } from './agent-bot.entity.js';
import { ContactInbox } from './contact-inbox.entity.js';
import { Contact } from './contact.entity.js';
import { Conversation } from './conversation.entity.js';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { InboxMember } from './inbox-member.entity.js';
import { Inbox } from './inbox.entity.js';
import { Message } from './message.entity.js';
import { OutboxEvent } from './outbox-event.entity.js';
import { TeamMember } from './team-member.entity.js';
import { Team } from './team.entity.js';
import { User } from './user.entity.js';

export {
  AccessToken, Account, AccountUser, AgentBot, Contact, ContactInbox, Conversation,
  IdempotencyKey, Inbox, InboxMember, Message, OutboxEvent, Team, TeamMember, User,
};

/** Every entity, listed: globs find nothing under a bundler or Jest. */
export const ENTITIES = [
  Account, User, AccountUser, AgentBot, AccessToken, Inbox, InboxMember, Team, TeamMember,
  Contact, ContactInbox, Conversation, Message, IdempotencyKey, OutboxEvent,
];
