import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Letters and documents: versioned letter templates (append-only: an edit is a new version) and
 * the letter register (reference, date, channel, sending facts of each generated document).
 */
export class DocumentsLetters1763857200000 implements MigrationInterface {
  name = 'DocumentsLetters1763857200000'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "trg_document_template_no_update"`)
    await queryRunner.query(`DROP TRIGGER "trg_document_template_no_delete"`)
    await queryRunner.query(`DROP TABLE "letter"`)
    await queryRunner.query(`DROP TABLE "document_template"`)
  }
}

const UP = [
  `CREATE TABLE "document_template" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "code" varchar(60) NOT NULL, "version" integer NOT NULL, "name" varchar(200) NOT NULL, "profile" varchar(32) NOT NULL, "default_channel" varchar(32) NOT NULL, "title" text NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "closing" text NOT NULL, "sms" text NOT NULL, "note" varchar(500))`,
  `CREATE UNIQUE INDEX "uq_document_template_code_version" ON "document_template" ("code", "version") `,
  `CREATE TABLE "letter" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "document_id" varchar(36) NOT NULL, "case_id" varchar(36) NOT NULL, "template_code" varchar(60) NOT NULL, "template_version" integer NOT NULL, "reference" varchar(60) NOT NULL, "letter_date" varchar(10) NOT NULL, "channel" varchar(32) NOT NULL, "demand" boolean NOT NULL DEFAULT (0), "batch_id" varchar(36), "status" varchar(32) NOT NULL, "sent_on" varchar(10), "tracking_number" varchar(40), "recipient" varchar(254), "text" text NOT NULL)`,
  `CREATE UNIQUE INDEX "uq_letter_document" ON "letter" ("document_id") `,
  `CREATE UNIQUE INDEX "uq_letter_reference" ON "letter" ("reference") `,
  `CREATE INDEX "ix_letter_case" ON "letter" ("case_id", "letter_date") `,
  `CREATE TRIGGER "trg_document_template_no_update" BEFORE UPDATE ON "document_template" BEGIN SELECT RAISE(ABORT, 'document_template is append-only'); END`,
  `CREATE TRIGGER "trg_document_template_no_delete" BEFORE DELETE ON "document_template" BEGIN SELECT RAISE(ABORT, 'document_template is append-only'); END`
]
