import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Audit trail (issue 7): one append-only table of every change, rows chained by SHA-256. The
 * rows are written by the app (src-main/modules/audit); these triggers refuse any UPDATE or
 * DELETE of them, like the journal's.
 */
export class AuditTrail1763857600000 implements MigrationInterface {
  name = 'AuditTrail1763857600000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_entry" ("seq" integer PRIMARY KEY NOT NULL, "at" varchar(24) NOT NULL, "user_id" varchar(36), "action" varchar(60) NOT NULL, "table_name" varchar(64) NOT NULL, "row_id" varchar(200), "operation" varchar(16) NOT NULL, "before_json" text, "after_json" text, "hash" varchar(64) NOT NULL)`
    )
    await queryRunner.query(`CREATE INDEX "ix_audit_entry_at" ON "audit_entry" ("at") `)
    await queryRunner.query(`CREATE INDEX "ix_audit_entry_row" ON "audit_entry" ("table_name", "row_id") `)
    await queryRunner.query(
      `CREATE TRIGGER "trg_audit_entry_no_update" BEFORE UPDATE ON "audit_entry" BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END`
    )
    await queryRunner.query(
      `CREATE TRIGGER "trg_audit_entry_no_delete" BEFORE DELETE ON "audit_entry" BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END`
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "trg_audit_entry_no_update"`)
    await queryRunner.query(`DROP TRIGGER "trg_audit_entry_no_delete"`)
    await queryRunner.query(`DROP TABLE "audit_entry"`)
  }
}
