import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CASE_SORT_FIELDS, type CaseListQuery } from '@shared/contract'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp({ demoCases: 1500, seed: 7 }))
})
afterAll(() => dispose())

/** Small pages make "broad" small: √(10 × 1,500) ≈ 122 matches already count as a broad search. */
const LIMIT = 10
const open = { statuses: ['open', 'suspended'] as Array<'open' | 'suspended'> }
/** Searches of every breadth: two letters, a shared invoice prefix, a reference being typed, a name. */
const TEXTS = ['ma', 'le', 'de', 'rec 2', 'f-2', 'fa', 'lef', 'martin', 'zz']

describe('cases:page — the first page of a broad search before its totals', () => {
  it('returns the same rows as cases:list for every column sort, both directions, and totals equal to its totals', async () => {
    let withoutTotals = 0
    for (const field of CASE_SORT_FIELDS) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const text of TEXTS) {
          for (const filters of [{ text }, { ...open, text }]) {
            const input: CaseListQuery = { limit: LIMIT, sort: { field, direction }, filters, asOf: '2026-11-23' }
            app.services.cases.clearCache()
            const page = await app.call('cases:page', input)
            app.services.cases.clearCache()
            const list = await app.call('cases:list', input)
            const label = `${field} ${direction} ${JSON.stringify(filters)}`
            expect(
              page.rows.map((r) => r.reference),
              label
            ).toEqual(list.rows.map((r) => r.reference))
            const totals = page.totals ?? (await app.call('cases:totals', input))
            if (page.totals === null) withoutTotals++
            expect({ total: totals.total, balance: totals.totalBalanceCents }, label).toEqual({
              total: list.total,
              balance: list.totalBalanceCents
            })
            expect(totals.searchIgnored).toBe(list.searchIgnored)
          }
        }
      }
    }
    // The point of the channel: broad searches did come back without their totals.
    expect(withoutTotals).toBeGreaterThan(20)
  })

  it('keeps the totals for the next pages once cases:totals has counted them', async () => {
    const input: CaseListQuery = {
      limit: LIMIT,
      filters: { text: 'ma' },
      sort: { field: 'balance', direction: 'desc' }
    }
    app.services.cases.clearCache()
    const first = await app.call('cases:page', input)
    expect(first.totals).toBeNull()
    const totals = await app.call('cases:totals', input)
    expect(totals.total).toBeGreaterThan(LIMIT)
    // Asked again (the list shown again, or scrolled): the totals are known, they come with the page.
    const again = (await app.call('cases:page', input)).totals
    const second = await app.call('cases:page', { ...input, offset: LIMIT })
    if (testingOnPostgres()) {
      // A shared server: other workstations write too, so nothing is kept across calls; totals
      // that do come with a page are the right ones.
      for (const shown of [again, second.totals]) if (shown !== null) expect(shown).toEqual(totals)
    } else {
      expect(again).toEqual(totals)
      expect(second.totals).toEqual(totals)
    }
    const listed = await app.call('cases:list', { ...input, offset: LIMIT })
    expect(second.rows.map((r) => r.id)).toEqual(listed.rows.map((r) => r.id))
  })

  it('comes with its totals when they cost nothing more: no search, a narrow search, a grouped sort', async () => {
    app.services.cases.clearCache()
    expect((await app.call('cases:page', { limit: LIMIT })).totals).not.toBeNull()
    const [sample] = (await app.call('cases:list', { limit: 1 })).rows
    const narrow = await app.call('cases:page', { limit: LIMIT, filters: { text: sample!.reference } })
    expect(narrow.totals?.total).toBe(1)
    app.services.cases.clearCache()
    const grouped = await app.call('cases:page', {
      limit: LIMIT,
      filters: { text: 'ma' },
      sort: { field: 'phase', direction: 'asc' }
    })
    expect(grouped.totals).not.toBeNull()
  })

  it('refuses what cases:list refuses', async () => {
    for (const channel of ['cases:page', 'cases:totals'] as const) {
      const response = await app.dispatcher.dispatch(channel, { limit: 10_000 }, 'direct')
      expect(response.ok).toBe(false)
    }
  })
})
