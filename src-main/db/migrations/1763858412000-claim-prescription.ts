import type { MigrationInterface, QueryRunner } from 'typeorm'
import { frozenClaimExpiries } from './1763857700000-case-prescription'

/**
 * Prescription per claim (issue 4): `claim.prescription_on` (null once the claim is paid or the
 * case closed), indexed with the case for the agenda and the portfolio filter; the case's
 * `prescription_on` becomes the NEXT expiry among claims still demandable (time-barred claims
 * ignored) and `prescribed_claims` counts the time-barred ones.
 *
 * Self-contained: the expiries come from the frozen copy of the rules in migration
 * 1763857700000 (locked by its SHA-256), the case figures from plain SQL, today in Paris
 * computed here. Nothing in the app's code can change what this migration does.
 */
export class ClaimPrescription1763858412000 implements MigrationInterface {
  name = 'ClaimPrescription1763858412000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "claim" ADD COLUMN "prescription_on" varchar(10)`)
    await queryRunner.query(`ALTER TABLE "collection_case" ADD COLUMN "prescribed_claims" integer NOT NULL DEFAULT (0)`)
    await queryRunner.query(`CREATE INDEX "ix_claim_prescription_on" ON "claim" ("prescription_on", "case_id") `)
    await this.fill(queryRunner)
  }

  /** Fills the two columns for every case (tests call it on a filled database too). */
  async fill(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('UPDATE claim SET prescription_on = NULL')

    const ids = (
      (await queryRunner.query(`SELECT id FROM collection_case WHERE status <> 'closed' ORDER BY id`)) as Array<{
        id: string
      }>
    ).map((r) => r.id)
    for (let i = 0; i < ids.length; i += 500) {
      const computed = await frozenClaimExpiries(queryRunner.manager, ids.slice(i, i + 500))
      const rows: string[][] = []
      for (const claims of computed.values()) {
        for (const claim of claims) if (claim.open) rows.push([claim.id, claim.expiresOn])
      }
      for (let k = 0; k < rows.length; k += 300) {
        const slice = rows.slice(k, k + 300)
        await queryRunner.query(
          `UPDATE claim SET prescription_on = v.p
             FROM (SELECT column1 AS id, column2 AS p FROM (VALUES ${slice.map(() => '(?, ?)').join(', ')})) AS v
            WHERE claim.id = v.id`,
          slice.flat()
        )
      }
    }
    const today = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit'
    }).format(new Date())
    await queryRunner.query(
      `UPDATE collection_case
          SET prescription_on = (SELECT MIN(cl.prescription_on) FROM claim cl
                                  WHERE cl.case_id = collection_case.id AND cl.prescription_on >= ?1),
              prescribed_claims = (SELECT COUNT(*) FROM claim cl
                                    WHERE cl.case_id = collection_case.id AND cl.prescription_on < ?1)`,
      [today]
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_claim_prescription_on"`)
    await queryRunner.query(`ALTER TABLE "collection_case" DROP COLUMN "prescribed_claims"`)
    await queryRunner.query(`ALTER TABLE "claim" DROP COLUMN "prescription_on"`)
  }
}
