import { fromDayNumber, fromParts, isCalendarDate, type CalendarDate } from '../dates/calendar-date'
import { formatDate } from '../format/french'

/**
 * Values of a client's spreadsheet as people type them in France, read into the app's forms:
 * amounts in integer cents, calendar dates YYYY-MM-DD (never through a time zone), clean text.
 * Every reader returns either a value or a French reason the row's problem list shows.
 */

/** What a cell holds once read from a CSV (always text) or an xlsx (typed by Excel). */
export type CellValue = string | number | boolean | Date | null | undefined

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string }

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason })

/** Every space a French file may hold: ordinary, no-break, narrow no-break, thin, tabs. */
const SPACES = /[\s\u00a0\u202f\u2009\u2007\u200b]+/gu

export function isBlank(value: CellValue): boolean {
  if (value === null || value === undefined) return true
  if (typeof value === 'string') return value.replace(SPACES, '') === ''
  return false
}

/** Text of a cell with spaces collapsed: "  SARL\u00a0 Dupont " → "SARL Dupont". */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : formatDate(utcDate(value))
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value).replace('.', ',')
  if (typeof value === 'boolean') return value ? 'VRAI' : 'FAUX'
  return value.replace(SPACES, ' ').trim()
}

/* ------------------------------------------------------------------------------ amounts */

const MAX_DIGITS = 13

/**
 * An amount in euros → integer cents. Reads "1 234,56", "1234,56 €", "1.234,56", "1 234,56 EUR",
 * "1234.56", "1,234.56", "-12,50", "(12,50)", and Excel numbers. Refuses what it cannot read
 * without guessing: "1.234" (thousands or decimals?), three decimals, letters.
 */
export function parseAmountCents(value: CellValue): Parsed<number> {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail('montant illisible')
    const cents = Math.round(value * 100)
    if (Math.abs(value * 100 - cents) > 1e-6) return fail('montant avec plus de deux décimales')
    if (!Number.isSafeInteger(cents)) return fail('montant trop grand')
    return ok(cents === 0 ? 0 : cents)
  }
  if (typeof value !== 'string') return fail('montant illisible')
  let text = value.replace(SPACES, '').replace(/['’]/g, '')
  if (text === '') return fail('montant manquant')
  let negative = false
  if (/^\(.*\)$/.test(text)) {
    negative = true
    text = text.slice(1, -1)
  }
  text = text.replace(/€|euros?|eur/giu, '')
  if (text.startsWith('-') || text.startsWith('−')) {
    negative = !negative
    text = text.slice(1)
  } else if (text.endsWith('-')) {
    negative = !negative
    text = text.slice(0, -1)
  } else if (text.startsWith('+')) text = text.slice(1)
  if (!/^\d[\d.,]*$/.test(text) || /[.,]$/.test(text)) return fail(`montant illisible « ${cellText(value)} »`)

  const commas = (text.match(/,/g) ?? []).length
  const dots = (text.match(/\./g) ?? []).length
  let integer: string
  let decimals = ''
  if (commas > 0 && dots > 0) {
    const decimalMark = text.lastIndexOf(',') > text.lastIndexOf('.') ? ',' : '.'
    const thousandsMark = decimalMark === ',' ? '.' : ','
    const [head, tail, ...more] = text.split(decimalMark)
    if (more.length > 0 || !validGroups(head!, thousandsMark)) return fail(`montant illisible « ${cellText(value)} »`)
    integer = head!.split(thousandsMark).join('')
    decimals = tail!
  } else if (commas === 1) {
    ;[integer, decimals] = text.split(',') as [string, string]
  } else if (commas > 1) {
    if (!validGroups(text, ',')) return fail(`montant illisible « ${cellText(value)} »`)
    integer = text.split(',').join('')
  } else if (dots === 1) {
    const [head, tail] = text.split('.') as [string, string]
    if (tail.length === 3) {
      return fail(`montant ambigu « ${cellText(value)} » : écrivez 1234 ou 1 234,00`)
    }
    integer = head
    decimals = tail
  } else if (dots > 1) {
    if (!validGroups(text, '.')) return fail(`montant illisible « ${cellText(value)} »`)
    integer = text.split('.').join('')
  } else {
    integer = text
  }
  if (decimals.length > 2) return fail('montant avec plus de deux décimales')
  integer = integer.replace(/^0+(?=\d)/, '')
  if (integer.length > MAX_DIGITS) return fail('montant trop grand')
  const cents = Number(integer) * 100 + Number(decimals.padEnd(2, '0'))
  return ok(negative && cents !== 0 ? -cents : cents)
}

/** "1.234.567" with "." as thousands mark: groups of three after the first. */
function validGroups(text: string, mark: string): boolean {
  const groups = text.split(mark)
  return /^\d{1,3}$/.test(groups[0]!) && groups.slice(1).every((group) => /^\d{3}$/.test(group))
}

/* -------------------------------------------------------------------------------- dates */

/** Excel's day 0 is 1899-12-30 (the 1900 leap-year bug included): serial 25 569 = 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25_569
/** 1950-01-01 and 2100-12-31 as Excel serials: a number outside is not a date of an invoice. */
const MIN_SERIAL = 18_264
const MAX_SERIAL = 73_415

const FRENCH_MONTHS: Record<string, number> = {
  janvier: 1,
  janv: 1,
  fevrier: 2,
  fevr: 2,
  fev: 2,
  mars: 3,
  avril: 4,
  avr: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  juil: 7,
  aout: 8,
  septembre: 9,
  sept: 9,
  octobre: 10,
  oct: 10,
  novembre: 11,
  nov: 11,
  decembre: 12,
  dec: 12
}

/** A Date read from a workbook: its UTC calendar day (Excel dates carry no zone). */
function utcDate(date: Date): CalendarDate {
  return fromParts(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())
}

/** Excel serial day number (1 = 1900-01-01) → calendar date; a time of day is dropped. */
export function excelSerialToDate(serial: number): CalendarDate {
  return fromDayNumber(Math.floor(serial + 1e-9) - EXCEL_EPOCH_OFFSET)
}

/**
 * A date as a French file gives it → YYYY-MM-DD: "31/12/2024", "31/12/24", "31-12-2024",
 * "31.12.2024", "2024-12-31" (ISO, with or without a time), "31 décembre 2024", an Excel serial
 * (45657) or a date cell. Day first, always: French files never write the month first.
 */
export function parseCalendarDate(value: CellValue): Parsed<CalendarDate> {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return fail('date illisible')
    return inRange(utcDate(value), cellText(value))
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < MIN_SERIAL || value > MAX_SERIAL) return fail(`date illisible « ${value} »`)
    return ok(excelSerialToDate(value))
  }
  if (typeof value !== 'string') return fail('date illisible')
  const text = value.replace(SPACES, ' ').trim()
  if (text === '') return fail('date manquante')
  let match = /^(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4}|\d{2})$/.exec(text)
  if (match) {
    const year = match[3]!.length === 2 ? twoDigitYear(Number(match[3])) : Number(match[3])
    return checked(year, Number(match[2]), Number(match[1]), text)
  }
  match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text)
  if (match) return checked(Number(match[1]), Number(match[2]), Number(match[3]), text)
  match = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(text)
  if (match) return checked(Number(match[1]), Number(match[2]), Number(match[3]), text)
  match = /^(\d{1,2})(?:er)?\s+([\p{L}.]+)\s+(\d{4})$/u.exec(text)
  if (match) {
    const month = FRENCH_MONTHS[foldAccents(match[2]!).replace(/\.$/, '')]
    if (month) return checked(Number(match[3]), month, Number(match[1]), text)
  }
  if (/^\d{5}(?:[.,]\d+)?$/.test(text)) return parseCalendarDate(Number(text.replace(',', '.')))
  return fail(`date illisible « ${text} »`)
}

function twoDigitYear(year: number): number {
  return year < 70 ? 2000 + year : 1900 + year
}

function checked(year: number, month: number, day: number, text: string): Parsed<CalendarDate> {
  const date = fromParts(year, month, day)
  if (!isCalendarDate(date)) return fail(`date inexistante « ${text} »`)
  return inRange(date, text)
}

function inRange(date: CalendarDate, text: string): Parsed<CalendarDate> {
  if (date < '1950-01-01' || date > '2100-12-31') return fail(`date improbable « ${text} »`)
  return ok(date)
}

export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
}

/* ------------------------------------------------------------------------- identifiers */

/** A French postal code: five digits; Excel drops the leading zero of 06000, put it back. */
export function parsePostalCode(value: CellValue): Parsed<string> {
  const text = cellText(value).replace(/\s/g, '')
  if (/^\d{4}$/.test(text)) return ok(`0${text}`)
  if (/^\d{5}$/.test(text)) return ok(text)
  return fail(`code postal invalide « ${cellText(value)} »`)
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/u

export function parseEmail(value: CellValue): Parsed<string> {
  const text = cellText(value)
    .replace(/^mailto:/i, '')
    .toLowerCase()
  if (!EMAIL.test(text) || text.length > 254) return fail(`adresse e-mail invalide « ${cellText(value)} »`)
  return ok(text)
}
