import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * PostgreSQL only (agency mode): one row counting committed write transactions, bumped by every
 * Database.write as its last statement. A cache of figures read from the whole portfolio (the
 * totals of a filtered list, the dashboard) is valid while the counter read in the same snapshot
 * stays the same, whichever workstation wrote. SQLite needs none: the app's one connection
 * counts its own changes (total_changes()). No entity: raw SQL in database.ts and
 * planner-hints.ts; not audited (isAuditedTable).
 */
export class PgWriteCounter1763861520001 implements MigrationInterface {
  name = 'PgWriteCounter1763861520001'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "write_counter" ("id" smallint PRIMARY KEY NOT NULL CHECK ("id" = 1), "n" bigint NOT NULL)`
    )
    await queryRunner.query(`INSERT INTO "write_counter" ("id", "n") VALUES (1, 0)`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "write_counter"`)
  }
}
