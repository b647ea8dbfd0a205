/**
 * Official rate tables (legal interest, ECB main refinancing rate) by half-year.
 *
 * A RateTable is always passed to computations as a parameter: the bundled data is only the
 * initial content, an admin adds semesters later (stored in the DB). A lookup outside the
 * table throws MissingRateError naming the semester; it never extrapolates (README).
 */
import { type CalendarDate, assertCalendarDate, fromParts, parts } from '../dates/calendar-date'
import { type BasisPoints, assertBasisPoints, percentToBasisPoints } from './arith'
import bundledRateData from './rates-data.json'

/** `2024-S1` = 1 January to 30 June 2024, `2024-S2` = 1 July to 31 December 2024. */
export type SemesterKey = `${number}-S${1 | 2}`

export interface LegalRateEntry {
  semester: SemesterKey
  /** Creditor is a natural person not acting for professional needs (CMF L313-2 a). */
  creditorIndividualBp: BasisPoints
  /** All other cases (CMF L313-2 b). */
  otherCasesBp: BasisPoints
}

export interface EcbRateEntry {
  semester: SemesterKey
  /** ECB main refinancing rate in force on 1 January (S1) or 1 July (S2), C. com. L441-10 II. */
  ecbRateBp: BasisPoints
}

export interface RateTable {
  legalInterest: readonly LegalRateEntry[]
  ecbRefinancing: readonly EcbRateEntry[]
}

export type RateKind = 'legal_interest' | 'ecb_refinancing'

export class MissingRateError extends Error {
  override readonly name = 'MissingRateError'
  constructor(
    readonly kind: RateKind,
    readonly semester: SemesterKey,
    readonly lastKnownSemester: SemesterKey | null
  ) {
    const what = kind === 'legal_interest' ? 'legal interest rate' : 'ECB refinancing rate'
    const last = lastKnownSemester ? ` (last known semester: ${lastKnownSemester})` : ''
    super(`No ${what} for semester ${semester}${last}: add it in the rate settings before computing.`)
  }
}

/** Points added to the ECB rate for the default B2B penalty (C. com. L441-10 II). */
export const B2B_PENALTY_MARGIN_BP = 1000

const SEMESTER_KEY = /^(\d{4})-S([12])$/

export function isSemesterKey(value: unknown): value is SemesterKey {
  return typeof value === 'string' && SEMESTER_KEY.test(value)
}

export function semesterOf(date: CalendarDate): SemesterKey {
  const { year, month } = parts(date)
  return `${year}-S${month <= 6 ? 1 : 2}` as SemesterKey
}

export function semesterStart(semester: SemesterKey): CalendarDate {
  const match = SEMESTER_KEY.exec(semester)
  if (!match) throw new RangeError(`Invalid semester: ${semester}`)
  return fromParts(Number(match[1]), match[2] === '1' ? 1 : 7, 1)
}

/** First day of the next semester strictly after `date` (next 1 January or 1 July). */
export function nextSemesterStart(date: CalendarDate): CalendarDate {
  const { year, month } = parts(date)
  return month <= 6 ? fromParts(year, 7, 1) : fromParts(year + 1, 1, 1)
}

function compareSemesters(a: SemesterKey, b: SemesterKey): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function lastOf(semesters: readonly { semester: SemesterKey }[]): SemesterKey | null {
  let last: SemesterKey | null = null
  for (const s of semesters) if (last === null || compareSemesters(s.semester, last) > 0) last = s.semester
  return last
}

/** Validates entries (keys, integer rates, no duplicates) and returns a table sorted by semester. */
export function createRateTable(input: RateTable): RateTable {
  const check = <T extends { semester: SemesterKey }>(entries: readonly T[], what: string): T[] => {
    const seen = new Set<string>()
    for (const e of entries) {
      if (!isSemesterKey(e.semester)) throw new RangeError(`Invalid ${what} semester: ${String(e.semester)}`)
      if (seen.has(e.semester)) throw new RangeError(`Duplicate ${what} semester: ${e.semester}`)
      seen.add(e.semester)
    }
    return [...entries].sort((a, b) => compareSemesters(a.semester, b.semester))
  }
  const legalInterest = check(input.legalInterest, 'legal interest').map((e) => ({
    semester: e.semester,
    creditorIndividualBp: assertBasisPoints(e.creditorIndividualBp, `${e.semester} creditor-individual rate`),
    otherCasesBp: assertBasisPoints(e.otherCasesBp, `${e.semester} other-cases rate`)
  }))
  const ecbRefinancing = check(input.ecbRefinancing, 'ECB').map((e) => ({
    semester: e.semester,
    ecbRateBp: assertBasisPoints(e.ecbRateBp, `${e.semester} ECB rate`)
  }))
  return { legalInterest, ecbRefinancing }
}

/** The shape of /shared/domain/rates.json (percent per year). */
export interface PercentRateData {
  legalInterest: readonly {
    from: string
    to: string
    creditorIndividualPercent: number
    otherCasesPercent: number
  }[]
  ecbMainRefinancingOnReferenceDate: readonly {
    semesterStart: string
    ratePercent: number
    b2bDefaultPenaltyPercent?: number
  }[]
}

/** Converts the percent data exactly and checks each row really is one whole semester. */
export function rateTableFromPercentData(data: PercentRateData): RateTable {
  const legalInterest = data.legalInterest.map((row) => {
    const from = assertCalendarDate(row.from, 'legal rate start')
    const semester = semesterOf(from)
    const { year, month } = parts(from)
    const expectedTo = month === 1 ? fromParts(year, 6, 30) : fromParts(year, 12, 31)
    if (from !== semesterStart(semester) || row.to !== expectedTo) {
      throw new RangeError(`Legal rate row ${row.from}..${row.to} is not a whole semester`)
    }
    return {
      semester,
      creditorIndividualBp: percentToBasisPoints(row.creditorIndividualPercent),
      otherCasesBp: percentToBasisPoints(row.otherCasesPercent)
    }
  })
  const ecbRefinancing = data.ecbMainRefinancingOnReferenceDate.map((row) => {
    const start = assertCalendarDate(row.semesterStart, 'ECB semester start')
    const semester = semesterOf(start)
    if (start !== semesterStart(semester)) throw new RangeError(`ECB row ${start} is not a 1 January or 1 July`)
    const ecbRateBp = percentToBasisPoints(row.ratePercent)
    // The published default penalty is redundant; a mismatch means the data was mistyped.
    if (
      row.b2bDefaultPenaltyPercent !== undefined &&
      percentToBasisPoints(row.b2bDefaultPenaltyPercent) !== ecbRateBp + B2B_PENALTY_MARGIN_BP
    ) {
      throw new RangeError(`ECB row ${start}: default penalty is not ECB rate + 10 points`)
    }
    return { semester, ecbRateBp }
  })
  return createRateTable({ legalInterest, ecbRefinancing })
}

/** The official tables shipped with the app (2015-S1 to 2026-S1). */
export const BUNDLED_RATE_TABLE: RateTable = rateTableFromPercentData(bundledRateData)

export type LegalRateColumn = 'creditor_individual' | 'other_cases'

/** Convention 5: the creditor's situation picks the column. */
export function legalRateColumn(creditorIsConsumer: boolean): LegalRateColumn {
  return creditorIsConsumer ? 'creditor_individual' : 'other_cases'
}

export function legalRateBp(table: RateTable, semester: SemesterKey, column: LegalRateColumn): BasisPoints {
  const entry = table.legalInterest.find((e) => e.semester === semester)
  if (!entry) throw new MissingRateError('legal_interest', semester, lastOf(table.legalInterest))
  return column === 'creditor_individual' ? entry.creditorIndividualBp : entry.otherCasesBp
}

export function ecbRateBp(table: RateTable, semester: SemesterKey): BasisPoints {
  const entry = table.ecbRefinancing.find((e) => e.semester === semester)
  if (!entry) throw new MissingRateError('ecb_refinancing', semester, lastOf(table.ecbRefinancing))
  return entry.ecbRateBp
}

/** Default B2B penalty rate: ECB rate of the semester + 10 points (convention 6). */
export function b2bDefaultPenaltyBp(table: RateTable, semester: SemesterKey): BasisPoints {
  return ecbRateBp(table, semester) + B2B_PENALTY_MARGIN_BP
}

/** Floor of a contractual B2B penalty rate: 3 × legal rate, other-cases column (convention 6). */
export function b2bContractualFloorBp(table: RateTable, semester: SemesterKey): BasisPoints {
  return 3 * legalRateBp(table, semester, 'other_cases')
}

export function lastKnownSemester(table: RateTable, kind: RateKind): SemesterKey | null {
  return lastOf(kind === 'legal_interest' ? table.legalInterest : table.ecbRefinancing)
}
