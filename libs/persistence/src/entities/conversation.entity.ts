import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Account } from './account.entity.js';
import { ContactInbox } from './contact-inbox.entity.js';
import { Contact } from './contact.entity.js';
import { Inbox } from './inbox.entity.js';
import { Team } from './team.entity.js';
import { User } from './user.entity.js';

/**
 * A conversation. `id` is internal and never leaves the worker; clients see `display_id`.
 * The indexes that serve the list and its counts are created by hand in a migration (a GIN index
 * on labels, descending keys), so they are declared here with `synchronize: false`.
 */
@Entity('conversations')
@Index('UQ_conversations_account_display', ['accountId', 'displayId'], { unique: true })
@Index('IDX_conversations_list_activity', { synchronize: false })
@Index('IDX_conversations_list_inbox', { synchronize: false })
@Index('IDX_conversations_list_assignee', { synchronize: false })
@Index('IDX_conversations_list_team', { synchronize: false })
@Index('IDX_conversations_labels', { synchronize: false })
@Index('IDX_conversations_list_all_activity', { synchronize: false })
@Index('IDX_conversations_contact_inbox', { synchronize: false })
export class Conversation {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'account_id', type: 'integer' })
  accountId: number;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account>;

  @Column({ name: 'display_id', type: 'integer' })
  displayId: number;

  @Column({ type: 'uuid' })
  uuid: string;

  @Column({ name: 'inbox_id', type: 'integer' })
  inboxId: number;

  @ManyToOne(() => Inbox, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'inbox_id' })
  inbox: Relation<Inbox>;

  @Column({ name: 'contact_id', type: 'integer' })
  contactId: number;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id' })
  contact: Relation<Contact>;

  @Column({ name: 'contact_inbox_id', type: 'integer' })
  contactInboxId: number;

  @ManyToOne(() => ContactInbox, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_inbox_id' })
  contactInbox: Relation<ContactInbox>;

  /** 0 open, 1 resolved, 2 pending, 3 snoozed (Chatwoot's enum). */
  @Column({ type: 'smallint', default: 0 })
  status: number;

  /** 0 low, 1 medium, 2 high, 3 urgent, or null: orders by rank. */
  @Column({ type: 'smallint', nullable: true })
  priority: number | null;

  @Column({ name: 'assignee_id', type: 'integer', nullable: true })
  assigneeId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_id' })
  assignee: Relation<User> | null;

  @Column({ name: 'team_id', type: 'integer', nullable: true })
  teamId: number | null;

  @ManyToOne(() => Team, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team> | null;

  /** Label names, sorted and distinct (rendered as they are). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  labels: string[];

  @Column({ name: 'additional_attributes', type: 'jsonb', default: () => "'{}'" })
  additionalAttributes: Record<string, unknown>;

  @Column({ name: 'custom_attributes', type: 'jsonb', default: () => "'{}'" })
  customAttributes: Record<string, unknown>;

  @Column({ name: 'snoozed_until', type: 'timestamptz', nullable: true })
  snoozedUntil: Date | null;

  @Column({ name: 'waiting_since', type: 'timestamptz', nullable: true })
  waitingSince: Date | null;

  @Column({ name: 'agent_last_seen_at', type: 'timestamptz', nullable: true })
  agentLastSeenAt: Date | null;

  @Column({ name: 'assignee_last_seen_at', type: 'timestamptz', nullable: true })
  assigneeLastSeenAt: Date | null;

  @Column({ name: 'contact_last_seen_at', type: 'timestamptz', nullable: true })
  contactLastSeenAt: Date | null;

  @Column({ name: 'first_reply_created_at', type: 'timestamptz', nullable: true })
  firstReplyCreatedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'last_activity_at', type: 'timestamptz', default: () => 'now()' })
  lastActivityAt: Date;
}
