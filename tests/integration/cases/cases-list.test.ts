import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CASE_AGE_BUCKET_DAYS,
  CASE_SORT_FIELDS,
  caseListQuerySchema,
  type CaseListFilters,
  type CaseListQuery,
  type CaseSortField,
  type CaseSummary,
  type SessionUser
} from '@shared/contract'
import { daysBetween } from '@shared/dates/calendar-date'
import { CASE_PHASES, CASE_PRIORITIES, CASE_STATUSES } from '@shared/domain/enums'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { CasesService } from '../../../src-main/modules/cases/cases.service'
import { pgPlannerHints, sqlitePlannerHints } from '../../../src-main/modules/search/planner-hints'
import { nameSortKey, parseSearch } from '../../../src-main/modules/search/search-text'
import { openTempApp, TEST_TODAY } from '../helpers/temp-app'

let app: RecouvraApp
let dispose: () => Promise<void>
let everything: CaseSummary[]

/** Every case, fetched page by page through the channel itself. */
async function fetchAll(): Promise<CaseSummary[]> {
  const rows: CaseSummary[] = []
  for (let offset = 0; ; offset += 500) {
    const page = await app.call('cases:list', { offset, limit: 500, sort: { field: 'reference', direction: 'asc' } })
    rows.push(...page.rows)
    if (rows.length >= page.total) return rows
  }
}

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp({ demoCases: 1200, seed: 5 }))
  everything = await fetchAll()
})
afterAll(() => dispose())

/**
 * The ordering the portfolio promises, written independently of the SQL: names compare without
 * case or accents, empty values come last both ways, ties go by reference in the direction the
 * key is read (days past due is read by due date: ascending when the most overdue come first).
 */
function referenceSort(rows: CaseSummary[], field: CaseSortField, direction: 'asc' | 'desc'): CaseSummary[] {
  const rank = (values: readonly string[]) => (v: string) => values.indexOf(v)
  const key: Record<CaseSortField, (r: CaseSummary) => string | number | null> = {
    reference: (r) => r.reference,
    debtorName: (r) => nameSortKey(r.debtorName),
    clientName: (r) => nameSortKey(r.clientName),
    phase: (r) => rank(CASE_PHASES.values)(r.phase),
    status: (r) => rank(CASE_STATUSES.values)(r.status),
    priority: (r) => rank(CASE_PRIORITIES.values)(r.priority),
    balance: (r) => r.balanceCents,
    daysPastDue: (r) => (r.oldestDueOn === null ? null : -Date.parse(r.oldestDueOn)),
    lastContactAt: (r) => r.lastContactAt,
    nextActionOn: (r) => r.nextActionOn,
    collectorName: (r) => (r.collectorName === null ? null : nameSortKey(r.collectorName)),
    openedOn: (r) => r.openedOn,
    prescriptionOn: (r) => r.prescriptionOn
  }
  const sign = direction === 'asc' ? 1 : -1
  const tieSign = field === 'daysPastDue' ? -sign : sign
  return [...rows].sort((a, b) => {
    const ka = key[field](a)
    const kb = key[field](b)
    if (ka === null || kb === null) {
      if (ka !== kb) return ka === null ? 1 : -1 // empty values last, both ways
    } else if (ka !== kb) {
      return (ka < kb ? -1 : 1) * sign
    }
    return (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0) * tieSign
  })
}

describe('cases:list', () => {
  it('pages through the whole portfolio without gaps or duplicates', () => {
    expect(everything.length).toBe(1200)
    expect(new Set(everything.map((r) => r.id)).size).toBe(1200)
  })

  it('computes totals over the filtered set, not the page', async () => {
    const page = await app.call('cases:list', { limit: 10, filters: { statuses: ['open'] } })
    const open = everything.filter((r) => r.status === 'open')
    expect(page.rows).toHaveLength(10)
    expect(page.total).toBe(open.length)
    expect(page.totalBalanceCents).toBe(open.reduce((sum, r) => sum + r.balanceCents, 0))
  })

  it.each(CASE_SORT_FIELDS.flatMap((field) => [[field, 'asc'] as const, [field, 'desc'] as const]))(
    'sorts by %s %s like the reference ordering',
    async (field, direction) => {
      const expected = referenceSort(everything, field, direction)
      const first = await app.call('cases:list', { limit: 40, sort: { field, direction } })
      const deep = await app.call('cases:list', { offset: 600, limit: 40, sort: { field, direction } })
      expect(first.rows.map((r) => r.reference)).toEqual(expected.slice(0, 40).map((r) => r.reference))
      expect(deep.rows.map((r) => r.reference)).toEqual(expected.slice(600, 640).map((r) => r.reference))
    }
  )

  it('combines filters', async () => {
    const clientId = everything[0]!.clientId
    const page = await app.call('cases:list', {
      limit: 500,
      filters: { clientIds: [clientId], phases: ['amicable', 'formal_notice'], statuses: ['open', 'suspended'] }
    })
    const expected = everything.filter(
      (r) => r.clientId === clientId && ['amicable', 'formal_notice'].includes(r.phase) && r.status !== 'closed'
    )
    expect(page.total).toBe(expected.length)
    expect(page.rows.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort())
  })

  it('finds cases by reference or by the beginning of a word of the debtor name (details in cases-search)', async () => {
    const sample = everything[77]!
    const byReference = await app.call('cases:list', { filters: { text: sample.reference } })
    expect(byReference.rows.map((r) => r.id)).toEqual([sample.id])
    const word = sample.debtorName.split(' ').at(-1)!
    const fragment = word.slice(0, Math.max(3, word.length - 2))
    const byName = await app.call('cases:list', { limit: 500, filters: { text: fragment } })
    expect(byName.rows.map((r) => r.id)).toContain(sample.id)
    // Wildcards are taken literally: nothing searchable, nothing found.
    expect((await app.call('cases:list', { filters: { text: '%' } })).total).toBe(0)
    expect((await app.call('cases:list', { filters: { text: '_' } })).total).toBe(0)
  })

  it('lists the agenda: open cases whose next action is due by a day', async () => {
    const page = await app.call('cases:list', {
      limit: 500,
      filters: { statuses: ['open'], nextActionDueBy: TEST_TODAY }
    })
    const expected = everything.filter(
      (r) => r.status === 'open' && r.nextActionOn !== null && r.nextActionOn <= TEST_TODAY
    )
    expect(page.total).toBe(expected.length)
    expect(expected.length).toBeGreaterThan(0)
  })

  it('counts days past due to the asOf day', async () => {
    const withDue = everything.find((r) => r.oldestDueOn !== null)!
    const summary = await app.call('cases:get-summary', { id: withDue.id })
    const asOf = '2026-12-31'
    const later = await app.call('cases:list', { filters: { text: withDue.reference }, asOf })
    const days = Math.round((Date.parse(asOf) - Date.parse(withDue.oldestDueOn!)) / 86_400_000)
    expect(later.rows[0]!.daysPastDue).toBe(Math.max(0, days))
    expect(summary).toEqual(withDue)
  })
})

/** The cases a search matches, straight from the engine's index (its rules are tested in cases-search). */
async function searchMatches(text: string): Promise<Set<string>> {
  const parsed = parseSearch(text)
  if (parsed.kind !== 'search') throw new Error(text)
  return new Set(await app.db.read((m) => app.services.search.matchingCaseIds(m, parsed)))
}

/** Cases with a broken promise not followed by a kept or pending one, from the raw rows. */
async function brokenPromiseCases(): Promise<Set<string>> {
  const promises: Array<{ case_id: string; status: string; made_on: string; created_at: string }> = await app.db.read(
    (m) => m.query('SELECT case_id, status, made_on, created_at FROM payment_promise')
  )
  const later = (q: (typeof promises)[number], p: (typeof promises)[number]) =>
    q.made_on > p.made_on || (q.made_on === p.made_on && q.created_at > p.created_at)
  return new Set(
    promises
      .filter(
        (p) =>
          p.status === 'broken' &&
          !promises.some((q) => q.case_id === p.case_id && ['kept', 'pending'].includes(q.status) && later(q, p))
      )
      .map((p) => p.case_id)
  )
}

/** Cases whose last plan was declared in default, or with an active plan and a missed installment. */
async function planInDefaultCases(): Promise<Set<string>> {
  const plans: Array<{ id: string; case_id: string; status: string; created_at: string }> = await app.db.read((m) =>
    m.query('SELECT id, case_id, status, created_at FROM payment_plan')
  )
  const missed = new Set(
    (
      (await app.db.read((m) => m.query("SELECT DISTINCT plan_id FROM installment WHERE status = 'missed'"))) as Array<{
        plan_id: string
      }>
    ).map((r) => r.plan_id)
  )
  return new Set(
    plans
      .filter(
        (p) =>
          (p.status === 'defaulted' &&
            !plans.some(
              (n) =>
                n.case_id === p.case_id &&
                ['proposed', 'active', 'completed'].includes(n.status) &&
                n.created_at > p.created_at
            )) ||
          (p.status === 'active' && missed.has(p.id))
      )
      .map((p) => p.case_id)
  )
}

/** The filters, restated over the rows (the search is checked in cases-search.test.ts). */
function referenceFilter(
  filters: CaseListFilters,
  facts: { broken: Set<string>; defaulted: Set<string> },
  user: SessionUser | null
): CaseSummary[] {
  return everything.filter((r) => {
    if (filters.statuses && !filters.statuses.includes(r.status)) return false
    if (filters.phases && !filters.phases.includes(r.phase)) return false
    if (filters.priorities && !filters.priorities.includes(r.priority)) return false
    if (filters.clientIds && !filters.clientIds.includes(r.clientId)) return false
    if (filters.collectorIds && !filters.collectorIds.includes(r.collectorId ?? '')) return false
    if (filters.mine && r.collectorId !== user?.id) return false
    if (filters.balanceMinCents !== undefined && r.balanceCents < filters.balanceMinCents) return false
    if (filters.balanceMaxCents !== undefined && r.balanceCents > filters.balanceMaxCents) return false
    if (filters.ageBuckets) {
      if (r.oldestDueOn === null) return false
      const days = Math.max(0, daysBetween(r.oldestDueOn, TEST_TODAY))
      const inBucket = filters.ageBuckets.some((b) => {
        const { min, max } = CASE_AGE_BUCKET_DAYS[b]
        return days >= min && (max === null || days <= max)
      })
      if (!inBucket) return false
    }
    if (filters.nextActionDue && (r.nextActionOn === null || r.nextActionOn > TEST_TODAY)) return false
    if (filters.nextActionDueBy && (r.nextActionOn === null || r.nextActionOn > filters.nextActionDueBy)) return false
    if (filters.brokenPromise && !facts.broken.has(r.id)) return false
    if (filters.planInDefault && !facts.defaulted.has(r.id)) return false
    return true
  })
}

describe('cases:list filters', () => {
  let facts: { broken: Set<string>; defaulted: Set<string> }
  let collector: SessionUser
  beforeAll(async () => {
    facts = { broken: await brokenPromiseCases(), defaulted: await planInDefaultCases() }
    const busiest = everything.filter((r) => r.collectorId)[0]!
    collector = { id: busiest.collectorId!, displayName: busiest.collectorName!, role: 'collector' }
  })

  const cases: Array<[string, () => CaseListFilters]> = [
    ['status', () => ({ statuses: ['suspended'] })],
    ['phase', () => ({ phases: ['judicial', 'enforcement'] })],
    ['priority', () => ({ priorities: ['high'] })],
    ['client', () => ({ clientIds: [everything[3]!.clientId, everything[500]!.clientId] })],
    ['collector', () => ({ collectorIds: [everything.find((r) => r.collectorId)!.collectorId!] })],
    ['balance at least', () => ({ balanceMinCents: 250_000 })],
    ['balance at most', () => ({ balanceMaxCents: 40_000 })],
    ['balance between', () => ({ balanceMinCents: 50_000, balanceMaxCents: 150_000 })],
    ...Object.keys(CASE_AGE_BUCKET_DAYS).map(
      (bucket) => [`age ${bucket}`, () => ({ ageBuckets: [bucket] })] as [string, () => CaseListFilters]
    ),
    ['ages 0-30 + 91-180 + 181+', () => ({ ageBuckets: ['0-30', '91-180', '181+'] })],
    ['broken promise', () => ({ brokenPromise: true })],
    ['plan in default', () => ({ planInDefault: true })],
    ['next action due (today)', () => ({ nextActionDue: true })],
    ['next action due by a day', () => ({ nextActionDueBy: '2026-11-01' })],
    [
      'everything at once',
      () => ({
        statuses: ['open', 'suspended'],
        phases: ['amicable', 'formal_notice', 'judicial'],
        balanceMinCents: 10_000,
        ageBuckets: ['31-60', '61-90', '91-180', '181+']
      })
    ]
  ]

  it.each(cases)('%s: the same cases and totals as the rule applied to the rows', async (_name, make) => {
    const filters = make()
    const expected = referenceFilter(filters, facts, null)
    const page = await app.call('cases:list', { limit: 500, filters })
    expect(page.total).toBe(expected.length)
    expect(page.totalBalanceCents).toBe(expected.reduce((sum, r) => sum + r.balanceCents, 0))
    expect(page.rows.map((r) => r.id).sort()).toEqual(
      expected
        .slice(0, 500)
        .map((r) => r.id)
        .sort()
    )
  })

  it('finds the broken promises and defaulted plans the demo holds', () => {
    expect(facts.broken.size).toBeGreaterThan(5)
    expect(facts.defaulted.size).toBeGreaterThan(2)
  })

  it('counts again after any write (totals are kept only until then)', async () => {
    const filters: CaseListFilters = { statuses: ['open'], phases: ['judicial'] }
    const before = await app.call('cases:list', { limit: 5, filters })
    const target = everything.find((r) => r.status === 'open' && r.phase === 'judicial')!
    await app.db.write((m) => m.query(`UPDATE collection_case SET status = 'suspended' WHERE id = ?`, [target.id]))
    try {
      const after = await app.call('cases:list', { limit: 5, filters })
      expect(after.total).toBe(before.total - 1)
      expect(after.totalBalanceCents).toBe(before.totalBalanceCents - target.balanceCents)
    } finally {
      await app.db.write((m) => m.query(`UPDATE collection_case SET status = 'open' WHERE id = ?`, [target.id]))
    }
    expect((await app.call('cases:list', { limit: 5, filters })).total).toBe(before.total)
  })

  it('"mine" means assigned to the user making the call', async () => {
    const query = caseListQuerySchema.parse({ limit: 500, filters: { mine: true, statuses: ['open'] } })
    const page = await app.services.cases.list(query, collector)
    const expected = referenceFilter({ mine: true, statuses: ['open'] }, facts, collector)
    expect(expected.length).toBeGreaterThan(0)
    expect(page.total).toBe(expected.length)
    // Through the channel, the session user (the administrator) has no case.
    expect((await app.call('cases:list', { filters: { mine: true } })).total).toBe(0)
  })

  /**
   * Every sort × several filter sets × offsets, with the plan forced each way (following the
   * sort's index, or reading the filtered set then sorting) and left to the service: the same
   * page as the reference ordering of the reference filter.
   */
  it('gives the same pages whichever way it reads them', async () => {
    const forced = (count: number, walkMax?: number) =>
      new CasesService(
        app.db,
        app.clock,
        app.services.search,
        app.db.dialect === 'postgres' ? pgPlannerHints : sqlitePlannerHints,
        { caseCount: () => count, walkMax }
      )
    // Grouped sorts: 'follow' reads every page here group by group (walk), 'follow, groups
    // counted' counts the groups and skips them by their counts, as deep pages do.
    const services = [
      ['service', app.services.cases],
      ['follow', forced(0)],
      ['follow, groups counted', forced(0, 0)],
      ['filter', forced(1e12)]
    ] as const
    const filterSets: CaseListFilters[] = [
      {},
      { statuses: ['open', 'suspended'] },
      { statuses: ['open'], phases: ['amicable', 'judicial'], balanceMinCents: 50_000 },
      { ageBuckets: ['31-60', '61-90', '181+'] },
      { brokenPromise: true },
      { planInDefault: true, statuses: ['open', 'suspended'] },
      { clientIds: [everything[10]!.clientId], nextActionDue: true },
      { mine: true },
      { balanceMaxCents: 30_000, ageBuckets: ['0-30'] },
      { collectorIds: [collector.id], statuses: ['closed'] },
      { text: 'ma', statuses: ['open', 'suspended'] },
      { text: 'ro', balanceMinCents: 100_000 }
    ]
    let compared = 0
    for (const filters of filterSets) {
      const found = filters.text ? await searchMatches(filters.text) : null
      const matching = referenceFilter(filters, facts, collector).filter((r) => !found || found.has(r.id))
      for (const field of CASE_SORT_FIELDS) {
        for (const direction of ['asc', 'desc'] as const) {
          const expected = referenceSort(matching, field, direction).map((r) => r.reference)
          for (const offset of [0, Math.max(0, Math.floor(matching.length / 2) - 7)]) {
            const input: CaseListQuery = { offset, limit: 25, sort: { field, direction }, filters }
            for (const [name, service] of services) {
              const page = await service.list(caseListQuerySchema.parse(input), collector)
              const label = `${name} ${JSON.stringify(filters)} ${field} ${direction} @${offset}`
              expect(page.total, label).toBe(matching.length)
              expect(
                page.rows.map((r) => r.reference),
                label
              ).toEqual(expected.slice(offset, offset + 25))
              compared++
            }
          }
        }
      }
    }
    expect(compared).toBe(filterSets.length * CASE_SORT_FIELDS.length * 2 * 2 * services.length)
  })
})
