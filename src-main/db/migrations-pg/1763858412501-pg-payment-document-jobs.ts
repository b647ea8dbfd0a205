import type { MigrationInterface, QueryRunner } from 'typeorm'

/** PostgreSQL twin of 1763858412500-payment-document-jobs (SQL from print-pg-schema-sql --migrated). */
export class PgPaymentDocumentJobs1763858412501 implements MigrationInterface {
  name = 'PgPaymentDocumentJobs1763858412501'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "payment_document_job"')
  }
}

const UP = [
  'CREATE TABLE "payment_document_job" ("id" character varying(36) NOT NULL, "created_at" character varying(24) NOT NULL, "created_by" character varying(36), "updated_at" character varying(24) NOT NULL, "updated_by" character varying(36), "version" integer NOT NULL, "payment_id" character varying(36) NOT NULL, "case_id" character varying(36) NOT NULL, "status" character varying(32) NOT NULL, "attempts" integer NOT NULL DEFAULT \'0\', "next_attempt_at" character varying(24), "last_error" text, "receipt_letter_id" character varying(36), "notice_letter_id" character varying(36), CONSTRAINT "PK_7dea394c149d68f2342856d9f70" PRIMARY KEY ("id"))',
  'CREATE UNIQUE INDEX "uq_payment_document_job_payment" ON "payment_document_job" ("payment_id")',
  'CREATE INDEX "ix_payment_document_job_case" ON "payment_document_job" ("case_id")',
  'CREATE INDEX "ix_payment_document_job_due" ON "payment_document_job" ("status", "next_attempt_at")'
]
