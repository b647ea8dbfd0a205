/**
 * fast-check properties of the money engine: allocations never create or lose a cent, a
 * schedule always sums exactly to the balance. On failure fast-check prints the seed and the
 * shrunk counter-example to replay.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays } from '../../../src-shared/dates/calendar-date'
import {
  allocatePayment,
  claimOutstandingTotal,
  splitProRata,
  validateManualAllocation,
  type ClaimOutstanding
} from '../../../src-shared/money/allocation'
import { planInterestSuspensions } from '../../../src-shared/money/plan-freeze'
import { BUNDLED_RATE_TABLE } from '../../../src-shared/money/rates'
import { MAX_INSTALLMENTS, buildSchedule, type ScheduleFrequency } from '../../../src-shared/money/schedule'
import { computeStatement, type StatementClaimInput } from '../../../src-shared/money/statement'

const RUNS = { numRuns: 300 }

/** A day between 2015-01-01 and 2026-06-30 (the shipped rate tables). */
const dateArb = (from = '2015-01-01', days = 4198) => fc.integer({ min: 0, max: days }).map((n) => addDays(from, n))
const centsArb = (max = 5_000_000) => fc.integer({ min: 0, max: max })

const outstandingArb: fc.Arbitrary<ClaimOutstanding[]> = fc
  .array(
    fc.record({
      dueDate: dateArb(),
      rateBp: fc.integer({ min: 0, max: 2_000 }),
      interestCents: centsArb(200_000),
      indemnityCents: fc.constantFrom(0, 4_000),
      principalCents: centsArb()
    }),
    { minLength: 1, maxLength: 6 }
  )
  .map((claims) => claims.map((c, i) => ({ claimId: `c${i}`, ...c })))

describe('allocatePayment (C. civ. 1342-10, 1343-1)', () => {
  it('places every cent exactly once: lines + credit = payment, no line above what is owed', () => {
    fc.assert(
      fc.property(
        outstandingArb,
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.option(fc.nat({ max: 5 }), { nil: null }),
        (claims, amountCents, designated) => {
          const designatedClaimId = designated !== null && designated < claims.length ? `c${designated}` : null
          const result = allocatePayment({ amountCents, paidOn: '2026-06-30', claims, designatedClaimId })
          const allocated = result.lines.reduce((s, l) => s + l.amountCents, 0)
          expect(allocated + result.unallocatedCents).toBe(amountCents)
          expect(result.unallocatedCents).toBeGreaterThanOrEqual(0)
          for (const line of result.lines) {
            expect(Number.isSafeInteger(line.amountCents)).toBe(true)
            expect(line.amountCents).toBeGreaterThanOrEqual(0)
          }
          // Per claim and component, never more than owed.
          for (const claim of claims) {
            for (const component of ['interest', 'indemnity', 'principal'] as const) {
              const sum = result.lines
                .filter((l) => l.claimId === claim.claimId && l.component === component)
                .reduce((s, l) => s + l.amountCents, 0)
              expect(sum).toBeLessThanOrEqual(claim[`${component}Cents`])
            }
          }
          // A credit is left only once everything owed is paid.
          const owed = claims.reduce((s, c) => s + claimOutstandingTotal(c), 0)
          expect(allocated).toBe(Math.min(amountCents, owed))
        }
      ),
      RUNS
    )
  })

  it('pays interest before principal within each claim', () => {
    fc.assert(
      fc.property(outstandingArb, fc.integer({ min: 1, max: 10_000_000 }), (claims, amountCents) => {
        const result = allocatePayment({ amountCents, paidOn: '2026-06-30', claims })
        for (const claim of claims) {
          const principal = result.lines
            .filter((l) => l.claimId === claim.claimId && l.component === 'principal')
            .reduce((s, l) => s + l.amountCents, 0)
          const interest = result.lines
            .filter((l) => l.claimId === claim.claimId && l.component === 'interest')
            .reduce((s, l) => s + l.amountCents, 0)
          if (principal > 0) expect(interest).toBe(claim.interestCents)
        }
      }),
      RUNS
    )
  })

  it('the legal allocation always passes the manual-allocation check', () => {
    fc.assert(
      fc.property(outstandingArb, fc.integer({ min: 1, max: 10_000_000 }), (claims, amountCents) => {
        const result = allocatePayment({ amountCents, paidOn: '2026-06-30', claims })
        expect(
          validateManualAllocation({
            amountCents,
            claims,
            lines: result.lines,
            unallocatedCents: result.unallocatedCents
          })
        ).toEqual({ ok: true })
      }),
      RUNS
    )
  })
})

describe('splitProRata', () => {
  it('splits an amount exactly, each share within a cent of its exact part', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.array(centsArb(), { minLength: 1, maxLength: 8 }),
        (amount, weights) => {
          const shares = splitProRata(amount, weights)
          const total = weights.reduce((s, w) => s + w, 0)
          if (total === 0) {
            expect(shares.every((s) => s === 0)).toBe(true)
            return
          }
          expect(shares.reduce((s, v) => s + v, 0)).toBe(amount)
          shares.forEach((share, i) => expect(Math.abs(share - (amount * weights[i]!) / total)).toBeLessThan(1))
        }
      ),
      RUNS
    )
  })
})

describe('buildSchedule', () => {
  const frequencyArb = fc.constantFrom<ScheduleFrequency>('weekly', 'biweekly', 'monthly', 'quarterly')

  it('sums exactly to the balance, by number of installments', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 120 }),
        frequencyArb,
        dateArb('2026-01-01', 1_000),
        (balance, downShare, count, frequency, firstDueDate) => {
          const down = Math.floor(balance * downShare)
          fc.pre(balance - down === 0 || count <= balance - down)
          const schedule = buildSchedule({
            balanceCents: balance,
            downPaymentCents: down,
            sizing: { installmentCount: count },
            frequency,
            firstDueDate
          })
          const sum =
            (schedule.downPayment?.amountCents ?? 0) + schedule.installments.reduce((s, i) => s + i.amountCents, 0)
          expect(sum).toBe(balance)
          expect(schedule.totalCents).toBe(balance)
          if (balance > down) {
            expect(schedule.installments).toHaveLength(count)
            const regular = schedule.installments[0]!.amountCents
            // Equal installments, the last one taking the remainder (less than one more installment).
            schedule.installments.slice(0, -1).forEach((i) => expect(i.amountCents).toBe(regular))
            const last = schedule.installments[count - 1]!.amountCents
            expect(last).toBeGreaterThanOrEqual(regular)
            expect(last - regular).toBeLessThan(count)
          }
          for (let i = 1; i < schedule.installments.length; i++) {
            expect(schedule.installments[i]!.dueDate > schedule.installments[i - 1]!.dueDate).toBe(true)
          }
        }
      ),
      RUNS
    )
  })

  it('sums exactly to the balance, by installment amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        frequencyArb,
        dateArb('2026-01-01', 1_000),
        (balance, amount, frequency, firstDueDate) => {
          fc.pre(Math.ceil(balance / amount) <= MAX_INSTALLMENTS)
          const schedule = buildSchedule({
            balanceCents: balance,
            sizing: { installmentAmountCents: amount },
            frequency,
            firstDueDate
          })
          expect(schedule.installments.reduce((s, i) => s + i.amountCents, 0)).toBe(balance)
          expect(schedule.installments).toHaveLength(Math.ceil(balance / amount))
          schedule.installments.forEach((i) => {
            expect(i.amountCents).toBeGreaterThan(0)
            expect(i.amountCents).toBeLessThanOrEqual(amount)
          })
          expect(schedule.endDate).toBe(schedule.installments[schedule.installments.length - 1]!.dueDate)
        }
      ),
      RUNS
    )
  })
})

describe('computeStatement', () => {
  const claimArb: fc.Arbitrary<Omit<StatementClaimInput, 'claimId'>> = fc.record({
    principalCents: fc.integer({ min: 1, max: 5_000_000 }),
    dueDate: dateArb('2019-01-01', 2_000),
    interest: fc.oneof(
      fc.constant({ basis: 'none' as const }),
      fc.constant({ basis: 'b2b_penalty' as const }),
      dateArb('2019-06-01', 2_000).map((from) => ({ basis: 'legal' as const, from })),
      fc
        .integer({ min: 0, max: 2_000 })
        .map((contractualRateBp) => ({ basis: 'contractual' as const, contractualRateBp }))
    ),
    flatIndemnity: fc.boolean()
  })

  it('conserves every cent: each payment = its lines + credit; balance = principal + interest + fees − paid', () => {
    fc.assert(
      fc.property(
        fc.array(claimArb, { minLength: 1, maxLength: 4 }),
        fc.array(
          fc.record({ paidOn: dateArb('2020-01-01', 2_300), amountCents: fc.integer({ min: 1, max: 3_000_000 }) }),
          {
            maxLength: 6
          }
        ),
        fc.boolean(),
        (claims, payments, frozen) => {
          const statement = computeStatement({
            at: '2026-06-30',
            creditor: 'professional',
            debtor: 'professional',
            claims: claims.map((c, i) => ({ ...c, claimId: `c${i}` })),
            payments: payments.map((p, i) => ({ paymentId: `p${i}`, ...p })),
            interestSuspensions: frozen
              ? planInterestSuspensions([
                  { interestMode: 'frozen', status: 'active', agreedOn: '2024-01-01', endedOn: null }
                ])
              : [],
            rates: BUNDLED_RATE_TABLE
          })
          for (const line of statement.payments) {
            expect(line.lines.reduce((s, l) => s + l.amountCents, 0) + line.unallocatedCents).toBe(line.amountCents)
            expect(line.unallocatedCents).toBeGreaterThanOrEqual(0)
          }
          const received = payments.reduce((s, p) => s + p.amountCents, 0)
          expect(statement.totals.paidCents + statement.totals.unallocatedCents).toBe(received)
          const { totals } = statement
          expect(totals.balanceCents).toBe(
            totals.principalCents + totals.interestCents + totals.indemnityCents - totals.paidCents
          )
          for (const claim of statement.claims) {
            expect(claim.balance.principalCents).toBeGreaterThanOrEqual(0)
            expect(claim.balance.interestCents).toBeGreaterThanOrEqual(0)
            expect(claim.interestCents).toBe(claim.interestPieces.reduce((s, p) => s + p.amountCents, 0))
          }
        }
      ),
      { numRuns: 150 }
    )
  })
})
