/**
 * Property test on real SQLite: whatever the claims (interest bases, indemnities, parties) and
 * the payments (legal order, designations, manual allocations, overpayments, reversals),
 * stored allocations never create or lose a cent. A seeded PRNG (mulberry32) drives it, so a
 * failure replays exactly; the seed is in the test name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, daysBetween } from '@shared/dates/calendar-date'
import type { InterestBasis } from '@shared/domain/enums'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { AllocationEntity, PaymentEntity } from '../../../src-main/modules/money/payment.entity'
import { openTempApp } from '../helpers/temp-app'
import { mulberry32, pick, randInt } from '../../unit/money/prng'
import { COMPANY, CONSUMER, seedCase, type ClaimSpec, type PartySpec } from './fixtures'

const SEED = Number(process.env.RECOUVRA_PROPERTY_SEED ?? 20_261_123)
const CASES = 30
const AT = '2026-06-30' // last day the shipped rate tables cover

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

const PARTIES: PartySpec[] = [COMPANY, CONSUMER, { kind: 'company', actsProfessionally: false }]
const BASES: InterestBasis[] = ['none', 'legal', 'b2b_penalty', 'contractual']

function randomDate(rand: () => number, from: string, to: string): string {
  return addDays(from, randInt(rand, 0, daysBetween(from, to)))
}

describe(`stored allocations (seed ${SEED})`, () => {
  it('never create or lose a cent, whatever the payments', async () => {
    const rand = mulberry32(SEED)
    let operations = 0
    for (let n = 0; n < CASES; n++) {
      const claims: ClaimSpec[] = Array.from({ length: randInt(rand, 1, 4) }, () => {
        const basis = pick(rand, BASES)
        const dueOn = randomDate(rand, '2023-09-01', '2025-06-30')
        return {
          principalCents: randInt(rand, 1, 500_000),
          dueOn,
          interestBasis: basis,
          interestFrom: basis === 'legal' ? addDays(dueOn, randInt(rand, 10, 120)) : null,
          contractualRateBp: basis === 'contractual' ? randInt(rand, 100, 2_000) : null,
          indemnityApplies: rand() < 0.5
        }
      })
      const seeded = await seedCase(app, { claims, creditor: pick(rand, PARTIES), debtor: pick(rand, PARTIES) })
      const dates = Array.from({ length: randInt(rand, 1, 7) }, () => randomDate(rand, '2024-01-01', AT)).sort()
      const standing: Array<{ id: string; receivedOn: string }> = []

      for (const date of dates) {
        operations++
        const roll = rand()
        if (roll < 0.12 && standing.length > 0) {
          const original = standing.splice(randInt(rand, 0, standing.length - 1), 1)[0]!
          await app.call('money:reverse-payment', { paymentId: original.id, reversedOn: date, reason: 'Rejet' })
          continue
        }
        const base = {
          caseId: seeded.caseId,
          receivedOn: date,
          method: 'transfer' as const,
          receivedBy: rand() < 0.8 ? ('agency' as const) : ('client' as const)
        }
        let recorded
        if (roll < 0.3) {
          // Manual: place the whole amount on what is owed that day, components in random order.
          const before = await app.call('money:statement', { caseId: seeded.caseId, at: date })
          const owed = before.claims.flatMap((c) =>
            (['interest', 'indemnity', 'principal'] as const).map((component) => ({
              claimId: c.claimId,
              component,
              cents: Math.max(0, c.balance[`${component}Cents`])
            }))
          )
          const total = owed.reduce((s, o) => s + o.cents, 0)
          if (total === 0) continue
          let left = randInt(rand, 1, total)
          const amountCents = left
          const lines = []
          for (const o of owed.sort(() => rand() - 0.5)) {
            const take = Math.min(left, o.cents)
            if (take > 0) lines.push({ claimId: o.claimId, component: o.component, amountCents: take })
            left -= take
          }
          recorded = await app.call('money:record-payment', {
            ...base,
            amountCents,
            manualAllocation: { lines, reason: 'Imputation convenue' }
          })
        } else {
          recorded = await app.call('money:record-payment', {
            ...base,
            amountCents: randInt(rand, 1, 400_000),
            ...(rand() < 0.25 && { designatedClaimId: pick(rand, seeded.claimIds) })
          })
        }
        standing.push({ id: recorded.payment.id, receivedOn: date })
        for (const line of recorded.payment.allocations) expect(line.amountCents).toBeGreaterThan(0)
        expect(recorded.payment.unallocatedCents).toBeGreaterThanOrEqual(0)
      }

      // What the database holds, independently of the services' own DTOs.
      const { payments, rows } = await app.db.read(async (m) => {
        const payments = await m.find(PaymentEntity, { where: { caseId: seeded.caseId } })
        const rows = payments.length
          ? await m
              .createQueryBuilder(AllocationEntity, 'a')
              .where('a.paymentId IN (:...ids)', { ids: payments.map((p) => p.id) })
              .getMany()
          : []
        return { payments, rows }
      })
      const paidTotal = payments.reduce((s, p) => s + p.amountCents, 0)
      const allocatedTotal = rows.reduce((s, r) => s + r.amountCents, 0)
      for (const payment of payments) {
        const own = rows.filter((r) => r.paymentId === payment.id)
        const allocated = own.reduce((s, r) => s + r.amountCents, 0)
        if (payment.reversesPaymentId === null) {
          // Never more than the payment, never a negative line; a zero line only as the single
          // marker of a payment that found nothing owed.
          expect(allocated).toBeLessThanOrEqual(payment.amountCents)
          expect(own.length).toBeGreaterThan(0)
          expect(own.every((r) => r.amountCents > 0) || (own.length === 1 && own[0]!.amountCents === 0)).toBe(true)
        } else {
          // A reversal mirrors its original line for line.
          const original = rows.filter((r) => r.paymentId === payment.reversesPaymentId && r.amountCents !== 0)
          const key = (r: AllocationEntity, sign: number) => `${r.claimId}|${r.component}|${sign * r.amountCents}`
          expect(own.map((r) => key(r, -1)).sort()).toEqual(original.map((r) => key(r, 1)).sort())
          expect(payment.amountCents).toBe(-payments.find((p) => p.id === payment.reversesPaymentId)!.amountCents)
        }
      }

      const statement = await app.call('money:statement', { caseId: seeded.caseId, at: AT })
      // Every cent paid is either allocated to a claim or left as the debtor's credit.
      expect(statement.totals.paidCents + statement.totals.unallocatedCents).toBe(paidTotal)
      expect(statement.totals.paidCents).toBe(allocatedTotal)
      expect(statement.payments.every((p) => p.allocationSource === 'stored')).toBe(true)
      // Recorded in date order, no stored line exceeds what was owed; no component is overpaid.
      expect(statement.warnings.filter((w) => w.code === 'allocation_exceeds_outstanding')).toEqual([])
      for (const claim of statement.claims) {
        expect(claim.balance.principalCents).toBeGreaterThanOrEqual(0)
        expect(claim.balance.interestCents).toBeGreaterThanOrEqual(0)
        expect(claim.balance.indemnityCents).toBeGreaterThanOrEqual(0)
        expect(claim.balance.totalCents).toBe(
          claim.principalCents + claim.interestCents + claim.indemnityCents - claim.paidCents
        )
      }
      const summary = await app.call('cases:get-summary', { id: seeded.caseId })
      expect(summary.paidCents).toBe(paidTotal)
      expect(summary.balanceCents).toBe(Math.max(0, summary.principalCents - paidTotal))
    }
    expect(operations).toBeGreaterThan(80)
  })
})
