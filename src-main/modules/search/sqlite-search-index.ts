import type { EntityManager } from 'typeorm'
import type { Database } from '../../db/database'
import { bulkInsert } from '../../db/bulk-insert'
import { log } from '../../platform/log'
import { BaseSearchIndex, type SearchConditionMode, type SqlCondition } from './search-index'
import { nameSortKey, type ParsedSearch } from './search-text'

/**
 * SQLite implementation of the SearchIndex: the only place in the app that knows FTS5, rowids,
 * ANALYZE and pragmas. Tables (created by migration 1763856310000-portfolio-search):
 *
 * - `case_search`: FTS5, contentless (the text lives in its source tables) with
 *   contentless_delete, one document per case whose FTS rowid IS the case's rowid, so that a
 *   match joins a case by its primary b-tree, without any lookup through the text id. Columns:
 *   names (debtor display and legal names), refs (case reference, SIREN, SIRET, invoice
 *   numbers), contacts (phones in national form 0612345678, emails). Tokenizer unicode61 with
 *   remove_diacritics 2 (é = e, case folded) and prefix indexes for 1, 2 and 3 characters, so
 *   that word beginnings ("lefev" → Lefèvre, "FA-2023-0") are cheap (migration 1763856330000).
 * - `search_case_doc`: case rowid → case id for every indexed case. Rowids of a table without
 *   INTEGER PRIMARY KEY are stable (VACUUM keeps them) except when a migration rebuilds the
 *   table: ensureConsistent() compares both at start-up after any schema change and re-keys.
 *
 * TypeORM ignores both: its schema builder only loads the tables of the entities, so neither
 * the virtual table nor its shadow tables (case_search_data, _idx, _docsize, _config) appear in
 * its diff (checked by tests/integration/db/migrations.test.ts).
 */

export const FTS_TABLE = 'case_search'
export const DOC_TABLE = 'search_case_doc'

/** Stored E.164 → national form for French numbers, digits otherwise (see storedNumberForm). */
const PHONE_FORM = `CASE WHEN p.number LIKE '+330%' THEN substr(p.number, 4) WHEN p.number LIKE '+33%' THEN '0' || substr(p.number, 4) WHEN p.number LIKE '+%' THEN substr(p.number, 2) ELSE p.number END`

/** One search document per case (`scope` restricts which cases). */
function documentsSql(scope: string): string {
  return `SELECT c.rowid AS doc_id,
      CASE WHEN d.legal_name IS NOT NULL AND lower(d.legal_name) <> lower(d.display_name)
        THEN d.display_name || ' ' || d.legal_name ELSE d.display_name END AS names,
      concat_ws(' ', c.reference, d.siren, d.siret,
        (SELECT group_concat(cl.invoice_number, ' ') FROM claim cl WHERE cl.case_id = c.id)) AS refs,
      concat_ws(' ',
        (SELECT group_concat(${PHONE_FORM}, ' ') FROM debtor_phone p WHERE p.debtor_id = c.debtor_id),
        (SELECT group_concat(e.address, ' ') FROM debtor_email e WHERE e.debtor_id = c.debtor_id)) AS contacts
    FROM collection_case c JOIN debtor d ON d.id = c.debtor_id
    ${scope}`
}

/** Repairs above this many cases rebuild the whole index instead (one pass is then faster). */
const REPAIR_ONE_BY_ONE_MAX = 2000
/** app_setting key: schema version at the last consistency check. */
const CHECKED_SCHEMA_KEY = 'search.checkedSchemaVersion'
/** Ids per statement when indexing many cases. */
const CHUNK = 500

export class SqliteSearchIndex extends BaseSearchIndex {
  protected readonly documentTable = DOC_TABLE

  caseCondition(
    alias: string,
    search: Extract<ParsedSearch, { kind: 'search' }>,
    mode: SearchConditionMode
  ): SqlCondition {
    // `+rowid` keeps SQLite from using the match as the driving index (probe mode).
    const rowid = mode === 'probe' ? `+${alias}.rowid` : `${alias}.rowid`
    return {
      sql: `${rowid} IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH :caseSearchQuery)`,
      params: { caseSearchQuery: ftsQuery(search) }
    }
  }

  async countMatches(manager: EntityManager, search: Extract<ParsedSearch, { kind: 'search' }>): Promise<number> {
    const [row] = await manager.query(`SELECT COUNT(*) AS n FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?`, [
      ftsQuery(search)
    ])
    return Number(row.n)
  }

  async indexCases(manager: EntityManager, caseIds: readonly string[]): Promise<void> {
    for (let start = 0; start < caseIds.length; start += CHUNK) {
      const ids = [...new Set(caseIds.slice(start, start + CHUNK))]
      const marks = ids.map(() => '?').join(', ')
      await this.forget(manager, ids)
      await manager.query(
        `INSERT INTO ${DOC_TABLE} (case_rowid, case_id) SELECT rowid, id FROM collection_case WHERE id IN (${marks})`,
        ids
      )
      await manager.query(
        `INSERT INTO ${FTS_TABLE} (rowid, names, refs, contacts) SELECT doc_id, names, refs, contacts FROM (${documentsSql(`WHERE c.id IN (${marks})`)})`,
        ids
      )
      await this.refreshSortKeys(manager, ids)
    }
  }

  async removeCase(manager: EntityManager, caseId: string): Promise<void> {
    await this.forget(manager, [caseId])
  }

  async rebuild(manager: EntityManager, options: { sortKeys?: boolean } = {}): Promise<void> {
    const started = performance.now()
    await manager.query(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}) VALUES ('delete-all')`)
    await manager.query(`DELETE FROM ${DOC_TABLE}`)
    await manager.query(`INSERT INTO ${DOC_TABLE} (case_rowid, case_id) SELECT rowid, id FROM collection_case`)
    await manager.query(
      `INSERT INTO ${FTS_TABLE} (rowid, names, refs, contacts) SELECT doc_id, names, refs, contacts FROM (${documentsSql('')})`
    )
    if (options.sortKeys ?? true) await writeSortKeys(manager)
    await analyze(manager)
    await recordChecked(manager)
    log.info(`Search index rebuilt in ${Math.round(performance.now() - started)} ms`)
  }

  async bulkLoad(
    manager: EntityManager,
    load: () => Promise<void>,
    options: { sortKeys?: boolean } = {}
  ): Promise<void> {
    // Non-unique indexes only: the primary key, the unique reference and foreign keys keep
    // checking every row. Their definitions are read back, so this never falls out of step.
    const deferred: Array<{ name: string; sql: string }> = await manager.query(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'collection_case'
        AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'`
    )
    for (const index of deferred) await manager.query(`DROP INDEX "${index.name}"`)
    try {
      await load()
    } finally {
      // Also after a failure: the caller's transaction rolls the drops back anyway, but a caller
      // that catches and commits must not lose the indexes.
      for (const index of deferred) await manager.query(index.sql)
    }
    await this.rebuild(manager, options)
  }

  async ensureConsistent(db: Database): Promise<void> {
    const state = await db.read(async (manager) => {
      const [cases] = await manager.query('SELECT COUNT(*) AS n FROM collection_case')
      const [docs] = await manager.query(`SELECT COUNT(*) AS n FROM ${DOC_TABLE}`)
      const checked = await manager.query('SELECT value FROM app_setting WHERE key = ?', [CHECKED_SCHEMA_KEY])
      return {
        same: Number(cases.n) === Number(docs.n),
        cases: Number(cases.n),
        schemaVersion: await schemaVersion(manager),
        checkedVersion: checked[0] ? Number(JSON.parse(checked[0].value)) : null
      }
    })
    if (state.same && state.schemaVersion === state.checkedVersion) return

    await db.write(async (manager) => {
      // Cases without a document, or whose rowid no longer matches (a migration rebuilt the table).
      const missing: Array<{ id: string }> = await manager.query(
        `SELECT c.id FROM collection_case c LEFT JOIN ${DOC_TABLE} k ON k.case_rowid = c.rowid
          WHERE k.case_id IS NULL OR k.case_id <> c.id LIMIT ${REPAIR_ONE_BY_ONE_MAX + 1}`
      )
      const orphans: Array<{ case_rowid: number }> = await manager.query(
        `SELECT k.case_rowid FROM ${DOC_TABLE} k LEFT JOIN collection_case c ON c.rowid = k.case_rowid
          WHERE c.id IS NULL OR c.id <> k.case_id LIMIT ${REPAIR_ONE_BY_ONE_MAX + 1}`
      )
      if (missing.length > REPAIR_ONE_BY_ONE_MAX || orphans.length > REPAIR_ONE_BY_ONE_MAX) {
        log.warn('Search index out of step with the cases: rebuilding it')
        await this.rebuild(manager)
      } else if (missing.length + orphans.length > 0) {
        log.warn(`Search index: re-indexing ${missing.length} case(s), dropping ${orphans.length} stale document(s)`)
        for (const orphan of orphans) await this.forgetRowid(manager, orphan.case_rowid)
        await this.indexCases(
          manager,
          missing.map((m) => m.id)
        )
      }
      // First start after a migration: fresh statistics for the portfolio's tables.
      if (state.schemaVersion !== state.checkedVersion && Number(state.cases) > 0) await analyze(manager)
      await recordChecked(manager)
    })
    // Statistics for tables that grew since the last ANALYZE (cheap when none did).
    await db.read((manager) => manager.query('PRAGMA optimize'))
  }

  /** Drops the documents of these cases, found by their recorded rowid (right even after a re-key). */
  private async forget(manager: EntityManager, caseIds: readonly string[]): Promise<void> {
    const marks = caseIds.map(() => '?').join(', ')
    const docs: Array<{ case_rowid: number }> = await manager.query(
      `SELECT case_rowid FROM ${DOC_TABLE} WHERE case_id IN (${marks})`,
      [...caseIds]
    )
    for (const doc of docs) await this.forgetRowid(manager, doc.case_rowid)
  }

  private async forgetRowid(manager: EntityManager, rowid: number): Promise<void> {
    await manager.query(`DELETE FROM ${FTS_TABLE} WHERE rowid = ?`, [rowid])
    await manager.query(`DELETE FROM ${DOC_TABLE} WHERE case_rowid = ?`, [rowid])
  }
}

/**
 * The FTS5 query of a parsed search. Words are letters and digits only (search-text.ts), so
 * quoting them is enough to keep FTS5 syntax out of what people type.
 * - each chunk is a phrase whose last word is a beginning (`"rec 2026 0001"*`), chunks are ANDed
 *   in any order (`"jean"* AND "lef"*` finds LEFÈVRE Jean);
 * - a number also matches its stored digits as a word beginning (`"0612345678"*`: phones,
 *   SIREN, SIRET, whatever spaces or dots were typed).
 */
export function ftsQuery(search: Extract<ParsedSearch, { kind: 'search' }>): string {
  const phrases = search.chunks.map((words) => `"${words.join(' ')}"*`)
  const all = phrases.length > 1 ? phrases.join(' AND ') : phrases[0]!
  if (search.number === null || phrases[0] === `"${search.number}"*`) return all
  return `"${search.number}"* OR (${all})`
}

/** Debtor sort keys of every case, computed here (SQLite cannot strip accents). */
async function writeSortKeys(manager: EntityManager): Promise<void> {
  const debtors: Array<{ id: string; display_name: string }> = await manager.query(
    'SELECT id, display_name FROM debtor WHERE id IN (SELECT debtor_id FROM collection_case)'
  )
  await manager.query('CREATE TEMP TABLE search_sort_key (debtor_id TEXT PRIMARY KEY, sort_key TEXT NOT NULL)')
  try {
    await bulkInsert(
      manager,
      'search_sort_key',
      ['debtor_id', 'sort_key'],
      debtors.map((d) => [d.id, nameSortKey(d.display_name)])
    )
    await manager.query(
      `UPDATE collection_case SET debtor_sort_name = k.sort_key FROM temp.search_sort_key k
        WHERE k.debtor_id = collection_case.debtor_id AND collection_case.debtor_sort_name <> k.sort_key`
    )
  } finally {
    await manager.query('DROP TABLE temp.search_sort_key')
  }
}

/** The tables the portfolio reads: their statistics are computed in full (a second at 200,000 cases). */
const PORTFOLIO_TABLES = [
  'collection_case',
  'debtor',
  'client',
  'app_user',
  'claim',
  'debtor_phone',
  'debtor_email',
  'payment_promise',
  'payment_plan',
  'installment'
]

/**
 * Planner statistics (sqlite_stat1). Sampling (analysis_limit) misjudges columns with few
 * values, such as a case's status, so the portfolio's tables are analysed in full; the others
 * are left to PRAGMA optimize.
 */
async function analyze(manager: EntityManager): Promise<void> {
  for (const table of PORTFOLIO_TABLES) await manager.query(`ANALYZE "${table}"`)
}

/** The index is known to match the cases under the current schema: the next start checks nothing. */
async function recordChecked(manager: EntityManager): Promise<void> {
  await manager.query(
    `INSERT INTO app_setting (key, value, updated_at, updated_by) VALUES (?, ?, ?, NULL)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [CHECKED_SCHEMA_KEY, JSON.stringify(await schemaVersion(manager)), new Date().toISOString()]
  )
}

async function schemaVersion(manager: EntityManager): Promise<number> {
  const [row] = await manager.query('PRAGMA schema_version')
  return Number(row.schema_version)
}
