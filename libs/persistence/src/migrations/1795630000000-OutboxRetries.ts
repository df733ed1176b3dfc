import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Per-event retries of the outbox relay: an event the broker refused waits until `next_attempt_at`
 * (a growing delay), and the events behind it go out meanwhile.
 */
export class OutboxRetries1795630000000 implements MigrationInterface {
    name = 'OutboxRetries1795630000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "outbox_events" ADD "attempts" integer NOT NULL DEFAULT 0`);
        await queryRunner.query(`ALTER TABLE "outbox_events" ADD "next_attempt_at" TIMESTAMP WITH TIME ZONE`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "outbox_events" DROP COLUMN "next_attempt_at"`);
        await queryRunner.query(`ALTER TABLE "outbox_events" DROP COLUMN "attempts"`);
    }

}
