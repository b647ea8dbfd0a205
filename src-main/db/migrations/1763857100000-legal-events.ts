import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Judgments and signed acknowledgements of debt (issue 4): the money engine reads them for the
 * +5 points two months after a judgment became enforceable, the 10-year prescription and the
 * interruption by acknowledgement. Append-only, like the other evidence tables.
 */
export class LegalEvents1763857100000 implements MigrationInterface {
  name = 'LegalEvents1763857100000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "legal_event" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "case_id" varchar(36) NOT NULL, "claim_id" varchar(36), "kind" varchar(32) NOT NULL, "occurred_on" varchar(10) NOT NULL, "enforceable_on" varchar(10), "court" varchar(200), "reference" varchar(100), "note" text, CONSTRAINT "FK_2722990a5661daab91ffa2d3829" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_66da497da78cd44830efc87fa01" FOREIGN KEY ("claim_id") REFERENCES "claim" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`
    )
    await queryRunner.query(`CREATE INDEX "ix_legal_event_case" ON "legal_event" ("case_id") `)
    await queryRunner.query(
      `CREATE TRIGGER "trg_legal_event_no_update" BEFORE UPDATE ON "legal_event" BEGIN SELECT RAISE(ABORT, 'legal_event is append-only'); END`
    )
    await queryRunner.query(
      `CREATE TRIGGER "trg_legal_event_no_delete" BEFORE DELETE ON "legal_event" BEGIN SELECT RAISE(ABORT, 'legal_event is append-only'); END`
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "trg_legal_event_no_delete"`)
    await queryRunner.query(`DROP TRIGGER "trg_legal_event_no_update"`)
    await queryRunner.query(`DROP INDEX "ix_legal_event_case"`)
    await queryRunner.query(`DROP TABLE "legal_event"`)
  }
}
