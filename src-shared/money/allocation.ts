/**
 * Imputation of a payment across claims and components (convention 10):
 * within a claim, interest, then the €40 indemnity, then principal (C. civ. 1343-1);
 * across claims, due claims first, then the highest rate, then the oldest due date, then
 * pro rata (C. civ. 1342-10). A debtor's designation is honoured only when the payment
 * settles that claim in full (Cass. 1re civ. 27 Nov 2019, n° 18-21.570).
 */
import { type CalendarDate, assertCalendarDate } from '../dates/calendar-date'
import { type BasisPoints, type Cents, assertNonNegativeCents } from './arith'

export type AllocationComponent = 'interest' | 'indemnity' | 'principal'

/** Order of components inside one claim. */
export const COMPONENT_ORDER: readonly AllocationComponent[] = ['interest', 'indemnity', 'principal']

export interface ClaimOutstanding {
  claimId: string
  dueDate: CalendarDate
  /** Rate the claim bears on the payment date (0 if none): the debtor's "interest in paying". */
  rateBp: BasisPoints
  interestCents: Cents
  indemnityCents: Cents
  principalCents: Cents
}

export interface AllocationLine {
  claimId: string
  component: AllocationComponent
  amountCents: Cents
}

export type DesignationOutcome =
  { claimId: string; honoured: true } | { claimId: string; honoured: false; reason: 'does_not_settle_claim_in_full' }

export interface PaymentAllocation {
  lines: AllocationLine[]
  /** Part of the payment above everything owed: a credit for the debtor. */
  unallocatedCents: Cents
  designation: DesignationOutcome | null
}

export interface AllocatePaymentInput {
  amountCents: Cents
  paidOn: CalendarDate
  claims: readonly ClaimOutstanding[]
  designatedClaimId?: string | null
}

export function claimOutstandingTotal(claim: ClaimOutstanding): Cents {
  return claim.interestCents + claim.indemnityCents + claim.principalCents
}

function checkClaim(claim: ClaimOutstanding): void {
  assertCalendarDate(claim.dueDate, `due date of claim ${claim.claimId}`)
  assertNonNegativeCents(claim.interestCents, `interest of claim ${claim.claimId}`)
  assertNonNegativeCents(claim.indemnityCents, `indemnity of claim ${claim.claimId}`)
  assertNonNegativeCents(claim.principalCents, `principal of claim ${claim.claimId}`)
}

/** Pays one claim component by component, up to `amount`; returns what was used. */
function payClaim(claim: ClaimOutstanding, amount: Cents, lines: AllocationLine[]): Cents {
  let left = amount
  for (const component of COMPONENT_ORDER) {
    const due = claim[`${component}Cents`]
    const paid = Math.min(due, left)
    if (paid > 0) {
      lines.push({ claimId: claim.claimId, component, amountCents: paid })
      left -= paid
    }
  }
  return amount - left
}

/**
 * Splits `amount` over `weights` proportionally with the largest-remainder method; remainder
 * cents go to the largest fractional parts, ties to the earlier entry, so the result is
 * deterministic and sums exactly to `amount`. Requires amount ≤ sum(weights) for the
 * "no share above its weight" guarantee.
 */
export function splitProRata(amount: Cents, weights: readonly Cents[]): Cents[] {
  const total = weights.reduce((s, w) => s + BigInt(w), 0n)
  if (total === 0n) return weights.map(() => 0)
  const big = BigInt(amount)
  const shares = weights.map((w) => (big * BigInt(w)) / total)
  const remainders = weights.map((w, i) => ({ i, r: (big * BigInt(w)) % total }))
  let left = big - shares.reduce((s, v) => s + v, 0n)
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1))
  for (const { i } of remainders) {
    if (left === 0n) break
    shares[i] = shares[i]! + 1n
    left -= 1n
  }
  return shares.map((s) => Number(s))
}

/** Legal order key: due first, then highest rate, then oldest due date; claimId only for stability. */
function legalOrder(paidOn: CalendarDate, claims: readonly ClaimOutstanding[]): ClaimOutstanding[][] {
  const key = (c: ClaimOutstanding): [number, number, string] => [c.dueDate <= paidOn ? 0 : 1, -c.rateBp, c.dueDate]
  const sorted = [...claims].sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    for (let i = 0; i < 3; i++) {
      if (ka[i]! < kb[i]!) return -1
      if (ka[i]! > kb[i]!) return 1
    }
    return a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0
  })
  // Claims equal on every legal criterion are paid pro rata, as one group.
  const groups: ClaimOutstanding[][] = []
  let previous: string | null = null
  for (const claim of sorted) {
    const k = key(claim).join('|')
    if (k === previous) groups[groups.length - 1]!.push(claim)
    else groups.push([claim])
    previous = k
  }
  return groups
}

export function allocatePayment(input: AllocatePaymentInput): PaymentAllocation {
  assertNonNegativeCents(input.amountCents, 'payment')
  const paidOn = assertCalendarDate(input.paidOn, 'payment date')
  const ids = new Set<string>()
  for (const claim of input.claims) {
    checkClaim(claim)
    if (ids.has(claim.claimId)) throw new RangeError(`Duplicate claim ${claim.claimId}`)
    ids.add(claim.claimId)
  }

  const lines: AllocationLine[] = []
  let left = input.amountCents
  let remaining: readonly ClaimOutstanding[] = input.claims
  let designation: DesignationOutcome | null = null

  if (input.designatedClaimId != null) {
    const designated = input.claims.find((c) => c.claimId === input.designatedClaimId)
    if (!designated) throw new RangeError(`Designated claim ${input.designatedClaimId} is not among the claims`)
    if (left >= claimOutstandingTotal(designated)) {
      left -= payClaim(designated, left, lines)
      remaining = input.claims.filter((c) => c !== designated)
      designation = { claimId: designated.claimId, honoured: true }
    } else {
      // Recorded, but the legal order applies (convention 10).
      designation = { claimId: designated.claimId, honoured: false, reason: 'does_not_settle_claim_in_full' }
    }
  }

  for (const group of legalOrder(paidOn, remaining)) {
    if (left === 0) break
    const groupTotal = group.reduce((s, c) => s + claimOutstandingTotal(c), 0)
    if (left >= groupTotal || group.length === 1) {
      for (const claim of group) left -= payClaim(claim, left, lines)
      continue
    }
    const shares = splitProRata(left, group.map(claimOutstandingTotal))
    group.forEach((claim, i) => {
      left -= payClaim(claim, shares[i]!, lines)
    })
  }

  return { lines, unallocatedCents: left, designation }
}

export type ManualAllocationError =
  | { code: 'invalid_amount'; index: number }
  | { code: 'unknown_claim'; index: number; claimId: string }
  | {
      code: 'over_outstanding'
      claimId: string
      component: AllocationComponent
      allocatedCents: Cents
      outstandingCents: Cents
    }
  | { code: 'sum_mismatch'; paymentCents: Cents; allocatedCents: Cents; unallocatedCents: Cents }

export interface ManualAllocationInput {
  amountCents: Cents
  claims: readonly ClaimOutstanding[]
  lines: readonly AllocationLine[]
  /** Part deliberately left as a credit; defaults to 0. */
  unallocatedCents?: Cents
}

/** Checks a manual allocation: every cent placed exactly once, no component paid beyond what is owed. */
export function validateManualAllocation(
  input: ManualAllocationInput
): { ok: true } | { ok: false; errors: ManualAllocationError[] } {
  const errors: ManualAllocationError[] = []
  const byId = new Map(input.claims.map((c) => [c.claimId, c]))
  const totals = new Map<string, Cents>()
  let allocated = 0
  input.lines.forEach((line, index) => {
    if (!Number.isSafeInteger(line.amountCents) || line.amountCents < 0 || !COMPONENT_ORDER.includes(line.component)) {
      errors.push({ code: 'invalid_amount', index })
      return
    }
    if (!byId.has(line.claimId)) {
      errors.push({ code: 'unknown_claim', index, claimId: line.claimId })
      return
    }
    const key = `${line.claimId}\u0000${line.component}`
    totals.set(key, (totals.get(key) ?? 0) + line.amountCents)
    allocated += line.amountCents
  })
  for (const [key, allocatedCents] of totals) {
    const [claimId, component] = key.split('\u0000') as [string, AllocationComponent]
    const outstandingCents = byId.get(claimId)![`${component}Cents`]
    if (allocatedCents > outstandingCents) {
      errors.push({ code: 'over_outstanding', claimId, component, allocatedCents, outstandingCents })
    }
  }
  const unallocatedCents = input.unallocatedCents ?? 0
  if (
    !Number.isSafeInteger(unallocatedCents) ||
    unallocatedCents < 0 ||
    allocated + unallocatedCents !== input.amountCents
  ) {
    errors.push({ code: 'sum_mismatch', paymentCents: input.amountCents, allocatedCents: allocated, unallocatedCents })
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors }
}
