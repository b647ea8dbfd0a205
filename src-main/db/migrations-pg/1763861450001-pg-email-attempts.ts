import type { MigrationInterface, QueryRunner } from 'typeorm'

/** PostgreSQL twin of 1763861450000-email-attempts: each hand-over of an e-mail to SMTP. */
export class PgEmailAttempts1763861450001 implements MigrationInterface {
  name = 'PgEmailAttempts1763861450001'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "email_attempt" ("id" character varying(36) NOT NULL, "created_at" character varying(24) NOT NULL, "created_by" character varying(36), "updated_at" character varying(24) NOT NULL, "updated_by" character varying(36), "version" integer NOT NULL, "letter_id" character varying(36) NOT NULL, "case_id" character varying(36) NOT NULL, "document_id" character varying(36) NOT NULL, "batch_id" character varying(36), "message_id" character varying(255), "recipient" character varying(254) NOT NULL, "status" character varying(32) NOT NULL, "failure_reason" text, CONSTRAINT "PK_ae3a0560d792f504212d45160a1" PRIMARY KEY ("id"))'
    )
    await queryRunner.query('CREATE INDEX "ix_email_attempt_case" ON "email_attempt" ("case_id")')
    await queryRunner.query('CREATE INDEX "ix_email_attempt_letter" ON "email_attempt" ("letter_id", "created_at")')
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "email_attempt"')
  }
}
