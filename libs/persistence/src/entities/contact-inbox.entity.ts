import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Contact } from './contact.entity.js';
import { Inbox } from './inbox.entity.js';

/** A contact's identity in one inbox: `source_id` is unique per inbox (SPEC 6). */
@Entity('contact_inboxes')
@Index('UQ_contact_inboxes_inbox_source', ['inboxId', 'sourceId'], { unique: true })
@Index('IDX_contact_inboxes_source', ['sourceId'])
@Index('IDX_contact_inboxes_contact_inbox', ['contactId', 'inboxId'])
export class ContactInbox {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'contact_id', type: 'integer' })
  contactId: number;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id' })
  contact: Relation<Contact>;

  @Column({ name: 'inbox_id', type: 'integer' })
  inboxId: number;

  @ManyToOne(() => Inbox, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'inbox_id' })
  inbox: Relation<Inbox>;

  @Column({ name: 'source_id', type: 'text' })
  sourceId: string;

  @Column({ name: 'hmac_verified', type: 'boolean', default: false })
  hmacVerified: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
