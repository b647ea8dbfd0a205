import type { MigrationInterface, QueryRunner } from 'typeorm'
import { uuid7 } from '@shared/ids/uuid7'
import { BUNDLED_RATE_TABLE } from '@shared/money/rates'
import { bulkInsert } from '../bulk-insert'

/**
 * Money engine (issue 4): the official rate tables, stored so an admin can add the next
 * semester, seeded with the table the app ships (src-shared/money/rates-data.json, 2015-S1 to
 * 2026-S1); and the client remittance statements (relevés de reversement, CPCE R124-6), whose
 * lines are evidence and therefore append-only.
 *
 * A semester published after this release ships in a new migration that inserts only the
 * semesters a database does not have yet; this one is never edited (its hash is pinned).
 */
export class MoneyRatesRemittances1763856140000 implements MigrationInterface {
  name = 'MoneyRatesRemittances1763856140000'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of STATEMENTS) await queryRunner.query(statement)
    await queryRunner.query(
      `CREATE TRIGGER "trg_remittance_line_no_update" BEFORE UPDATE ON "remittance_line" BEGIN SELECT RAISE(ABORT, 'remittance_line is append-only'); END`
    )
    await queryRunner.query(
      `CREATE TRIGGER "trg_remittance_line_no_delete" BEFORE DELETE ON "remittance_line" BEGIN SELECT RAISE(ABORT, 'remittance_line is append-only'); END`
    )

    // Pinned to what this release ships, so the migration does the same thing on every machine
    // even after rates-data.json gains semesters (those come with a later migration).
    const shipped = <T extends { semester: string }>(rows: readonly T[]): T[] =>
      rows.filter((row) => row.semester <= SEEDED_UNTIL)
    const createdAt = new Date().toISOString()
    const source = 'Table officielle livrée avec Recouvra'
    await bulkInsert(
      queryRunner.manager,
      'legal_interest_rate',
      ['id', 'created_at', 'created_by', 'semester', 'creditor_individual_bp', 'other_cases_bp', 'source'],
      shipped(BUNDLED_RATE_TABLE.legalInterest).map((row) => [
        uuid7(),
        createdAt,
        null,
        row.semester,
        row.creditorIndividualBp,
        row.otherCasesBp,
        source
      ])
    )
    await bulkInsert(
      queryRunner.manager,
      'ecb_refinancing_rate',
      ['id', 'created_at', 'created_by', 'semester', 'ecb_rate_bp', 'source'],
      shipped(BUNDLED_RATE_TABLE.ecbRefinancing).map((row) => [
        uuid7(),
        createdAt,
        null,
        row.semester,
        row.ecbRateBp,
        source
      ])
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "trg_remittance_line_no_update"`)
    await queryRunner.query(`DROP TRIGGER "trg_remittance_line_no_delete"`)
    for (const table of ['remittance_line', 'remittance', 'ecb_refinancing_rate', 'legal_interest_rate']) {
      await queryRunner.query(`DROP TABLE "${table}"`)
    }
  }
}

/** Last semester of the tables shipped with this migration. */
const SEEDED_UNTIL = '2026-S1'

const STATEMENTS = [
  `CREATE TABLE "legal_interest_rate" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "semester" varchar(7) NOT NULL, "creditor_individual_bp" integer NOT NULL, "other_cases_bp" integer NOT NULL, "source" varchar(200))`,
  `CREATE UNIQUE INDEX "uq_legal_interest_rate_semester" ON "legal_interest_rate" ("semester") `,
  `CREATE TABLE "ecb_refinancing_rate" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "semester" varchar(7) NOT NULL, "ecb_rate_bp" integer NOT NULL, "source" varchar(200))`,
  `CREATE UNIQUE INDEX "uq_ecb_refinancing_rate_semester" ON "ecb_refinancing_rate" ("semester") `,
  `CREATE TABLE "remittance" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "reference" varchar(30) NOT NULL, "client_id" varchar(36) NOT NULL, "period_from" varchar(10) NOT NULL, "period_to" varchar(10) NOT NULL, "agency_collected_cents" bigint NOT NULL, "client_collected_cents" bigint NOT NULL, "commission_cents" bigint NOT NULL, "vat_rate_bp" integer NOT NULL, "vat_cents" bigint NOT NULL, "net_cents" bigint NOT NULL, "due_on" varchar(10) NOT NULL, "status" varchar(32) NOT NULL, "paid_on" varchar(10), "transfer_reference" varchar(100), CONSTRAINT "FK_5a01f28db90dac65ddf7e78d1ab" FOREIGN KEY ("client_id") REFERENCES "client" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE UNIQUE INDEX "uq_remittance_reference" ON "remittance" ("reference") `,
  `CREATE INDEX "ix_remittance_client_status" ON "remittance" ("client_id", "status") `,
  `CREATE TABLE "remittance_line" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "remittance_id" varchar(36) NOT NULL, "payment_id" varchar(36) NOT NULL, "case_id" varchar(36) NOT NULL, "received_by" varchar(32) NOT NULL, "collected_on" varchar(10) NOT NULL, "amount_cents" bigint NOT NULL, "commission_rate_bp" integer NOT NULL, "commission_cents" bigint NOT NULL, "due_on" varchar(10) NOT NULL, CONSTRAINT "FK_def1061442aabbc966b74ebaec4" FOREIGN KEY ("remittance_id") REFERENCES "remittance" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_904d27e4cbfea569b9a14950eab" FOREIGN KEY ("payment_id") REFERENCES "payment" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE INDEX "ix_remittance_line_remittance" ON "remittance_line" ("remittance_id") `,
  `CREATE UNIQUE INDEX "uq_remittance_line_payment" ON "remittance_line" ("payment_id") `
]
