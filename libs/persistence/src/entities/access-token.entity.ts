import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AgentBot } from './agent-bot.entity.js';
import { User } from './user.entity.js';

/**
 * An API access token. Only the SHA-256 digest (hex) is stored: a leaked table holds no usable token,
 * and looking a token up by its digest compares no secret byte by byte.
 */
@Entity('access_tokens')
@Check('CHK_access_tokens_one_owner', 'num_nonnulls("user_id", "agent_bot_id") = 1')
export class AccessToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_access_tokens_digest', { unique: true })
  @Column({ name: 'token_digest', type: 'char', length: 64 })
  tokenDigest: string;

  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User> | null;

  @Column({ name: 'agent_bot_id', type: 'integer', nullable: true })
  agentBotId: number | null;

  @ManyToOne(() => AgentBot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agent_bot_id' })
  agentBot: Relation<AgentBot> | null;
}
