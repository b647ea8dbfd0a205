import type { EntityManager, SelectQueryBuilder } from 'typeorm'
import {
  CASE_AGE_BUCKET_DAYS,
  CASE_AGE_BUCKETS,
  notFound,
  type CaseAgeBucket,
  type CasePage,
  type CaseSortField,
  type CaseSummary,
  type ChannelParsedInput,
  type SessionUser
} from '@shared/contract'
import { addDays, daysBetween, type CalendarDate } from '@shared/dates/calendar-date'
import { CASE_PHASES, CASE_PRIORITIES, CASE_STATUSES } from '@shared/domain/enums'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
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
  | { kind: 'grouped'; column: string; groups: (manager: EntityManager) => Promise<Group[]> }

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
  phase: { kind: 'grouped', column: 'c.phase', groups: codes(CASE_PHASES.values) },
  status: { kind: 'grouped', column: 'c.status', groups: codes(CASE_STATUSES.values) },
  priority: { kind: 'grouped', column: 'c.priority', groups: codes(CASE_PRIORITIES.values) },
  clientName: {
    kind: 'grouped',
    column: 'c.client_id',
    groups: async (manager) => byName(await manager.query('SELECT id, legal_name AS name FROM client'))
  },
  collectorName: {
    kind: 'grouped',
    column: 'c.collector_id',
    groups: async (manager) => [
      ...byName(await manager.query('SELECT id, display_name AS name FROM app_user')),
      { values: [null] }
    ]
  }
}

/** One stretch of the sorted list, read by its own query in index order. */
interface Segment {
  where: SqlCondition | null
  count: number
  orderBy: Array<[string, 'ASC' | 'DESC']>
}

export interface CasesServiceOptions {
  /** Filtered sets up to this size are sorted in one query rather than read segment by segment. */
  smallSet?: number
  /** Searches matching more cases than this test each case met in index order (see SearchConditionMode). */
  probeAbove?: number
}

export class CasesService {
  private readonly smallSet: number
  private readonly probeAbove: number

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly search: SearchIndex,
    options: CasesServiceOptions = {}
  ) {
    this.smallSet = options.smallSet ?? 1000
    this.probeAbove = options.probeAbove ?? 3000
  }

  /**
   * One page of the portfolio and the totals of the filtered set. Two to four short queries:
   * the totals (one covering index, or the search's matches), then the page's ids in index
   * order, then those rows with their names.
   */
  async list(query: CaseListInput, user: SessionUser | null = null): Promise<CasePage> {
    const asOf = query.asOf ?? this.clock.today()
    const parsed: ParsedSearch = query.filters.text ? parseSearch(query.filters.text) : { kind: 'ignored' }
    const searchIgnored = Boolean(query.filters.text) && parsed.kind === 'ignored'
    const empty: CasePage = { rows: [], total: 0, totalBalanceCents: 0, offset: query.offset, asOf, searchIgnored }
    if (parsed.kind === 'nothing') return empty
    const search = parsed.kind === 'search' ? parsed : null
    const filters = filterConditions(query.filters, asOf, user)

    return this.db.read(async (manager) => {
      const sort = SORTS[query.sort.field]
      const ascending = (query.sort.direction === 'asc') !== Boolean(sort.kind === 'column' && sort.invert)
      const direction = ascending ? 'ASC' : 'DESC'
      const withSearch = (mode: 'drive' | 'probe') =>
        search ? [...filters, this.search.caseCondition('c', search, mode)] : filters

      // 1. Totals, and the size of each segment of the sort.
      const totalsWhere = withSearch('drive')
      let total = 0
      let totalBalance = 0
      let segments: Segment[]
      let groups: Group[] = []
      if (sort.kind === 'column') {
        const qb = where(manager, totalsWhere)
          .select('COUNT(*)', 'n')
          .addSelect('COALESCE(SUM(c.balance_cents), 0)', 'b')
        if (sort.nullable) qb.addSelect(`COUNT(${sort.column})`, 'nn')
        const row = await qb.getRawOne<{ n: number | string; b: number | string; nn?: number | string }>()
        total = Number(row?.n ?? 0)
        totalBalance = Number(row?.b ?? 0)
        const keyOrder: Array<[string, 'ASC' | 'DESC']> =
          sort.column === 'c.reference' ? [] : [[sort.column, direction]]
        if (sort.nullable) {
          const valued = Number(row?.nn ?? 0)
          segments = [
            { where: { sql: `${sort.column} IS NOT NULL`, params: {} }, count: valued, orderBy: keyOrder },
            { where: { sql: `${sort.column} IS NULL`, params: {} }, count: total - valued, orderBy: [] }
          ]
        } else {
          segments = [{ where: null, count: total, orderBy: keyOrder }]
        }
      } else {
        const counted = await where(manager, totalsWhere)
          .select(`${sort.column}`, 'g')
          .addSelect('COUNT(*)', 'n')
          .addSelect('COALESCE(SUM(c.balance_cents), 0)', 'b')
          .groupBy(sort.column)
          .getRawMany<{ g: string | null; n: number | string; b: number | string }>()
        const counts = new Map<string | null, number>()
        for (const row of counted) {
          counts.set(row.g, Number(row.n))
          total += Number(row.n)
          totalBalance += Number(row.b)
        }
        groups = await sort.groups(manager)
        const known = new Set(groups.flatMap((g) => g.values))
        // Values without a group (a code unknown to this version): last, like empty values.
        const strays = [...counts.keys()].filter((v) => !known.has(v))
        if (strays.length) groups = [...groups, { values: strays }]
        const ordered = groups.filter((g) => g.values.some((v) => counts.has(v)))
        const nullLast = (g: Group) => g.values.length === 1 && g.values[0] === null
        const inOrder = ascending
          ? ordered
          : [...ordered.filter((g) => !nullLast(g)).reverse(), ...ordered.filter(nullLast)]
        groups = inOrder
        segments = inOrder.map((group, index) => ({
          where: groupCondition(sort.column, group, index),
          count: group.values.reduce((sum, v) => sum + (counts.get(v) ?? 0), 0),
          orderBy: []
        }))
      }

      // 2. The page's ids, segment after segment (or in one query for a small set).
      const pageWhere = withSearch(search && total > this.probeAbove ? 'probe' : 'drive')
      const ids: string[] = []
      if (total <= this.smallSet) {
        const qb = where(manager, pageWhere).select('c.id', 'id')
        for (const [expression, dir] of fullOrder(sort, groups, direction)) qb.addOrderBy(expression, dir)
        qb.addOrderBy('c.reference', direction)
        const rows = await qb.offset(query.offset).limit(query.limit).getRawMany<{ id: string }>()
        ids.push(...rows.map((r) => r.id))
      } else {
        let skip = query.offset
        for (const segment of segments) {
          if (ids.length >= query.limit) break
          if (segment.count <= skip) {
            skip -= segment.count
            continue
          }
          const qb = where(manager, segment.where ? [...pageWhere, segment.where] : pageWhere).select('c.id', 'id')
          for (const [expression, dir] of segment.orderBy) qb.addOrderBy(expression, dir)
          qb.addOrderBy('c.reference', direction)
          const rows = await qb
            .offset(skip)
            .limit(Math.min(query.limit - ids.length, segment.count - skip))
            .getRawMany<{ id: string }>()
          ids.push(...rows.map((r) => r.id))
          skip = 0
        }
      }

      // 3. The rows themselves, with the names they show.
      const rows = ids.length ? await this.summaries(manager, ids) : []
      const byId = new Map(rows.map((row) => [row.id, row]))
      return {
        rows: ids.flatMap((id) => {
          const row = byId.get(id)
          return row ? [toSummary(row, asOf)] : []
        }),
        total,
        totalBalanceCents: totalBalance,
        offset: query.offset,
        asOf,
        searchIgnored
      }
    })
  }

  async getSummary(id: string): Promise<CaseSummary> {
    return this.db.read(async (manager) => {
      const [row] = await this.summaries(manager, [id])
      if (!row) throw notFound('Case', id, 'Dossier')
      return toSummary(row, this.clock.today())
    })
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

/** The WHERE conditions of every filter but the search (portable SQL). */
function filterConditions(filters: CaseFilters, asOf: CalendarDate, user: SessionUser | null): SqlCondition[] {
  const conditions: SqlCondition[] = []
  const add = (sql: string, params: Record<string, unknown> = {}) => conditions.push({ sql, params })
  if (filters.statuses?.length) add('c.status IN (:...statuses)', { statuses: filters.statuses })
  if (filters.phases?.length) add('c.phase IN (:...phases)', { phases: filters.phases })
  if (filters.priorities?.length) add('c.priority IN (:...priorities)', { priorities: filters.priorities })
  if (filters.clientIds?.length) add('c.client_id IN (:...clientIds)', { clientIds: filters.clientIds })
  if (filters.collectorIds?.length) add('c.collector_id IN (:...collectorIds)', { collectorIds: filters.collectorIds })
  if (filters.mine) {
    if (!user) throw new Error('The "mine" filter needs the calling user')
    add('c.collector_id = :mineUserId', { mineUserId: user.id })
  }
  if (filters.balanceMinCents !== undefined)
    add('c.balance_cents >= :balanceMin', { balanceMin: filters.balanceMinCents })
  if (filters.balanceMaxCents !== undefined)
    add('c.balance_cents <= :balanceMax', { balanceMax: filters.balanceMaxCents })
  if (filters.ageBuckets?.length) conditions.push(ageCondition(filters.ageBuckets, asOf))
  if (filters.nextActionDueBy) add('c.next_action_on <= :nextActionDueBy', { nextActionDueBy: filters.nextActionDueBy })
  if (filters.nextActionDue) add('c.next_action_on <= :nextActionAsOf', { nextActionAsOf: asOf })
  if (filters.brokenPromise) {
    // A broken promise not followed by a kept or pending one made later (by day, then by record).
    add(`c.id IN (SELECT p.case_id FROM payment_promise p WHERE p.status = 'broken' AND NOT EXISTS (
        SELECT 1 FROM payment_promise q WHERE q.case_id = p.case_id AND q.status IN ('kept', 'pending')
          AND (q.made_on > p.made_on OR (q.made_on = p.made_on AND q.created_at > p.created_at))))`)
  }
  if (filters.planInDefault) {
    // The last plan was declared in default, or an active plan has a missed installment.
    add(`c.id IN (SELECT pl.case_id FROM payment_plan pl WHERE
        (pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
          AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
        OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed')))`)
  }
  return conditions
}

/**
 * Age buckets as ranges of the oldest unpaid due date (contiguous buckets merged, so that
 * "91-180" + "181+" is one range). A claim not yet due counts as 0 days; no due date (nothing
 * left to pay) is in no bucket.
 */
function ageCondition(buckets: readonly CaseAgeBucket[], asOf: CalendarDate): SqlCondition {
  const chosen = CASE_AGE_BUCKETS.filter((b) => buckets.includes(b)).map((b) => CASE_AGE_BUCKET_DAYS[b])
  const ranges: Array<{ min: number; max: number | null }> = []
  for (const bucket of chosen) {
    const last = ranges.at(-1)
    if (last && last.max !== null && last.max + 1 === bucket.min) last.max = bucket.max
    else ranges.push({ ...bucket })
  }
  const params: Record<string, unknown> = {}
  const parts = ranges.map((range, index) => {
    const bounds = ['c.oldest_due_on IS NOT NULL']
    // min days past due ⇔ due on or before asOf − min; 0 days includes claims not yet due.
    if (range.min > 0) {
      bounds.push(`c.oldest_due_on <= :ageLatest${index}`)
      params[`ageLatest${index}`] = addDays(asOf, -range.min)
    }
    if (range.max !== null) {
      bounds.push(`c.oldest_due_on >= :ageEarliest${index}`)
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
  'c.opened_on AS opened_on'
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
    openedOn: row.opened_on
  }
}
