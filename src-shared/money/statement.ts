/**
 * Statement of account (décompte) of a case at a date. This is the single source of the
 * figures shown on screens, in letters and in exports: every total is the sum of the lines
 * it returns (convention 4).
 *
 * Payments are replayed in date order. A payment with a stored allocation keeps it; one
 * without gets the legal allocation (convention 10) and is marked 'computed' so the caller
 * stores it: allocations are never recomputed silently once stored.
 */
import { type CalendarDate, addDays, assertCalendarDate } from '../dates/calendar-date'
import { type BasisPoints, type Cents, assertCents, assertNonNegativeCents } from './arith'
import {
  type AllocationComponent,
  type AllocationLine,
  type ClaimOutstanding,
  type DesignationOutcome,
  COMPONENT_ORDER,
  allocatePayment
} from './allocation'
import {
  type CapitalisationEntry,
  type CapitalisationGround,
  type InterestBasis,
  type InterestPiece,
  type InterestResult,
  type InterestSuspension,
  type InterestWarning,
  type LedgerEvent,
  computeInterest
} from './interest'
import {
  type PartyKind,
  FLAT_RECOVERY_INDEMNITY_CENTS,
  creditorUsesIndividualColumn,
  flatIndemnityApplies
} from './parties'
import { isTimeBarred } from './prescription'
import type { RateTable } from './rates'

export interface StatementClaimInput {
  claimId: string
  /** Invoice number or other reference shown on the statement. */
  reference?: string
  principalCents: Cents
  dueDate: CalendarDate
  interest: {
    basis: InterestBasis
    /**
     * First day of interest. Defaults (convention 1): day after the due date for B2B
     * penalties and contractual interest; legal interest needs the mise en demeure date and
     * does not run without it.
     */
    from?: CalendarDate | null
    contractualRateBp?: BasisPoints
    judgmentEnforceableOn?: CalendarDate | null
    capitalisation?: CapitalisationGround | null
  }
  /** The creditor claims the €40 indemnity on this invoice (granted only between professionals). */
  flatIndemnity?: boolean
  /** From computePrescription; a claim past it is marked time-barred. */
  expiresOn?: CalendarDate | null
}

export interface StatementPaymentInput {
  paymentId: string
  paidOn: CalendarDate
  /** Negative for a reversal, which then needs its stored allocation (mirror of the original). */
  amountCents: Cents
  designatedClaimId?: string | null
  /** Allocation stored when the payment was recorded; null/undefined = not allocated yet. */
  allocation?: readonly AllocationLine[] | null
}

export interface StatementInput {
  at: CalendarDate
  creditor: PartyKind
  debtor: PartyKind
  claims: readonly StatementClaimInput[]
  payments: readonly StatementPaymentInput[]
  /** Interest frozen on every claim over these windows (payment plan agreed with interest frozen). */
  interestSuspensions?: readonly InterestSuspension[]
  rates: RateTable
}

export interface ClaimPaymentLine {
  paymentId: string
  paidOn: CalendarDate
  interestCents: Cents
  indemnityCents: Cents
  principalCents: Cents
  totalCents: Cents
}

export interface ClaimBalance {
  principalCents: Cents
  interestCents: Cents
  indemnityCents: Cents
  totalCents: Cents
}

export interface StatementClaimLine {
  claimId: string
  reference: string | null
  dueDate: CalendarDate
  principalCents: Cents
  interestBasis: InterestBasis
  interestFrom: CalendarDate | null
  interestPieces: InterestPiece[]
  /** Sum of interestPieces. */
  interestCents: Cents
  /** Interest moved into principal (shown, already inside interestCents). */
  capitalisations: CapitalisationEntry[]
  indemnityCents: Cents
  payments: ClaimPaymentLine[]
  /** Sum of payments[].totalCents. */
  paidCents: Cents
  /** principal + interest + indemnity − paid, split by component. */
  balance: ClaimBalance
  expiresOn: CalendarDate | null
  timeBarred: boolean
  interestWarnings: InterestWarning[]
}

export interface StatementPaymentLine {
  paymentId: string
  paidOn: CalendarDate
  amountCents: Cents
  lines: AllocationLine[]
  /** Credit left to the debtor (amount − sum of lines). */
  unallocatedCents: Cents
  allocationSource: 'stored' | 'computed'
  designation: DesignationOutcome | null
}

export type StatementWarning =
  | { code: 'payment_after_statement_date'; paymentId: string }
  | { code: 'allocation_exceeds_outstanding'; paymentId: string; claimId: string; component: AllocationComponent }
  | { code: 'indemnity_not_applicable'; claimId: string }
  | { code: 'legal_interest_not_started'; claimId: string }
  | { code: 'time_barred_claim'; claimId: string; expiresOn: CalendarDate }

export interface StatementTotals {
  principalCents: Cents
  interestCents: Cents
  indemnityCents: Cents
  /** Payments allocated to claims. */
  paidCents: Cents
  /** principal + interest + indemnity − paid = sum of the claims' balances. */
  balanceCents: Cents
  /** Sum of the payments' unallocated parts (credit in the debtor's favour, not netted). */
  unallocatedCents: Cents
}

export interface Statement {
  at: CalendarDate
  claims: StatementClaimLine[]
  payments: StatementPaymentLine[]
  totals: StatementTotals
  warnings: StatementWarning[]
}

interface ClaimState {
  input: StatementClaimInput
  interestFrom: CalendarDate | null
  indemnityClaimed: boolean
  events: LedgerEvent[]
  indemnityPaid: Cents
  payments: ClaimPaymentLine[]
}

function defaultInterestFrom(claim: StatementClaimInput): CalendarDate | null {
  if (claim.interest.from != null) return assertCalendarDate(claim.interest.from, `interest start of ${claim.claimId}`)
  switch (claim.interest.basis) {
    case 'b2b_penalty':
    case 'contractual':
      return addDays(claim.dueDate, 1)
    case 'legal':
    case 'none':
      return null
  }
}

export function computeStatement(input: StatementInput): Statement {
  const at = assertCalendarDate(input.at, 'statement date')
  const warnings: StatementWarning[] = []
  const creditorIsConsumer = creditorUsesIndividualColumn(input.creditor)
  const betweenProfessionals = flatIndemnityApplies(input.creditor, input.debtor)

  const states = new Map<string, ClaimState>()
  for (const claim of input.claims) {
    if (states.has(claim.claimId)) throw new RangeError(`Duplicate claim ${claim.claimId}`)
    assertNonNegativeCents(claim.principalCents, `principal of ${claim.claimId}`)
    assertCalendarDate(claim.dueDate, `due date of ${claim.claimId}`)
    const interestFrom = defaultInterestFrom(claim)
    if (claim.interest.basis === 'legal' && interestFrom === null) {
      warnings.push({ code: 'legal_interest_not_started', claimId: claim.claimId })
    }
    if (claim.flatIndemnity && !betweenProfessionals)
      warnings.push({ code: 'indemnity_not_applicable', claimId: claim.claimId })
    states.set(claim.claimId, {
      input: claim,
      interestFrom,
      indemnityClaimed: Boolean(claim.flatIndemnity) && betweenProfessionals,
      events: [],
      indemnityPaid: 0,
      payments: []
    })
  }

  const interestAt = (state: ClaimState, date: CalendarDate): InterestResult => {
    const claim = state.input
    const from = state.interestFrom !== null && state.interestFrom < date ? state.interestFrom : date
    return computeInterest({
      principalCents: claim.principalCents,
      from,
      to: date,
      basis: state.interestFrom === null ? 'none' : claim.interest.basis,
      creditorIsConsumer,
      betweenProfessionals,
      ...(claim.interest.contractualRateBp !== undefined && { contractualRateBp: claim.interest.contractualRateBp }),
      ...(claim.interest.judgmentEnforceableOn != null && {
        judgmentEnforceableOn: claim.interest.judgmentEnforceableOn
      }),
      capitalisation: claim.interest.capitalisation ?? null,
      events: state.events,
      suspensions: input.interestSuspensions ?? [],
      rates: input.rates
    })
  }

  // The indemnity is owed from the day after the due date (late payment).
  const indemnityDue = (state: ClaimState, date: CalendarDate): Cents =>
    state.indemnityClaimed && date > state.input.dueDate ? FLAT_RECOVERY_INDEMNITY_CENTS : 0

  // Rate the claim bears on `date` (1342-10 "most interest in paying"): the rate of that very
  // day, which the final computation needs anyway when date < at; else the last rate known.
  const rateOn = (state: ClaimState, date: CalendarDate, interest: InterestResult): BasisPoints => {
    if (state.interestFrom === null || state.interestFrom > date) return 0
    if (date < at) {
      const day = interestAt({ ...state, events: [], input: { ...state.input, principalCents: 0 } }, addDays(date, 1))
      return day.pieces[day.pieces.length - 1]?.rateBp ?? 0
    }
    return interest.pieces[interest.pieces.length - 1]?.rateBp ?? 0
  }

  const outstandingAt = (state: ClaimState, date: CalendarDate): ClaimOutstanding => {
    const interest = interestAt(state, date)
    return {
      claimId: state.input.claimId,
      dueDate: state.input.dueDate,
      rateBp: rateOn(state, date, interest),
      interestCents: Math.max(0, interest.interestOutstandingCents),
      indemnityCents: Math.max(0, indemnityDue(state, date) - state.indemnityPaid),
      principalCents: Math.max(0, interest.principalOutstandingCents)
    }
  }

  const payments = input.payments
    .map((payment, index) => ({ payment, index }))
    .filter(({ payment }) => {
      assertCalendarDate(payment.paidOn, `date of payment ${payment.paymentId}`)
      assertCents(payment.amountCents, `amount of payment ${payment.paymentId}`)
      if (payment.paidOn > at) warnings.push({ code: 'payment_after_statement_date', paymentId: payment.paymentId })
      return payment.paidOn <= at
    })
    .sort((a, b) =>
      a.payment.paidOn < b.payment.paidOn ? -1 : a.payment.paidOn > b.payment.paidOn ? 1 : a.index - b.index
    )
    .map(({ payment }) => payment)

  const paymentLines: StatementPaymentLine[] = []
  for (const payment of payments) {
    const outstanding = [...states.values()].map((s) => outstandingAt(s, payment.paidOn))
    let lines: AllocationLine[]
    let designation: DesignationOutcome | null = null
    let source: 'stored' | 'computed'
    if (payment.allocation != null) {
      source = 'stored'
      lines = payment.allocation.map((l) => ({ ...l }))
      checkStoredAllocation(payment, lines, states)
      for (const line of lines) {
        const o = outstanding.find((c) => c.claimId === line.claimId)!
        if (line.amountCents > o[`${line.component}Cents`]) {
          warnings.push({
            code: 'allocation_exceeds_outstanding',
            paymentId: payment.paymentId,
            claimId: line.claimId,
            component: line.component
          })
        }
      }
    } else {
      if (payment.amountCents < 0) throw new RangeError(`Reversal ${payment.paymentId} needs its stored allocation`)
      source = 'computed'
      const allocation = allocatePayment({
        amountCents: payment.amountCents,
        paidOn: payment.paidOn,
        claims: outstanding,
        designatedClaimId: payment.designatedClaimId ?? null
      })
      lines = allocation.lines
      designation = allocation.designation
    }

    const allocated = lines.reduce((s, l) => s + l.amountCents, 0)
    paymentLines.push({
      paymentId: payment.paymentId,
      paidOn: payment.paidOn,
      amountCents: payment.amountCents,
      lines,
      unallocatedCents: payment.amountCents - allocated,
      allocationSource: source,
      designation
    })

    for (const state of states.values()) {
      const own = lines.filter((l) => l.claimId === state.input.claimId)
      if (own.length === 0) continue
      const part = (c: AllocationComponent): Cents =>
        own.filter((l) => l.component === c).reduce((s, l) => s + l.amountCents, 0)
      const line: ClaimPaymentLine = {
        paymentId: payment.paymentId,
        paidOn: payment.paidOn,
        interestCents: part('interest'),
        indemnityCents: part('indemnity'),
        principalCents: part('principal'),
        totalCents: 0
      }
      line.totalCents = line.interestCents + line.indemnityCents + line.principalCents
      state.payments.push(line)
      state.events.push({
        on: payment.paidOn,
        principalPaidCents: line.principalCents,
        interestPaidCents: line.interestCents
      })
      state.indemnityPaid += line.indemnityCents
    }
  }

  const claimLines: StatementClaimLine[] = []
  for (const state of states.values()) {
    const claim = state.input
    const interest = interestAt(state, at)
    const indemnityCents = indemnityDue(state, at)
    const paid = state.payments.reduce(
      (acc, p) => ({
        interest: acc.interest + p.interestCents,
        indemnity: acc.indemnity + p.indemnityCents,
        principal: acc.principal + p.principalCents
      }),
      { interest: 0, indemnity: 0, principal: 0 }
    )
    const paidCents = paid.interest + paid.indemnity + paid.principal
    // Capitalised interest moves from the interest column to the principal column.
    const balance: ClaimBalance = {
      principalCents: claim.principalCents + interest.capitalisedCents - paid.principal,
      interestCents: interest.totalCents - interest.capitalisedCents - paid.interest,
      indemnityCents: indemnityCents - paid.indemnity,
      totalCents: 0
    }
    balance.totalCents = balance.principalCents + balance.interestCents + balance.indemnityCents
    const expiresOn = claim.expiresOn != null ? assertCalendarDate(claim.expiresOn, `expiry of ${claim.claimId}`) : null
    const timeBarred = expiresOn !== null && isTimeBarred(expiresOn, at)
    if (timeBarred) warnings.push({ code: 'time_barred_claim', claimId: claim.claimId, expiresOn: expiresOn! })
    claimLines.push({
      claimId: claim.claimId,
      reference: claim.reference ?? null,
      dueDate: claim.dueDate,
      principalCents: claim.principalCents,
      interestBasis: claim.interest.basis,
      interestFrom: state.interestFrom,
      interestPieces: interest.pieces,
      interestCents: interest.totalCents,
      capitalisations: interest.capitalisations,
      indemnityCents,
      payments: state.payments,
      paidCents,
      balance,
      expiresOn,
      timeBarred,
      interestWarnings: interest.warnings
    })
  }

  const sum = (f: (c: StatementClaimLine) => number): Cents => claimLines.reduce((s, c) => s + f(c), 0)
  const totals: StatementTotals = {
    principalCents: sum((c) => c.principalCents),
    interestCents: sum((c) => c.interestCents),
    indemnityCents: sum((c) => c.indemnityCents),
    paidCents: sum((c) => c.paidCents),
    balanceCents: sum((c) => c.balance.totalCents),
    unallocatedCents: paymentLines.reduce((s, p) => s + p.unallocatedCents, 0)
  }
  return { at, claims: claimLines, payments: paymentLines, totals, warnings }
}

function checkStoredAllocation(
  payment: StatementPaymentInput,
  lines: readonly AllocationLine[],
  states: Map<string, ClaimState>
): void {
  const sign = Math.sign(payment.amountCents)
  let sum = 0
  for (const line of lines) {
    if (!states.has(line.claimId))
      throw new RangeError(`Payment ${payment.paymentId} is allocated to unknown claim ${line.claimId}`)
    if (!COMPONENT_ORDER.includes(line.component))
      throw new RangeError(`Payment ${payment.paymentId}: unknown component ${String(line.component)}`)
    assertCents(line.amountCents, `allocation of payment ${payment.paymentId}`)
    if (line.amountCents !== 0 && Math.sign(line.amountCents) !== sign) {
      throw new RangeError(`Payment ${payment.paymentId}: allocation lines must have the payment's sign`)
    }
    sum += line.amountCents
  }
  if (Math.abs(sum) > Math.abs(payment.amountCents)) {
    throw new RangeError(
      `Payment ${payment.paymentId}: allocations (${sum}) exceed the payment (${payment.amountCents})`
    )
  }
}
