import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * More of SQLite's spelling on PostgreSQL, so services keep one SQL text:
 * - the audit trail's staging tables move to a schema named `temp`, so that `temp.audit_pending`
 *   means the same table on both engines (SQLite's TEMP tables; per transaction here, by txid);
 * - scalar MAX(a, b) and MIN(a, b) (NULL when either is NULL, as in SQLite).
 */
export class PgSqliteCompat21763859230002 implements MigrationInterface {
  name = 'PgSqliteCompat21763859230002'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION max(anycompatible, anycompatible)')
    await queryRunner.query('DROP FUNCTION min(anycompatible, anycompatible)')
    await queryRunner.query('ALTER TABLE temp.audit_pending SET SCHEMA public')
    await queryRunner.query('ALTER TABLE temp.audit_bulk SET SCHEMA public')
    await queryRunner.query('DROP SCHEMA temp')
  }
}

const UP = [
  'CREATE SCHEMA IF NOT EXISTS temp',
  'ALTER TABLE audit_pending SET SCHEMA temp',
  'ALTER TABLE audit_bulk SET SCHEMA temp',
  `CREATE OR REPLACE FUNCTION recouvra_audit_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  row_key text;
  before_row jsonb;
  after_row jsonb;
BEGIN
  IF coalesce(nullif(current_setting('recouvra.audit_suspended', true), ''), '0')::int > 0 THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN before_row := to_jsonb(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN after_row := to_jsonb(NEW); END IF;
  SELECT string_agg(coalesce(after_row, before_row) ->> k, '|') INTO row_key FROM unnest(TG_ARGV) AS k;
  INSERT INTO temp.audit_pending (table_name, row_id, operation, before_json, after_json, actor)
  VALUES (TG_TABLE_NAME, row_key, lower(TG_OP), before_row::text, after_row::text,
    nullif(current_setting('recouvra.actor', true), ''));
  RETURN NULL;
END
$fn$`,
  `CREATE FUNCTION max(a anycompatible, b anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE GREATEST(a, b) END
  $fn$`,
  `CREATE FUNCTION min(a anycompatible, b anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE LEAST(a, b) END
  $fn$`
]
