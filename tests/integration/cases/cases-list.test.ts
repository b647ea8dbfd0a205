import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CASE_SORT_FIELDS, type CaseSortField, type CaseSummary } from '@shared/contract'
import { CASE_PHASES, CASE_PRIORITIES, CASE_STATUSES } from '@shared/domain/enums'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { nameSortKey } from '../../../src-main/modules/search/search-text'
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
    openedOn: (r) => r.openedOn
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
