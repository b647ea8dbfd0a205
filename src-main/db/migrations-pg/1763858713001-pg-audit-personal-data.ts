import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * PostgreSQL twin of 1763858713000-audit-personal-data: `audit_personal` (personal values set
 * apart from the chain; rows are only ever erased, never updated) and the two new columns of
 * `audit_entry`. A PostgreSQL trail starts empty or comes from \`db copy\` of an already migrated
 * file, so there is no chain to re-hash here.
 */
export class PgAuditPersonalData1763858713001 implements MigrationInterface {
  name = 'PgAuditPersonalData1763858713001'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement)
    await queryRunner.query(
      'CREATE TRIGGER "trg_audit_personal_no_update" BEFORE UPDATE ON "audit_personal" FOR EACH ROW EXECUTE FUNCTION recouvra_append_only()'
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "audit_personal"')
    await queryRunner.query('DROP INDEX "ix_audit_entry_subject"')
    await queryRunner.query('ALTER TABLE "audit_entry" DROP COLUMN "personal_sha256"')
    await queryRunner.query('ALTER TABLE "audit_entry" DROP COLUMN "subject_id"')
  }
}

const UP = [
  'CREATE TABLE "audit_personal" ("seq" integer NOT NULL, "subject_id" character varying(36) NOT NULL, "salt" character varying(32) NOT NULL, "before_json" text, "after_json" text, CONSTRAINT "PK_31903789f8749fe706b3dc72793" PRIMARY KEY ("seq"))',
  'CREATE INDEX "ix_audit_personal_subject" ON "audit_personal" ("subject_id")',
  'ALTER TABLE "audit_entry" ADD "subject_id" character varying(36)',
  'ALTER TABLE "audit_entry" ADD "personal_sha256" character varying(64)',
  'CREATE INDEX "ix_audit_entry_subject" ON "audit_entry" ("subject_id")'
]
