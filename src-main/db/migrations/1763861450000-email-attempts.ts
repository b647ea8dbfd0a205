import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Each hand-over of an e-mail to the SMTP server, recorded before it (status "sending") and after
 * (sent, failed with its reason): an e-mail a crash left "sending" is shown as uncertain instead of
 * being sent again, and a failure's reason survives a restart.
 */
export class EmailAttempts1763861450000 implements MigrationInterface {
  name = 'EmailAttempts1763861450000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "email_attempt" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "letter_id" varchar(36) NOT NULL, "case_id" varchar(36) NOT NULL, "document_id" varchar(36) NOT NULL, "batch_id" varchar(36), "message_id" varchar(255), "recipient" varchar(254) NOT NULL, "status" varchar(32) NOT NULL, "failure_reason" text)`
    )
    await queryRunner.query(`CREATE INDEX "ix_email_attempt_case" ON "email_attempt" ("case_id") `)
    await queryRunner.query(`CREATE INDEX "ix_email_attempt_letter" ON "email_attempt" ("letter_id", "created_at") `)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "email_attempt"`)
  }
}
