/**
 * Calendar dates (`YYYY-MM-DD`) for legal deadlines, due dates and interest periods.
 *
 * A legal date is a day in the French calendar, not an instant: it must never shift with the
 * machine's time zone. Everything here works on the day number since 1970-01-01 computed with
 * UTC arithmetic, so the local zone of the laptop never enters the computation.
 */

export type CalendarDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MS_PER_DAY = 86_400_000

export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false
  const match = ISO_DATE.exec(value)
  if (!match) return false
  const [, y, m, d] = match
  const year = Number(y)
  const month = Number(m)
  const day = Number(d)
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

export function assertCalendarDate(value: unknown, what = 'date'): CalendarDate {
  if (!isCalendarDate(value)) throw new RangeError(`Invalid ${what}: expected YYYY-MM-DD, got ${String(value)}`)
  return value
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInYear(year: number): 365 | 366 {
  return isLeapYear(year) ? 366 : 365
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Days since 1970-01-01 (negative before). */
export function toDayNumber(date: CalendarDate): number {
  const match = ISO_DATE.exec(date)
  if (!match) throw new RangeError(`Invalid date: expected YYYY-MM-DD, got ${date}`)
  return Math.round(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY)
}

export function fromDayNumber(dayNumber: number): CalendarDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10)
}

export function fromParts(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

export function parts(date: CalendarDate): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(date)
  if (!match) throw new RangeError(`Invalid date: expected YYYY-MM-DD, got ${date}`)
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(toDayNumber(date) + days)
}

/** Calendar days from `from` to `to` (`to - from`); negative when `to` is earlier. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toDayNumber(to) - toDayNumber(from)
}

/**
 * Adds calendar months; a day that does not exist in the target month falls back to the
 * month's last day (31 January + 1 month = 28 or 29 February), as French schedules do.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = parts(date)
  const index = year * 12 + (month - 1) + months
  const targetYear = Math.floor(index / 12)
  const targetMonth = (index % 12) + 1
  return fromParts(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)))
}

export function addYears(date: CalendarDate, years: number): CalendarDate {
  return addMonths(date, years * 12)
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function minDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a <= b ? a : b
}

export function maxDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a >= b ? a : b
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CalendarDate): number {
  const weekday = new Date(toDayNumber(date) * MS_PER_DAY).getUTCDay()
  return weekday === 0 ? 7 : weekday
}

/**
 * Today's date in France. Collectors work in metropolitan France; using Europe/Paris rather
 * than the machine's zone keeps "today" right on a laptop left in another zone.
 */
export function todayInParis(now: Date = new Date()): CalendarDate {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit'
  }).format(now)
}
