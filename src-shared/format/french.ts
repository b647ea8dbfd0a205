import { parts, type CalendarDate } from '../dates/calendar-date'

/**
 * French formatting for screens, letters and exports, in one place. Done by hand rather than
 * with Intl for amounts: the output must be identical in Node (letters) and Chromium (screens),
 * whose ICU versions differ in their choice of spaces.
 */

/** Narrow no-break space: the French thousands separator. */
export const THOUSANDS_SEPARATOR = '\u202f'
/** No-break space between an amount and its unit. */
export const UNIT_SEPARATOR = '\u00a0'

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS_SEPARATOR)
}

/** 123456 → "1 234,56 €"; -5 → "-0,05 €". Cents must be an integer. */
export function formatCents(cents: number, options: { currency?: boolean } = {}): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Amount must be integer cents, got ${cents}`)
  const negative = cents < 0
  const absolute = Math.abs(cents)
  const euros = groupThousands(String(Math.floor(absolute / 100)))
  const rest = String(absolute % 100).padStart(2, '0')
  return `${negative ? '-' : ''}${euros},${rest}${options.currency === false ? '' : `${UNIT_SEPARATOR}€`}`
}

export function formatInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Expected an integer, got ${value}`)
  return (value < 0 ? '-' : '') + groupThousands(String(Math.abs(value)))
}

/** Basis points as a French percentage: 801 → "8,01 %". */
export function formatBasisPoints(bp: number): string {
  const negative = bp < 0
  const absolute = Math.abs(bp)
  return `${negative ? '-' : ''}${Math.floor(absolute / 100)},${String(absolute % 100).padStart(2, '0')}${UNIT_SEPARATOR}%`
}

/** "2024-05-01" → "01/05/2024". */
export function formatDate(date: CalendarDate): string {
  const { year, month, day } = parts(date)
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`
}

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre'
]

/** "2024-05-01" → "1er mai 2024", as written in letters. */
export function formatDateLong(date: CalendarDate): string {
  const { year, month, day } = parts(date)
  return `${day === 1 ? '1er' : day} ${MONTHS[month - 1]} ${year}`
}

const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit'
})

/** An instant, as seen in France: "23/11/2026 10:15". */
export function formatInstant(iso: string): string {
  return PARIS_DATE_TIME.format(new Date(iso)).replace(',', '')
}

/** "1 jour", "12 jours". */
export function formatDays(days: number): string {
  return `${formatInteger(days)}${UNIT_SEPARATOR}jour${Math.abs(days) > 1 ? 's' : ''}`
}
