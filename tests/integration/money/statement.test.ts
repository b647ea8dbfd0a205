import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'
import { COMPANY, CONSUMER, refusal, seedCase } from './fixtures'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

describe('money:statement', () => {
  it('B2B invoice with a partial payment: the legal allocation is stored and the décompte adds up', async () => {
    // Invoice of 1 000 € due 2024-03-31 between professionals: penalties ECB + 10 points from
    // 2024-04-01, €40 indemnity claimed.
    const seeded = await seedCase(app, {
      creditor: COMPANY,
      debtor: COMPANY,
      claims: [
        {
          invoiceNumber: 'F-2024-031',
          principalCents: 100_000,
          dueOn: '2024-03-31',
          interestBasis: 'b2b_penalty',
          indemnityApplies: true
        }
      ]
    })
    const recorded = await app.call('money:record-payment', {
      caseId: seeded.caseId,
      receivedOn: '2024-06-01',
      amountCents: 50_000,
      method: 'transfer',
      receivedBy: 'agency'
    })
    // Interest to 2024-06-01: [04-01, 06-01) 61 d × 14.50 % × 1 000 € / 366 = 24.1667 → 24.17.
    // 500 € pay interest 24.17, then the indemnity 40.00, then principal 435.83 (C. civ. 1343-1).
    expect(recorded.payment.allocations.map((a) => [a.component, a.amountCents, a.manual])).toEqual([
      ['interest', 2417, false],
      ['indemnity', 4000, false],
      ['principal', 43_583, false]
    ])
    expect(recorded.payment.unallocatedCents).toBe(0)

    const s = await app.call('money:statement', { caseId: seeded.caseId, at: '2024-09-01' })
    const claim = s.claims[0]!
    // Principal left 564.17 €:
    // [06-01, 07-01) 30 d at 14.50 % / 366 = 6.7053 → 6.71
    // [07-01, 09-01) 62 d at 14.25 % (ECB 4.25 % on 1 July 2024 + 10) / 366 = 13.6187 → 13.62
    expect(claim.interestPieces.map((p) => [p.from, p.to, p.days, p.rateBp, p.principalCents, p.amountCents])).toEqual([
      ['2024-04-01', '2024-06-01', 61, 1450, 100_000, 2417],
      ['2024-06-01', '2024-07-01', 30, 1450, 56_417, 671],
      ['2024-07-01', '2024-09-01', 62, 1425, 56_417, 1362]
    ])
    expect(claim.interestCents).toBe(4450)
    expect(claim.balance).toEqual({
      principalCents: 56_417,
      interestCents: 2033,
      indemnityCents: 0,
      totalCents: 58_450
    })
    expect(s.payments).toHaveLength(1)
    expect(s.payments[0]).toMatchObject({ allocationSource: 'stored', method: 'transfer', receivedBy: 'agency' })
    expect(s.totals).toMatchObject({ principalCents: 100_000, paidCents: 50_000, balanceCents: 58_450 })
    // Between professionals: 5 years (C. com. L110-4), restarted by the payment (C. civ. 2240).
    expect(claim.prescription).toEqual({
      regime: 'common_5y',
      years: 5,
      article: 'C. com. L110-4 / C. civ. 2224',
      runningFrom: '2024-06-01',
      expiresOn: '2029-06-01'
    })
    expect(s.creditor.partyKind).toBe('professional')
    expect(s.demandableBalanceCents).toBe(58_450)
  })

  it('legal interest from the formal notice: the README worked example (16,78 €)', async () => {
    const seeded = await seedCase(app, {
      creditor: COMPANY,
      debtor: CONSUMER,
      claims: [{ principalCents: 100_000, dueOn: '2024-03-15', interestBasis: 'legal', interestFrom: '2024-05-01' }]
    })
    const s = await app.call('money:statement', { caseId: seeded.caseId, at: '2024-09-01' })
    // 1000 × 5.07 % × 61 / 366 = 8.45 ; 1000 × 4.92 % × 62 / 366 = 8.334… → 8.33 (other-cases column).
    expect(s.claims[0]!.interestPieces.map((p) => [p.days, p.rateBp, p.amountCents])).toEqual([
      [61, 507, 845],
      [62, 492, 833]
    ])
    expect(s.totals.interestCents).toBe(1678)
  })

  it('marks a time-barred claim and keeps it out of what may be demanded', async () => {
    // A professional against a consumer: 2 years (C. consom. L218-2).
    const seeded = await seedCase(app, {
      creditor: COMPANY,
      debtor: CONSUMER,
      claims: [
        { invoiceNumber: 'OLD-1', principalCents: 80_000, dueOn: '2023-01-10' },
        { invoiceNumber: 'NEW-1', principalCents: 50_000, dueOn: '2024-06-01' }
      ]
    })
    const s = await app.call('money:statement', { caseId: seeded.caseId, at: '2025-06-30' })
    const [old, recent] = s.claims
    expect(old).toMatchObject({ invoiceNumber: 'OLD-1', timeBarred: true, expiresOn: '2025-01-10' })
    expect(old!.prescription).toMatchObject({ regime: 'consumer_2y', article: 'C. consom. L218-2' })
    expect(recent).toMatchObject({ invoiceNumber: 'NEW-1', timeBarred: false, expiresOn: '2026-06-01' })
    expect(s.warnings).toContainEqual({ code: 'time_barred_claim', claimId: old!.claimId, expiresOn: '2025-01-10' })
    expect(s.totals.balanceCents).toBe(130_000)
    expect(s.timeBarredBalanceCents).toBe(80_000)
    expect(s.demandableBalanceCents).toBe(50_000)
  })

  it('answers NOT_FOUND in French for an unknown case and refuses a malformed date', async () => {
    expect(
      await refusal(app, 'money:statement', { caseId: '0192f000-0000-7000-8000-000000000000', at: '2024-01-01' })
    ).toEqual({
      code: 'NOT_FOUND',
      message: 'Dossier introuvable.'
    })
    const bad = await refusal(app, 'money:statement', {
      caseId: '0192f000-0000-7000-8000-000000000000',
      at: '2024-02-30'
    })
    expect(bad.code).toBe('VALIDATION')
  })
})
