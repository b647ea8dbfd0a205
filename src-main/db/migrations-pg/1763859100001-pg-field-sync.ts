import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * PostgreSQL twin of 1763859100000-field-sync: the field-sync bookkeeping tables (checkouts,
 * their cases, the laptop's marker and base copies, conflicts), SQL from
 * scripts/print-pg-schema-sql.ts --migrated.
 */
export class PgFieldSync1763859100001 implements MigrationInterface {
  name = 'PgFieldSync1763859100001'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['sync_conflict', 'sync_base', 'sync_marker', 'sync_checkout_case', 'sync_checkout']) {
      await queryRunner.query(`DROP TABLE "${table}"`)
    }
  }
}

const UP = [
  'CREATE TABLE "sync_checkout" ("id" character varying(36) NOT NULL, "created_at" character varying(24) NOT NULL, "created_by" character varying(36), "collector_id" character varying(36) NOT NULL, "device_id" character varying(100) NOT NULL, "label" character varying(200) NOT NULL, "status" character varying(16) NOT NULL, "case_count" integer NOT NULL, "last_sync_at" character varying(24), "open_conflicts" integer NOT NULL DEFAULT \'0\', CONSTRAINT "PK_ed2487d4046f74890826551bdd4" PRIMARY KEY ("id"))',
  'CREATE INDEX "ix_sync_checkout_collector" ON "sync_checkout" ("collector_id")',
  'CREATE TABLE "sync_checkout_case" ("checkout_id" character varying(36) NOT NULL, "case_id" character varying(36) NOT NULL, CONSTRAINT "PK_2c183b2e21a992328ef2a2005cb" PRIMARY KEY ("checkout_id", "case_id"))',
  'CREATE INDEX "ix_sync_checkout_case_case" ON "sync_checkout_case" ("case_id")',
  'CREATE TABLE "sync_marker" ("id" character varying(36) NOT NULL, "office_location" character varying(500) NOT NULL, "device_id" character varying(100) NOT NULL, "collector_id" character varying(36) NOT NULL, "label" character varying(200) NOT NULL, "checked_out_at" character varying(24) NOT NULL, "last_sync_at" character varying(24), "cursor" text, "last_run_status" character varying(16) NOT NULL, "last_error" text, CONSTRAINT "PK_de9e9d3772edac2b66b4c584a81" PRIMARY KEY ("id"))',
  'CREATE TABLE "sync_base" ("table_name" character varying(64) NOT NULL, "row_id" character varying(200) NOT NULL, "version" integer, "row_json" text, CONSTRAINT "PK_2bf5061cf986c8ba6bc6c777b64" PRIMARY KEY ("table_name", "row_id"))',
  'CREATE TABLE "sync_conflict" ("id" character varying(36) NOT NULL, "created_at" character varying(24) NOT NULL, "table_name" character varying(64) NOT NULL, "row_id" character varying(200) NOT NULL, "case_id" character varying(36), "kind" character varying(16) NOT NULL, "label" character varying(300) NOT NULL, "columns" text NOT NULL, "office_version" integer NOT NULL, "office_row_json" text NOT NULL, "status" character varying(16) NOT NULL, "resolution" character varying(16), "resolved_at" character varying(24), "resolved_by" character varying(36), CONSTRAINT "PK_2bd578b265665478d041fa85ab3" PRIMARY KEY ("id"))',
  'CREATE INDEX "ix_sync_conflict_row" ON "sync_conflict" ("table_name", "row_id")'
]
