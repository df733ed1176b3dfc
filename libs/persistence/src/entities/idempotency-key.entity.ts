import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Account } from './account.entity.js';
import { Conversation } from './conversation.entity.js';

/**
 * A create request already seen in an account (Idempotency-Key, data.idempotency_key, or an event's
 * message id). The primary key makes concurrent repeats wait for the first one and then find its
 * conversation, instead of racing a read-then-write.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ name: 'account_id', type: 'integer' })
  accountId: number;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account>;

  @PrimaryColumn({ type: 'text' })
  key: string;

  /** SHA-256 of the normalised request: the same key with another body is refused. */
  @Column({ name: 'request_digest', type: 'char', length: 64 })
  requestDigest: string;

  @Column({ name: 'conversation_id', type: 'bigint', nullable: true })
  conversationId: string | null;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation: Relation<Conversation> | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
