import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Conversation } from './conversation.entity.js';

@Entity('messages')
@Index('IDX_messages_conversation_created', ['conversationId', 'createdAt', 'id'])
@Index('IDX_messages_searchable_content', { synchronize: false })
export class Message {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'account_id', type: 'integer' })
  accountId: number;

  @Column({ name: 'inbox_id', type: 'integer' })
  inboxId: number;

  @Column({ name: 'conversation_id', type: 'bigint' })
  conversationId: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation: Relation<Conversation>;

  @Column({ type: 'text', nullable: true })
  content: string | null;

  /** 0 incoming, 1 outgoing, 2 activity, 3 template. */
  @Column({ name: 'message_type', type: 'smallint' })
  messageType: number;

  @Column({ type: 'boolean', default: false })
  private: boolean;

  /** 0 sent, 1 delivered, 2 read, 3 failed. */
  @Column({ type: 'smallint', default: 0 })
  status: number;

  @Column({ name: 'content_type', type: 'text', default: 'text' })
  contentType: string;

  /** `Contact`, `User` or `AgentBot`; null for a message without a known sender. */
  @Column({ name: 'sender_type', type: 'text', nullable: true })
  senderType: string | null;

  @Column({ name: 'sender_id', type: 'integer', nullable: true })
  senderId: number | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
