import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * SQLite reads a comparison as 0 or 1, so its SQL aggregates them: MAX(kind = 'deadline'),
 * SUM(status = 'overdue'). The same aggregates over booleans on PostgreSQL: MAX is true when
 * any is, SUM counts the true ones (NULL over no row, as SQLite's SUM).
 */
export class PgSqliteCompat31763859400002 implements MigrationInterface {
  name = 'PgSqliteCompat31763859400002'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP AGGREGATE max(boolean)')
    await queryRunner.query('DROP AGGREGATE min(boolean)')
    await queryRunner.query('DROP AGGREGATE sum(boolean)')
    await queryRunner.query('DROP FUNCTION recouvra_sum_bool(bigint, boolean)')
  }
}

const UP = [
  'CREATE AGGREGATE max(boolean) (SFUNC = boolor_statefunc, STYPE = boolean)',
  'CREATE AGGREGATE min(boolean) (SFUNC = booland_statefunc, STYPE = boolean)',
  `CREATE FUNCTION recouvra_sum_bool(acc bigint, value boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN value IS NULL THEN acc ELSE coalesce(acc, 0) + CASE WHEN value THEN 1 ELSE 0 END END
  $fn$`,
  'CREATE AGGREGATE sum(boolean) (SFUNC = recouvra_sum_bool, STYPE = bigint)'
]
