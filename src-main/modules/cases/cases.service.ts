import type { EntityManager, SelectQueryBuilder } from 'typeorm'
import {
  CASE_AGE_BUCKET_DAYS,
  CASE_AGE_BUCKETS,
  notFound,
  type CaseAgeBucket,
  type CasePage,
  type CaseRowsPage,
  type CaseSortField,
  type CaseSummary,
  type CaseTotals,
  type ChannelParsedInput,
  type SessionUser
} from '@shared/contract'
import { addDays, daysBetween, type CalendarDate } from '@shared/dates/calendar-date'
import { CASE_PHASES, CASE_PRIORITIES, CASE_STATUSES } from '@shared/domain/enums'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import type { PlannerHints } from '../search/planner-hints'
import type { SearchIndex, SqlCondition } from '../search/search-index'
import { nameSortKey, parseSearch, type ParsedSearch } from '../search/search-text'

type CaseListInput = ChannelParsedInput<'cases:list'>
type CaseFilters = CaseListInput['filters']

interface CaseRow {
  id: string
  reference: string
  debtor_id: string
  debtor_name: string
  debtor_kind: CaseSummary['debtorKind']
  client_id: string
  client_name: string
  phase: CaseSummary['phase']
  status: CaseSummary['status']
  suspension_reason: CaseSummary['suspensionReason']
  closure_reason: CaseSummary['closureReason']
  priority: CaseSummary['priority']
  collector_id: string | null
  collector_name: string | null
  principal_cents: number | string
  paid_cents: number | string
  balance_cents: number | string
  oldest_due_on: string | null
  last_contact_at: string | null
  last_contact_outcome: CaseSummary['lastContactOutcome']
  next_action_on: string | null
  opened_on: string
  prescription_on: string | null
  prescribed_claims: number | string | null
}

/**
 * How each sort pages without sorting the portfolio:
 * - `column`: one (key, reference) index read in order; a nullable key is read in two segments,
 *   its values then its empty ones (last both ways). `invert`: more days past due = an older date.
 * - `grouped`: keys with few values (phase, status, priority) or sorted by a name held in another
 *   table (client, collector): the rows of each group in turn, each group read in reference
 *   order, groups skipped whole by their counts. Group order is business order for codes, the
 *   accent- and case-insensitive name order for clients and collectors.
 */
type SortSpec =
  | { kind: 'column'; column: string; nullable: boolean; invert?: boolean }
  | {
      kind: 'grouped'
      column: string
      groups: (manager: EntityManager) => Promise<Group[]>
      /** A group is a client or a collector: few cases of many, worth reading from their index. */
      selectiveGroups: boolean
      /**
       * The columns before this one in ix_case_portfolio (status, phase, client_id…), to count the
       * groups in index order; null where that would give too many finer groups (collector, priority).
       */
      indexPrefix: string[] | null
      /** The filter that restricts this column, if any: groups outside it hold no matching case. */
      filtered: (filters: CaseFilters, user: SessionUser | null) => ReadonlyArray<string | null> | null
    }

/** Values of the column that sort together, in ascending order of the groups. */
interface Group {
  values: Array<string | null>
}

const codes = (values: readonly string[]) => async (): Promise<Group[]> => values.map((v) => ({ values: [v] }))

/** Groups of ids whose names sort equal, in name order (nameSortKey, then binary). */
function byName(rows: Array<{ id: string; name: string }>): Group[] {
  const keyed = rows.map((r) => ({ id: r.id, key: nameSortKey(r.name) }))
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const groups: Group[] = []
  let lastKey: string | null = null
  for (const row of keyed) {
    if (row.key === lastKey) groups.at(-1)!.values.push(row.id)
    else groups.push({ values: [row.id] })
    lastKey = row.key
  }
  return groups
}

const SORTS: Record<CaseSortField, SortSpec> = {
  reference: { kind: 'column', column: 'c.reference', nullable: false },
  debtorName: { kind: 'column', column: 'c.debtor_sort_name', nullable: false },
  balance: { kind: 'column', column: 'c.balance_cents', nullable: false },
  openedOn: { kind: 'column', column: 'c.opened_on', nullable: false },
  daysPastDue: { kind: 'column', column: 'c.oldest_due_on', nullable: true, invert: true },
  lastContactAt: { kind: 'column', column: 'c.last_contact_at', nullable: true },
  nextActionOn: { kind: 'column', column: 'c.next_action_on', nullable: true },
  prescriptionOn: { kind: 'column', column: 'c.prescription_on', nullable: true },
  phase: {
    kind: 'grouped',
    column: 'c.phase',
    groups: codes(CASE_PHASES.values),
    selectiveGroups: false,
    indexPrefix: ['c.status'],
    filtered: (f) => f.phases ?? null
  },
  status: {
    kind: 'grouped',
    column: 'c.status',
    groups: codes(CASE_STATUSES.values),
    selectiveGroups: false,
    indexPrefix: [],
    filtered: (f) => f.statuses ?? null
  },
  priority: {
    kind: 'grouped',
    column: 'c.priority',
    groups: codes(CASE_PRIORITIES.values),
    selectiveGroups: false,
    indexPrefix: null,
    filtered: (f) => f.priorities ?? null
  },
  clientName: {
    kind: 'grouped',
    column: 'c.client_id',
    selectiveGroups: true,
    indexPrefix: ['c.status', 'c.phase'],
    filtered: (f) => f.clientIds ?? null,
    groups: async (manager) => byName(await manager.query('SELECT id, legal_name AS name FROM client'))
  },
  collectorName: {
    kind: 'grouped',
    column: 'c.collector_id',
    selectiveGroups: true,
    indexPrefix: null,
    filtered: (f, user) => {
      const sets = [f.collectorIds, f.mine && user ? [user.id] : undefined].filter((v) => v !== undefined)
      return sets.length ? sets.reduce((a, b) => a.filter((id) => b.includes(id))) : null
    },
    groups: async (manager) => [
      ...byName(await manager.query('SELECT id, display_name AS name FROM app_user')),
      { values: [null] }
    ]
  }
}

/** One stretch of the sorted list, read by its own query. */
interface Segment {
  where: SqlCondition | null
  /** The segment's condition picks few cases of many (one client, one collector). */
  selective: boolean
  count: number
  orderBy: Array<[string, 'ASC' | 'DESC']>
}

/**
 * A filter's condition. `broad` ones (codes, amounts, dates) keep most cases: the planner never
 * reads them from an index (the covering index ix_case_portfolio evaluates them all at once);
 * `selective` ones (client, collector, promise, plan) may drive the query from their index.
 */
interface FilterCondition {
  kind: 'broad' | 'selective'
  /** The case column a broad filter tests: it may use that column's index when the page follows it. */
  column: string | null
  render(wrap: (expression: string) => string): SqlCondition
}

/**
 * How a query reads the cases:
 * - `filter`: from what the filters select (selective indexes, search matches, or the covering
 *   index), then sorted: for totals, and for pages of a small filtered set;
 * - `follow`: along the sort's (key, reference) index, testing each case it meets, stopping at
 *   the page's end: for pages of a large filtered set, which need not be sorted at all.
 */
type ReadMode = 'filter' | 'follow'

export interface CasesServiceOptions {
  /** How many cases there are, when known (tests); otherwise counted now and then. */
  caseCount?: () => number
  /** Pages of a grouped sort ending at most this far down are read group by group (see WALK_MAX). */
  walkMax?: number
}

/**
 * A page of a grouped sort (client, collector, phase, status, priority) that ends at most this
 * far down the list is read group by group in display order, each group along its (group,
 * reference) index up to the rows still wanted: no group needs counting, so the totals are the
 * plain count and sum of the filtered set (those of a column sort). Deeper pages count the groups
 * once (kept like the totals) and skip whole groups by their counts.
 */
const WALK_MAX = 2_000
/** A walk that met this many groups without filling its page counts the groups instead. */
const WALK_GROUPS_MAX = 40

/** Above this many cases a set is always read along an index (its ids would not fit in one statement). */
const SORT_FEW_MAX = 20_000
/** The "page" orderedIds reads: the whole list (an agency's portfolio is far smaller). */
const ORDERED_IDS_MAX = 100_000_000

/** Cases found by a set filter: listed once per request (or per write), rather than in every query. */
type CaseSets = Partial<Record<'brokenPromise' | 'planInDefault', string[] | null>>

/**
 * The kept sets (case_flag_set, kept current by triggers on promises, plans and installments in
 * the same transaction: see migration 1763861600000-case-flag-set for their definitions):
 * - brokenPromise: a broken promise not followed by a kept or pending one made later;
 * - planInDefault: the last plan was declared in default, or an active plan has a missed installment.
 */
const SET_QUERIES: Record<keyof CaseSets, string> = {
  brokenPromise: `SELECT fs.case_id FROM case_flag_set fs WHERE fs.flag = 'broken_promise'`,
  planInDefault: `SELECT fs.case_id FROM case_flag_set fs WHERE fs.flag = 'plan_in_default'`
}

/** Totals kept for the last filter sets (each until the next write). */
const TOTALS_CACHE_SIZE = 50

interface CachedTotals {
  writeMark: number
  total: number
  totalBalance: number
  /**
   * Cases per group of the sort, or (null key) without a value of a nullable key; null: the groups
   * of a grouped sort were not counted (its first pages are read group by group).
   */
  counts: Map<string | null, number> | null
  /** Every matching case, when they are few. */
  fewIds: string[] | null
}

/** A fresh count of all cases every so often: the planner's choice below depends on it. */
const CASE_COUNT_TTL_MS = 5 * 60_000

export class CasesService {
  private cachedCount = { value: 0, at: -Infinity }
  private readonly totalsCache = new Map<string, CachedTotals>()
  private documents = { writeMark: -1, count: 0 }
  private readonly setsCache = new Map<keyof CaseSets, { writeMark: number; ids: string[] | null }>()
  /** The values of a grouped sort's column present in the portfolio (null included), until the next write. */
  private readonly presentCache = new Map<string, { writeMark: number; values: Set<string | null> }>()

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly search: SearchIndex,
    private readonly hints: PlannerHints,
    private readonly options: CasesServiceOptions = {}
  ) {}

  /**
   * One page of the portfolio and the totals of the filtered set, in a few short queries:
   * 1. the totals (and the size of each segment of the sort), read by `filter`: a small set
   *    (up to √(page × cases)) is listed in the same pass, ids included; a large one is counted;
   * 2. the page's ids: a small set sorted by primary key; a large one segment by segment, each
   *    by `follow` when it is large enough that the page is found in the first rows of its
   *    index, else listed and sorted like a small set;
   * 3. those rows with the names they show.
   * The plan is chosen here, from the counts, rather than left to planner statistics: it is
   * the same at 200 cases or 200,000, statistics or none. Totals are kept until the next write.
   */
  async list(query: CaseListInput, user: SessionUser | null = null): Promise<CasePage> {
    const { rows, totals, asOf, searchIgnored } = await this.read(query, user, 'page')
    return {
      rows: rows ?? [],
      total: totals!.total,
      totalBalanceCents: totals!.totalBalanceCents,
      offset: query.offset,
      asOf,
      searchIgnored
    }
  }

  /**
   * A page like `list`, without waiting for the totals when they would cost more than the page:
   * the first page of a search matching many cases (search as you type: "REC-2025", two
   * letters) is read along the sort's index at once (step 2 without step 1), and its totals
   * come from `totals`. Grouped sorts (phase, status, client…) always come with their totals:
   * their first pages are read group by group (see WALK_MAX), after the plain count of the set.
   */
  async page(query: CaseListInput, user: SessionUser | null = null): Promise<CaseRowsPage> {
    const { rows, totals, asOf, searchIgnored } = await this.read(query, user, 'rows')
    return { rows: rows ?? [], offset: query.offset, asOf, searchIgnored, totals }
  }

  /**
   * Every case of the filtered, sorted list, as ids in display order, read in one pass (the same
   * plan as `list`, for one page as long as the list): what an export walks, fetching the rows by
   * `summariesOf` a chunk at a time, instead of position-paged reads that each skip the rows
   * before them (quadratic in the list's length).
   */
  async orderedIds(
    query: Omit<CaseListInput, 'offset' | 'limit'>,
    user: SessionUser | null = null
  ): Promise<{ ids: string[]; asOf: CalendarDate }> {
    let ids: string[] = []
    const { asOf } = await this.read(
      { ...query, offset: 0, limit: ORDERED_IDS_MAX } as CaseListInput,
      user,
      'page',
      (page) => {
        ids = page
      }
    )
    return { ids, asOf }
  }

  /** These cases' rows as the list shows them, in the order given (ids not found left out). */
  async summariesOf(ids: string[], asOf: CalendarDate): Promise<CaseSummary[]> {
    if (ids.length === 0) return []
    return this.db.read(async (manager) => {
      const byId = new Map((await this.summaries(manager, ids)).map((row) => [row.id, row]))
      return ids.flatMap((id) => {
        const row = byId.get(id)
        return row ? [toSummary(row, asOf)] : []
      })
    })
  }

  /** The totals of the filtered set alone (kept like those of `list`, for its next pages). */
  async totals(query: CaseListInput, user: SessionUser | null = null): Promise<CaseTotals> {
    return (await this.read(query, user, 'totals')).totals!
  }

  /**
   * `page`: rows and totals; `rows`: the rows, totals when they come at no extra cost; `totals`:
   * the totals only.
   */
  private async read(
    query: CaseListInput,
    user: SessionUser | null,
    mode: 'page' | 'rows' | 'totals',
    /** Takes the page's ids instead of reading their rows (orderedIds). */
    idsSink?: (ids: string[]) => void
  ): Promise<{ rows: CaseSummary[] | null; totals: CaseTotals | null; asOf: CalendarDate; searchIgnored: boolean }> {
    const asOf = query.asOf ?? this.clock.today()
    const parsed: ParsedSearch = query.filters.text ? parseSearch(query.filters.text) : { kind: 'ignored' }
    const searchIgnored = Boolean(query.filters.text) && parsed.kind === 'ignored'
    const totalsOf = (total: number, totalBalanceCents: number): CaseTotals => ({
      total,
      totalBalanceCents,
      asOf,
      searchIgnored
    })
    if (parsed.kind === 'nothing') {
      return { rows: mode === 'totals' ? null : [], totals: totalsOf(0, 0), asOf, searchIgnored }
    }
    const hints = this.hints
    const plain = (expression: string) => expression
    const unindexed = (expression: string) => hints.unindexed(expression)

    return this.db.read(async (manager) => {
      const writeMark = await this.hints.writeMark(manager)
      // A search every case matches ("REC-20…" while a reference is typed) filters nothing: the
      // list is the one without it, read without the cost of matching every case.
      let search = parsed.kind === 'search' ? parsed : null
      /** How many cases the search matches, before the other filters: a bound on the filtered set. */
      let searchMatches: number | null = null
      if (search) {
        searchMatches = await this.search.countMatches(manager, search)
        const nearlyAll = searchMatches >= 0.9 * (await this.caseCount(manager))
        if (nearlyAll && searchMatches >= (await this.documentCount(manager, writeMark))) {
          search = null
          searchMatches = null
        }
      }
      // Cases with a broken promise or a plan in default, found once (and kept until the next write).
      const sets: CaseSets = {}
      for (const kind of ['brokenPromise', 'planInDefault'] as const) {
        if (query.filters[kind]) sets[kind] = await this.caseSet(manager, kind, writeMark)
      }
      const filters = filterConditions(query.filters, asOf, user, sets)
      /** The WHERE conditions of every filter, for a reading mode (and the index a `follow` reads). */
      const conditions = (mode: ReadMode, indexColumn: string | null): SqlCondition[] => [
        ...filters.map((f) =>
          f.render(
            f.kind === 'selective'
              ? mode === 'filter'
                ? plain
                : unindexed
              : f.column !== null && f.column === indexColumn
                ? plain
                : unindexed
          )
        ),
        ...(search ? [this.search.caseCondition('c', search, mode === 'filter' ? 'drive' : 'probe')] : [])
      ]
      const sort = SORTS[query.sort.field]
      const ascending = (query.sort.direction === 'asc') !== Boolean(sort.kind === 'column' && sort.invert)
      const direction = ascending ? 'ASC' : 'DESC'
      const indexColumn = sort.column
      const totalsWhere = conditions('filter', null)
      const caseCount = await this.caseCount(manager)
      /** Following an index finds `limit` of `count` matching cases after ~limit × caseCount / count rows. */
      const fewMax = Math.min(SORT_FEW_MAX, Math.floor(Math.sqrt(query.limit * caseCount)))
      const worthFollowing = (count: number) => count > fewMax
      /** What the sort needs counted: the cases with a value (nullable key) or each group's cases. */
      const keyed = sort.kind === 'grouped' || sort.nullable

      // 1. Totals and the size of each segment of the sort. First the matching cases themselves,
      // up to what a small set can hold (one pass of the covering index, or of the search's
      // matches): for a small set that is everything needed; a large one is then counted.
      // Kept until the next write: scrolling down the same list does not count it again.
      // A search too short to filter is the same list as no search.
      const { text: _text, ...others } = query.filters
      const cacheKey = JSON.stringify([
        search ? query.filters : others,
        asOf,
        query.filters.mine ? user?.id : null,
        sort.column,
        keyed,
        fewMax
      ])
      const cached = this.totalsCache.get(cacheKey)
      const known = cached && cached.writeMark === writeMark ? cached : null
      /** The page's ids, in order, read along the sort's index (a column sort); `skip` rows skipped. */
      const follow = async (
        extra: SqlCondition | null,
        order: Array<[string, 'ASC' | 'DESC']>,
        skip: number,
        limit: number
      ) => {
        const qb = where(manager, [...conditions('follow', indexColumn), ...(extra ? [extra] : [])])
        for (const [expression, dir] of order) qb.addOrderBy(expression, dir)
        const rows = await qb.select('c.id', 'id').offset(skip).limit(limit).getRawMany<{ id: string }>()
        return rows.map((r) => r.id)
      }
      /** The rows of these ids with the names they show, in the same order. */
      const rowsOf = async (ids: string[]): Promise<CaseSummary[]> => {
        if (idsSink) {
          idsSink(ids)
          return []
        }
        const rows = ids.length ? await this.summaries(manager, ids) : []
        const byId = new Map(rows.map((row) => [row.id, row]))
        return ids.flatMap((id) => {
          const row = byId.get(id)
          return row ? [toSummary(row, asOf)] : []
        })
      }
      // The first page of a broad search, asked without its totals: counting tens of thousands of
      // matches costs more than finding the first rows of the sort among them, so the page is
      // read along the sort's index straight away (segment sizes are only needed to skip rows).
      // Unless the other filters keep few of those matches (estimated from the list without the
      // search, when its totals are known): following the index would then read most of it.
      if (mode === 'rows' && !known && query.offset === 0 && sort.kind === 'column' && search) {
        const base = this.totalsCache.get(
          JSON.stringify([others, asOf, query.filters.mine ? user?.id : null, sort.column, keyed, fewMax])
        )
        const share = base && base.writeMark === writeMark && caseCount > 0 ? base.total / caseCount : 1
        if (searchMatches !== null && searchMatches * share > fewMax) {
          const keyOrder: Array<[string, 'ASC' | 'DESC']> =
            sort.column === 'c.reference' ? [] : [[sort.column, direction]]
          const byReference: [string, 'ASC' | 'DESC'] = ['c.reference', direction]
          const ids = sort.nullable
            ? await follow(
                { sql: `${sort.column} IS NOT NULL`, params: {} },
                [...keyOrder, byReference],
                0,
                query.limit
              )
            : await follow(null, [...keyOrder, byReference], 0, query.limit)
          if (sort.nullable && ids.length < query.limit) {
            ids.push(
              ...(await follow(
                { sql: `${sort.column} IS NULL`, params: {} },
                [byReference],
                0,
                query.limit - ids.length
              ))
            )
          }
          const rows = await rowsOf(ids)
          // Fewer rows than a page: that was the whole filtered set, totals included.
          const whole = ids.length < query.limit
          const totals = whole
            ? totalsOf(
                rows.length,
                rows.reduce((sum, r) => sum + r.balanceCents, 0)
              )
            : null
          return { rows, totals, asOf, searchIgnored }
        }
      }
      // A grouped sort's first pages are read group by group: only the plain totals are needed.
      const walkMax = this.options.walkMax ?? WALK_MAX
      const walkable = sort.kind === 'grouped' && query.offset + query.limit <= walkMax
      const totals = known ?? (await countMatches(mode === 'totals' || walkable))
      this.totalsCache.delete(cacheKey)
      this.totalsCache.set(cacheKey, totals)
      while (this.totalsCache.size > TOTALS_CACHE_SIZE) this.totalsCache.delete(this.totalsCache.keys().next().value!)
      const { total, totalBalance, fewIds } = totals
      if (mode === 'totals') return { rows: null, totals: totalsOf(total, totalBalance), asOf, searchIgnored }
      const few = fewIds !== null
      if (!few && sort.kind === 'grouped' && totals.counts === null) {
        if (walkable) {
          const ids = await this.walkGroups(manager, {
            sort,
            ascending,
            filtered: sort.filtered(query.filters, user),
            conditions: conditions('follow', indexColumn),
            offset: query.offset,
            limit: query.limit,
            writeMark
          })
          if (ids) return { rows: await rowsOf(ids), totals: totalsOf(total, totalBalance), asOf, searchIgnored }
        }
        // Deeper down (or too many groups met): count them once, kept with the totals.
        totals.counts = (await countGroups()).counts
      }
      const counts = totals.counts ?? new Map<string | null, number>()

      /** Each group's cases and balances, along the covering index where few finer groups come out. */
      async function countGroups(): Promise<{
        counts: Map<string | null, number>
        total: number
        totalBalance: number
      }> {
        if (sort.kind !== 'grouped') throw new Error('Only a grouped sort has groups to count')
        // Grouped along the covering index when few finer groups come out (its columns up to the
        // sort's, in its order: one pass, no sort of 200,000 keys), else by the value alone.
        const qb = where(manager, totalsWhere)
        const groupColumn = sort.indexPrefix ? sort.column : unindexed(sort.column)
        sort.indexPrefix?.forEach((column, i) => qb.addSelect(column, `p${i}`).addGroupBy(column))
        const counted = await qb
          .addSelect(groupColumn, 'g')
          .addSelect('COUNT(*)', 'n')
          .addSelect('COALESCE(SUM(c.balance_cents), 0)', 'b')
          .addGroupBy(groupColumn)
          .getRawMany<{ g: string | null; n: number | string; b: number | string }>()
        const result = { counts: new Map<string | null, number>(), total: 0, totalBalance: 0 }
        for (const row of counted) {
          result.counts.set(row.g, (result.counts.get(row.g) ?? 0) + Number(row.n))
          result.total += Number(row.n)
          result.totalBalance += Number(row.b)
        }
        return result
      }

      /** `plainTotals`: a grouped sort's groups need not be counted (its page is read group by group). */
      async function countMatches(plainTotals: boolean): Promise<CachedTotals> {
        // At most fewMax + 1 matching cases, aggregated in the database (one row per group of the
        // sort): a large set stops the scan early, a small one comes back whole, ids included.
        const listFew = async () => {
          const inner = where(manager, totalsWhere).select('c.id', 'id').addSelect('c.balance_cents', 'b')
          const key =
            sort.kind === 'grouped'
              ? unindexed(sort.column)
              : sort.nullable
                ? `CASE WHEN ${sort.column} IS NULL THEN NULL ELSE 'set' END`
                : 'NULL'
          inner.addSelect(key, 'k').limit(fewMax + 1)
          const [innerSql, params] = inner.getQueryAndParameters()
          const found: Array<{ k: string | null; n: number | string; b: number | string; ids: string | null }> =
            await manager.query(
              `SELECT m.k AS k, COUNT(*) AS n, COALESCE(SUM(m.b), 0) AS b, ${hints.listOf('m.id')} AS ids
                FROM (${innerSql}) m GROUP BY m.k`,
              params
            )
          return found.reduce((sum, g) => sum + Number(g.n), 0) <= fewMax ? found : null
        }
        const result: CachedTotals = { writeMark, total: 0, totalBalance: 0, counts: new Map(), fewIds: null }
        // A search (or a broken-promise / plan-in-default set) matching many cases rarely leaves
        // few: counted first, listed only if it does.
        const setSizes = Object.values(sets).flatMap((ids) => (ids ? [ids.length] : []))
        const bound = Math.min(searchMatches ?? Infinity, ...setSizes)
        const few = bound > fewMax && bound !== Infinity ? null : await listFew()
        if (few) {
          result.fewIds = few.flatMap((g) => (g.ids ? g.ids.split(',') : []))
          for (const g of few) {
            result.total += Number(g.n)
            result.totalBalance += Number(g.b)
            if (keyed) result.counts!.set(g.k ?? null, Number(g.n))
          }
          return result
        }
        if (sort.kind === 'column' || plainTotals) {
          const nullable = sort.kind === 'column' && sort.nullable
          const qb = where(manager, totalsWhere)
            .select('COUNT(*)', 'n')
            .addSelect('COALESCE(SUM(c.balance_cents), 0)', 'b')
          if (nullable) qb.addSelect(`COUNT(${sort.column})`, 'nn')
          const row = await qb.getRawOne<{ n: number | string; b: number | string; nn?: number | string }>()
          result.total = Number(row?.n ?? 0)
          result.totalBalance = Number(row?.b ?? 0)
          if (nullable) result.counts!.set(null, result.total - Number(row?.nn ?? 0))
          if (sort.kind === 'grouped') result.counts = null
        } else {
          Object.assign(result, await countGroups())
        }
        if (result.total <= fewMax) {
          const listed = await listFew()
          result.fewIds = listed ? listed.flatMap((g) => (g.ids ? g.ids.split(',') : [])) : null
          if (listed && result.counts === null) result.counts = new Map(listed.map((g) => [g.k ?? null, Number(g.n)]))
        }
        return result
      }
      if (filters.length === 0 && !search) this.cachedCount = { value: total, at: performance.now() }

      let segments: Segment[]
      let groups: Group[] = []
      if (sort.kind === 'column') {
        const keyOrder: Array<[string, 'ASC' | 'DESC']> =
          sort.column === 'c.reference' ? [] : [[sort.column, direction]]
        if (sort.nullable) {
          const empty = counts.get(null) ?? 0
          segments = [
            {
              where: { sql: `${sort.column} IS NOT NULL`, params: {} },
              selective: false,
              count: total - empty,
              orderBy: keyOrder
            },
            { where: { sql: `${sort.column} IS NULL`, params: {} }, selective: false, count: empty, orderBy: [] }
          ]
        } else {
          segments = [{ where: null, selective: false, count: total, orderBy: keyOrder }]
        }
      } else {
        groups = await sort.groups(manager)
        const known = new Set(groups.flatMap((g) => g.values))
        // Values without a group (a code unknown to this version): last, like empty values.
        const strays = [...counts.keys()].filter((v) => !known.has(v))
        if (strays.length) groups = [...groups, { values: strays }]
        const present = groups.filter((g) => g.values.some((v) => counts.has(v)))
        const isNull = (g: Group) => g.values.length === 1 && g.values[0] === null
        groups = ascending ? present : [...present.filter((g) => !isNull(g)).reverse(), ...present.filter(isNull)]
        segments = groups.map((group, index) => ({
          where: groupCondition(sort.column, group, index),
          selective: sort.selectiveGroups,
          count: group.values.reduce((sum, v) => sum + (counts.get(v) ?? 0), 0),
          orderBy: []
        }))
      }

      // 2. The page's ids.
      const ids: string[] = []
      /** Sorts these cases (read by primary key) and keeps a page of them. */
      const sortIds = async (
        matchingIds: string[],
        order: Array<[string, 'ASC' | 'DESC']>,
        offset: number,
        limit: number
      ) => {
        if (matchingIds.length === 0 || offset >= matchingIds.length) return
        const qb = where(manager, [{ sql: 'c.id IN (:...matchingIds)', params: { matchingIds } }]).select('c.id', 'id')
        for (const [expression, dir] of order) qb.addOrderBy(unindexed(expression), dir)
        const rows = await qb.offset(offset).limit(limit).getRawMany<{ id: string }>()
        ids.push(...rows.map((r) => r.id))
      }
      if (few) {
        const order = [...fullOrder(sort, groups, direction), ['c.reference', direction] as [string, 'ASC' | 'DESC']]
        await sortIds(fewIds, order, query.offset, query.limit)
      } else {
        let skip = query.offset
        for (const segment of segments) {
          if (ids.length >= query.limit) break
          if (segment.count <= skip) {
            skip -= segment.count
            continue
          }
          const limit = Math.min(query.limit - ids.length, segment.count - skip)
          const order = [...segment.orderBy, ['c.reference', direction] as [string, 'ASC' | 'DESC']]
          if (worthFollowing(segment.count)) {
            // Along the index: filters tested row by row, no sorting.
            const qb = where(manager, [...conditions('follow', indexColumn), ...(segment.where ? [segment.where] : [])])
            for (const [expression, dir] of order) qb.addOrderBy(expression, dir)
            const rows = await qb.select('c.id', 'id').offset(skip).limit(limit).getRawMany<{ id: string }>()
            ids.push(...rows.map((r) => r.id))
          } else {
            // A small segment of a large set: its cases, then sorted.
            const segmentWhere = segment.where
              ? [
                  segment.selective
                    ? segment.where
                    : { ...segment.where, sql: segment.where.sql.replaceAll(indexColumn, unindexed(indexColumn)) }
                ]
              : []
            const matching = await where(manager, [...totalsWhere, ...segmentWhere])
              .select('c.id', 'id')
              .getRawMany<{ id: string }>()
            await sortIds(
              matching.map((r) => r.id),
              order,
              skip,
              limit
            )
          }
          skip = 0
        }
      }

      // 3. The rows themselves, with the names they show.
      return { rows: await rowsOf(ids), totals: totalsOf(total, totalBalance), asOf, searchIgnored }
    })
  }

  async getSummary(id: string): Promise<CaseSummary> {
    return this.db.read(async (manager) => {
      const [row] = await this.summaries(manager, [id])
      if (!row) throw notFound('Case', id, 'Dossier')
      return toSummary(row, this.clock.today())
    })
  }

  /** Cases in the search index, counted once per write. */
  private async documentCount(manager: EntityManager, writeMark: number): Promise<number> {
    if (this.documents.writeMark !== writeMark) {
      this.documents = { writeMark, count: await this.search.countDocuments(manager) }
    }
    return this.documents.count
  }

  /** The cases a set filter keeps, as ids (null: too many to list, the filter stays a subquery). */
  private async caseSet(manager: EntityManager, kind: keyof CaseSets, writeMark: number): Promise<string[] | null> {
    const cached = this.setsCache.get(kind)
    if (cached && cached.writeMark === writeMark) return cached.ids
    const rows: Array<{ case_id: string }> = await manager.query(`${SET_QUERIES[kind]} LIMIT ${SORT_FEW_MAX + 1}`)
    const ids = rows.length > SORT_FEW_MAX ? null : rows.map((r) => r.case_id)
    this.setsCache.set(kind, { writeMark, ids })
    return ids
  }

  /**
   * The ids of a page of a grouped sort, read group by group in display order, each group along
   * its own (group, reference) index up to the rows still wanted (the rows above the page
   * included: skipped here, which bounds the walk to pages near the top). Null when the walk met
   * WALK_GROUPS_MAX groups without filling the page: counting the groups is then cheaper.
   */
  private async walkGroups(
    manager: EntityManager,
    walk: {
      sort: Extract<SortSpec, { kind: 'grouped' }>
      ascending: boolean
      /** The values the filters allow for the sort's column (null: any). */
      filtered: ReadonlyArray<string | null> | null
      conditions: SqlCondition[]
      offset: number
      limit: number
      writeMark: number
    }
  ): Promise<string[] | null> {
    const { sort, ascending, filtered, conditions, offset, limit } = walk
    const present = await this.presentValues(manager, sort.column, walk.writeMark)
    const allowed = filtered ? new Set(filtered) : null
    // The same groups, in the same order, as when they are counted: known groups in their order,
    // then values this version has no group for; empty values last both ways.
    let groups = await sort.groups(manager)
    const known = new Set(groups.flatMap((g) => g.values))
    const strays = [...present].filter((v) => !known.has(v))
    if (strays.length) groups = [...groups, { values: strays }]
    groups = groups
      .map((g) => ({ values: g.values.filter((v) => present.has(v) && (!allowed || allowed.has(v))) }))
      .filter((g) => g.values.length > 0)
    const isNull = (g: Group) => g.values.length === 1 && g.values[0] === null
    if (!ascending) groups = [...groups.filter((g) => !isNull(g)).reverse(), ...groups.filter(isNull)]
    const direction = ascending ? 'ASC' : 'DESC'
    const ids: string[] = []
    let skip = offset
    for (const [index, group] of groups.entries()) {
      if (ids.length >= limit) break
      if (index >= WALK_GROUPS_MAX) return null
      const wanted = skip + limit - ids.length
      const rows = await where(manager, [...conditions, groupCondition(sort.column, group, index)])
        .select('c.id', 'id')
        .orderBy('c.reference', direction)
        .limit(wanted)
        .getRawMany<{ id: string }>()
      if (rows.length <= skip) {
        skip -= rows.length
        continue
      }
      ids.push(...rows.slice(skip).map((r) => r.id))
      skip = 0
    }
    return ids
  }

  /**
   * The distinct values of a column in the portfolio, null included, read as a loose scan of the
   * column's index (one seek per value: 400 clients in a few milliseconds), kept until the next write.
   */
  private async presentValues(manager: EntityManager, column: string, writeMark: number): Promise<Set<string | null>> {
    const cached = this.presentCache.get(column)
    if (cached && cached.writeMark === writeMark) return cached.values
    const name = column.replace(/^c\./, '')
    const rows: Array<{ v: string | null }> = await manager.query(
      `WITH RECURSIVE present(v) AS (
         SELECT MIN(x.${name}) FROM collection_case x
         UNION ALL
         SELECT (SELECT MIN(y.${name}) FROM collection_case y WHERE y.${name} > present.v) FROM present
          WHERE present.v IS NOT NULL)
       SELECT v FROM present WHERE v IS NOT NULL`
    )
    const values = new Set<string | null>(rows.map((r) => r.v))
    const [empty] = await manager.query(`SELECT 1 AS one FROM collection_case z WHERE z.${name} IS NULL LIMIT 1`)
    if (empty) values.add(null)
    this.presentCache.set(column, { writeMark, values })
    return values
  }

  /** Forgets the cached totals (benchmarks measure the first page of a list as it is first shown). */
  clearCache(): void {
    this.totalsCache.clear()
    this.setsCache.clear()
    this.presentCache.clear()
  }

  private async caseCount(manager: EntityManager): Promise<number> {
    if (this.options.caseCount) return this.options.caseCount()
    if (performance.now() - this.cachedCount.at > CASE_COUNT_TTL_MS) {
      const row = await manager
        .createQueryBuilder()
        .from('collection_case', 'c')
        .select('COUNT(*)', 'n')
        .getRawOne<{ n: number | string }>()
      this.cachedCount = { value: Number(row?.n ?? 0), at: performance.now() }
    }
    return this.cachedCount.value
  }

  private summaries(manager: EntityManager, ids: string[]): Promise<CaseRow[]> {
    return manager
      .createQueryBuilder()
      .from('collection_case', 'c')
      .innerJoin('debtor', 'd', 'd.id = c.debtor_id')
      .innerJoin('client', 'cl', 'cl.id = c.client_id')
      .leftJoin('app_user', 'u', 'u.id = c.collector_id')
      .select(SUMMARY_COLUMNS)
      .where('c.id IN (:...ids)', { ids })
      .getRawMany<CaseRow>()
  }
}

function where(manager: EntityManager, conditions: readonly SqlCondition[]): SelectQueryBuilder<object> {
  const qb = manager.createQueryBuilder().from('collection_case', 'c')
  if (conditions.length === 0) return qb
  qb.where(conditions[0]!.sql, conditions[0]!.params)
  for (const condition of conditions.slice(1)) qb.andWhere(condition.sql, condition.params)
  return qb
}

function groupCondition(column: string, group: Group, index: number): SqlCondition {
  const values = group.values.filter((v): v is string => v !== null)
  const parts: string[] = []
  if (values.length) parts.push(`${column} IN (:...group${index})`)
  if (values.length < group.values.length) parts.push(`${column} IS NULL`)
  return { sql: parts.length > 1 ? `(${parts.join(' OR ')})` : parts[0]!, params: { [`group${index}`]: values } }
}

/** The whole ordering as one ORDER BY (without the reference tie-break), for small sets. */
function fullOrder(sort: SortSpec, groups: Group[], direction: 'ASC' | 'DESC'): Array<[string, 'ASC' | 'DESC']> {
  if (sort.kind === 'column') {
    if (sort.column === 'c.reference') return []
    return sort.nullable
      ? [
          [`CASE WHEN ${sort.column} IS NULL THEN 1 ELSE 0 END`, 'ASC'],
          [sort.column, direction]
        ]
      : [[sort.column, direction]]
  }
  // Groups are already in display order: rank them.
  const whens = groups.map((group, rank) =>
    group.values
      .map((v) =>
        v === null ? `WHEN ${sort.column} IS NULL THEN ${rank}` : `WHEN ${sort.column} = ${quote(v)} THEN ${rank}`
      )
      .join(' ')
  )
  return whens.length ? [[`CASE ${whens.join(' ')} ELSE ${groups.length} END`, 'ASC']] : []
}

/** Values here are codes and UUIDs read from the database, never user input; quoted all the same. */
function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/** The conditions of every filter but the search (portable SQL; `wrap` may keep a column off its index). */
function filterConditions(
  filters: CaseFilters,
  asOf: CalendarDate,
  user: SessionUser | null,
  sets: CaseSets
): FilterCondition[] {
  const conditions: FilterCondition[] = []
  const broad = (column: string, render: (c: string) => SqlCondition) =>
    conditions.push({ kind: 'broad', column, render: (wrap) => render(wrap(column)) })
  const selective = (render: (wrap: (e: string) => string) => SqlCondition) =>
    conditions.push({ kind: 'selective', column: null, render })
  const { statuses, phases, priorities, clientIds, collectorIds } = filters
  if (statuses?.length) broad('c.status', (c) => ({ sql: `${c} IN (:...statuses)`, params: { statuses } }))
  if (phases?.length) broad('c.phase', (c) => ({ sql: `${c} IN (:...phases)`, params: { phases } }))
  if (priorities?.length) broad('c.priority', (c) => ({ sql: `${c} IN (:...priorities)`, params: { priorities } }))
  if (clientIds?.length) {
    selective((wrap) => ({ sql: `${wrap('c.client_id')} IN (:...clientIds)`, params: { clientIds } }))
  }
  if (collectorIds?.length) {
    selective((wrap) => ({ sql: `${wrap('c.collector_id')} IN (:...collectorIds)`, params: { collectorIds } }))
  }
  if (filters.mine) {
    if (!user) throw new Error('The "mine" filter needs the calling user')
    selective((wrap) => ({ sql: `${wrap('c.collector_id')} = :mineUserId`, params: { mineUserId: user.id } }))
  }
  const { balanceMinCents: min, balanceMaxCents: max } = filters
  if (min !== undefined && max !== undefined) {
    broad('c.balance_cents', (c) => ({
      sql: `${c} BETWEEN :balanceMin AND :balanceMax`,
      params: { balanceMin: min, balanceMax: max }
    }))
  } else if (min !== undefined) {
    broad('c.balance_cents', (c) => ({ sql: `${c} >= :balanceMin`, params: { balanceMin: min } }))
  } else if (max !== undefined) {
    broad('c.balance_cents', (c) => ({ sql: `${c} <= :balanceMax`, params: { balanceMax: max } }))
  }
  if (filters.ageBuckets?.length) {
    const buckets = filters.ageBuckets
    broad('c.oldest_due_on', (c) => ageCondition(c, buckets, asOf))
  }
  const dueBy = [filters.nextActionDueBy, filters.nextActionDue ? asOf : undefined]
    .filter((d): d is CalendarDate => d !== undefined)
    .sort()[0]
  if (dueBy) broad('c.next_action_on', (c) => ({ sql: `${c} <= :nextActionDueBy`, params: { nextActionDueBy: dueBy } }))
  if (filters.prescriptionWithin) {
    // Selective, per claim: the cases of the claims whose expiry (claim.prescription_on, null once
    // paid or closed) falls in the range, read from ix_claim_prescription_on. "Already" = at least
    // one claim time-barred; "within N days" = at least one claim expiring by then, whatever the
    // case's other claims.
    const window = filters.prescriptionWithin
    selective((wrap) =>
      window === 'expired'
        ? {
            sql: `${wrap('c.id')} IN (SELECT cl.case_id FROM claim cl WHERE cl.prescription_on < :prescriptionFrom)`,
            params: { prescriptionFrom: asOf }
          }
        : {
            sql: `${wrap('c.id')} IN (SELECT cl.case_id FROM claim cl
                    WHERE cl.prescription_on BETWEEN :prescriptionFrom AND :prescriptionTo)`,
            params: { prescriptionFrom: asOf, prescriptionTo: addDays(asOf, Number(window)) }
          }
    )
  }
  for (const kind of ['brokenPromise', 'planInDefault'] as const) {
    if (!filters[kind]) continue
    const ids = sets[kind]
    selective((wrap) =>
      ids === undefined || ids === null
        ? { sql: `${wrap('c.id')} IN (${SET_QUERIES[kind]})`, params: {} }
        : ids.length === 0
          ? { sql: '1 = 0', params: {} }
          : { sql: `${wrap('c.id')} IN (:...${kind}Ids)`, params: { [`${kind}Ids`]: ids } }
    )
  }
  return conditions
}

/**
 * Age buckets as ranges of the oldest unpaid due date (contiguous buckets merged, so that
 * "91-180" + "181+" is one range). A claim not yet due counts as 0 days; no due date (nothing
 * left to pay) is in no bucket.
 */
function ageCondition(column: string, buckets: readonly CaseAgeBucket[], asOf: CalendarDate): SqlCondition {
  const chosen = CASE_AGE_BUCKETS.filter((b) => buckets.includes(b)).map((b) => CASE_AGE_BUCKET_DAYS[b])
  const ranges: Array<{ min: number; max: number | null }> = []
  for (const bucket of chosen) {
    const last = ranges.at(-1)
    if (last && last.max !== null && last.max + 1 === bucket.min) last.max = bucket.max
    else ranges.push({ ...bucket })
  }
  const params: Record<string, unknown> = {}
  const parts = ranges.map((range, index) => {
    const bounds = [`${column} IS NOT NULL`]
    // min days past due ⇔ due on or before asOf − min; 0 days includes claims not yet due.
    if (range.min > 0) {
      bounds.push(`${column} <= :ageLatest${index}`)
      params[`ageLatest${index}`] = addDays(asOf, -range.min)
    }
    if (range.max !== null) {
      bounds.push(`${column} >= :ageEarliest${index}`)
      params[`ageEarliest${index}`] = addDays(asOf, -range.max)
    }
    return `(${bounds.join(' AND ')})`
  })
  return { sql: parts.length > 1 ? `(${parts.join(' OR ')})` : parts[0]!, params }
}

const SUMMARY_COLUMNS = [
  'c.id AS id',
  'c.reference AS reference',
  'c.debtor_id AS debtor_id',
  'd.display_name AS debtor_name',
  'd.kind AS debtor_kind',
  'c.client_id AS client_id',
  'cl.legal_name AS client_name',
  'c.phase AS phase',
  'c.status AS status',
  'c.suspension_reason AS suspension_reason',
  'c.closure_reason AS closure_reason',
  'c.priority AS priority',
  'c.collector_id AS collector_id',
  'u.display_name AS collector_name',
  'c.principal_cents AS principal_cents',
  'c.paid_cents AS paid_cents',
  'c.balance_cents AS balance_cents',
  'c.oldest_due_on AS oldest_due_on',
  'c.last_contact_at AS last_contact_at',
  'c.last_contact_outcome AS last_contact_outcome',
  'c.next_action_on AS next_action_on',
  'c.opened_on AS opened_on',
  'c.prescription_on AS prescription_on',
  'c.prescribed_claims AS prescribed_claims'
]

function toSummary(row: CaseRow, asOf: CalendarDate): CaseSummary {
  return {
    id: row.id,
    reference: row.reference,
    debtorId: row.debtor_id,
    debtorName: row.debtor_name,
    debtorKind: row.debtor_kind,
    clientId: row.client_id,
    clientName: row.client_name,
    phase: row.phase,
    status: row.status,
    suspensionReason: row.suspension_reason,
    closureReason: row.closure_reason,
    priority: row.priority,
    collectorId: row.collector_id,
    collectorName: row.collector_name,
    principalCents: Number(row.principal_cents),
    paidCents: Number(row.paid_cents),
    balanceCents: Number(row.balance_cents),
    oldestDueOn: row.oldest_due_on,
    daysPastDue: row.oldest_due_on ? Math.max(0, daysBetween(row.oldest_due_on, asOf)) : 0,
    lastContactAt: row.last_contact_at,
    lastContactOutcome: row.last_contact_outcome,
    nextActionOn: row.next_action_on,
    openedOn: row.opened_on,
    prescriptionOn: row.prescription_on ?? null,
    prescribedClaims: Number(row.prescribed_claims ?? 0)
  }
}
