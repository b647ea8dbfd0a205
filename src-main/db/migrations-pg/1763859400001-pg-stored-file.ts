import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Agency mode: stored files' bytes in the shared database, so that a letter made on one
 * workstation opens on every other (modules/documents/file-store.ts). Content-addressed: one
 * row per SHA-256; anonymisation empties `content` and sets `erased_at` (a tombstone that keeps
 * workstations' caches from serving the bytes again). PostgreSQL only: with the local file
 * (SQLite) the bytes stay in the data folder. No entity: read and written by raw SQL.
 */
export class PgStoredFile1763859400001 implements MigrationInterface {
  name = 'PgStoredFile1763859400001'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "stored_file" ("sha256" character(64) NOT NULL, "extension" character varying(16) NOT NULL, "byte_size" integer NOT NULL, "content" bytea, "created_at" character varying(24) NOT NULL, "erased_at" character varying(24), CONSTRAINT "PK_stored_file" PRIMARY KEY ("sha256"))'
    )
    // Large letters: stored as is (PDFs are already compressed), outside the row's page.
    await queryRunner.query('ALTER TABLE "stored_file" ALTER COLUMN "content" SET STORAGE EXTERNAL')
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "stored_file"')
  }
}
