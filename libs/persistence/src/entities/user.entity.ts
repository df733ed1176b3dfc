import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'text' })
  name: string;

  /** Chatwoot's `display_name`; `available_name` falls back to `name`. */
  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName: string | null;

  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'text' })
  email: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
