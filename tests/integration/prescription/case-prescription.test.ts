import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { refreshCasePrescriptions } from '../../../src-main/modules/money/case-prescription'
import { openTempApp } from '../helpers/temp-app'
import { COMPANY, CONSUMER, type ClaimSpec, refusal, seedCase } from '../money/fixtures'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

/** A case seeded by rows (as an import would), its date filled by the writers' function. */
async function seed(claims: ClaimSpec[], debtor = CONSUMER) {
  const seeded = await seedCase(app, { creditor: COMPANY, debtor, claims })
  await app.db.write((m) => refreshCasePrescriptions(m, [seeded.caseId]))
  return seeded
}

const storedOn = async (caseId: string): Promise<string | null> =>
  (await app.db.read((m) => m.query('SELECT prescription_on AS p FROM collection_case WHERE id = ?', [caseId])))[0].p

describe('collection_case.prescription_on', () => {
  it('is the earliest expiry among open claims; a payment moves it, its reversal moves it back', async () => {
    // Professional against a consumer: 2 years (C. consom. L218-2).
    const s = await seed([
      { invoiceNumber: 'P-1', principalCents: 50_000, dueOn: '2025-03-01' },
      { invoiceNumber: 'P-2', principalCents: 80_000, dueOn: '2025-06-15' }
    ])
    expect(await storedOn(s.caseId)).toBe('2027-03-01')
    // 100 € allocated by law to the oldest claim (P-1): acknowledgement by part payment (C. civ. 2240).
    const paid = await app.call('money:record-payment', {
      caseId: s.caseId,
      receivedOn: '2026-02-10',
      amountCents: 10_000,
      method: 'transfer',
      receivedBy: 'agency'
    })
    // P-1 restarts to 2028-02-10; P-2 (untouched) now comes first.
    expect(await storedOn(s.caseId)).toBe('2027-06-15')
    await app.call('money:reverse-payment', {
      paymentId: paid.payment.id,
      reversedOn: '2026-02-20',
      reason: 'Virement rejeté'
    })
    expect(await storedOn(s.caseId)).toBe('2027-03-01')
  })

  it('forgets a claim paid in full; a case with nothing left has none', async () => {
    const s = await seed([
      { invoiceNumber: 'Q-1', principalCents: 10_000, dueOn: '2025-01-10', interestBasis: 'none' },
      { invoiceNumber: 'Q-2', principalCents: 20_000, dueOn: '2025-05-10', interestBasis: 'none' }
    ])
    expect(await storedOn(s.caseId)).toBe('2027-01-10')
    await app.call('money:record-payment', {
      caseId: s.caseId,
      receivedOn: '2026-01-05',
      amountCents: 10_000,
      method: 'transfer',
      receivedBy: 'agency',
      designatedClaimId: s.claimIds[0]
    })
    expect(await storedOn(s.caseId)).toBe('2027-05-10')
    await app.call('money:record-payment', {
      caseId: s.caseId,
      receivedOn: '2026-01-06',
      amountCents: 20_000,
      method: 'transfer',
      receivedBy: 'agency'
    })
    expect(await storedOn(s.caseId)).toBeNull()
  })

  it('a plan the debtor signs restarts every claim (C. civ. 2240)', async () => {
    const s = await seed([
      { invoiceNumber: 'PL-1', principalCents: 90_000, dueOn: '2025-03-01', interestBasis: 'none' }
    ])
    expect(await storedOn(s.caseId)).toBe('2027-03-01')
    await app.call('plans:accept', {
      caseId: s.caseId,
      at: '2026-11-20',
      interestMode: 'frozen',
      sizing: { installmentCount: 3 },
      frequency: 'monthly',
      firstDueDate: '2026-12-15',
      capacityCents: null
    })
    expect(await storedOn(s.caseId)).toBe('2028-11-20')
  })

  it('a judgment moves it to 10 years from enforceability (CPCE L111-4)', async () => {
    const s = await seed([{ invoiceNumber: 'J-1', principalCents: 100_000, dueOn: '2025-04-01' }])
    expect(await storedOn(s.caseId)).toBe('2027-04-01')
    await app.call('money:record-legal-event', {
      caseId: s.caseId,
      kind: 'judgment',
      occurredOn: '2026-09-01',
      enforceableOn: '2026-10-01'
    })
    expect(await storedOn(s.caseId)).toBe('2036-10-01')
  })

  it('a court claim (C. civ. 2241) and an enforcement act (2244) each restart the period', async () => {
    const s = await seed([{ invoiceNumber: 'C-1', principalCents: 100_000, dueOn: '2025-02-01' }], COMPANY)
    expect(await storedOn(s.caseId)).toBe('2030-02-01')
    const filed = await app.call('money:record-legal-event', {
      caseId: s.caseId,
      kind: 'court_claim',
      occurredOn: '2026-03-15',
      court: 'Tribunal de commerce de Lyon',
      reference: 'IP 26/123'
    })
    expect(filed.kind).toBe('court_claim')
    expect(await storedOn(s.caseId)).toBe('2031-03-15')
    await app.call('money:record-legal-event', {
      caseId: s.caseId,
      claimId: s.claimIds[0],
      kind: 'enforcement_act',
      occurredOn: '2026-11-02',
      reference: 'Saisie-attribution'
    })
    expect(await storedOn(s.caseId)).toBe('2031-11-02')
    const statement = await app.call('money:statement', { caseId: s.caseId, at: '2026-11-23' })
    expect(statement.claims[0]!.prescription).toMatchObject({ runningFrom: '2026-11-02', expiresOn: '2031-11-02' })
    const journal: Array<{ summary: string }> = await app.db.read((m) =>
      m.query("SELECT summary FROM journal_entry WHERE case_id = ? AND kind = 'legal_event' ORDER BY created_at", [
        s.caseId
      ])
    )
    expect(journal.map((j) => j.summary)).toEqual([
      expect.stringContaining('Demande en justice du 15/03/2026 (Tribunal de commerce de Lyon)'),
      expect.stringContaining('C. civ. 2244')
    ])
  })

  it('an event after the claim was already time-barred does not revive it', async () => {
    const s = await seed([{ invoiceNumber: 'T-1', principalCents: 30_000, dueOn: '2023-01-10' }])
    expect(await storedOn(s.caseId)).toBeNull()
    await app.call('money:record-legal-event', { caseId: s.caseId, kind: 'enforcement_act', occurredOn: '2026-05-01' })
    // The claim keeps its past expiry; the case has no next one, and one prescribed claim.
    expect(await storedOn(s.caseId)).toBeNull()
    const [row] = await app.db.read((m) =>
      m.query(
        'SELECT c.prescribed_claims AS n, cl.prescription_on AS p FROM collection_case c JOIN claim cl ON cl.case_id = c.id WHERE c.id = ?',
        [s.caseId]
      )
    )
    expect(row).toEqual({ n: 1, p: '2025-01-10' })
  })

  it('refuses a court claim dated in the future', async () => {
    const s = await seed([{ invoiceNumber: 'F-1', principalCents: 30_000, dueOn: '2025-01-10' }])
    const error = await refusal(app, 'money:record-legal-event', {
      caseId: s.caseId,
      kind: 'court_claim',
      occurredOn: '2027-01-01'
    })
    expect(error.message).toContain('demande en justice')
  })

  it('is filled for a demo portfolio by the same function (nothing left to change after it)', async () => {
    const demo = await openTempApp({ demoCases: 300, seed: 7 })
    try {
      const rows: Array<{ n: number; filled: number }> = await demo.app.db.read((m) =>
        m.query(
          `SELECT COUNT(*) AS n, SUM(prescription_on IS NOT NULL OR prescribed_claims > 0) AS filled
             FROM collection_case WHERE balance_cents > 0 AND status <> 'closed'`
        )
      )
      expect(rows[0]!.filled).toBeGreaterThan(0.9 * rows[0]!.n)
      expect(await demo.app.db.write((m) => refreshCasePrescriptions(m, 'all'))).toBe(0)
    } finally {
      await demo.dispose()
    }
  })
})
