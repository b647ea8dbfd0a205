/**
 * Limitation period (prescription) of a claim, convention 13:
 * 2 years for a professional creditor against a consumer (C. consom. L218-2), 5 years
 * otherwise (C. com. L110-4, C. civ. 2224), 10 years once a judgment exists (CPCE L111-4).
 * Each interruption starts a new period of the same length (C. civ. 2231).
 */
import { type CalendarDate, addYears, assertCalendarDate } from '../dates/calendar-date'
import type { PartyKind } from './parties'

export type PrescriptionRegime = 'consumer_2y' | 'common_5y' | 'judgment_10y'

export const PRESCRIPTION_YEARS: Readonly<Record<PrescriptionRegime, number>> = {
  consumer_2y: 2,
  common_5y: 5,
  judgment_10y: 10
}

export const PRESCRIPTION_ARTICLES: Readonly<Record<PrescriptionRegime, string>> = {
  consumer_2y: 'C. consom. L218-2',
  common_5y: 'C. com. L110-4 / C. civ. 2224',
  judgment_10y: 'CPCE L111-4'
}

export type InterruptionKind =
  | 'payment' // C. civ. 2240 (acknowledgement by part payment)
  | 'acknowledgement' // C. civ. 2240
  | 'payment_plan' // C. civ. 2240 (signed plan)
  | 'court_claim' // C. civ. 2241
  | 'enforcement_act' // C. civ. 2244

export interface InterruptionEvent {
  on: CalendarDate
  kind: InterruptionKind
  /** For a court claim: end of the proceedings (C. civ. 2242); the new period runs from then. */
  proceedingsEndedOn?: CalendarDate
}

export interface PrescriptionInput {
  /** Day the claim became due: the starting point of the period. */
  startsOn: CalendarDate
  creditor: PartyKind
  /** Only a natural-person consumer gets the 2 years: a non-professional legal person does not (Cass. 3e civ. 17 Feb 2022, n° 21-19.829). */
  debtor: PartyKind
  /** Date of a judgment (or other L111-3 1°–3° title) that is final; switches to 10 years. */
  judgmentOn?: CalendarDate | null
  interruptions?: readonly InterruptionEvent[]
}

export interface PrescriptionResult {
  regime: PrescriptionRegime
  years: number
  article: string
  /** Start of the running period (the claim's start, the judgment or the last interruption). */
  runningFrom: CalendarDate
  /** Last day on which the claim can still be demanded; time-barred from the next day. */
  expiresOn: CalendarDate
  /** Events dated after the period had already run out: they do not revive the claim. */
  ignoredEvents: InterruptionEvent[]
}

export function baseRegime(creditor: PartyKind, debtor: PartyKind): PrescriptionRegime {
  return creditor === 'professional' && debtor === 'consumer' ? 'consumer_2y' : 'common_5y'
}

export function computePrescription(input: PrescriptionInput): PrescriptionResult {
  const startsOn = assertCalendarDate(input.startsOn, 'prescription start')
  const judgmentOn = input.judgmentOn != null ? assertCalendarDate(input.judgmentOn, 'judgment date') : null

  // Each event must happen before expiry (`on`) and restarts the period from `at`, which for
  // a court claim is the end of the proceedings when known (C. civ. 2242).
  type Step = { on: CalendarDate; at: CalendarDate; event: InterruptionEvent | null; judgment: boolean }
  const steps: Step[] = (input.interruptions ?? []).map((event) => {
    const on = assertCalendarDate(event.on, 'interruption date')
    const end =
      event.proceedingsEndedOn != null ? assertCalendarDate(event.proceedingsEndedOn, 'end of proceedings') : null
    if (end !== null && end < on) throw new RangeError('Proceedings cannot end before the court claim')
    return { on, at: event.kind === 'court_claim' && end !== null ? end : on, event, judgment: false }
  })
  if (judgmentOn !== null) steps.push({ on: judgmentOn, at: judgmentOn, event: null, judgment: true })
  steps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.judgment === b.judgment ? 0 : a.judgment ? -1 : 1))

  let regime = baseRegime(input.creditor, input.debtor)
  let runningFrom = startsOn
  let expiresOn = addYears(startsOn, PRESCRIPTION_YEARS[regime])
  const ignoredEvents: InterruptionEvent[] = []

  for (const step of steps) {
    if (step.at < runningFrom) continue // before the claim was due, or overtaken: nothing to restart
    if (step.judgment) {
      // The court claim that led to the judgment interrupted the old period; trust the title.
      regime = 'judgment_10y'
    } else if (step.on > expiresOn) {
      ignoredEvents.push(step.event!)
      continue
    }
    runningFrom = step.at
    expiresOn = addYears(step.at, PRESCRIPTION_YEARS[regime])
  }

  return {
    regime,
    years: PRESCRIPTION_YEARS[regime],
    article: PRESCRIPTION_ARTICLES[regime],
    runningFrom,
    expiresOn,
    ignoredEvents
  }
}

/** A claim is time-barred the day after its expiry date (C. civ. 2229: the last day counts). */
export function isTimeBarred(expiresOn: CalendarDate, at: CalendarDate): boolean {
  return at > expiresOn
}
