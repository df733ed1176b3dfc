import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the list filters `q` and `source_id`:
 * - `q` is a case-insensitive substring search (ILIKE '%q%') over what contacts and agents wrote: a
 *   trigram GIN index (pg_trgm, a trusted extension since Postgres 13: the database owner may create it)
 *   over the content of incoming and outgoing messages that are not private notes, the very predicate
 *   the list query repeats, so the planner can use it instead of scanning every message;
 * - `source_id` narrows to the conversations of one contact_inbox (the contact_inboxes side already
 *   has an index on source_id).
 */
export class ListFilters1795640000000 implements MigrationInterface {
  name = 'ListFilters1795640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_searchable_content" ON "messages" USING GIN ("content" gin_trgm_ops) WHERE "message_type" IN (0, 1) AND NOT "private"`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_conversations_contact_inbox" ON "conversations" ("contact_inbox_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_conversations_contact_inbox"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_searchable_content"`);
    // pg_trgm stays: other objects may use it.
  }
}
