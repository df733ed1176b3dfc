import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Account } from './account.entity.js';
import { User } from './user.entity.js';

/** Membership of a user in an account, with its role there (0 agent, 1 administrator, as Chatwoot). */
@Entity('account_users')
@Index('UQ_account_users_account_user', ['accountId', 'userId'], { unique: true })
@Index('IDX_account_users_user', ['userId'])
export class AccountUser {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'account_id', type: 'integer' })
  accountId: number;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account>;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User>;

  @Column({ type: 'smallint', default: 0 })
  role: number;
}
