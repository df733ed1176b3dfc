import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the conversation list and its counts (SPEC 4.1, 6): TypeORM cannot express descending
 * keys or a GIN index on an array, so the entity declares them with `synchronize: false`.
 */
export class ListIndexes1795615800000 implements MigrationInterface {
  name = 'ListIndexes1795615800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The default order (status open, newest activity first) and the counts by status.
    await queryRunner.query(
      `CREATE INDEX "IDX_conversations_list_activity" ON "conversations" ("account_id", "status", "last_activity_at" DESC, "display_id" DESC)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_conversations_list_inbox" ON "conversations" ("account_id", "inbox_id", "status")`);
    await queryRunner.query(`CREATE INDEX "IDX_conversations_list_assignee" ON "conversations" ("account_id", "assignee_id", "status")`);
    await queryRunner.query(`CREATE INDEX "IDX_conversations_list_team" ON "conversations" ("account_id", "team_id", "status")`);
    await queryRunner.query(`CREATE INDEX "IDX_conversations_labels" ON "conversations" USING GIN ("labels")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['labels', 'list_team', 'list_assignee', 'list_inbox', 'list_activity']) {
      await queryRunner.query(`DROP INDEX "IDX_conversations_${name}"`);
    }
  }
}
