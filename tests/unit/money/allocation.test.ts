import { describe, expect, it } from 'vitest'
import {
  allocatePayment,
  claimOutstandingTotal,
  splitProRata,
  validateManualAllocation,
  type ClaimOutstanding
} from '../../../src-shared/money/allocation'
import { mulberry32, randInt } from './prng'

const claim = (claimId: string, over: Partial<ClaimOutstanding> = {}): ClaimOutstanding => ({
  claimId,
  dueDate: '2024-01-31',
  rateBp: 1450,
  interestCents: 0,
  indemnityCents: 0,
  principalCents: 0,
  ...over
})

const byClaim = (lines: { claimId: string; amountCents: number }[]): Record<string, number> =>
  lines.reduce<Record<string, number>>((acc, l) => ({ ...acc, [l.claimId]: (acc[l.claimId] ?? 0) + l.amountCents }), {})

describe('within a claim (C. civ. 1343-1, convention 10)', () => {
  it('pays interest, then the €40 indemnity, then principal', () => {
    const a = claim('A', { interestCents: 1500, indemnityCents: 4000, principalCents: 100_000 })
    expect(allocatePayment({ amountCents: 5000, paidOn: '2024-06-01', claims: [a] }).lines).toEqual([
      { claimId: 'A', component: 'interest', amountCents: 1500 },
      { claimId: 'A', component: 'indemnity', amountCents: 3500 }
    ])
    expect(allocatePayment({ amountCents: 10_000, paidOn: '2024-06-01', claims: [a] }).lines).toEqual([
      { claimId: 'A', component: 'interest', amountCents: 1500 },
      { claimId: 'A', component: 'indemnity', amountCents: 4000 },
      { claimId: 'A', component: 'principal', amountCents: 4500 }
    ])
  })
})

describe('across claims (C. civ. 1342-10)', () => {
  it('pays due claims before claims not yet due, even at a higher rate', () => {
    const due = claim('DUE', { dueDate: '2024-05-31', rateBp: 300, principalCents: 10_000 })
    const notDue = claim('LATER', { dueDate: '2024-07-31', rateBp: 2000, principalCents: 10_000 })
    const r = allocatePayment({ amountCents: 12_000, paidOn: '2024-06-01', claims: [notDue, due] })
    expect(byClaim(r.lines)).toEqual({ DUE: 10_000, LATER: 2_000 })
    expect(r.lines[0]!.claimId).toBe('DUE')
  })

  it('counts a claim due on the payment date as due', () => {
    const today = claim('TODAY', { dueDate: '2024-06-01', rateBp: 0, principalCents: 1000 })
    const later = claim('LATER', { dueDate: '2024-06-02', rateBp: 2000, principalCents: 1000 })
    expect(byClaim(allocatePayment({ amountCents: 1000, paidOn: '2024-06-01', claims: [later, today] }).lines)).toEqual(
      { TODAY: 1000 }
    )
  })

  it('then the highest rate, then the oldest due date', () => {
    const low = claim('LOW', { dueDate: '2023-01-31', rateBp: 507, principalCents: 10_000 })
    const highNew = claim('HIGH_NEW', { dueDate: '2024-03-31', rateBp: 1450, principalCents: 10_000 })
    const highOld = claim('HIGH_OLD', { dueDate: '2024-02-29', rateBp: 1450, principalCents: 10_000 })
    const r = allocatePayment({ amountCents: 15_000, paidOn: '2024-06-01', claims: [low, highNew, highOld] })
    expect(byClaim(r.lines)).toEqual({ HIGH_OLD: 10_000, HIGH_NEW: 5_000 })
  })

  it('then pro rata, remainder cents to the largest fractions', () => {
    // 100 over 100 and 200: exact shares 33.33 and 66.67 → 33 and 67.
    const r = allocatePayment({
      amountCents: 100,
      paidOn: '2024-06-01',
      claims: [claim('A', { principalCents: 100 }), claim('B', { principalCents: 200 })]
    })
    expect(byClaim(r.lines)).toEqual({ A: 33, B: 67 })
  })

  it('breaks equal remainders deterministically by claim id, whatever the input order', () => {
    const claims = ['C', 'A', 'B'].map((id) => claim(id, { principalCents: 100 }))
    const r1 = allocatePayment({ amountCents: 100, paidOn: '2024-06-01', claims })
    const r2 = allocatePayment({ amountCents: 100, paidOn: '2024-06-01', claims: [...claims].reverse() })
    expect(byClaim(r1.lines)).toEqual({ A: 34, B: 33, C: 33 })
    expect(r2.lines).toEqual(r1.lines)
  })

  it('pays interest before principal inside each pro-rata share', () => {
    const a = claim('A', { interestCents: 300, principalCents: 700 })
    const b = claim('B', { interestCents: 0, principalCents: 1000 })
    const r = allocatePayment({ amountCents: 1000, paidOn: '2024-06-01', claims: [a, b] })
    expect(r.lines).toEqual([
      { claimId: 'A', component: 'interest', amountCents: 300 },
      { claimId: 'A', component: 'principal', amountCents: 200 },
      { claimId: 'B', component: 'principal', amountCents: 500 }
    ])
  })

  it('leaves an overpayment unallocated', () => {
    const r = allocatePayment({
      amountCents: 5000,
      paidOn: '2024-06-01',
      claims: [claim('A', { principalCents: 3000 })]
    })
    expect(r.unallocatedCents).toBe(2000)
  })
})

describe('debtor designation', () => {
  const old = claim('OLD', { dueDate: '2023-01-31', rateBp: 1450, interestCents: 500, principalCents: 10_000 })
  const recent = claim('RECENT', { dueDate: '2024-01-31', rateBp: 500, interestCents: 100, principalCents: 2_000 })

  it('is honoured when the payment settles the designated claim in full', () => {
    const r = allocatePayment({
      amountCents: 3000,
      paidOn: '2024-06-01',
      claims: [old, recent],
      designatedClaimId: 'RECENT'
    })
    expect(r.designation).toEqual({ claimId: 'RECENT', honoured: true })
    // 2 100 to RECENT in full, the remaining 900 by the legal order (OLD: interest first).
    expect(r.lines).toEqual([
      { claimId: 'RECENT', component: 'interest', amountCents: 100 },
      { claimId: 'RECENT', component: 'principal', amountCents: 2000 },
      { claimId: 'OLD', component: 'interest', amountCents: 500 },
      { claimId: 'OLD', component: 'principal', amountCents: 400 }
    ])
  })

  it('is recorded but not followed when the payment does not settle it', () => {
    const r = allocatePayment({
      amountCents: 2000,
      paidOn: '2024-06-01',
      claims: [old, recent],
      designatedClaimId: 'RECENT'
    })
    expect(r.designation).toEqual({ claimId: 'RECENT', honoured: false, reason: 'does_not_settle_claim_in_full' })
    expect(byClaim(r.lines)).toEqual({ OLD: 2000 })
  })

  it('refuses an unknown designated claim', () => {
    expect(() =>
      allocatePayment({ amountCents: 1, paidOn: '2024-06-01', claims: [old], designatedClaimId: 'X' })
    ).toThrow(RangeError)
  })
})

describe('splitProRata', () => {
  it('sums exactly and keeps every share within its weight', () => {
    expect(splitProRata(10, [1, 1, 1])).toEqual([4, 3, 3])
    expect(splitProRata(0, [5, 5])).toEqual([0, 0])
    expect(splitProRata(7, [0, 0])).toEqual([0, 0])
  })
})

describe('property: allocation never creates or loses a cent', () => {
  it('holds on 500 random cases', () => {
    const rand = mulberry32(1342)
    for (let run = 0; run < 500; run++) {
      const claims = Array.from({ length: randInt(rand, 1, 6) }, (_, i) =>
        claim(`C${i}`, {
          // Few distinct values so that ties (pro rata) happen often.
          dueDate: `2024-0${randInt(rand, 1, 9)}-15`,
          rateBp: randInt(rand, 0, 2) * 500,
          interestCents: randInt(rand, 0, 5000),
          indemnityCents: rand() < 0.5 ? 4000 : 0,
          principalCents: randInt(rand, 0, 1_000_000)
        })
      )
      const owed = claims.reduce((s, c) => s + claimOutstandingTotal(c), 0)
      const amount = randInt(rand, 0, owed + 10_000)
      const designatedClaimId = rand() < 0.3 ? claims[randInt(rand, 0, claims.length - 1)]!.claimId : null
      const r = allocatePayment({ amountCents: amount, paidOn: '2024-06-01', claims, designatedClaimId })

      expect(r.lines.reduce((s, l) => s + l.amountCents, 0) + r.unallocatedCents).toBe(amount)
      expect(r.unallocatedCents).toBe(Math.max(0, amount - owed))
      expect(
        validateManualAllocation({ amountCents: amount, claims, lines: r.lines, unallocatedCents: r.unallocatedCents })
      ).toEqual({ ok: true })
      for (const l of r.lines) expect(Number.isInteger(l.amountCents) && l.amountCents > 0).toBe(true)
      // Within a claim, principal is touched only once interest and indemnity are fully paid.
      for (const c of claims) {
        const paid = (k: string) =>
          r.lines.filter((l) => l.claimId === c.claimId && l.component === k).reduce((s, l) => s + l.amountCents, 0)
        if (paid('principal') > 0)
          expect([paid('interest'), paid('indemnity')]).toEqual([c.interestCents, c.indemnityCents])
        if (paid('indemnity') > 0) expect(paid('interest')).toBe(c.interestCents)
      }
    }
  })
})

describe('manual allocation validator', () => {
  const claims = [claim('A', { interestCents: 100, principalCents: 1000 }), claim('B', { principalCents: 500 })]

  it('accepts a manual split that matches the payment', () => {
    expect(
      validateManualAllocation({
        amountCents: 700,
        claims,
        lines: [
          { claimId: 'B', component: 'principal', amountCents: 500 },
          { claimId: 'A', component: 'principal', amountCents: 200 }
        ]
      })
    ).toEqual({ ok: true })
  })

  it('reports a sum mismatch, a component over its outstanding amount and unknown claims', () => {
    const r = validateManualAllocation({
      amountCents: 1000,
      claims,
      lines: [
        { claimId: 'A', component: 'interest', amountCents: 80 },
        { claimId: 'A', component: 'interest', amountCents: 80 },
        { claimId: 'Z', component: 'principal', amountCents: 10 },
        { claimId: 'B', component: 'principal', amountCents: -5 }
      ]
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors).toEqual([
      { code: 'unknown_claim', index: 2, claimId: 'Z' },
      { code: 'invalid_amount', index: 3 },
      { code: 'over_outstanding', claimId: 'A', component: 'interest', allocatedCents: 160, outstandingCents: 100 },
      { code: 'sum_mismatch', paymentCents: 1000, allocatedCents: 160, unallocatedCents: 0 }
    ])
  })

  it('accepts a declared credit', () => {
    const lines = [{ claimId: 'B', component: 'principal' as const, amountCents: 500 }]
    expect(validateManualAllocation({ amountCents: 600, claims, lines }).ok).toBe(false)
    expect(validateManualAllocation({ amountCents: 600, claims, lines, unallocatedCents: 100 }).ok).toBe(true)
  })
})
