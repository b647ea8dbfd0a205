/**
 * Prescription of every claim of a case and the case's earliest one, from plain records: the ONE
 * mapping used by the statement (money-context), by the stored `collection_case.prescription_on`
 * (kept by every writer in the same transaction) and by the migration that fills it.
 */
import type { CalendarDate } from '../dates/calendar-date'
import type { PartyKind } from './parties'
import { type InterruptionEvent, type PrescriptionResult, computePrescription } from './prescription'

/** Legal events as recorded (contract LEGAL_EVENT_KINDS). */
export type PrescriptionLegalEventKind = 'judgment' | 'acknowledgement' | 'court_claim' | 'enforcement_act'

export interface CasePrescriptionInput {
  creditor: PartyKind
  debtor: PartyKind
  claims: ReadonlyArray<{
    id: string
    dueOn: CalendarDate
    principalCents: number
    /** Principal allocated to it, reversals included (a claim whose principal is paid is settled). */
    principalPaidCents: number
  }>
  /** Standing payments (neither reversed nor reversals): the claims each paid something to. */
  payments: ReadonlyArray<{ on: CalendarDate; claimIds: readonly string[] }>
  /** Agreement dates of the plans the debtor signed (active, completed or defaulted since). */
  plansAgreedOn: readonly CalendarDate[]
  /** claimId null: every claim of the case. */
  legalEvents: ReadonlyArray<{
    kind: PrescriptionLegalEventKind
    claimId: string | null
    occurredOn: CalendarDate
    enforceableOn: CalendarDate | null
  }>
}

const INTERRUPTING: Partial<Record<PrescriptionLegalEventKind, InterruptionEvent['kind']>> = {
  acknowledgement: 'acknowledgement', // C. civ. 2240
  court_claim: 'court_claim', // C. civ. 2241 (injonction de payer request included)
  enforcement_act: 'enforcement_act' // C. civ. 2244
}

/**
 * Expiry of each claim (convention 13): restarted by the standing payments allocated to it, by
 * every plan the debtor agreed to, by signed acknowledgements, court claims and enforcement acts
 * (for the claim or the whole case); 10 years from the first enforceable judgment covering it.
 */
export function claimPrescriptions(input: CasePrescriptionInput): Map<string, PrescriptionResult> {
  const planEvents: InterruptionEvent[] = input.plansAgreedOn.map((on) => ({ on, kind: 'payment_plan' }))
  const paidOn = new Map<string, InterruptionEvent[]>()
  for (const payment of input.payments) {
    for (const claimId of new Set(payment.claimIds)) {
      paidOn.set(claimId, [...(paidOn.get(claimId) ?? []), { on: payment.on, kind: 'payment' }])
    }
  }
  return new Map(
    input.claims.map((claim) => {
      let judgmentOn: CalendarDate | null = null
      const events: InterruptionEvent[] = [...planEvents, ...(paidOn.get(claim.id) ?? [])]
      for (const event of input.legalEvents) {
        if (event.claimId !== null && event.claimId !== claim.id) continue
        if (event.kind === 'judgment') {
          if (event.enforceableOn !== null && (judgmentOn === null || event.enforceableOn < judgmentOn)) {
            judgmentOn = event.enforceableOn
          }
          continue
        }
        const kind = INTERRUPTING[event.kind]
        if (kind) events.push({ on: event.occurredOn, kind })
      }
      return [
        claim.id,
        computePrescription({
          startsOn: claim.dueOn,
          creditor: input.creditor,
          debtor: input.debtor,
          judgmentOn,
          interruptions: events
        })
      ]
    })
  )
}

/** A claim still to collect: its principal is not paid in full. */
export function isOpenClaim(claim: CasePrescriptionInput['claims'][number]): boolean {
  return claim.principalPaidCents < claim.principalCents
}

/**
 * The earliest expiry among the case's open claims (time-barred ones included: their date is
 * past, which is what "already prescribed" means); null when nothing is left to collect.
 */
export function casePrescriptionOn(input: CasePrescriptionInput): CalendarDate | null {
  const open = input.claims.filter(isOpenClaim)
  if (open.length === 0) return null
  const expiries = claimPrescriptions({ ...input, claims: open })
  let earliest: CalendarDate | null = null
  for (const result of expiries.values()) {
    if (earliest === null || result.expiresOn < earliest) earliest = result.expiresOn
  }
  return earliest
}

/**
 * The stored expiry of each claim (`claim.prescription_on`): its expiry while its principal is
 * unpaid and the case open; null once it is paid (settled) or the case is closed, so that
 * nothing reads a countdown for money no longer collected.
 */
export function storedClaimExpiries(
  input: CasePrescriptionInput,
  caseClosed: boolean
): Map<string, CalendarDate | null> {
  const result = new Map<string, CalendarDate | null>(input.claims.map((claim) => [claim.id, null]))
  if (caseClosed) return result
  const open = input.claims.filter(isOpenClaim)
  for (const [claimId, prescription] of claimPrescriptions({ ...input, claims: open })) {
    result.set(claimId, prescription.expiresOn)
  }
  return result
}

/** The case's prescription figures at a date, from its claims' stored expiries. */
export interface CasePrescriptionFigures {
  /** The next expiry among claims still demandable at `today` (today included); null if none. */
  nextOn: CalendarDate | null
  /** Open claims already time-barred at `today` (expiry before it). */
  prescribedClaims: number
}

export function casePrescriptionFigures(
  expiries: Iterable<CalendarDate | null>,
  today: CalendarDate
): CasePrescriptionFigures {
  let nextOn: CalendarDate | null = null
  let prescribedClaims = 0
  for (const on of expiries) {
    if (on === null) continue
    if (on < today) prescribedClaims++
    else if (nextOn === null || on < nextOn) nextOn = on
  }
  return { nextOn, prescribedClaims }
}
