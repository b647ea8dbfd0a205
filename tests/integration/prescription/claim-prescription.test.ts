import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { todayInParis } from '../../../src-shared/dates/calendar-date'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { refreshCasePrescriptions, rollCasePrescriptions } from '../../../src-main/modules/money/case-prescription'
import { runMoneyChecks } from '../../../src-main/modules/money/money-checks'
import { openTempApp } from '../helpers/temp-app'
import { COMPANY, CONSUMER, type ClaimSpec, seedCase } from '../money/fixtures'

// Fixed clock: 2026-11-23. A professional creditor against a consumer: 2 years (C. consom. L218-2).
let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

async function seed(claims: ClaimSpec[]) {
  const seeded = await seedCase(app, { creditor: COMPANY, debtor: CONSUMER, claims })
  await app.db.write((m) => refreshCasePrescriptions(m, [seeded.caseId], '2026-11-23'))
  return seeded
}

const stored = async (caseId: string) => {
  const [c] = await app.db.read((m) =>
    m.query('SELECT prescription_on AS next, prescribed_claims AS prescribed FROM collection_case WHERE id = ?', [
      caseId
    ])
  )
  const claims: Array<{ invoice_number: string; prescription_on: string | null }> = await app.db.read((m) =>
    m.query('SELECT invoice_number, prescription_on FROM claim WHERE case_id = ? ORDER BY invoice_number', [caseId])
  )
  return { ...c, claims: Object.fromEntries(claims.map((r) => [r.invoice_number, r.prescription_on])) }
}

describe('prescription per claim', () => {
  it('one time-barred claim no longer hides the countdown of the others (agenda, filter, column)', async () => {
    const s = await seed([
      { invoiceNumber: 'M-OLD', principalCents: 40_000, dueOn: '2024-06-01' }, // expired 2026-06-01
      { invoiceNumber: 'M-NEW', principalCents: 60_000, dueOn: '2025-01-02' } // 2027-01-02: in 40 days
    ])
    expect(await stored(s.caseId)).toEqual({
      next: '2027-01-02',
      prescribed: 1,
      claims: { 'M-NEW': '2027-01-02', 'M-OLD': '2026-06-01' }
    })
    const agenda = await app.call('agenda:list', { collectorId: null, kinds: ['prescription'], limit: 200 })
    const row = agenda.rows.find((r) => r.caseId === s.caseId)!
    expect(row.reasons.find((x) => x.kind === 'prescription')).toMatchObject({
      dueOn: '2027-01-02',
      daysLate: -40,
      urgent: false,
      label: 'Prescription le 02/01/2027 (dans 40 jours) : interrompre ou agir'
    })
    const window = async (prescriptionWithin: 'expired' | '30' | '90') =>
      (await app.call('cases:list', { filters: { prescriptionWithin }, limit: 500 })).rows.some(
        (r) => r.id === s.caseId
      )
    expect(await window('expired')).toBe(true)
    expect(await window('90')).toBe(true)
    expect(await window('30')).toBe(false)
    const listed = (await app.call('cases:list', { limit: 500 })).rows.find((r) => r.id === s.caseId)!
    expect(listed).toMatchObject({ prescriptionOn: '2027-01-02', prescribedClaims: 1 })
    // The statement (letters, case file) marks only the old claim as time-barred.
    const statement = await app.call('money:statement', { caseId: s.caseId, at: '2026-11-23' })
    expect(statement.claims.map((c) => [c.invoiceNumber, c.timeBarred])).toEqual([
      ['M-OLD', true],
      ['M-NEW', false]
    ])
  })

  it('a claim paid in full has no date any more; closing the case clears them all', async () => {
    const s = await seed([
      { invoiceNumber: 'N-1', principalCents: 10_000, dueOn: '2025-03-01', interestBasis: 'none' },
      { invoiceNumber: 'N-2', principalCents: 20_000, dueOn: '2025-05-01', interestBasis: 'none' }
    ])
    await app.call('money:record-payment', {
      caseId: s.caseId,
      receivedOn: '2026-11-20',
      amountCents: 10_000,
      method: 'transfer',
      receivedBy: 'agency'
    })
    expect(await stored(s.caseId)).toEqual({
      next: '2027-05-01',
      prescribed: 0,
      claims: { 'N-1': null, 'N-2': '2027-05-01' }
    })
    const [{ v }] = await app.db.read((m) =>
      m.query('SELECT version AS v FROM collection_case WHERE id = ?', [s.caseId])
    )
    await app.call('case:close', { caseId: s.caseId, expectedVersion: v, reason: 'returned_to_client' })
    expect(await stored(s.caseId)).toEqual({ next: null, prescribed: 0, claims: { 'N-1': null, 'N-2': null } })
  })

  it('as days pass, the roll moves the case past a claim that has just expired (no write needed otherwise)', async () => {
    const s = await seed([
      { invoiceNumber: 'R-1', principalCents: 10_000, dueOn: '2024-12-01' }, // 2026-12-01
      { invoiceNumber: 'R-2', principalCents: 10_000, dueOn: '2025-08-01' } // 2027-08-01
    ])
    expect(await stored(s.caseId)).toMatchObject({ next: '2026-12-01', prescribed: 0 })
    // 2026-12-02: R-1 is time-barred. The agenda and the filter read the claims: already right.
    const expired = await app.call('cases:list', {
      filters: { prescriptionWithin: 'expired' },
      asOf: '2026-12-02',
      limit: 500
    })
    expect(expired.rows.some((r) => r.id === s.caseId)).toBe(true)
    const moved = await app.db.write((m) => rollCasePrescriptions(m, '2026-12-02'))
    expect(moved).toBeGreaterThanOrEqual(1)
    expect(await stored(s.caseId)).toMatchObject({ next: '2027-08-01', prescribed: 1 })
    // Rolling again the same day changes nothing; the writers' function agrees with the roll.
    expect(await app.db.write((m) => rollCasePrescriptions(m, '2026-12-02'))).toBe(0)
    expect(await app.db.write((m) => refreshCasePrescriptions(m, [s.caseId], '2026-12-02'))).toBe(0)
  })

  it('the daily checks run the roll, the promises and the plans on their own', async () => {
    const result = await runMoneyChecks({
      db: app.db,
      clock: app.clock,
      promises: app.services.promises,
      plans: app.services.plans
    })
    expect(result).toMatchObject({ day: '2026-11-23' })
    expect(result.casesRolled).toBeGreaterThanOrEqual(0)
  })
})

describe('migration 1763858412000', () => {
  it('fills the claims and cases from its own frozen copy of the rules, as the writers would', async () => {
    const demo = await openTempApp({ demoCases: 300, seed: 11 })
    try {
      const { ClaimPrescription1763858412000 } =
        await import('../../../src-main/db/migrations/1763858412000-claim-prescription')
      const migration = new ClaimPrescription1763858412000()
      const runner = demo.app.db.dataSource.createQueryRunner()
      try {
        await runner.query('UPDATE collection_case SET prescription_on = NULL, prescribed_claims = 0')
        await migration.fill(runner)
      } finally {
        await runner.release()
      }
      const [row] = await demo.app.db.read((m) => m.query('SELECT COUNT(prescription_on) AS n FROM claim'))
      expect(row.n).toBeGreaterThan(300)
      // Nothing for the writers' function to change after it (the migration counts from the real today).
      expect(await demo.app.db.write((m) => refreshCasePrescriptions(m, 'all', todayInParis()))).toBe(0)
    } finally {
      await demo.dispose()
    }
  })
})
