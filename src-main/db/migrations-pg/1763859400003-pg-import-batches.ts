import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * PostgreSQL twin of 1763857400000-import-batches: the import batches and their records, tables
 * without entities (raw SQL in imports.service.ts), so the entities' schema builder does not
 * know them; the SQLite statements are valid PostgreSQL as they are.
 */
export class PgImportBatches1763859400003 implements MigrationInterface {
  name = 'PgImportBatches1763859400003'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of STATEMENTS) await queryRunner.query(statement)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_batch_record"`)
    await queryRunner.query(`DROP TABLE "import_batch"`)
  }
}

const STATEMENTS = [
  `CREATE TABLE "import_batch" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "client_id" varchar(36) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT, "mandate_id" varchar(36) NOT NULL REFERENCES "mandate" ("id") ON DELETE RESTRICT, "file_name" varchar(255) NOT NULL, "file_sha256" varchar(64) NOT NULL, "mapping" text NOT NULL, "counts" text NOT NULL, "status" varchar(32) NOT NULL, "undone_at" varchar(24), "undone_by" varchar(36))`,
  `CREATE INDEX "ix_import_batch_client" ON "import_batch" ("client_id", "created_at")`,
  // kind: debtor | address | phone | email | case (created) | claim | touched_case (an existing
  // open case that received claims; case_version is its version right after the import).
  `CREATE TABLE "import_batch_record" ("batch_id" varchar(36) NOT NULL REFERENCES "import_batch" ("id") ON DELETE CASCADE, "kind" varchar(16) NOT NULL, "record_id" varchar(36) NOT NULL, "case_version" integer, PRIMARY KEY ("batch_id", "kind", "record_id"))`,
  `CREATE INDEX "ix_import_batch_record_record" ON "import_batch_record" ("record_id")`
]
