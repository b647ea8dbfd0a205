import type { EntityManager } from 'typeorm'
import type { Database } from '../../db/database'
import { nameSortKey, type ParsedSearch } from './search-text'

/** A SQL condition on a `collection_case` alias, with its named parameters (TypeORM `:name`). */
export interface SqlCondition {
  sql: string
  params: Record<string, unknown>
}

/**
 * How a search restricts a query: `drive` lets the database start from the matching cases
 * (best when they are few); `probe` only tests each case it meets in another order (best when
 * the matches are many and the page follows an index, e.g. the first rows by balance).
 */
export type SearchConditionMode = 'drive' | 'probe'

/**
 * The portfolio's search index: derived data kept in step with debtors, cases, claims, phones
 * and emails, so that one search box finds a case by any of them, and so that cases sort by
 * debtor name without a join.
 *
 * The contract for writers: whoever inserts or changes, in a transaction, a case, its claims,
 * its debtor (names, SIREN, SIRET), or the debtor's phones or emails, calls `indexCase` (or
 * `indexDebtor`) with the same manager before committing. Bulk loads call `rebuild` once at
 * the end. The index only ever reads the tables it derives from, so calling it too often is
 * harmless.
 *
 * Everything engine-specific (SQLite FTS5 here) stays behind this interface: a PostgreSQL
 * implementation would provide the same methods over tsvector columns or pg_trgm indexes.
 */
export interface SearchIndex {
  /** The condition keeping the cases that match a parsed search (kind 'search'). */
  caseCondition(
    alias: string,
    search: Extract<ParsedSearch, { kind: 'search' }>,
    mode: SearchConditionMode
  ): SqlCondition
  /** How many cases match a parsed search (an upper bound is not enough: exact). */
  countMatches(manager: EntityManager, search: Extract<ParsedSearch, { kind: 'search' }>): Promise<number>
  /** The ids of the cases a parsed search matches, straight from the index (tests, benchmarks). */
  matchingCaseIds(manager: EntityManager, search: Extract<ParsedSearch, { kind: 'search' }>): Promise<string[]>
  /** How many cases the index holds (one document each). */
  countDocuments(manager: EntityManager): Promise<number>
  /** Re-indexes these cases: their search document and their debtor sort key. */
  indexCases(manager: EntityManager, caseIds: readonly string[]): Promise<void>
  indexCase(manager: EntityManager, caseId: string): Promise<void>
  /** After a debtor, or its phones or emails, changed: every case of that debtor. */
  indexDebtor(manager: EntityManager, debtorId: string): Promise<void>
  /** Forgets a case about to be deleted (call before the DELETE). */
  removeCase(manager: EntityManager, caseId: string): Promise<void>
  /**
   * Rebuilds everything from the tables, in the caller's transaction: after a bulk load
   * (`sortKeys: false` when the loader already wrote `collection_case.debtor_sort_name`), or to
   * repair. Refreshes the query planner's statistics too.
   */
  rebuild(manager: EntityManager, options?: { sortKeys?: boolean }): Promise<void>
  /**
   * A bulk load of cases (demo portfolio, import), in the caller's transaction: the portfolio's
   * indexes on collection_case are built once the rows are in (faster than row by row), then
   * the search index is rebuilt.
   */
  bulkLoad(manager: EntityManager, load: () => Promise<void>, options?: { sortKeys?: boolean }): Promise<void>
  /**
   * At start-up: indexes the cases a writer forgot (or re-keys them after a table rebuild) and
   * lets the engine refresh its statistics. Cheap when nothing changed.
   */
  ensureConsistent(db: Database): Promise<void>
}

/**
 * What both engines' indexes do the same way, in SQL both speak (`?` placeholders go through
 * the PostgreSQL query path's rewriter, db/dialect.ts): the single-case and per-debtor
 * re-indexing, the document count, the debtor sort keys and the matching case ids.
 */
export abstract class BaseSearchIndex implements SearchIndex {
  /** The table holding one search document per case. */
  protected abstract readonly documentTable: string

  abstract caseCondition(
    alias: string,
    search: Extract<ParsedSearch, { kind: 'search' }>,
    mode: SearchConditionMode
  ): SqlCondition
  abstract countMatches(manager: EntityManager, search: Extract<ParsedSearch, { kind: 'search' }>): Promise<number>
  abstract indexCases(manager: EntityManager, caseIds: readonly string[]): Promise<void>
  abstract removeCase(manager: EntityManager, caseId: string): Promise<void>
  abstract rebuild(manager: EntityManager, options?: { sortKeys?: boolean }): Promise<void>
  abstract bulkLoad(manager: EntityManager, load: () => Promise<void>, options?: { sortKeys?: boolean }): Promise<void>
  abstract ensureConsistent(db: Database): Promise<void>

  async matchingCaseIds(manager: EntityManager, search: Extract<ParsedSearch, { kind: 'search' }>): Promise<string[]> {
    const condition = this.caseCondition('c', search, 'drive')
    const rows: Array<{ id: string }> = await manager
      .createQueryBuilder()
      .select('c.id', 'id')
      .from('collection_case', 'c')
      .where(condition.sql, condition.params)
      .getRawMany()
    return rows.map((r) => r.id)
  }

  async countDocuments(manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`SELECT COUNT(*) AS n FROM ${this.documentTable}`)
    return Number(row.n)
  }

  async indexCase(manager: EntityManager, caseId: string): Promise<void> {
    await this.indexCases(manager, [caseId])
  }

  async indexDebtor(manager: EntityManager, debtorId: string): Promise<void> {
    const rows: Array<{ id: string }> = await manager.query('SELECT id FROM collection_case WHERE debtor_id = ?', [
      debtorId
    ])
    await this.indexCases(
      manager,
      rows.map((r) => r.id)
    )
  }

  /** The debtor sort keys of these cases (at most a few hundred ids), written where they changed. */
  protected async refreshSortKeys(manager: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    const names: Array<{ id: string; display_name: string; debtor_sort_name: string }> = await manager.query(
      `SELECT c.id, d.display_name, c.debtor_sort_name FROM collection_case c JOIN debtor d ON d.id = c.debtor_id
        WHERE c.id IN (${ids.map(() => '?').join(', ')})`,
      [...ids]
    )
    for (const row of names) {
      const key = nameSortKey(row.display_name)
      if (key !== row.debtor_sort_name) {
        await manager.query('UPDATE collection_case SET debtor_sort_name = ? WHERE id = ?', [key, row.id])
      }
    }
  }
}
