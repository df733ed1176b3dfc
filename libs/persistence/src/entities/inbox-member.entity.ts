import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Inbox } from './inbox.entity.js';
import { User } from './user.entity.js';

/** An agent's access to an inbox: agents see and create only in inboxes they are members of. */
@Entity('inbox_members')
@Index('UQ_inbox_members_inbox_user', ['inboxId', 'userId'], { unique: true })
@Index('IDX_inbox_members_user_inbox', ['userId', 'inboxId'])
export class InboxMember {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'inbox_id', type: 'integer' })
  inboxId: number;

  @ManyToOne(() => Inbox, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'inbox_id' })
  inbox: Relation<Inbox>;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User>;
}
