import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Portfolio imports (issue 6): one row per committed file, and the records each batch created
 * or touched, so that a batch can be undone while none of its cases has been worked on.
 *
 * Written with raw SQL by the imports module only (no entity, like the search tables): the
 * records are ids of rows in other tables, which an undo deletes; the batch row itself stays,
 * marked undone, as the audit record of what was imported and removed.
 */
export class ImportBatches1763857400000 implements MigrationInterface {
  name = 'ImportBatches1763857400000'

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
