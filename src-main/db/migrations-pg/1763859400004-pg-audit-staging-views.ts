import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The audit trail's staging tables answer to both names on PostgreSQL: `temp.audit_pending`
 * (SQLite's spelling, PgSqliteCompat21763859230002) and plain `audit_pending` (code written
 * for the first PostgreSQL layout), through simple updatable views.
 */
export class PgAuditStagingViews1763859400004 implements MigrationInterface {
  name = 'PgAuditStagingViews1763859400004'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE VIEW audit_pending AS SELECT * FROM temp.audit_pending')
    await queryRunner.query('CREATE VIEW audit_bulk AS SELECT * FROM temp.audit_bulk')
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP VIEW audit_bulk')
    await queryRunner.query('DROP VIEW audit_pending')
  }
}
