import type { MigrationInterface, QueryRunner } from 'typeorm'

/** PostgreSQL twin of 1763859230000-installment-status-due-on: the agenda's installments index. */
export class PgInstallmentStatusDueOn1763859230001 implements MigrationInterface {
  name = 'PgInstallmentStatusDueOn1763859230001'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "ix_installment_status_due_on" ON "installment" ("status", "due_on")')
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "ix_installment_status_due_on"')
  }
}
