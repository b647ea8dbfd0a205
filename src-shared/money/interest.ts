/**
 * Late-payment interest by period, following conventions 1–8 of shared/domain/README.md:
 * periods are [from, to), split at every 1 January / 1 July (and at the judgment increase,
 * capitalisation anniversaries and ledger events), actual/actual by calendar year, each piece
 * rounded half-up to the cent, total = sum of the rounded pieces.
 */
import {
  type CalendarDate,
  addMonths,
  addYears,
  assertCalendarDate,
  daysBetween,
  daysInYear,
  parts
} from '../dates/calendar-date'
import {
  type BasisPoints,
  type Cents,
  assertBasisPoints,
  assertCents,
  assertNonNegativeCents,
  divRoundHalfUp,
  toSafeNumber
} from './arith'
import {
  type RateTable,
  type SemesterKey,
  b2bContractualFloorBp,
  b2bDefaultPenaltyBp,
  legalRateBp,
  legalRateColumn,
  nextSemesterStart,
  semesterOf
} from './rates'

export type InterestBasis = 'none' | 'legal' | 'b2b_penalty' | 'contractual'

/** What produced a piece's rate; stable key for statements, letters and exports. */
export type PieceBasis =
  | 'legal_creditor_individual'
  | 'legal_other_cases'
  | 'legal_creditor_individual_judgment'
  | 'legal_other_cases_judgment'
  | 'b2b_ecb_plus_10'
  | 'contractual'
  | 'contractual_b2b_floor'

export const PIECE_BASIS_LABELS_FR: Readonly<Record<PieceBasis, string>> = {
  legal_creditor_individual: 'Intérêt légal (créancier particulier)',
  legal_other_cases: 'Intérêt légal (autres cas)',
  legal_creditor_individual_judgment: 'Intérêt légal majoré de 5 points (créancier particulier)',
  legal_other_cases_judgment: 'Intérêt légal majoré de 5 points (autres cas)',
  b2b_ecb_plus_10: 'Pénalités de retard (taux BCE + 10 points)',
  contractual: 'Taux contractuel',
  contractual_b2b_floor: 'Taux contractuel porté au plancher légal (3 × intérêt légal)'
}

/** Capitalisation (C. civ. 1343-2) needs a contract clause or a court order (convention 8). */
export type CapitalisationGround = 'contract' | 'court'

/**
 * A change of the claim's ledger on a date: payments allocated to principal or interest.
 * It takes effect on `on`: interest for the days before `on` runs on the old principal.
 */
export interface LedgerEvent {
  on: CalendarDate
  principalPaidCents?: Cents
  interestPaidCents?: Cents
}

export interface InterestInput {
  principalCents: Cents
  /** First day of interest (inclusive). */
  from: CalendarDate
  /** End of the period (exclusive). */
  to: CalendarDate
  basis: InterestBasis
  /** Creditor is a natural person not acting for professional needs: picks the legal-rate column (convention 5). */
  creditorIsConsumer: boolean
  /** Claim between professionals (C. com. L441-10): a contractual rate is then floored at 3 × legal rate. */
  betweenProfessionals?: boolean
  contractualRateBp?: BasisPoints
  /** Date the judgment became enforceable: legal rate + 5 points from two months later (convention 7). */
  judgmentEnforceableOn?: CalendarDate
  /** Yearly capitalisation, only when agreed or ordered (convention 8). Omitted = off. */
  capitalisation?: CapitalisationGround | null
  /** Payments already allocated to this claim; interest after them runs on the new principal. */
  events?: readonly LedgerEvent[]
  /**
   * Windows where interest does not run (a payment plan agreed with interest frozen): `[from, to)`,
   * `to` null = open-ended. No piece is produced inside, so no rate is needed there either.
   */
  suspensions?: readonly InterestSuspension[]
  rates: RateTable
}

/** Interest frozen over `[from, to)` (`to` null: until further notice). */
export interface InterestSuspension {
  from: CalendarDate
  to: CalendarDate | null
}

/** The day `date` falls inside one of the suspension windows. */
export function isSuspended(date: CalendarDate, suspensions: readonly InterestSuspension[]): boolean {
  return suspensions.some((s) => date >= s.from && (s.to === null || date < s.to))
}

export interface InterestPiece {
  from: CalendarDate
  to: CalendarDate
  days: number
  yearDays: 365 | 366
  semester: SemesterKey
  rateBp: BasisPoints
  basis: PieceBasis
  /** Principal the piece runs on (after capitalisations and principal payments). */
  principalCents: Cents
  amountCents: Cents
}

export interface CapitalisationEntry {
  on: CalendarDate
  amountCents: Cents
}

export type InterestWarning =
  | {
      code: 'contractual_rate_below_floor'
      semester: SemesterKey
      contractualRateBp: BasisPoints
      floorBp: BasisPoints
    }
  | { code: 'judgment_increase_not_applicable'; basis: InterestBasis }
  | { code: 'principal_overpaid'; on: CalendarDate; principalCents: Cents }

export interface InterestResult {
  pieces: InterestPiece[]
  /** Sum of the pieces' rounded amounts (capitalised interest included). */
  totalCents: Cents
  capitalisations: CapitalisationEntry[]
  capitalisedCents: Cents
  /** Principal at `to`: initial + capitalised − principal paid (events up to `to` included). */
  principalOutstandingCents: Cents
  /** Interest at `to` not capitalised and not paid: total − capitalised − interest paid. */
  interestOutstandingCents: Cents
  warnings: InterestWarning[]
}

/** Points added to the legal rate after a judgment (CMF L313-3). */
export const JUDGMENT_INCREASE_BP = 500

/** First day the +5 points apply: two months after the judgment became enforceable. */
export function judgmentIncreaseStart(enforceableOn: CalendarDate): CalendarDate {
  return addMonths(enforceableOn, 2)
}

/** Interest of one piece, rounded half-up to the cent (conventions 3 and 4). */
export function pieceInterestCents(principalCents: Cents, rateBp: BasisPoints, days: number, yearDays: number): Cents {
  const numerator = BigInt(principalCents) * BigInt(rateBp) * BigInt(days)
  const denominator = 10_000n * BigInt(yearDays)
  return toSafeNumber(divRoundHalfUp(numerator, denominator), 'interest')
}

export function computeInterest(input: InterestInput): InterestResult {
  const from = assertCalendarDate(input.from, 'interest start')
  const to = assertCalendarDate(input.to, 'interest end')
  if (to < from) throw new RangeError(`Interest period ends (${to}) before it starts (${from})`)
  assertNonNegativeCents(input.principalCents, 'principal')
  const { basis, rates } = input
  if (basis === 'contractual') {
    if (input.contractualRateBp === undefined) throw new RangeError('A contractual basis needs contractualRateBp')
    assertBasisPoints(input.contractualRateBp, 'contractual rate')
    if (input.contractualRateBp < 0) throw new RangeError('A contractual rate cannot be negative')
  }

  const warnings: InterestWarning[] = []
  let increaseFrom: CalendarDate | null = null
  if (input.judgmentEnforceableOn !== undefined) {
    const enforceableOn = assertCalendarDate(input.judgmentEnforceableOn, 'judgment enforceable date')
    // L313-3 raises the *legal* rate only; a penalty or contractual rate is left as is.
    if (basis === 'legal') increaseFrom = judgmentIncreaseStart(enforceableOn)
    else if (basis !== 'none') warnings.push({ code: 'judgment_increase_not_applicable', basis })
  }

  const events = [...(input.events ?? [])]
    .map((e) => ({
      on: assertCalendarDate(e.on, 'event date'),
      principal: assertCents(e.principalPaidCents ?? 0, 'principal paid'),
      interest: assertCents(e.interestPaidCents ?? 0, 'interest paid')
    }))
    .filter((e) => e.on <= to)
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))

  const suspensions = (input.suspensions ?? []).map((w) => {
    const start = assertCalendarDate(w.from, 'suspension start')
    const end = w.to === null ? null : assertCalendarDate(w.to, 'suspension end')
    if (end !== null && end < start) throw new RangeError(`Suspension ends (${end}) before it starts (${start})`)
    return { from: start, to: end }
  })

  const anniversaries = new Set<CalendarDate>()
  if (input.capitalisation) {
    for (let k = 1; ; k++) {
      const anniversary = addYears(from, k)
      if (anniversary > to) break
      anniversaries.add(anniversary)
    }
  }

  // Every date where the rate, the day-count base or the principal may change.
  const cuts = new Set<CalendarDate>([to])
  for (let d = nextSemesterStart(from); d < to; d = nextSemesterStart(d)) cuts.add(d)
  if (increaseFrom !== null && increaseFrom > from && increaseFrom < to) cuts.add(increaseFrom)
  for (const a of anniversaries) cuts.add(a)
  for (const e of events) if (e.on > from) cuts.add(e.on)
  for (const w of suspensions) {
    if (w.from > from && w.from < to) cuts.add(w.from)
    if (w.to !== null && w.to > from && w.to < to) cuts.add(w.to)
  }
  const boundaries = [...cuts].sort()

  let principal = input.principalCents
  let uncapitalised = 0 // interest accrued since the last capitalisation, minus interest paid
  let total = 0
  let capitalised = 0
  const pieces: InterestPiece[] = []
  const capitalisations: CapitalisationEntry[] = []
  const floorWarned = new Set<SemesterKey>()
  let eventIndex = 0

  const applyEventsUpTo = (date: CalendarDate): void => {
    while (eventIndex < events.length && events[eventIndex]!.on <= date) {
      const e = events[eventIndex++]!
      principal -= e.principal
      uncapitalised -= e.interest
      if (principal < 0) warnings.push({ code: 'principal_overpaid', on: e.on, principalCents: principal })
    }
  }

  const rateFor = (pieceFrom: CalendarDate, semester: SemesterKey): { rateBp: BasisPoints; pieceBasis: PieceBasis } => {
    switch (basis) {
      case 'legal': {
        const column = legalRateColumn(input.creditorIsConsumer)
        const base = legalRateBp(rates, semester, column)
        const increased = increaseFrom !== null && pieceFrom >= increaseFrom
        const pieceBasis: PieceBasis =
          column === 'creditor_individual'
            ? increased
              ? 'legal_creditor_individual_judgment'
              : 'legal_creditor_individual'
            : increased
              ? 'legal_other_cases_judgment'
              : 'legal_other_cases'
        return { rateBp: base + (increased ? JUDGMENT_INCREASE_BP : 0), pieceBasis }
      }
      case 'b2b_penalty':
        return { rateBp: b2bDefaultPenaltyBp(rates, semester), pieceBasis: 'b2b_ecb_plus_10' }
      case 'contractual': {
        const contractual = input.contractualRateBp!
        if (!input.betweenProfessionals) return { rateBp: contractual, pieceBasis: 'contractual' }
        const floorBp = b2bContractualFloorBp(rates, semester)
        if (contractual >= floorBp) return { rateBp: contractual, pieceBasis: 'contractual' }
        // Convention 6: warn and apply the floor.
        if (!floorWarned.has(semester)) {
          floorWarned.add(semester)
          warnings.push({ code: 'contractual_rate_below_floor', semester, contractualRateBp: contractual, floorBp })
        }
        return { rateBp: floorBp, pieceBasis: 'contractual_b2b_floor' }
      }
      case 'none':
        throw new Error('unreachable')
    }
  }

  applyEventsUpTo(from)
  let cursor = from
  for (const boundary of boundaries) {
    const days = daysBetween(cursor, boundary)
    if (days > 0 && basis !== 'none' && !isSuspended(cursor, suspensions)) {
      const semester = semesterOf(cursor)
      const yearDays = daysInYear(parts(cursor).year)
      const { rateBp, pieceBasis } = rateFor(cursor, semester)
      const base = Math.max(0, principal) // never earn interest on an overpaid principal
      const amountCents = pieceInterestCents(base, rateBp, days, yearDays)
      pieces.push({
        from: cursor,
        to: boundary,
        days,
        yearDays,
        semester,
        rateBp,
        basis: pieceBasis,
        principalCents: base,
        amountCents
      })
      total += amountCents
      uncapitalised += amountCents
    }
    cursor = boundary
    // Capitalise at the start of the anniversary day, before that day's payments.
    if (anniversaries.has(boundary) && uncapitalised > 0) {
      capitalisations.push({ on: boundary, amountCents: uncapitalised })
      principal += uncapitalised
      capitalised += uncapitalised
      uncapitalised = 0
    }
    applyEventsUpTo(boundary)
  }

  return {
    pieces,
    totalCents: assertCents(total, 'interest total'),
    capitalisations,
    capitalisedCents: capitalised,
    principalOutstandingCents: principal,
    interestOutstandingCents: uncapitalised,
    warnings
  }
}
