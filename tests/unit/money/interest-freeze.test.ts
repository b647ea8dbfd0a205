import { describe, expect, it } from 'vitest'
import { computeInterest, type InterestInput } from '../../../src-shared/money/interest'
import { planInterestSuspensions } from '../../../src-shared/money/plan-freeze'
import { BUNDLED_RATE_TABLE, MissingRateError } from '../../../src-shared/money/rates'
import { computeStatement } from '../../../src-shared/money/statement'

// The README worked example (1 000 €, legal rate, professional creditor, 2024-05-01 → 2024-09-01,
// 16,78 €) with interest frozen over part of the period.
const base = (over: Partial<InterestInput>): InterestInput => ({
  principalCents: 100_000,
  from: '2024-05-01',
  to: '2024-09-01',
  basis: 'legal',
  creditorIsConsumer: false,
  rates: BUNDLED_RATE_TABLE,
  ...over
})

describe('interest suspensions (plan agreed with interest frozen)', () => {
  it('without a suspension: the worked example, 16,78 €', () => {
    expect(computeInterest(base({ suspensions: [] })).totalCents).toBe(1_678)
  })

  it('open-ended freeze from 2024-07-01: only the first piece, 8,45 €', () => {
    // 2024-05-01 → 2024-07-01: 1000 × 5,07 % × 61 / 366 = 8,45 €; nothing after.
    const result = computeInterest(base({ suspensions: [{ from: '2024-07-01', to: null }] }))
    expect(result.pieces.map((p) => [p.from, p.to, p.amountCents])).toEqual([['2024-05-01', '2024-07-01', 845]])
    expect(result.totalCents).toBe(845)
  })

  it('freeze [2024-06-01, 2024-08-01): interest before and after it only', () => {
    // 2024-05-01 → 06-01: 1000 × 5,07 % × 31 / 366 = 4,294… → 4,29 €
    // 2024-08-01 → 09-01: 1000 × 4,92 % × 31 / 366 = 4,167… → 4,17 €
    const result = computeInterest(base({ suspensions: [{ from: '2024-06-01', to: '2024-08-01' }] }))
    expect(result.pieces.map((p) => [p.from, p.to, p.days, p.rateBp, p.amountCents])).toEqual([
      ['2024-05-01', '2024-06-01', 31, 507, 429],
      ['2024-08-01', '2024-09-01', 31, 492, 417]
    ])
    expect(result.totalCents).toBe(846)
  })

  it('a frozen period needs no rate: past the last known semester it computes instead of refusing', () => {
    const far = base({ from: '2026-01-01', to: '2028-01-01' })
    expect(() => computeInterest(far)).toThrow(MissingRateError)
    const frozen = computeInterest({ ...far, suspensions: [{ from: '2026-03-01', to: null }] })
    // 2026-01-01 → 2026-03-01 only: 59 days of 2026-S1.
    expect(frozen.pieces.map((p) => [p.from, p.to, p.days])).toEqual([['2026-01-01', '2026-03-01', 59]])
  })

  it('rejects a window that ends before it starts', () => {
    expect(() => computeInterest(base({ suspensions: [{ from: '2024-08-01', to: '2024-07-01' }] }))).toThrow(RangeError)
  })

  it('the statement applies the windows to every claim', () => {
    const statement = computeStatement({
      at: '2024-09-01',
      creditor: 'professional',
      debtor: 'professional',
      claims: [
        {
          claimId: 'a',
          principalCents: 100_000,
          dueDate: '2024-04-30',
          interest: { basis: 'legal', from: '2024-05-01' }
        },
        {
          claimId: 'b',
          principalCents: 100_000,
          dueDate: '2024-04-30',
          interest: { basis: 'legal', from: '2024-05-01' }
        }
      ],
      payments: [],
      interestSuspensions: [{ from: '2024-07-01', to: null }],
      rates: BUNDLED_RATE_TABLE
    })
    expect(statement.claims.map((c) => c.interestCents)).toEqual([845, 845])
    expect(statement.totals.balanceCents).toBe(200_000 + 1_690)
  })
})

describe('planInterestSuspensions', () => {
  const plan = (over: Partial<Parameters<typeof planInterestSuspensions>[0][number]>) => ({
    interestMode: 'frozen',
    status: 'active',
    agreedOn: '2026-03-01',
    endedOn: null,
    ...over
  })

  it('an active or completed frozen plan freezes from its agreement, for good', () => {
    expect(planInterestSuspensions([plan({})])).toEqual([{ from: '2026-03-01', to: null }])
    expect(planInterestSuspensions([plan({ status: 'completed', endedOn: '2026-09-01' })])).toEqual([
      { from: '2026-03-01', to: null }
    ])
  })

  it('a defaulted plan froze until the déchéance du terme', () => {
    expect(planInterestSuspensions([plan({ status: 'defaulted', endedOn: '2026-06-10' })])).toEqual([
      { from: '2026-03-01', to: '2026-06-10' }
    ])
  })

  it('running interest, proposed, cancelled or unsigned plans freeze nothing', () => {
    expect(
      planInterestSuspensions([
        plan({ interestMode: 'running' }),
        plan({ status: 'proposed' }),
        plan({ status: 'cancelled' }),
        plan({ agreedOn: null })
      ])
    ).toEqual([])
  })
})
