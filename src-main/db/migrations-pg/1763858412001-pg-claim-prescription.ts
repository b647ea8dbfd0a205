import type { MigrationInterface, QueryRunner } from 'typeorm'
import { ClaimPrescription1763858412000 } from '../migrations/1763858412000-claim-prescription'

/**
 * PostgreSQL twin of 1763858412000-claim-prescription: `claim.prescription_on`,
 * `collection_case.prescribed_claims` and their index (SQL from scripts/print-pg-schema-sql.ts
 * --migrated); the figures of existing cases are filled by the SQLite migration's own `fill`,
 * whose SQL is portable.
 */
export class PgClaimPrescription1763858412001 implements MigrationInterface {
  name = 'PgClaimPrescription1763858412001'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "collection_case" ADD "prescribed_claims" integer NOT NULL DEFAULT '0'`)
    await queryRunner.query(`ALTER TABLE "claim" ADD "prescription_on" character varying(10)`)
    await queryRunner.query(`CREATE INDEX "ix_claim_prescription_on" ON "claim" ("prescription_on", "case_id") `)
    const [cases] = (await queryRunner.query('SELECT COUNT(*) AS n FROM collection_case')) as Array<{ n: number }>
    if (Number(cases?.n ?? 0) > 0) await new ClaimPrescription1763858412000().fill(queryRunner)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_claim_prescription_on"`)
    await queryRunner.query(`ALTER TABLE "claim" DROP COLUMN "prescription_on"`)
    await queryRunner.query(`ALTER TABLE "collection_case" DROP COLUMN "prescribed_claims"`)
  }
}
