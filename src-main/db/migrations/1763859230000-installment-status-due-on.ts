import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The agenda's installments due (status due, partial or missed, due on or before today) read from
 * an index rather than every plan's installments: the team agenda at 200,000 cases scanned all
 * 15,000 plans for ~400 installments (see tests/bench/README.md, "Agenda").
 */
export class InstallmentStatusDueOn1763859230000 implements MigrationInterface {
  name = 'InstallmentStatusDueOn1763859230000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_installment_status_due_on" ON "installment" ("status", "due_on") `)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_installment_status_due_on"`)
  }
}
