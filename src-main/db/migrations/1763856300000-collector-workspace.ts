import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Collector workspace (issue 3): structured solvency facts (a JSON column on solvency_note),
 * solvency assessments (append-only, like every piece of evidence), collective proceedings and
 * over-indebtedness, and the legal deadlines they open per case (claim declaration, contest of
 * the état du passif), indexed by due date for the agenda.
 */
export class CollectorWorkspace1763856300000 implements MigrationInterface {
  name = 'CollectorWorkspace1763856300000'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of STATEMENTS) await queryRunner.query(statement)
    for (const table of ['solvency_assessment']) {
      await queryRunner.query(
        `CREATE TRIGGER "trg_${table}_no_update" BEFORE UPDATE ON "${table}" BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`
      )
      await queryRunner.query(
        `CREATE TRIGGER "trg_${table}_no_delete" BEFORE DELETE ON "${table}" BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`
      )
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "trg_solvency_assessment_no_update"`)
    await queryRunner.query(`DROP TRIGGER "trg_solvency_assessment_no_delete"`)
    for (const table of ['case_deadline', 'insolvency_proceeding', 'solvency_assessment']) {
      await queryRunner.query(`DROP TABLE "${table}"`)
    }
    await queryRunner.query(`ALTER TABLE "solvency_note" DROP COLUMN "facts"`)
  }
}

const STATEMENTS = [
  // A nullable column: SQLite adds it in place, the append-only triggers stay.
  `ALTER TABLE "solvency_note" ADD COLUMN "facts" text`,
  `CREATE TABLE "solvency_assessment" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "debtor_id" varchar(36) NOT NULL, "case_id" varchar(36), "assessment" varchar(32) NOT NULL, "monthly_capacity_cents" bigint, "comment" text, "assessed_on" varchar(10) NOT NULL, CONSTRAINT "FK_0520358e1664a3ec02f2331ed0b" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE INDEX "ix_solvency_assessment_debtor" ON "solvency_assessment" ("debtor_id", "created_at") `,
  `CREATE TABLE "insolvency_proceeding" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "debtor_id" varchar(36) NOT NULL, "kind" varchar(32) NOT NULL, "judgment_on" varchar(10) NOT NULL, "bodacc_published_on" varchar(10), "notice_received_on" varchar(10), "court" varchar(200), "reference" varchar(100), "administrator" varchar(300), "comment" text, "recorded_case_id" varchar(36), CONSTRAINT "FK_aa986862e1e06e62f63862dc62c" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE INDEX "ix_insolvency_proceeding_debtor" ON "insolvency_proceeding" ("debtor_id") `,
  `CREATE TABLE "case_deadline" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "case_id" varchar(36) NOT NULL, "proceeding_id" varchar(36), "kind" varchar(32) NOT NULL, "due_on" varchar(10) NOT NULL, "basis" varchar(300) NOT NULL, "completed_on" varchar(10), "note" text, CONSTRAINT "FK_e2b2c5afe2cf62108a17bfe746c" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE INDEX "ix_case_deadline_case" ON "case_deadline" ("case_id") `,
  `CREATE INDEX "ix_case_deadline_due_on" ON "case_deadline" ("due_on") `
]
