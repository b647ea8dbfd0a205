import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'
import { seedCase } from '../money/fixtures'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
  // TEST DATA, not the official figures: the shipped table stops at 2026-S1, and the test clock
  // says 2026-11-23. ECB 2,15 % → B2B penalty rate 12,15 %.
  await app.call('rates:add-semester', { kind: 'ecb_refinancing', semester: '2026-S2', ratePercent: '2,15' })
  await app.call('rates:add-semester', {
    kind: 'legal_interest',
    semester: '2026-S2',
    creditorIndividualPercent: '6,50',
    otherCasesPercent: '3,00'
  })
})
afterAll(() => dispose())

// 10 000 € invoice due 2026-06-30 between professionals: B2B penalties from 2026-07-01.
const penaltyCase = () =>
  seedCase(app, {
    claims: [{ invoiceNumber: 'F-1', principalCents: 1_000_000, dueOn: '2026-06-30', interestBasis: 'b2b_penalty' }]
  })

const statementAt = (caseId: string, at: string) => app.call('money:statement', { caseId, at })

describe('a plan agreed with interest frozen', () => {
  it('stops interest from the agreement; the déchéance du terme makes it run again from its date', async () => {
    const seeded = await penaltyCase()
    // 2026-07-01 → 2026-08-01: 31 days at 12,15 % on 365 days:
    // 1 000 000 × 1215 × 31 / (10 000 × 365) = 10 319,18 → 10 319 cents.
    const atAgreement = await statementAt(seeded.caseId, '2026-08-01')
    expect(atAgreement.totals.interestCents).toBe(10_319)

    const { plan } = await app.call('plans:accept', {
      caseId: seeded.caseId,
      at: '2026-08-01',
      interestMode: 'frozen',
      sizing: { installmentCount: 3 },
      frequency: 'monthly',
      firstDueDate: '2026-08-15',
      capacityCents: null
    })
    expect(plan.totalCents).toBe(1_010_319)

    // Nothing paid, but nothing accrues while the plan stands: the balance is the agreed one.
    const today = await statementAt(seeded.caseId, '2026-11-23')
    expect(today.totals.interestCents).toBe(10_319)
    expect(today.totals.balanceCents).toBe(1_010_319)
    expect(today.claims[0]!.interestPieces.map((p) => [p.from, p.to])).toEqual([['2026-07-01', '2026-08-01']])
    // Even past the last known semester: a frozen balance needs no rate.
    expect((await statementAt(seeded.caseId, '2027-05-01')).totals.interestCents).toBe(10_319)

    // The three installments (15 Aug, Sep, Oct) are unpaid more than 15 days: déchéance du terme.
    const accelerated = await app.call('plans:accelerate', { planId: plan.id, reason: 'Trois échéances impayées' })
    expect(accelerated.status).toBe('defaulted')
    // Interest runs again from 2026-11-23: 8 days to 2026-12-01 at 12,15 %:
    // 1 000 000 × 1215 × 8 / (10 000 × 365) = 2 663,01 → 2 663 cents.
    const after = await statementAt(seeded.caseId, '2026-12-01')
    expect(after.claims[0]!.interestPieces.map((p) => [p.from, p.to, p.amountCents])).toEqual([
      ['2026-07-01', '2026-08-01', 10_319],
      ['2026-11-23', '2026-12-01', 2_663]
    ])
    expect(after.totals.interestCents).toBe(12_982)
  })

  it('a plan with running interest lets interest accrue', async () => {
    const seeded = await penaltyCase()
    await app.call('plans:accept', {
      caseId: seeded.caseId,
      at: '2026-08-01',
      interestMode: 'running',
      sizing: { installmentCount: 3 },
      frequency: 'monthly',
      firstDueDate: '2026-08-15',
      capacityCents: null
    })
    // 2026-07-01 → 2026-11-23: 145 days at 12,15 %: 1 000 000 × 1215 × 145 / 3 650 000 = 48 267,12 → 48 267.
    expect((await statementAt(seeded.caseId, '2026-11-23')).totals.interestCents).toBe(48_267)
  })
})
