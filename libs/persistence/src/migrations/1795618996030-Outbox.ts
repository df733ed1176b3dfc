import type { MigrationInterface, QueryRunner } from "typeorm";

/** The transactional outbox of domain events (SPEC 5.1), and the index the relay reads pending rows by. */

export class Outbox1795618996030 implements MigrationInterface {
    name = 'Outbox1795618996030'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "outbox_events" ("id" BIGSERIAL NOT NULL, "event_id" uuid NOT NULL, "account_id" integer NOT NULL, "routing_key" text NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_outbox_events_event_id" ON "outbox_events"  ("event_id") `);
        // Only the unpublished rows: the relay's scan stays small however long the history is.
        await queryRunner.query(`CREATE INDEX "IDX_outbox_events_pending" ON "outbox_events" ("id") WHERE "published_at" IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_outbox_events_pending"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_outbox_events_event_id"`);
        await queryRunner.query(`DROP TABLE "outbox_events"`);
    }

}
