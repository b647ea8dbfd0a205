import type { MigrationInterface, QueryRunner } from 'typeorm'
import { bulkInsert } from '../bulk-insert'

/**
 * Portfolio at 200,000 cases (issue 3):
 * - `collection_case.debtor_sort_name`: the debtor's name as lists sort it (lower case, no
 *   accents), so that sorting by debtor reads an index instead of joining 200,000 debtors;
 * - indexes for the portfolio: one covering index for the totals of any filter combination,
 *   and (key, reference) indexes so that every sort pages in index order (they replace the
 *   single-column indexes on the same keys, and ix_case_status_phase, a prefix of the covering one);
 * - the search index (SQLite FTS5, see modules/search/sqlite-search-index.ts): `case_search`,
 *   one contentless document per case keyed by the case's rowid, and `search_case_doc`, which
 *   records which case each rowid was, to detect a table rebuild.
 * Existing rows are indexed here, with this file's own copy of the SQL and of the name
 * normalisation, so that the migration does the same thing forever (its hash is pinned).
 */
export class PortfolioSearch1763856310000 implements MigrationInterface {
  name = 'PortfolioSearch1763856310000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "collection_case" ADD COLUMN "debtor_sort_name" varchar(200) NOT NULL DEFAULT ('')`
    )
    const debtors: Array<{ id: string; display_name: string }> = await queryRunner.query(
      'SELECT id, display_name FROM debtor WHERE id IN (SELECT debtor_id FROM collection_case)'
    )
    if (debtors.length > 0) {
      await queryRunner.query(
        'CREATE TEMP TABLE migration_sort_key (debtor_id TEXT PRIMARY KEY, sort_key TEXT NOT NULL)'
      )
      await bulkInsert(
        queryRunner.manager,
        'migration_sort_key',
        ['debtor_id', 'sort_key'],
        debtors.map((d) => [d.id, sortKey(d.display_name)])
      )
      await queryRunner.query(
        `UPDATE collection_case SET debtor_sort_name = k.sort_key FROM temp.migration_sort_key k WHERE k.debtor_id = collection_case.debtor_id`
      )
      await queryRunner.query('DROP TABLE temp.migration_sort_key')
    }

    for (const index of REPLACED_INDEXES) await queryRunner.query(`DROP INDEX "${index}"`)
    for (const statement of INDEXES) await queryRunner.query(statement)

    for (const statement of SEARCH_TABLES) await queryRunner.query(statement)
    await queryRunner.query(
      `INSERT INTO "search_case_doc" ("case_rowid", "case_id") SELECT rowid, id FROM collection_case`
    )
    await queryRunner.query(POPULATE_SEARCH)

    if (debtors.length > 0) {
      // Planner statistics, sampled: the portfolio's query plans rely on them.
      await queryRunner.query('PRAGMA analysis_limit = 2000')
      await queryRunner.query('ANALYZE')
      await queryRunner.query('PRAGMA analysis_limit = 0')
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "case_search"`)
    await queryRunner.query(`DROP TABLE "search_case_doc"`)
    for (const statement of INDEXES) {
      await queryRunner.query(`DROP INDEX "${/INDEX "([^"]+)"/.exec(statement)![1]}"`)
    }
    for (const statement of RESTORED_INDEXES) await queryRunner.query(statement)
    await queryRunner.query(`ALTER TABLE "collection_case" DROP COLUMN "debtor_sort_name"`)
  }
}

/** nameSortKey as of this migration (modules/search/search-text.ts). */
function sortKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, 200)
}

const REPLACED_INDEXES = [
  'ix_case_status_phase',
  'ix_case_last_contact_at',
  'ix_case_oldest_due_on',
  'ix_case_balance',
  'ix_case_next_action_on',
  'ix_case_opened_on'
]

const RESTORED_INDEXES = [
  `CREATE INDEX "ix_case_status_phase" ON "collection_case" ("status", "phase") `,
  `CREATE INDEX "ix_case_last_contact_at" ON "collection_case" ("last_contact_at") `,
  `CREATE INDEX "ix_case_oldest_due_on" ON "collection_case" ("oldest_due_on") `,
  `CREATE INDEX "ix_case_balance" ON "collection_case" ("balance_cents") `,
  `CREATE INDEX "ix_case_next_action_on" ON "collection_case" ("next_action_on") `,
  `CREATE INDEX "ix_case_opened_on" ON "collection_case" ("opened_on") `
]

const INDEXES = [
  `CREATE INDEX "ix_case_opened_on" ON "collection_case" ("opened_on", "reference") `,
  `CREATE INDEX "ix_case_last_contact_at" ON "collection_case" ("last_contact_at", "reference") `,
  `CREATE INDEX "ix_case_next_action_on" ON "collection_case" ("next_action_on", "reference") `,
  `CREATE INDEX "ix_case_oldest_due_on" ON "collection_case" ("oldest_due_on", "reference") `,
  `CREATE INDEX "ix_case_balance" ON "collection_case" ("balance_cents", "reference") `,
  `CREATE INDEX "ix_case_debtor_sort" ON "collection_case" ("debtor_sort_name", "reference") `,
  `CREATE INDEX "ix_case_priority_reference" ON "collection_case" ("priority", "reference") `,
  `CREATE INDEX "ix_case_phase_reference" ON "collection_case" ("phase", "reference") `,
  `CREATE INDEX "ix_case_status_reference" ON "collection_case" ("status", "reference") `,
  `CREATE INDEX "ix_case_portfolio" ON "collection_case" ("status", "phase", "client_id", "collector_id", "priority", "balance_cents", "oldest_due_on", "next_action_on") `
]

const SEARCH_TABLES = [
  `CREATE VIRTUAL TABLE "case_search" USING fts5(names, refs, contacts, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3', content = '', contentless_delete = 1)`,
  `CREATE TABLE "search_case_doc" ("case_rowid" integer PRIMARY KEY NOT NULL, "case_id" varchar(36) NOT NULL)`,
  `CREATE UNIQUE INDEX "uq_search_case_doc_case" ON "search_case_doc" ("case_id") `
]

const POPULATE_SEARCH = `INSERT INTO "case_search" (rowid, names, refs, contacts)
  SELECT c.rowid,
    CASE WHEN d.legal_name IS NOT NULL AND lower(d.legal_name) <> lower(d.display_name)
      THEN d.display_name || ' ' || d.legal_name ELSE d.display_name END,
    concat_ws(' ', c.reference, d.siren, d.siret,
      (SELECT group_concat(cl.invoice_number, ' ') FROM claim cl WHERE cl.case_id = c.id)),
    concat_ws(' ',
      (SELECT group_concat(CASE WHEN p.number LIKE '+330%' THEN substr(p.number, 4) WHEN p.number LIKE '+33%' THEN '0' || substr(p.number, 4) WHEN p.number LIKE '+%' THEN substr(p.number, 2) ELSE p.number END, ' ')
        FROM debtor_phone p WHERE p.debtor_id = c.debtor_id),
      (SELECT group_concat(e.address, ' ') FROM debtor_email e WHERE e.debtor_id = c.debtor_id))
  FROM collection_case c JOIN debtor d ON d.id = c.debtor_id`
