import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every list a user can ask for, fast on an account of millions (docs/benchmarks.md has the figures):
 *
 * - Display ids move off `accounts` to `account_display_ids`. Every request authenticates against the
 *   account row; a counter on it left a dead version per create that every request then stepped over.
 * - `conversation_counts` gains `unattended` (no first reply yet, or waiting for one), so the counts of
 *   `conversation_type=unattended` come from the counters too; its trigger follows the two columns.
 * - `conversation_label_counts`: the counters of `conversation_counts`, per label, kept by the same kind
 *   of deferred trigger, so the four counts of a one-label list are a SUM over a few thousand rows
 *   instead of a COUNT over every conversation of the account. (Two labels or more, "any of", cannot be
 *   summed from per-label rows: those still count the conversations.)
 * - Indexes for the other sort orders (a nullable key needs one index per direction: both put NULLs
 *   last), for a team or an assignee in the default order, and `id` included in the indexes the page is
 *   read from, so a deep page (OFFSET 250,000) skips index entries, not table rows.
 */
/** Chatwoot's unattended rule, over a row named `row`: no first reply yet, or the contact waits for one. */
const UNATTENDED = (row: string) => `(${row}.first_reply_created_at IS NULL OR ${row}.waiting_since IS NOT NULL)`;

export class ListShapes1795650000000 implements MigrationInterface {
  name = 'ListShapes1795650000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // --- display ids
    await queryRunner.query(`CREATE TABLE "account_display_ids" (
      "account_id" integer NOT NULL,
      "last_display_id" integer NOT NULL,
      CONSTRAINT "PK_account_display_ids" PRIMARY KEY ("account_id"),
      CONSTRAINT "FK_account_display_ids_account" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE)`);
    await queryRunner.query(`LOCK TABLE "accounts" IN SHARE ROW EXCLUSIVE MODE`);
    await queryRunner.query(`INSERT INTO "account_display_ids" (account_id, last_display_id)
      SELECT a.id, GREATEST(a.last_display_id, COALESCE((SELECT max(c.display_id) FROM conversations c WHERE c.account_id = a.id), 0))
        FROM "accounts" a`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "last_display_id"`);

    // --- unattended, a dimension of the counters
    await queryRunner.query(`LOCK TABLE "conversations" IN SHARE ROW EXCLUSIVE MODE`);
    await queryRunner.query(`ALTER TABLE "conversation_counts" ADD "unattended" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "conversation_counts" DROP CONSTRAINT "PK_conversation_counts"`);
    await queryRunner.query(`TRUNCATE "conversation_counts"`);
    await queryRunner.query(`ALTER TABLE "conversation_counts" ADD CONSTRAINT "PK_conversation_counts"
      PRIMARY KEY ("account_id", "status", "inbox_id", "team_id", "assignee_id", "unattended")`);
    await queryRunner.query(`INSERT INTO "conversation_counts" (account_id, status, inbox_id, team_id, assignee_id, unattended, n)
      SELECT account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0), ${UNATTENDED('conversations')}, count(*)
        FROM "conversations" GROUP BY 1, 2, 3, 4, 5, 6`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION conversation_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          UPDATE conversation_counts SET n = n - 1
           WHERE account_id = OLD.account_id AND status = OLD.status AND inbox_id = OLD.inbox_id
             AND team_id = COALESCE(OLD.team_id, 0) AND assignee_id = COALESCE(OLD.assignee_id, 0) AND unattended = ${UNATTENDED('OLD')};
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO conversation_counts AS k (account_id, status, inbox_id, team_id, assignee_id, unattended, n)
          VALUES (NEW.account_id, NEW.status, NEW.inbox_id, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0), ${UNATTENDED('NEW')}, 1)
          ON CONFLICT (account_id, status, inbox_id, team_id, assignee_id, unattended) DO UPDATE SET n = k.n + 1;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`DROP TRIGGER "conversation_counts_update" ON "conversations"`);
    await queryRunner.query(`CREATE CONSTRAINT TRIGGER "conversation_counts_update"
      AFTER UPDATE OF "account_id", "status", "inbox_id", "team_id", "assignee_id", "first_reply_created_at", "waiting_since" ON "conversations"
      DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.inbox_id IS DISTINCT FROM NEW.inbox_id OR OLD.team_id IS DISTINCT FROM NEW.team_id
        OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR ${UNATTENDED('OLD')} IS DISTINCT FROM ${UNATTENDED('NEW')})
      EXECUTE FUNCTION conversation_counts_apply()`);

    // --- per-label counters
    await queryRunner.query(`CREATE TABLE "conversation_label_counts" (
      "account_id" integer NOT NULL,
      "label" text NOT NULL,
      "status" smallint NOT NULL,
      "inbox_id" integer NOT NULL,
      "team_id" integer NOT NULL,
      "assignee_id" integer NOT NULL,
      "n" integer NOT NULL,
      CONSTRAINT "PK_conversation_label_counts" PRIMARY KEY ("account_id", "label", "status", "inbox_id", "team_id", "assignee_id"))`);
    await queryRunner.query(`CREATE FUNCTION conversation_label_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND cardinality(OLD.labels) > 0 THEN
          UPDATE conversation_label_counts SET n = n - 1
           WHERE account_id = OLD.account_id AND label IN (SELECT DISTINCT unnest(OLD.labels)) AND status = OLD.status
             AND inbox_id = OLD.inbox_id AND team_id = COALESCE(OLD.team_id, 0) AND assignee_id = COALESCE(OLD.assignee_id, 0);
        END IF;
        IF TG_OP <> 'DELETE' AND cardinality(NEW.labels) > 0 THEN
          INSERT INTO conversation_label_counts AS k (account_id, label, status, inbox_id, team_id, assignee_id, n)
          SELECT DISTINCT NEW.account_id, l, NEW.status, NEW.inbox_id, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0), 1
            FROM unnest(NEW.labels) l
          ON CONFLICT (account_id, label, status, inbox_id, team_id, assignee_id) DO UPDATE SET n = k.n + 1;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION conversation_label_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE conversation_label_counts;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE CONSTRAINT TRIGGER "conversation_label_counts_insert_delete"
      AFTER INSERT OR DELETE ON "conversations" DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION conversation_label_counts_apply()`);
    await queryRunner.query(`CREATE CONSTRAINT TRIGGER "conversation_label_counts_update"
      AFTER UPDATE OF "account_id", "status", "inbox_id", "team_id", "assignee_id", "labels" ON "conversations" DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.inbox_id IS DISTINCT FROM NEW.inbox_id OR OLD.team_id IS DISTINCT FROM NEW.team_id
        OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.labels IS DISTINCT FROM NEW.labels)
      EXECUTE FUNCTION conversation_label_counts_apply()`);
    await queryRunner.query(`CREATE TRIGGER "conversation_label_counts_truncate" AFTER TRUNCATE ON "conversations"
      FOR EACH STATEMENT EXECUTE FUNCTION conversation_label_counts_truncate()`);
    // Backfill (under the lock taken above, which keeps writers out until this migration commits).
    await queryRunner.query(`INSERT INTO "conversation_label_counts" (account_id, label, status, inbox_id, team_id, assignee_id, n)
      SELECT c.account_id, l.label, c.status, c.inbox_id, COALESCE(c.team_id, 0), COALESCE(c.assignee_id, 0), count(*)
        FROM "conversations" c CROSS JOIN LATERAL (SELECT DISTINCT unnest(c.labels) AS label) l
       GROUP BY 1, 2, 3, 4, 5, 6`);

    // --- indexes: the pages are read from these, index-only where the filters allow
    const replace = async (name: string, definition: string) => {
      await queryRunner.query(`DROP INDEX IF EXISTS "public"."${name}"`);
      await queryRunner.query(`CREATE INDEX "${name}" ON "conversations" ${definition}`);
    };
    await replace('IDX_conversations_list_activity', `("account_id", "status", "last_activity_at" DESC, "display_id" DESC) INCLUDE ("assignee_id", "labels", "id")`);
    await replace('IDX_conversations_list_all_activity', `("account_id", "last_activity_at" DESC, "display_id" DESC) INCLUDE ("assignee_id", "labels", "id")`);
    await replace('IDX_conversations_list_inbox', `("account_id", "inbox_id", "status", "last_activity_at" DESC, "display_id" DESC) INCLUDE ("assignee_id", "labels", "id")`);
    await replace('IDX_conversations_list_team', `("account_id", "team_id", "status", "last_activity_at" DESC, "display_id" DESC) INCLUDE ("id")`);
    await replace('IDX_conversations_list_assignee', `("account_id", "assignee_id", "status", "last_activity_at" DESC, "display_id" DESC) INCLUDE ("id")`);
    await replace('IDX_conversations_list_created', `("account_id", "status", "created_at", "display_id") INCLUDE ("id")`);
    await replace('IDX_conversations_list_priority_desc', `("account_id", "status", "priority" DESC NULLS LAST, "display_id" DESC) INCLUDE ("id")`);
    await replace('IDX_conversations_list_priority_asc', `("account_id", "status", "priority" ASC NULLS LAST, "display_id" ASC) INCLUDE ("id")`);
    await replace('IDX_conversations_list_waiting_desc', `("account_id", "status", "waiting_since" DESC NULLS LAST, "display_id" DESC) INCLUDE ("id")`);
    // updated_within: the few conversations updated lately, found without scanning the account.
    await replace('IDX_conversations_list_updated', `("account_id", "updated_at")`);
    await replace('IDX_conversations_list_waiting_asc', `("account_id", "status", "waiting_since" ASC NULLS LAST, "display_id" ASC) INCLUDE ("id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['created', 'priority_desc', 'priority_asc', 'waiting_desc', 'waiting_asc', 'updated']) {
      await queryRunner.query(`DROP INDEX "public"."IDX_conversations_list_${name}"`);
    }
    const restore = async (name: string, definition: string) => {
      await queryRunner.query(`DROP INDEX "public"."${name}"`);
      await queryRunner.query(`CREATE INDEX "${name}" ON "conversations" ${definition}`);
    };
    await restore('IDX_conversations_list_assignee', `("account_id", "assignee_id", "status")`);
    await restore('IDX_conversations_list_team', `("account_id", "team_id", "status")`);
    await restore('IDX_conversations_list_inbox', `("account_id", "inbox_id", "status", "last_activity_at" DESC, "display_id" DESC) INCLUDE ("assignee_id", "labels")`);
    await restore('IDX_conversations_list_all_activity', `("account_id", "last_activity_at" DESC, "display_id" DESC)`);
    await restore('IDX_conversations_list_activity', `("account_id", "status", "last_activity_at" DESC, "display_id" DESC) INCLUDE ("assignee_id", "labels")`);
    await queryRunner.query(`DROP TRIGGER "conversation_counts_update" ON "conversations"`);
    await queryRunner.query(`CREATE CONSTRAINT TRIGGER "conversation_counts_update"
      AFTER UPDATE OF "account_id", "status", "inbox_id", "team_id", "assignee_id" ON "conversations" DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.inbox_id IS DISTINCT FROM NEW.inbox_id OR OLD.team_id IS DISTINCT FROM NEW.team_id
        OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id)
      EXECUTE FUNCTION conversation_counts_apply()`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION conversation_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await queryRunner.query(`TRUNCATE "conversation_counts"`);
    await queryRunner.query(`ALTER TABLE "conversation_counts" DROP CONSTRAINT "PK_conversation_counts"`);
    await queryRunner.query(`ALTER TABLE "conversation_counts" DROP COLUMN "unattended"`);
    await queryRunner.query(`ALTER TABLE "conversation_counts" ADD CONSTRAINT "PK_conversation_counts" PRIMARY KEY ("account_id", "status", "inbox_id", "team_id", "assignee_id")`);
    await queryRunner.query(`INSERT INTO "conversation_counts" (account_id, status, inbox_id, team_id, assignee_id, n)
      SELECT account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0), count(*) FROM "conversations" GROUP BY 1, 2, 3, 4, 5`);
    await queryRunner.query(`DROP TRIGGER "conversation_label_counts_truncate" ON "conversations"`);
    await queryRunner.query(`DROP TRIGGER "conversation_label_counts_update" ON "conversations"`);
    await queryRunner.query(`DROP TRIGGER "conversation_label_counts_insert_delete" ON "conversations"`);
    await queryRunner.query(`DROP FUNCTION conversation_label_counts_truncate()`);
    await queryRunner.query(`DROP FUNCTION conversation_label_counts_apply()`);
    await queryRunner.query(`DROP TABLE "conversation_label_counts"`);
    await queryRunner.query(`ALTER TABLE "accounts" ADD "last_display_id" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`UPDATE "accounts" a SET last_display_id = d.last_display_id FROM "account_display_ids" d WHERE d.account_id = a.id`);
    await queryRunner.query(`DROP TABLE "account_display_ids"`);
  }
}
