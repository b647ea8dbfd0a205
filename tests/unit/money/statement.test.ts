import { describe, expect, it } from 'vitest'
import {
  computeStatement,
  type Statement,
  type StatementClaimInput,
  type StatementInput
} from '../../../src-shared/money/statement'
import { BUNDLED_RATE_TABLE } from '../../../src-shared/money/rates'
import { addDays, minDate } from '../../../src-shared/dates/calendar-date'
import { mulberry32, pick, randInt } from './prng'

const rates = BUNDLED_RATE_TABLE

// Invoice of 1 000 € due 2024-03-31, B2B penalties from 2024-04-01, €40 indemnity claimed.
const invoiceA: StatementClaimInput = {
  claimId: 'A',
  reference: 'F-2024-031',
  principalCents: 100_000,
  dueDate: '2024-03-31',
  interest: { basis: 'b2b_penalty' },
  flatIndemnity: true
}

const b2b = (over: Partial<StatementInput>): StatementInput => ({
  at: '2024-09-01',
  creditor: 'professional',
  debtor: 'professional',
  claims: [invoiceA],
  payments: [],
  rates,
  ...over
})

/** The invariants every statement must satisfy: what is shown adds up. */
function expectConsistent(s: Statement, paymentsTotal: number): void {
  for (const c of s.claims) {
    expect(c.interestCents).toBe(c.interestPieces.reduce((t, p) => t + p.amountCents, 0))
    expect(c.paidCents).toBe(c.payments.reduce((t, p) => t + p.totalCents, 0))
    for (const p of c.payments) expect(p.totalCents).toBe(p.interestCents + p.indemnityCents + p.principalCents)
    expect(c.balance.totalCents).toBe(c.balance.principalCents + c.balance.interestCents + c.balance.indemnityCents)
    expect(c.balance.totalCents).toBe(c.principalCents + c.interestCents + c.indemnityCents - c.paidCents)
  }
  const sum = (f: (c: Statement['claims'][number]) => number) => s.claims.reduce((t, c) => t + f(c), 0)
  expect(s.totals.principalCents).toBe(sum((c) => c.principalCents))
  expect(s.totals.interestCents).toBe(sum((c) => c.interestCents))
  expect(s.totals.indemnityCents).toBe(sum((c) => c.indemnityCents))
  expect(s.totals.paidCents).toBe(sum((c) => c.paidCents))
  expect(s.totals.balanceCents).toBe(sum((c) => c.balance.totalCents))
  expect(s.totals.unallocatedCents).toBe(s.payments.reduce((t, p) => t + p.unallocatedCents, 0))
  // No cent created or lost between the payments and the claims.
  expect(s.totals.paidCents + s.totals.unallocatedCents).toBe(paymentsTotal)
}

describe('computeStatement', () => {
  it('hand-computed B2B case with a partial payment allocated by law', () => {
    const s = computeStatement(b2b({ payments: [{ paymentId: 'P1', paidOn: '2024-06-01', amountCents: 50_000 }] }))
    const a = s.claims[0]!
    // [04-01, 06-01) 61 d at 14.50 % / 366 on 1 000 €: 24.1667 → 24.17
    // Payment 500 € on 06-01: interest 24.17, indemnity 40.00, principal 435.83 → principal 564.17
    // [06-01, 07-01) 30 d at 14.50 % on 564.17: 6.7053 → 6.71
    // [07-01, 09-01) 62 d at 14.25 % on 564.17: 13.6187 → 13.62
    expect(a.interestPieces.map((p) => [p.from, p.to, p.days, p.rateBp, p.principalCents, p.amountCents])).toEqual([
      ['2024-04-01', '2024-06-01', 61, 1450, 100_000, 2417],
      ['2024-06-01', '2024-07-01', 30, 1450, 56_417, 671],
      ['2024-07-01', '2024-09-01', 62, 1425, 56_417, 1362]
    ])
    expect(a.interestFrom).toBe('2024-04-01')
    expect(a.interestCents).toBe(4450)
    expect(a.indemnityCents).toBe(4000)
    expect(a.payments).toEqual([
      {
        paymentId: 'P1',
        paidOn: '2024-06-01',
        interestCents: 2417,
        indemnityCents: 4000,
        principalCents: 43_583,
        totalCents: 50_000
      }
    ])
    expect(a.balance).toEqual({ principalCents: 56_417, interestCents: 2033, indemnityCents: 0, totalCents: 58_450 })
    expect(s.payments[0]).toMatchObject({ allocationSource: 'computed', unallocatedCents: 0, designation: null })
    expect(s.totals).toEqual({
      principalCents: 100_000,
      interestCents: 4450,
      indemnityCents: 4000,
      paidCents: 50_000,
      balanceCents: 58_450,
      unallocatedCents: 0
    })
    expectConsistent(s, 50_000)
  })

  it('keeps a stored allocation instead of recomputing it', () => {
    const s = computeStatement(
      b2b({
        payments: [
          {
            paymentId: 'P1',
            paidOn: '2024-06-01',
            amountCents: 50_000,
            allocation: [{ claimId: 'A', component: 'principal', amountCents: 50_000 }]
          }
        ]
      })
    )
    const a = s.claims[0]!
    expect(s.payments[0]!.allocationSource).toBe('stored')
    expect(a.payments[0]).toMatchObject({ interestCents: 0, principalCents: 50_000 })
    expect(a.interestPieces[1]!.principalCents).toBe(50_000)
    expectConsistent(s, 50_000)
  })

  it('allocates to the claim bearing the highest rate before an older one', () => {
    // Claim L: 500 €, due 2024-01-31, legal interest (5.07 %) from the mise en demeure of 2024-02-15.
    const legal: StatementClaimInput = {
      claimId: 'L',
      principalCents: 50_000,
      dueDate: '2024-01-31',
      interest: { basis: 'legal', from: '2024-02-15' }
    }
    const s = computeStatement(
      b2b({ claims: [legal, invoiceA], payments: [{ paymentId: 'P1', paidOn: '2024-06-01', amountCents: 30_000 }] })
    )
    const [l, a] = s.claims
    expect(a!.payments[0]).toMatchObject({ interestCents: 2417, indemnityCents: 4000, principalCents: 23_583 })
    expect(l!.payments).toEqual([])
    expect(l!.interestPieces[0]!.rateBp).toBe(507)
    expectConsistent(s, 30_000)
  })

  it('ranks claims by the rate of the payment day itself, even when interest starts that day', () => {
    // NEW bears 14.50 % from 2024-06-01 (day after its due date); OLD bears none. Paid on 06-01: NEW first.
    const old: StatementClaimInput = {
      claimId: 'OLD',
      principalCents: 10_000,
      dueDate: '2024-01-31',
      interest: { basis: 'none' }
    }
    const fresh: StatementClaimInput = {
      claimId: 'NEW',
      principalCents: 10_000,
      dueDate: '2024-05-31',
      interest: { basis: 'b2b_penalty' }
    }
    const s = computeStatement(
      b2b({ claims: [old, fresh], payments: [{ paymentId: 'P1', paidOn: '2024-06-01', amountCents: 10_000 }] })
    )
    expect(s.claims.map((c) => c.paidCents)).toEqual([0, 10_000])
  })

  it('honours a designation that settles the claim and records one that does not', () => {
    const small: StatementClaimInput = {
      claimId: 'S',
      principalCents: 10_000,
      dueDate: '2024-05-31',
      interest: { basis: 'none' }
    }
    const honoured = computeStatement(
      b2b({
        claims: [invoiceA, small],
        payments: [{ paymentId: 'P1', paidOn: '2024-06-01', amountCents: 10_000, designatedClaimId: 'S' }]
      })
    )
    expect(honoured.payments[0]!.designation).toEqual({ claimId: 'S', honoured: true })
    expect(honoured.claims[1]!.balance.totalCents).toBe(0)
    const refused = computeStatement(
      b2b({
        claims: [invoiceA, small],
        payments: [{ paymentId: 'P1', paidOn: '2024-06-01', amountCents: 9_999, designatedClaimId: 'S' }]
      })
    )
    expect(refused.payments[0]!.designation).toMatchObject({ claimId: 'S', honoured: false })
    expect(refused.claims[1]!.paidCents).toBe(0)
  })

  it('never adds the €40 indemnity for a consumer debtor, and uses the individual column for a consumer creditor', () => {
    const s = computeStatement(
      b2b({
        creditor: 'consumer',
        debtor: 'consumer',
        claims: [{ ...invoiceA, interest: { basis: 'legal', from: '2024-05-01' } }]
      })
    )
    expect(s.claims[0]!.indemnityCents).toBe(0)
    expect(s.warnings).toContainEqual({ code: 'indemnity_not_applicable', claimId: 'A' })
    // Individual column: README period gives 13.35 + 13.82 = 27.17 €.
    expect(s.claims[0]!.interestCents).toBe(2717)
  })

  it('owes the indemnity only once the due date has passed', () => {
    expect(computeStatement(b2b({ at: '2024-03-31' })).claims[0]!.indemnityCents).toBe(0)
    expect(computeStatement(b2b({ at: '2024-04-01' })).claims[0]!.indemnityCents).toBe(4000)
  })

  it('ignores payments after the statement date and flags time-barred claims', () => {
    const s = computeStatement(
      b2b({
        claims: [{ ...invoiceA, expiresOn: '2024-08-31' }],
        payments: [{ paymentId: 'LATE', paidOn: '2024-09-02', amountCents: 1000 }]
      })
    )
    expect(s.payments).toEqual([])
    expect(s.warnings).toContainEqual({ code: 'payment_after_statement_date', paymentId: 'LATE' })
    expect(s.claims[0]!.timeBarred).toBe(true)
    expect(computeStatement(b2b({ claims: [{ ...invoiceA, expiresOn: '2024-09-01' }] })).claims[0]!.timeBarred).toBe(
      false
    )
  })

  it('runs no legal interest without a start date', () => {
    const s = computeStatement(b2b({ claims: [{ ...invoiceA, interest: { basis: 'legal' } }] }))
    expect(s.claims[0]!.interestPieces).toEqual([])
    expect(s.warnings).toContainEqual({ code: 'legal_interest_not_started', claimId: 'A' })
  })

  it('shows capitalised interest moving into principal', () => {
    const s = computeStatement(
      b2b({
        at: '2025-06-01',
        claims: [{ ...invoiceA, flatIndemnity: false, interest: { basis: 'b2b_penalty', capitalisation: 'court' } }]
      })
    )
    const a = s.claims[0]!
    expect(a.capitalisations.map((c) => c.on)).toEqual(['2025-04-01'])
    const capitalised = a.capitalisations[0]!.amountCents
    expect(capitalised).toBe(
      a.interestPieces.filter((p) => p.to <= '2025-04-01').reduce((t, p) => t + p.amountCents, 0)
    )
    expect(a.balance.principalCents).toBe(100_000 + capitalised)
    expect(a.balance.interestCents).toBe(a.interestCents - capitalised)
    expectConsistent(s, 0)
  })

  it('a reversal with its mirrored allocation cancels the payment', () => {
    const lines = [
      { claimId: 'A', component: 'interest' as const, amountCents: 2417 },
      { claimId: 'A', component: 'indemnity' as const, amountCents: 4000 },
      { claimId: 'A', component: 'principal' as const, amountCents: 43_583 }
    ]
    const s = computeStatement(
      b2b({
        payments: [
          { paymentId: 'P1', paidOn: '2024-06-01', amountCents: 50_000, allocation: lines },
          {
            paymentId: 'R1',
            paidOn: '2024-06-20',
            amountCents: -50_000,
            allocation: lines.map((l) => ({ ...l, amountCents: -l.amountCents }))
          }
        ]
      })
    )
    expect(s.claims[0]!.paidCents).toBe(0)
    expect(s.claims[0]!.balance.principalCents).toBe(100_000)
    expect(s.claims[0]!.interestPieces.find((p) => p.from === '2024-06-20')!.principalCents).toBe(100_000)
    expectConsistent(s, 0)
  })

  it('refuses corrupt stored allocations', () => {
    expect(() =>
      computeStatement(
        b2b({
          payments: [
            {
              paymentId: 'P',
              paidOn: '2024-06-01',
              amountCents: 100,
              allocation: [{ claimId: 'A', component: 'principal', amountCents: 101 }]
            }
          ]
        })
      )
    ).toThrow(/exceed/)
    expect(() =>
      computeStatement(
        b2b({
          payments: [
            {
              paymentId: 'P',
              paidOn: '2024-06-01',
              amountCents: 100,
              allocation: [{ claimId: 'Z', component: 'principal', amountCents: 100 }]
            }
          ]
        })
      )
    ).toThrow(/unknown claim/)
    expect(() =>
      computeStatement(b2b({ payments: [{ paymentId: 'R', paidOn: '2024-06-01', amountCents: -100 }] }))
    ).toThrow(/Reversal/)
  })

  it('property: random cases always add up and computed allocations never overdraw a component', () => {
    const rand = mulberry32(1231)
    for (let run = 0; run < 60; run++) {
      const creditor = pick(rand, ['professional', 'consumer', 'non_professional'] as const)
      const debtor = pick(rand, ['professional', 'consumer', 'non_professional'] as const)
      const at = addDays('2023-06-01', randInt(rand, 0, 1000)) // up to 2026-02
      const claims: StatementClaimInput[] = Array.from({ length: randInt(rand, 1, 4) }, (_, i) => {
        const dueDate = addDays('2022-01-01', randInt(rand, 0, 1200))
        const basis = pick(rand, ['none', 'legal', 'b2b_penalty', 'contractual'] as const)
        return {
          claimId: `C${i}`,
          principalCents: randInt(rand, 1, 2_000_000),
          dueDate,
          interest: {
            basis,
            from: basis === 'legal' ? addDays(dueDate, randInt(rand, 0, 90)) : null,
            contractualRateBp: randInt(rand, 0, 2000),
            capitalisation: rand() < 0.3 ? 'contract' : null
          },
          flatIndemnity: rand() < 0.5
        }
      })
      const payments = Array.from({ length: randInt(rand, 0, 5) }, (_, i) => ({
        paymentId: `P${i}`,
        paidOn: minDate(addDays('2022-03-01', randInt(rand, 0, 1500)), at),
        amountCents: randInt(rand, 1, 800_000),
        designatedClaimId: rand() < 0.2 ? `C${randInt(rand, 0, claims.length - 1)}` : null
      }))
      const s = computeStatement({ at, creditor, debtor, claims, payments, rates })
      expectConsistent(
        s,
        payments.reduce((t, p) => t + p.amountCents, 0)
      )
      for (const c of s.claims) {
        expect(c.balance.principalCents).toBeGreaterThanOrEqual(0)
        expect(c.balance.interestCents).toBeGreaterThanOrEqual(0)
        expect(c.balance.indemnityCents).toBeGreaterThanOrEqual(0)
        if (!(creditor === 'professional' && debtor === 'professional')) expect(c.indemnityCents).toBe(0)
      }
    }
  })
})
