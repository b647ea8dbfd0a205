import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * SQLite functions some services' SQL uses, defined on PostgreSQL under the same names and with
 * the same results for the app's values, so that SQL stays one text for both engines (see
 * dialect.ts for what the query path rewrites instead):
 * - julianday(text): the Julian day number of a 'YYYY-MM-DD' date or ISO instant (UTC), so that
 *   julianday(b) - julianday(a) is a number of days;
 * - json_extract(text, '$.a.b'): the value at a path of a JSON text, as text;
 * - group_concat(text [, separator]): SQLite's string aggregate (',' by default).
 */
export class PgSqliteCompat1763858412002 implements MigrationInterface {
  name = 'PgSqliteCompat1763858412002'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP AGGREGATE group_concat(text, text)')
    await queryRunner.query('DROP AGGREGATE group_concat(text)')
    await queryRunner.query('DROP FUNCTION recouvra_concat_step(text, text, text)')
    await queryRunner.query('DROP FUNCTION recouvra_concat_step(text, text)')
    await queryRunner.query('DROP FUNCTION json_extract(text, text)')
    await queryRunner.query('DROP FUNCTION julianday(text)')
  }
}

const UP = [
  `CREATE FUNCTION julianday(value text) RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$
    SELECT extract(epoch FROM replace(replace(substr(value, 1, 23), 'T', ' '), 'Z', '')::timestamp) / 86400.0 + 2440587.5
  $fn$`,
  `CREATE FUNCTION json_extract(document text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CAST(document AS jsonb) #>> string_to_array(substr(path, 3), '.')
  $fn$`,
  `CREATE FUNCTION recouvra_concat_step(acc text, value text, separator text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN value IS NULL THEN acc WHEN acc IS NULL THEN value ELSE acc || separator || value END
  $fn$`,
  `CREATE FUNCTION recouvra_concat_step(acc text, value text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN value IS NULL THEN acc WHEN acc IS NULL THEN value ELSE acc || ',' || value END
  $fn$`,
  'CREATE AGGREGATE group_concat(text, text) (SFUNC = recouvra_concat_step, STYPE = text)',
  'CREATE AGGREGATE group_concat(text) (SFUNC = recouvra_concat_step, STYPE = text)'
]
