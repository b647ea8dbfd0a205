import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The queue of receipts (CPCE R124-6) and client notices (R124-5) every payment yields (issue 4):
 * one row per payment, written in the payment's transaction, generated in the background. Payments
 * recorded before this migration are not queued (their documents stay one click in the Documents
 * tab, and a retry action queues one on demand).
 */
export class PaymentDocumentJobs1763858412500 implements MigrationInterface {
  name = 'PaymentDocumentJobs1763858412500'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "payment_document_job" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "payment_id" varchar(36) NOT NULL, "case_id" varchar(36) NOT NULL, "status" varchar(32) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" varchar(24), "last_error" text, "receipt_letter_id" varchar(36), "notice_letter_id" varchar(36))`
    )
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_payment_document_job_payment" ON "payment_document_job" ("payment_id") `
    )
    await queryRunner.query(`CREATE INDEX "ix_payment_document_job_case" ON "payment_document_job" ("case_id") `)
    await queryRunner.query(
      `CREATE INDEX "ix_payment_document_job_due" ON "payment_document_job" ("status", "next_attempt_at") `
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "payment_document_job"`)
  }
}
