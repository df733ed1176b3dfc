import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Account } from './account.entity.js';

@Entity('inboxes')
@Index('IDX_inboxes_account', ['accountId'])
export class Inbox {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'account_id', type: 'integer' })
  accountId: number;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account>;

  @Column({ type: 'text' })
  name: string;

  /** e.g. `Channel::Api`, `Channel::WebWidget` (rendered as the conversation's meta.channel). */
  @Column({ name: 'channel_type', type: 'text' })
  channelType: string;
}
