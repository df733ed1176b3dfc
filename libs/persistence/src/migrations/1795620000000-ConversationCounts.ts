import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counts kept up to date in the same transaction as every write (SPEC 4.1 counts, SPEC 6 "a million
 * conversations"): one row per (account, status, inbox, team, assignee) with the number of
 * conversations that have exactly those values. The four counts of any filter on status, inbox, team
 * and an agent's inboxes are a SUM(...) FILTER over a few hundred or thousand of these rows instead of
 * a COUNT over up to a million conversations. A labels filter cannot be served by them (a
 * conversation carries several labels): the list falls back to COUNT(*) FILTER over conversations.
 *
 * `team_id` and `assignee_id` are 0 when the conversation has none (ids start at 1), so the key is a
 * plain primary key. There is no foreign key: deleting an account cascades to its conversations, whose
 * trigger then only decrements (an UPDATE that finds nothing is fine).
 *
 * The triggers are deferred constraint triggers: the counter row is updated when the transaction
 * commits, not when the conversation is inserted, so its row lock is held for the commit alone (not
 * for the statements a create still runs after the insert). With 64 concurrent creates landing on one
 * (account, open, inbox, no team, unassigned) row, that is the difference between queueing on the row
 * and not (docs/benchmarks.md).
 *
 * Hand-written (TypeORM cannot express triggers); the table has no entity, so schema drift checks
 * ignore it.
 */
export class ConversationCounts1795620000000 implements MigrationInterface {
  name = 'ConversationCounts1795620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "conversation_counts" (
      "account_id" integer NOT NULL,
      "status" smallint NOT NULL,
      "inbox_id" integer NOT NULL,
      "team_id" integer NOT NULL,
      "assignee_id" integer NOT NULL,
      "n" integer NOT NULL,
      CONSTRAINT "PK_conversation_counts" PRIMARY KEY ("account_id", "status", "inbox_id", "team_id", "assignee_id"))`);

    await queryRunner.query(`CREATE FUNCTION conversation_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          UPDATE conversation_counts SET n = n - 1
           WHERE account_id = OLD.account_id AND status = OLD.status AND inbox_id = OLD.inbox_id
             AND team_id = COALESCE(OLD.team_id, 0) AND assignee_id = COALESCE(OLD.assignee_id, 0);
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO conversation_counts AS k (account_id, status, inbox_id, team_id, assignee_id, n)
          VALUES (NEW.account_id, NEW.status, NEW.inbox_id, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0), 1)
          ON CONFLICT (account_id, status, inbox_id, team_id, assignee_id) DO UPDATE SET n = k.n + 1;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION conversation_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE conversation_counts;
        RETURN NULL;
      END $$`);

    await queryRunner.query(`CREATE CONSTRAINT TRIGGER "conversation_counts_insert_delete"
      AFTER INSERT OR DELETE ON "conversations" DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION conversation_counts_apply()`);
    await queryRunner.query(`CREATE CONSTRAINT TRIGGER "conversation_counts_update"
      AFTER UPDATE OF "account_id", "status", "inbox_id", "team_id", "assignee_id" ON "conversations" DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.inbox_id IS DISTINCT FROM NEW.inbox_id OR OLD.team_id IS DISTINCT FROM NEW.team_id
        OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id)
      EXECUTE FUNCTION conversation_counts_apply()`);
    await queryRunner.query(`CREATE TRIGGER "conversation_counts_truncate" AFTER TRUNCATE ON "conversations"
      FOR EACH STATEMENT EXECUTE FUNCTION conversation_counts_truncate()`);

    // Backfill. The lock keeps writers out until this migration commits, so no write is missed or
    // counted twice (readers are not blocked).
    await queryRunner.query(`LOCK TABLE "conversations" IN SHARE ROW EXCLUSIVE MODE`);
    await queryRunner.query(`INSERT INTO "conversation_counts" (account_id, status, inbox_id, team_id, assignee_id, n)
      SELECT account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0), count(*)
        FROM "conversations" GROUP BY 1, 2, 3, 4, 5`);

    // Indexes for the pages and for the labels road of the counts (measured in docs/benchmarks.md):
    // - with a status: the activity index gains INCLUDE (assignee_id, labels), so a labels COUNT is an
    //   index-only scan (127 -> 43 ms over the 350,000 open conversations of a million);
    // - with an inbox (inbox_id, or an agent's inboxes): page 1 in index order, and the labels COUNT over
    //   one inbox index-only (15 -> 3.4 ms); it replaces the (account_id, inbox_id, status) index, its prefix;
    // - status=all: page 1 of the default order without sorting the account (120 ms -> 0.1 ms).
    await queryRunner.query(`DROP INDEX "public"."IDX_conversations_list_activity"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_conversations_list_activity" ON "conversations" ("account_id", "status", "last_activity_at" DESC, "display_id" DESC) INCLUDE ("assignee_id", "labels")`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_conversations_list_inbox"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_conversations_list_inbox" ON "conversations" ("account_id", "inbox_id", "status", "last_activity_at" DESC, "display_id" DESC) INCLUDE ("assignee_id", "labels")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_conversations_list_all_activity" ON "conversations" ("account_id", "last_activity_at" DESC, "display_id" DESC)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_conversations_list_all_activity"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_conversations_list_inbox"`);
    await queryRunner.query(`CREATE INDEX "IDX_conversations_list_inbox" ON "conversations" ("account_id", "inbox_id", "status")`);
    await queryRunner.query(`DROP INDEX "public"."IDX_conversations_list_activity"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_conversations_list_activity" ON "conversations" ("account_id", "status", "last_activity_at" DESC, "display_id" DESC)`,
    );
    await queryRunner.query(`DROP TRIGGER "conversation_counts_truncate" ON "conversations"`);
    await queryRunner.query(`DROP TRIGGER "conversation_counts_update" ON "conversations"`);
    await queryRunner.query(`DROP TRIGGER "conversation_counts_insert_delete" ON "conversations"`);
    await queryRunner.query(`DROP FUNCTION conversation_counts_truncate()`);
    await queryRunner.query(`DROP FUNCTION conversation_counts_apply()`);
    await queryRunner.query(`DROP TABLE "conversation_counts"`);
  }
}
