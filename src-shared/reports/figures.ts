import { addDays, addMonths, isoWeekday, parts, fromParts, type CalendarDate } from '../dates/calendar-date'
import { CASE_AGE_BUCKETS, CASE_AGE_BUCKET_DAYS, type CaseAgeBucket } from '../contract/cases'
import type { ReportScope, ReportScopeInput } from '../contract/reports'
import type { CallOutcome, CasePhase } from '../domain/enums'

/**
 * The definitions behind every figure of the reports and the dashboard: pure, shared by the
 * Excel writer, the dashboard and the tests, so a rate is computed one way only.
 */

/** A call is a contact when someone spoke for the debtor: every outcome but these three. */
export const NON_CONTACT_OUTCOMES: readonly CallOutcome[] = ['message_left', 'no_answer', 'wrong_number']

/** Phases in the order a case goes through them ("phase reached" is the furthest). */
export const PHASE_ORDER: readonly CasePhase[] = ['amicable', 'formal_notice', 'judicial', 'enforcement']

/** a / b, 0 when b is 0 (a rate of nothing is shown as 0 %, never NaN). */
export function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b
}

/** Days past due → bucket (the portfolio's CASE_AGE_BUCKET_DAYS; not yet due counts as 0). */
export function ageBucketOf(daysPastDue: number): CaseAgeBucket {
  const days = Math.max(0, daysPastDue)
  for (const bucket of CASE_AGE_BUCKETS) {
    const { max } = CASE_AGE_BUCKET_DAYS[bucket]
    if (max === null || days <= max) return bucket
  }
  return '181+'
}

/**
 * The earliest due date of each bucket at `asOf` (a due date on or after it is in that bucket
 * or a younger one): what SQL compares `oldest_due_on` with.
 */
export function ageBucketEarliestDue(
  asOf: CalendarDate
): Array<{ bucket: CaseAgeBucket; earliest: CalendarDate | null }> {
  return CASE_AGE_BUCKETS.map((bucket) => {
    const { max } = CASE_AGE_BUCKET_DAYS[bucket]
    return { bucket, earliest: max === null ? null : addDays(asOf, -max) }
  })
}

/** Monday of the ISO week of a day. */
export function weekStart(date: CalendarDate): CalendarDate {
  return addDays(date, 1 - isoWeekday(date))
}

/** First day of the month of a day. */
export function monthStart(date: CalendarDate): CalendarDate {
  const { year, month } = parts(date)
  return fromParts(year, month, 1)
}

/** The months [from, to] covers, as their first days. */
export function monthsOf(from: CalendarDate, to: CalendarDate): CalendarDate[] {
  const months: CalendarDate[] = []
  for (let m = monthStart(from); m <= to; m = addMonths(m, 1)) months.push(m)
  return months
}

/** Defaults: `asOf` today, the period the twelve months up to `asOf` (from the 1st of the month, eleven months before). */
export function resolveScope(input: ReportScopeInput, today: CalendarDate): ReportScope {
  const asOf = input.asOf ?? today
  const to = input.to ?? asOf
  const from = input.from ?? addMonths(monthStart(to), -11)
  return {
    clientIds: input.clientIds ?? [],
    collectorIds: input.collectorIds ?? [],
    from,
    to,
    asOf
  }
}

/** Days since 1899-12-30: the serial number of a calendar day in Excel (1900 date system), no time zone involved. */
export function excelSerial(date: CalendarDate): number {
  const { year, month, day } = parts(date)
  return Math.round((Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000)
}
