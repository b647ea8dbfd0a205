import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { refreshCasePrescriptions } from '../../../src-main/modules/money/case-prescription'
import { openTempApp } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'
import { COMPANY, CONSUMER, seedCase, type PartySpec } from '../money/fixtures'

// Fixed clock: 2026-11-23. A professional creditor against a consumer: 2 years (L218-2).
let app: RecouvraApp
let dispose: () => Promise<void>
const refs: Record<string, string> = {}

async function seed(name: string, dueOn: string, debtor: PartySpec = CONSUMER): Promise<void> {
  const s = await seedCase(app, {
    creditor: COMPANY,
    debtor,
    claims: [{ invoiceNumber: `PA-${name}`, principalCents: 50_000, dueOn }]
  })
  await app.db.write((m) => refreshCasePrescriptions(m, [s.caseId]))
  refs[name] = s.reference
}

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
  await seed('urgent17', '2024-12-10') // expires 2026-12-10: in 17 days
  await seed('today', '2024-11-23') // expires 2026-11-23: today, still demandable
  await seed('alert43', '2025-01-05') // 2027-01-05: in 43 days
  await seed('alert90', '2025-02-21') // 2027-02-21: in exactly 90 days
  await seed('later91', '2025-02-22') // 2027-02-22: in 91 days
  await seed('far190', '2025-06-01') // 2027-06-01: in 190 days
  await seed('expired', '2024-10-01') // 2026-10-01: already time-barred
  await seed('b2b', '2025-01-01', COMPANY) // 5 years: 2030-01-01
})
afterAll(() => dispose())

const idOf = async (name: string): Promise<string> =>
  (await app.call('cases:list', { limit: 500 })).rows.find((r) => r.reference === refs[name])!.id

const names = (references: string[]) =>
  Object.entries(refs)
    .filter(([, ref]) => references.includes(ref))
    .map(([name]) => name)
    .sort()

describe('agenda: prescription countdown', () => {
  it('lists the cases whose prescription falls within 90 days, urgent within 30, with a French reason', async () => {
    const page = await app.call('agenda:list', { collectorId: null, kinds: ['prescription'], limit: 200 })
    expect(names(page.rows.map((r) => r.caseReference))).toEqual(['alert43', 'alert90', 'today', 'urgent17'])
    const reason = (name: string) =>
      page.rows.find((r) => r.caseReference === refs[name])!.reasons.find((x) => x.kind === 'prescription')!
    expect(reason('urgent17')).toMatchObject({
      dueOn: '2026-12-10',
      daysLate: -17,
      urgent: true,
      label: 'Prescription le 10/12/2026 (dans 17 jours) : interrompre ou agir'
    })
    expect(reason('today').label).toBe('Prescription le 23/11/2026 (aujourd’hui) : interrompre ou agir')
    expect(reason('alert43')).toMatchObject({ urgent: false, label: expect.stringContaining('(dans 43 jours)') })
    expect(reason('alert90').urgent).toBe(false)
    // Urgent ones rank with legal deadlines, before the 90-day alerts.
    const order = names(page.rows.slice(0, 2).map((r) => r.caseReference))
    expect(order).toEqual(['today', 'urgent17'])
    expect(page.counts.byKind.prescription).toBe(4)
    const counts = await app.call('agenda:counts', { collectorId: null })
    expect(counts.byKind.prescription).toBe(4)
  })
})

describe('portfolio: prescription filter and column', () => {
  const list = async (prescriptionWithin: 'expired' | '30' | '90' | '180', asOf = '2026-11-23') => {
    const page = await app.call('cases:list', { filters: { prescriptionWithin }, asOf, limit: 500 })
    expect(page.total).toBe(page.rows.length)
    return names(page.rows.map((r) => r.reference))
  }

  it('returns exactly the cases of each window', async () => {
    expect(await list('expired')).toEqual(['expired'])
    expect(await list('30')).toEqual(['today', 'urgent17'])
    expect(await list('90')).toEqual(['alert43', 'alert90', 'today', 'urgent17'])
    expect(await list('180')).toEqual(['alert43', 'alert90', 'later91', 'today', 'urgent17'])
    // Another day: the same stored dates, counted from it.
    expect(await list('expired', '2026-12-11')).toEqual(['expired', 'today', 'urgent17'])
  })

  it('sorts by prescription date, empty last, and shows it on each row', async () => {
    const page = await app.call('cases:list', { sort: { field: 'prescriptionOn', direction: 'asc' }, limit: 500 })
    const dates = page.rows.map((r) => r.prescriptionOn)
    // The time-barred case has no next date (its claim is counted as prescribed): sorted last.
    expect(dates.slice(0, 3)).toEqual(['2026-11-23', '2026-12-10', '2027-01-05'])
    const expired = page.rows.find((r) => r.reference === refs.expired)!
    expect(expired).toMatchObject({ prescriptionOn: null, prescribedClaims: 1 })
    const nonNull = dates.filter((d): d is string => d !== null)
    expect(nonNull).toEqual([...nonNull].sort())
  })

  // SQLite's plan; PostgreSQL plans by its own statistics, so the check is SQLite's only.
  it.skipIf(testingOnPostgres())('reads the filter from the claims’ index, never scanning the cases', async () => {
    const plan: Array<{ detail: string }> = await app.db.read((m) =>
      m.query(
        `EXPLAIN QUERY PLAN SELECT c.id FROM collection_case c
          WHERE c.id IN (SELECT cl.case_id FROM claim cl WHERE cl.prescription_on BETWEEN '2026-11-23' AND '2027-02-21')`
      )
    )
    expect(plan.map((p) => p.detail).join(' | ')).toContain('ix_claim_prescription_on')
    expect(plan.map((p) => p.detail).join(' | ')).not.toMatch(/SCAN c\b/)
  })
})

describe('agenda after a payment', () => {
  it('drops a case once a payment restarts the period', async () => {
    const caseId = await idOf('alert43')
    await app.call('money:record-payment', {
      caseId,
      receivedOn: '2026-11-20',
      amountCents: 1_000,
      method: 'transfer',
      receivedBy: 'agency'
    })
    const agenda = await app.call('agenda:list', { collectorId: null, kinds: ['prescription'], limit: 200 })
    expect(names(agenda.rows.map((r) => r.caseReference))).toEqual(['alert90', 'today', 'urgent17'])
    const after = await app.call('cases:list', { limit: 500 })
    expect(after.rows.find((r) => r.reference === refs.alert43)!.prescriptionOn).toBe('2028-11-20')
  })
})
