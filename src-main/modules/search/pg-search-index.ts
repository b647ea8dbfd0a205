import type { EntityManager } from 'typeorm'
import type { Database } from '../../db/database'
import { log } from '../../platform/log'
import { BaseSearchIndex, type SearchConditionMode, type SqlCondition } from './search-index'
import { nameSortKey, type ParsedSearch } from './search-text'

/**
 * PostgreSQL implementation of the SearchIndex (agency mode), over the table `search_case_doc`
 * (migration PgInitialSchema1763856000001): one row per case with its three texts (names, refs,
 * contacts: the same documents as SQLite's FTS5 index), `words`, a tsvector of those texts
 * without accents, lower case, cut at every character that is not a letter or a digit (as
 * FTS5's unicode61 tokenizer does: "REC-2026-0001" is rec 2026 0001, an e-mail its pieces),
 * with the 'simple' configuration (no stemming, no stop words: names are not French prose),
 * GIN-indexed; and `flat`, the same words as one string, with a pg_trgm GIN index for
 * substring and similarity look-ups.
 *
 * Queries: each chunk typed is a phrase whose last word is a prefix (`rec <-> 2026 <-> 0001:*`),
 * chunks ANDed in any order; a number also matches its stored digits as a prefix.
 */
export const PG_DOC_TABLE = 'search_case_doc'

const PHONE_FORM = `CASE WHEN p.number LIKE '+330%' THEN substr(p.number, 4) WHEN p.number LIKE '+33%' THEN '0' || substr(p.number, 4) WHEN p.number LIKE '+%' THEN substr(p.number, 2) ELSE p.number END`

/** Accents off, lower case, every run of other characters a single space. */
function normalized(expression: string): string {
  return `trim(regexp_replace(lower(unaccent(${expression})), '[^[:alnum:]]+', ' ', 'g'))`
}

function documentsSql(scope: string): string {
  return `SELECT c.id AS case_id,
      CASE WHEN d.legal_name IS NOT NULL AND lower(d.legal_name) <> lower(d.display_name)
        THEN d.display_name || ' ' || d.legal_name ELSE d.display_name END AS names,
      concat_ws(' ', c.reference, d.siren, d.siret,
        (SELECT string_agg(cl.invoice_number, ' ') FROM claim cl WHERE cl.case_id = c.id)) AS refs,
      concat_ws(' ',
        (SELECT string_agg(${PHONE_FORM}, ' ') FROM debtor_phone p WHERE p.debtor_id = c.debtor_id),
        (SELECT string_agg(e.address, ' ') FROM debtor_email e WHERE e.debtor_id = c.debtor_id)) AS contacts
    FROM collection_case c JOIN debtor d ON d.id = c.debtor_id
    ${scope}`
}

function insertSql(scope: string): string {
  return `INSERT INTO ${PG_DOC_TABLE} (case_id, names, refs, contacts, words, flat)
    SELECT case_id, names, refs, contacts,
      to_tsvector('simple', ${normalized("concat_ws(' ', names, refs, contacts)")}),
      ${normalized("concat_ws(' ', names, refs, contacts)")}
    FROM (${documentsSql(scope)}) AS doc`
}

const CHUNK = 500

export class PgSearchIndex extends BaseSearchIndex {
  protected readonly documentTable = PG_DOC_TABLE

  caseCondition(
    alias: string,
    search: Extract<ParsedSearch, { kind: 'search' }>,
    // The planner decides by itself on PostgreSQL (GIN index first or a probe per row).
    _mode: SearchConditionMode
  ): SqlCondition {
    return {
      sql: `${alias}.id IN (SELECT s.case_id FROM ${PG_DOC_TABLE} s WHERE s.words @@ to_tsquery('simple', :caseSearchQuery))`,
      params: { caseSearchQuery: tsQuery(search) }
    }
  }

  async countMatches(manager: EntityManager, search: Extract<ParsedSearch, { kind: 'search' }>): Promise<number> {
    const [row] = await manager.query(
      `SELECT COUNT(*) AS n FROM ${PG_DOC_TABLE} WHERE words @@ to_tsquery('simple', $1)`,
      [tsQuery(search)]
    )
    return Number(row.n)
  }

  async indexCases(manager: EntityManager, caseIds: readonly string[]): Promise<void> {
    for (let start = 0; start < caseIds.length; start += CHUNK) {
      const ids = [...new Set(caseIds.slice(start, start + CHUNK))]
      await manager.query(`DELETE FROM ${PG_DOC_TABLE} WHERE case_id = ANY($1)`, [ids])
      await manager.query(insertSql('WHERE c.id = ANY($1)'), [ids])
      await this.refreshSortKeys(manager, ids)
    }
  }

  async removeCase(manager: EntityManager, caseId: string): Promise<void> {
    await manager.query(`DELETE FROM ${PG_DOC_TABLE} WHERE case_id = $1`, [caseId])
  }

  async rebuild(manager: EntityManager, options: { sortKeys?: boolean } = {}): Promise<void> {
    const started = performance.now()
    await manager.query(`DELETE FROM ${PG_DOC_TABLE}`)
    await manager.query(insertSql(''))
    if (options.sortKeys ?? true) await writeSortKeys(manager)
    await manager.query(`ANALYZE ${PG_DOC_TABLE}`)
    await manager.query('ANALYZE collection_case')
    log.info(`Search index rebuilt in ${Math.round(performance.now() - started)} ms`)
  }

  async bulkLoad(
    manager: EntityManager,
    load: () => Promise<void>,
    options: { sortKeys?: boolean } = {}
  ): Promise<void> {
    await load()
    await this.rebuild(manager, options)
  }

  async ensureConsistent(db: Database): Promise<void> {
    const missing = await db.read(async (manager) => {
      const rows: Array<{ id: string }> = await manager.query(
        `SELECT c.id FROM collection_case c WHERE NOT EXISTS (SELECT 1 FROM ${PG_DOC_TABLE} s WHERE s.case_id = c.id) LIMIT 2001`
      )
      const [orphans] = await manager.query(
        `SELECT COUNT(*) AS n FROM ${PG_DOC_TABLE} s WHERE NOT EXISTS (SELECT 1 FROM collection_case c WHERE c.id = s.case_id)`
      )
      return { ids: rows.map((r) => r.id), orphans: Number(orphans.n) }
    })
    if (missing.ids.length === 0 && missing.orphans === 0) return
    await db.write(async (manager) => {
      if (missing.ids.length > 2000) {
        log.warn('Search index out of step with the cases: rebuilding it')
        await this.rebuild(manager)
        return
      }
      await manager.query(
        `DELETE FROM ${PG_DOC_TABLE} s WHERE NOT EXISTS (SELECT 1 FROM collection_case c WHERE c.id = s.case_id)`
      )
      await this.indexCases(manager, missing.ids)
    })
  }
}

/**
 * The tsquery of a parsed search: words are letters and digits only (search-text.ts), so no
 * tsquery syntax can come from what people type; accents go (unaccent is applied to the
 * documents, the same NFD stripping here).
 */
export function tsQuery(search: Extract<ParsedSearch, { kind: 'search' }>): string {
  const clean = (word: string) =>
    word
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/œ/g, 'oe')
      .replace(/æ/g, 'ae')
      .replace(/ß/g, 'ss')
  const phrase = (words: string[]) => {
    const parts = words.map(clean).filter((w) => w.length > 0)
    const body = parts.map((w, i) => (i === parts.length - 1 ? `${w}:*` : w)).join(' <-> ')
    return parts.length > 1 ? `(${body})` : body
  }
  const phrases = search.chunks.map(phrase)
  const all = phrases.join(' & ')
  if (search.number === null || phrases[0] === `${search.number}:*`) return all
  return `${search.number}:* | (${all})`
}

async function writeSortKeys(manager: EntityManager): Promise<void> {
  const debtors: Array<{ id: string; display_name: string }> = await manager.query(
    'SELECT id, display_name FROM debtor WHERE id IN (SELECT debtor_id FROM collection_case)'
  )
  for (let i = 0; i < debtors.length; i += 5000) {
    const chunk = debtors.slice(i, i + 5000)
    await manager.query(
      `UPDATE collection_case c SET debtor_sort_name = k.sort_key
        FROM unnest($1::text[], $2::text[]) AS k(debtor_id, sort_key)
        WHERE c.debtor_id = k.debtor_id AND c.debtor_sort_name <> k.sort_key`,
      [chunk.map((d) => d.id), chunk.map((d) => nameSortKey(d.display_name))]
    )
  }
}
