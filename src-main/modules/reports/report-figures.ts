import { sqlDialect } from '../../db/dialect'
import type { EntityManager } from 'typeorm'
import {
  CASE_AGE_BUCKETS,
  type ActivityRow,
  type AgingRow,
  type CollectionMonth,
  type PipelineRow,
  type PromiseStatusFigure,
  type RecoveryRow,
  type ReportScope
} from '@shared/contract'
import { addDays } from '@shared/dates/calendar-date'
import { CASE_PHASES, PROMISE_STATUSES, type CasePhase, type PromiseStatus } from '@shared/domain/enums'
import { ageBucketEarliestDue, NON_CONTACT_OUTCOMES, PHASE_ORDER, ratio } from '@shared/reports/figures'

/**
 * Every figure of the manager reports, one function each, read from the stored case summary
 * (principal, paid, balance, oldest unpaid due date: the columns the portfolio shows) and the
 * records behind it. The Excel reports and the dashboard both call these: they cannot differ.
 * No figure needs a live interest computation (the rate table may not cover today).
 */

type Params = unknown[]
interface Where {
  sql: string
  params: Params
}

/** Client and collector filters of the scope on a case alias. */
function caseFilter(scope: ReportScope, alias = 'c', collectorColumn = `${alias}.collector_id`): Where {
  const parts: string[] = []
  const params: Params = []
  if (scope.clientIds.length) {
    parts.push(`${alias}.client_id IN (${scope.clientIds.map(() => '?').join(', ')})`)
    params.push(...scope.clientIds)
  }
  if (scope.collectorIds.length) {
    parts.push(`${collectorColumn} IN (${scope.collectorIds.map(() => '?').join(', ')})`)
    params.push(...scope.collectorIds)
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params }
}

const n = (value: unknown): number => Number(value ?? 0)

export const UNASSIGNED_LABEL = 'Non affecté'
export const SYSTEM_LABEL = 'Système (automatique)'

async function names(manager: EntityManager, table: 'client' | 'app_user'): Promise<Map<string, string>> {
  const column = table === 'client' ? 'legal_name' : 'display_name'
  const rows: Array<{ id: string; name: string }> = await manager.query(`SELECT id, ${column} AS name FROM ${table}`)
  return new Map(rows.map((r) => [r.id, r.name]))
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true })
/** By label, the "none" line (unassigned, system) last. */
function byLabel<T extends { key?: string | null; label: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => {
    if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1
    return collator.compare(a.label, b.label)
  })
}

/* ------------------------------------------------------------------ aging */

export type AgingDimension = 'client' | 'collector' | 'total'

/**
 * Balance âgée at `scope.asOf`: open and suspended cases with a balance, by days past their
 * oldest unpaid due date, in the portfolio's buckets (the same cases its age filter finds).
 */
export async function agingRows(manager: EntityManager, scope: ReportScope, by: AgingDimension): Promise<AgingRow[]> {
  const limits = ageBucketEarliestDue(scope.asOf)
  const whens = limits
    .map((l, i) => (l.earliest === null ? null : `WHEN c.oldest_due_on >= ? THEN ${i}`))
    .filter((w): w is string => w !== null)
  const whenParams = limits.flatMap((l) => (l.earliest === null ? [] : [l.earliest]))
  const key = by === 'client' ? 'c.client_id' : by === 'collector' ? 'c.collector_id' : 'NULL'
  const filter = caseFilter(scope)
  const rows: Array<{ k: string | null; b: number; n: number; s: number }> = await manager.query(
    `SELECT ${key} AS k, CASE ${whens.join(' ')} ELSE ${CASE_AGE_BUCKETS.length - 1} END AS b,
        COUNT(*) AS n, COALESCE(SUM(c.balance_cents), 0) AS s
     FROM collection_case c
     WHERE c.status IN ('open', 'suspended') AND c.oldest_due_on IS NOT NULL${filter.sql}
     GROUP BY k, b`,
    [...whenParams, ...filter.params]
  )
  const labels =
    by === 'client' ? await names(manager, 'client') : by === 'collector' ? await names(manager, 'app_user') : null
  const lines = new Map<string | null, AgingRow>()
  const line = (k: string | null): AgingRow => {
    let row = lines.get(k)
    if (!row) {
      row = {
        key: k,
        label: labels ? (k === null ? UNASSIGNED_LABEL : (labels.get(k) ?? k)) : 'Total',
        count: 0,
        balanceCents: 0,
        buckets: CASE_AGE_BUCKETS.map((bucket) => ({ bucket, count: 0, balanceCents: 0 }))
      }
      lines.set(k, row)
    }
    return row
  }
  if (by === 'total') line(null)
  for (const r of rows) {
    const row = line(r.k)
    const bucket = row.buckets[n(r.b)]!
    bucket.count += n(r.n)
    bucket.balanceCents += n(r.s)
    row.count += n(r.n)
    row.balanceCents += n(r.s)
  }
  return byLabel([...lines.values()])
}

/* --------------------------------------------------------------- recovery */

export type RecoveryDimension = 'client' | 'month' | 'phase' | 'total'

/** Rank of the furthest phase a case reached: its phase now, or one it left (phase changes, closure). */
const PHASE_RANK_SQL = (expression: string) =>
  `CASE ${expression} ${PHASE_ORDER.map((p, i) => `WHEN '${p}' THEN ${i}`).join(' ')} ELSE 0 END`
const PHASE_REACHED_SQL = `MAX(${PHASE_RANK_SQL('c.phase')}, COALESCE((SELECT MAX(${PHASE_RANK_SQL(
  "COALESCE(json_extract(j.details, '$.phaseFrom'), json_extract(j.details, '$.to'))"
)}) FROM journal_entry j WHERE j.case_id = c.id AND j.kind IN ('phase_change', 'status_change')), 0))`

/**
 * Cases placed (opened) in the period, by client, month of opening, phase reached or in total:
 * placed = their principal, recovered = what they were paid (net of reversals), the recovery
 * rate recovered / placed, and for the settled ones (nothing left, something paid) the average
 * days from opening to their last payment.
 */
export async function recoveryRows(
  manager: EntityManager,
  scope: ReportScope,
  by: RecoveryDimension
): Promise<RecoveryRow[]> {
  const key =
    by === 'client'
      ? 'c.client_id'
      : by === 'month'
        ? "substr(c.opened_on, 1, 7) || '-01'"
        : by === 'phase'
          ? PHASE_REACHED_SQL
          : 'NULL'
  const filter = caseFilter(scope)
  const rows: Array<{
    k: string | number | null
    n: number
    p: number
    r: number
    b: number
    s: number
    d: number | null
  }> = await manager.query(
    `SELECT ${key} AS k, COUNT(*) AS n, COALESCE(SUM(c.principal_cents), 0) AS p,
          COALESCE(SUM(c.paid_cents), 0) AS r, COALESCE(SUM(c.balance_cents), 0) AS b,
          SUM(CASE WHEN c.balance_cents = 0 AND c.paid_cents > 0 THEN 1 ELSE 0 END) AS s,
          SUM(CASE WHEN c.balance_cents = 0 AND c.paid_cents > 0 THEN
            julianday((SELECT MAX(p.received_on) FROM payment p WHERE p.case_id = c.id)) - julianday(c.opened_on) END) AS d
       FROM collection_case c
       WHERE c.opened_on >= ? AND c.opened_on <= ?${filter.sql}
       GROUP BY k`,
    [scope.from, scope.to, ...filter.params]
  )
  const clients = by === 'client' ? await names(manager, 'client') : null
  const result = rows.map((r): RecoveryRow => {
    const k = r.k === null ? null : String(r.k)
    const settled = n(r.s)
    return {
      key: by === 'phase' ? PHASE_ORDER[n(r.k)]! : k,
      label:
        by === 'client'
          ? (clients!.get(k!) ?? k!)
          : by === 'phase'
            ? CASE_PHASES.labels[PHASE_ORDER[n(r.k)] as CasePhase]
            : by === 'month'
              ? k!
              : 'Total',
      caseCount: n(r.n),
      placedCents: n(r.p),
      recoveredCents: n(r.r),
      balanceCents: n(r.b),
      rate: ratio(n(r.r), n(r.p)),
      settledCount: settled,
      averageDaysToRecover: settled > 0 ? n(r.d) / settled : null
    }
  })
  if (by === 'total' && result.length === 0) {
    result.push({
      key: null,
      label: 'Total',
      caseCount: 0,
      placedCents: 0,
      recoveredCents: 0,
      balanceCents: 0,
      rate: 0,
      settledCount: 0,
      averageDaysToRecover: null
    })
  }
  if (by === 'client') return byLabel(result)
  if (by === 'phase')
    return result.sort((a, b) => PHASE_ORDER.indexOf(a.key as CasePhase) - PHASE_ORDER.indexOf(b.key as CasePhase))
  return result.sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : 1))
}

/** Payments received in the period by month (net of reversals), on the scope's cases. */
export async function collectionMonths(manager: EntityManager, scope: ReportScope): Promise<CollectionMonth[]> {
  const filter = caseFilter(scope)
  const rows: Array<{ m: string; s: number; n: number }> = await manager.query(
    `SELECT substr(p.received_on, 1, 7) || '-01' AS m, COALESCE(SUM(p.amount_cents), 0) AS s, COUNT(*) AS n
     FROM payment p${filter.sql ? ' JOIN collection_case c ON c.id = p.case_id' : ''}
     WHERE p.received_on >= ? AND p.received_on <= ?${filter.sql}
     GROUP BY m ORDER BY m`,
    [scope.from, scope.to, ...filter.params]
  )
  return rows.map((r) => ({ month: r.m, collectedCents: n(r.s), paymentCount: n(r.n) }))
}

/* --------------------------------------------------------------- activity */

/**
 * What each collector did, week by week (weeks start on Monday), in the period:
 * - calls: journal calls they logged, by the day they took place (UTC day of the instant: calls
 *   are made between 10:00 and 20:00 in France, the same day); contacts: those answered for the
 *   debtor (outcome not in NON_CONTACT_OUTCOMES);
 * - promises made (by who recorded them, on the day made) and, of those, kept and failed
 *   (broken or partly kept);
 * - payment plans negotiated (recorded that week, whatever became of them);
 * - amounts collected: payments received that week on the cases they are assigned to.
 */
export async function activityRows(manager: EntityManager, scope: ReportScope): Promise<ActivityRow[]> {
  const users = await names(manager, 'app_user')
  const week = (expression: string) => sqlDialect(manager).weekStart(expression)
  const rows = new Map<string, ActivityRow>()
  const row = (collectorId: string | null, w: string): ActivityRow => {
    const id = `${collectorId}|${w}`
    let r = rows.get(id)
    if (!r) {
      r = {
        collectorId,
        collectorName: collectorId === null ? UNASSIGNED_LABEL : (users.get(collectorId) ?? collectorId),
        week: w,
        calls: 0,
        contacts: 0,
        contactRate: 0,
        promisesMade: 0,
        promisesKept: 0,
        promisesFailed: 0,
        promisesKeptRate: 0,
        plansNegotiated: 0,
        collectedCents: 0
      }
      rows.set(id, r)
    }
    return r
  }
  const end = addDays(scope.to, 1)

  const byAuthor = caseFilter(scope, 'c', 'j.author_id')
  // The journal read in table order (not along the author index, which would visit its rows at
  // random: twice as slow at 1 M entries), joined to the cases only to filter by client.
  const calls: Array<{ k: string | null; w: string; n: number; c: number }> = await manager.query(
    `SELECT +j.author_id AS k, ${week('substr(j.occurred_at, 1, 10)')} AS w, COUNT(*) AS n,
        SUM(CASE WHEN json_extract(j.details, '$.outcome') IN (${NON_CONTACT_OUTCOMES.map(() => '?').join(', ')}) THEN 0 ELSE 1 END) AS c
     FROM journal_entry j${scope.clientIds.length ? ' JOIN collection_case c ON c.id = j.case_id' : ''}
     WHERE j.kind = 'call' AND j.occurred_at >= ? AND j.occurred_at < ?${byAuthor.sql}
     GROUP BY +j.author_id, w`,
    [...NON_CONTACT_OUTCOMES, scope.from, end, ...byAuthor.params]
  )
  for (const r of calls) {
    const a = row(r.k, r.w)
    a.calls += n(r.n)
    a.contacts += n(r.c)
  }

  const byRecorder = caseFilter(scope, 'c', 'pr.created_by')
  const promises: Array<{ k: string | null; w: string; n: number; kept: number; failed: number }> = await manager.query(
    `SELECT pr.created_by AS k, ${week('pr.made_on')} AS w, COUNT(*) AS n,
        SUM(CASE WHEN pr.status = 'kept' THEN 1 ELSE 0 END) AS kept,
        SUM(CASE WHEN pr.status IN ('broken', 'partially_kept') THEN 1 ELSE 0 END) AS failed
     FROM payment_promise pr JOIN collection_case c ON c.id = pr.case_id
     WHERE pr.made_on >= ? AND pr.made_on <= ?${byRecorder.sql}
     GROUP BY k, w`,
    [scope.from, scope.to, ...byRecorder.params]
  )
  for (const r of promises) {
    const a = row(r.k, r.w)
    a.promisesMade += n(r.n)
    a.promisesKept += n(r.kept)
    a.promisesFailed += n(r.failed)
  }

  const byPlanner = caseFilter(scope, 'c', 'pl.created_by')
  const plans: Array<{ k: string | null; w: string; n: number }> = await manager.query(
    `SELECT pl.created_by AS k, ${week('substr(pl.created_at, 1, 10)')} AS w, COUNT(*) AS n
     FROM payment_plan pl JOIN collection_case c ON c.id = pl.case_id
     WHERE pl.created_at >= ? AND pl.created_at < ?${byPlanner.sql}
     GROUP BY k, w`,
    [scope.from, end, ...byPlanner.params]
  )
  for (const r of plans) row(r.k, r.w).plansNegotiated += n(r.n)

  const byCollector = caseFilter(scope)
  const collected: Array<{ k: string | null; w: string; s: number }> = await manager.query(
    `SELECT c.collector_id AS k, ${week('p.received_on')} AS w, COALESCE(SUM(p.amount_cents), 0) AS s
     FROM payment p JOIN collection_case c ON c.id = p.case_id
     WHERE p.received_on >= ? AND p.received_on <= ?${byCollector.sql}
     GROUP BY k, w`,
    [scope.from, scope.to, ...byCollector.params]
  )
  for (const r of collected) row(r.k, r.w).collectedCents += n(r.s)

  const result = [...rows.values()].map(withRates)
  return result.sort(
    (a, b) =>
      (a.collectorId === null ? 1 : 0) - (b.collectorId === null ? 1 : 0) ||
      collator.compare(a.collectorName, b.collectorName) ||
      (a.week! < b.week! ? -1 : a.week! > b.week! ? 1 : 0)
  )
}

function withRates(r: ActivityRow): ActivityRow {
  return {
    ...r,
    contactRate: ratio(r.contacts, r.calls),
    promisesKeptRate: ratio(r.promisesKept, r.promisesKept + r.promisesFailed)
  }
}

/** Sums activity rows by collector (week null) or by week (collector null, named "Tous"). */
export function sumActivity(rows: ActivityRow[], by: 'collector' | 'week' | 'total'): ActivityRow[] {
  const sums = new Map<string, ActivityRow>()
  for (const r of rows) {
    const id = by === 'collector' ? String(r.collectorId) : by === 'week' ? r.week! : 'total'
    const s = sums.get(id) ?? {
      ...r,
      collectorId: by === 'collector' ? r.collectorId : null,
      collectorName: by === 'collector' ? r.collectorName : 'Tous',
      week: by === 'week' ? r.week : null,
      calls: 0,
      contacts: 0,
      promisesMade: 0,
      promisesKept: 0,
      promisesFailed: 0,
      plansNegotiated: 0,
      collectedCents: 0
    }
    s.calls += r.calls
    s.contacts += r.contacts
    s.promisesMade += r.promisesMade
    s.promisesKept += r.promisesKept
    s.promisesFailed += r.promisesFailed
    s.plansNegotiated += r.plansNegotiated
    s.collectedCents += r.collectedCents
    sums.set(id, s)
  }
  const result = [...sums.values()].map(withRates)
  if (by === 'week') return result.sort((a, b) => (a.week! < b.week! ? -1 : 1))
  if (by === 'total' && result.length === 0) return [sumActivity([emptyActivity()], 'total')[0]!]
  return result
}

function emptyActivity(): ActivityRow {
  return {
    collectorId: null,
    collectorName: 'Tous',
    week: null,
    calls: 0,
    contacts: 0,
    contactRate: 0,
    promisesMade: 0,
    promisesKept: 0,
    promisesFailed: 0,
    promisesKeptRate: 0,
    plansNegotiated: 0,
    collectedCents: 0
  }
}

/* ---------------------------------------------------- pipeline, promises */

/** Open and suspended cases by phase: the portfolio's phase filter on those statuses. */
export async function pipelineRows(manager: EntityManager, scope: ReportScope): Promise<PipelineRow[]> {
  const filter = caseFilter(scope)
  const rows: Array<{ k: CasePhase; n: number; s: number }> = await manager.query(
    `SELECT c.phase AS k, COUNT(*) AS n, COALESCE(SUM(c.balance_cents), 0) AS s
     FROM collection_case c WHERE c.status IN ('open', 'suspended')${filter.sql} GROUP BY k`,
    filter.params
  )
  const found = new Map(rows.map((r) => [r.k, r]))
  return PHASE_ORDER.map((phase) => ({
    phase,
    count: n(found.get(phase)?.n),
    balanceCents: n(found.get(phase)?.s)
  }))
}

/** Promises made in the period by what became of them (recorder as collector). */
export async function promiseStatuses(manager: EntityManager, scope: ReportScope): Promise<PromiseStatusFigure[]> {
  const filter = caseFilter(scope, 'c', 'pr.created_by')
  const rows: Array<{ k: PromiseStatus; n: number; s: number }> = await manager.query(
    `SELECT pr.status AS k, COUNT(*) AS n, COALESCE(SUM(pr.amount_cents), 0) AS s
     FROM payment_promise pr JOIN collection_case c ON c.id = pr.case_id
     WHERE pr.made_on >= ? AND pr.made_on <= ?${filter.sql} GROUP BY k`,
    [scope.from, scope.to, ...filter.params]
  )
  const found = new Map(rows.map((r) => [r.k, r]))
  return PROMISE_STATUSES.values.map((status) => ({
    status,
    count: n(found.get(status)?.n),
    amountCents: n(found.get(status)?.s)
  }))
}

/** kept / (kept + partly kept + broken), as in the activity report. */
export function keptRate(statuses: PromiseStatusFigure[]): number {
  const count = (s: PromiseStatus) => statuses.find((f) => f.status === s)?.count ?? 0
  return ratio(count('kept'), count('kept') + count('partially_kept') + count('broken'))
}

/** Client and collector names of a scope, for cover sheets. */
export async function scopeNames(
  manager: EntityManager,
  scope: ReportScope
): Promise<{ clients: string[]; collectors: string[] }> {
  const clients = await names(manager, 'client')
  const users = await names(manager, 'app_user')
  return {
    clients: scope.clientIds.map((id) => clients.get(id) ?? id),
    collectors: scope.collectorIds.map((id) => users.get(id) ?? id)
  }
}
