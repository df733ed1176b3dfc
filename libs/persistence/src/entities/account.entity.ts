import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('accounts')
export class Account {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'text' })
  name: string;

  /** Last conversation display id handed out in this account (SPEC 4.3: per-account, never reused). */
  @Column({ name: 'last_display_id', type: 'integer', default: 0 })
  lastDisplayId: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
