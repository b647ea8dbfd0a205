import type { MigrationInterface, QueryRunner } from 'typeorm'
import { refreshCasePrescriptions } from '../../modules/money/case-prescription'

/**
 * The earliest prescription date among a case's open claims, stored and indexed (issue 4): the
 * agenda counts it down and the portfolio filters and sorts on it at 200,000 cases. Filled for
 * the existing cases by the same function every writer calls.
 */
export class CasePrescription1763857700000 implements MigrationInterface {
  name = 'CasePrescription1763857700000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "collection_case" ADD COLUMN "prescription_on" varchar(10)`)
    await queryRunner.query(
      `CREATE INDEX "ix_case_prescription_on" ON "collection_case" ("prescription_on", "reference") `
    )
    await refreshCasePrescriptions(queryRunner.manager, 'all')
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_case_prescription_on"`)
    await queryRunner.query(`ALTER TABLE "collection_case" DROP COLUMN "prescription_on"`)
  }
}
