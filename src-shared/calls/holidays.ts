/**
 * French public holidays (jours fériés, C. trav. L3133-1) and business days, by region: the
 * eleven national days, plus Good Friday and St Stephen's Day in Alsace-Moselle (C. trav.
 * L3134-13) and the commemoration of the abolition of slavery in the overseas departments
 * (loi 83-550). Easter, and so Easter Monday, Ascension and Whit Monday, is computed.
 *
 * Pure: calendar dates only, no time zone (see ../dates/calendar-date.ts).
 */
import {
  addDays,
  fromDayNumber,
  fromParts,
  isoWeekday,
  parts,
  toDayNumber,
  type CalendarDate
} from '../dates/calendar-date'

export const HOLIDAY_REGIONS = [
  'metropole',
  'alsace_moselle',
  'guadeloupe',
  'martinique',
  'guyane',
  'reunion',
  'mayotte',
  'saint_pierre_et_miquelon'
] as const
export type HolidayRegion = (typeof HOLIDAY_REGIONS)[number]

export interface PublicHoliday {
  date: CalendarDate
  /** French name, as shown to the collector. */
  name: string
}

/** Easter Sunday of a Gregorian year (anonymous algorithm: Meeus, Jones, Butcher). */
export function easterSunday(year: number): CalendarDate {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) throw new RangeError(`Year out of range: ${year}`)
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return fromParts(year, month, day)
}

/** Abolition of slavery day per overseas department (décret 83-1003 as amended). */
const ABOLITION_DAYS: Partial<Record<HolidayRegion, [number, number]>> = {
  mayotte: [4, 27],
  martinique: [5, 22],
  guadeloupe: [5, 27],
  guyane: [6, 10],
  reunion: [12, 20]
}

const cache = new Map<string, PublicHoliday[]>()

/** The public holidays of a year in a region, in date order. */
export function frenchPublicHolidays(year: number, region: HolidayRegion = 'metropole'): PublicHoliday[] {
  const key = `${year}:${region}`
  const cached = cache.get(key)
  if (cached) return cached
  const easter = easterSunday(year)
  const on = (month: number, day: number) => fromParts(year, month, day)
  const list: PublicHoliday[] = [
    { date: on(1, 1), name: 'Jour de l’an' },
    { date: addDays(easter, 1), name: 'Lundi de Pâques' },
    { date: on(5, 1), name: 'Fête du Travail' },
    { date: on(5, 8), name: 'Victoire 1945' },
    { date: addDays(easter, 39), name: 'Ascension' },
    { date: addDays(easter, 50), name: 'Lundi de Pentecôte' },
    { date: on(7, 14), name: 'Fête nationale' },
    { date: on(8, 15), name: 'Assomption' },
    { date: on(11, 1), name: 'Toussaint' },
    { date: on(11, 11), name: 'Armistice 1918' },
    { date: on(12, 25), name: 'Noël' }
  ]
  if (region === 'alsace_moselle') {
    list.push({ date: addDays(easter, -2), name: 'Vendredi saint' }, { date: on(12, 26), name: 'Saint-Étienne' })
  }
  const abolition = ABOLITION_DAYS[region]
  if (abolition) list.push({ date: on(abolition[0], abolition[1]), name: 'Abolition de l’esclavage' })
  list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))
  cache.set(key, list)
  return list
}

export function publicHolidayOn(date: CalendarDate, region: HolidayRegion = 'metropole'): PublicHoliday | null {
  return frenchPublicHolidays(parts(date).year, region).find((h) => h.date === date) ?? null
}

/** Monday to Friday and not a public holiday. */
export function isBusinessDay(date: CalendarDate, region: HolidayRegion = 'metropole'): boolean {
  return isoWeekday(date) <= 5 && publicHolidayOn(date, region) === null
}

/** The first business day on or after `date`. */
export function businessDayOnOrAfter(date: CalendarDate, region: HolidayRegion = 'metropole'): CalendarDate {
  let day = toDayNumber(date)
  while (!isBusinessDay(fromDayNumber(day), region)) day++
  return fromDayNumber(day)
}

/** `count` business days after `date` (count ≥ 1), skipping weekends and public holidays. */
export function addBusinessDays(date: CalendarDate, count: number, region: HolidayRegion = 'metropole'): CalendarDate {
  let day = toDayNumber(date)
  let left = count
  while (left > 0) {
    day++
    if (isBusinessDay(fromDayNumber(day), region)) left--
  }
  return fromDayNumber(day)
}

/** Where a debtor lives, as far as calls and holidays are concerned. */
export interface DebtorLocale {
  region: HolidayRegion
  /** IANA time zone the call window is read in. */
  timeZone: string
  /** French, for the warning: "heure de Paris", "heure de la Réunion"… */
  label: string
}

export const PARIS_LOCALE: DebtorLocale = { region: 'metropole', timeZone: 'Europe/Paris', label: 'heure de Paris' }

const OVERSEAS: Record<string, DebtorLocale> = {
  '971': { region: 'guadeloupe', timeZone: 'America/Guadeloupe', label: 'heure de la Guadeloupe' },
  '972': { region: 'martinique', timeZone: 'America/Martinique', label: 'heure de la Martinique' },
  '973': { region: 'guyane', timeZone: 'America/Cayenne', label: 'heure de la Guyane' },
  '974': { region: 'reunion', timeZone: 'Indian/Reunion', label: 'heure de la Réunion' },
  '975': { region: 'saint_pierre_et_miquelon', timeZone: 'America/Miquelon', label: 'heure de Saint-Pierre' },
  '976': { region: 'mayotte', timeZone: 'Indian/Mayotte', label: 'heure de Mayotte' }
}

/**
 * The debtor's time zone and holiday calendar from their current address. A debtor abroad or
 * without an address is treated as living in metropolitan France (the agency's zone).
 */
export function debtorLocale(address: { postalCode: string; country: string } | null): DebtorLocale {
  if (!address || address.country.toUpperCase() !== 'FR') return PARIS_LOCALE
  const code = address.postalCode.replace(/\s/g, '')
  const overseas = OVERSEAS[code.slice(0, 3)]
  if (overseas) return overseas
  if (/^(57|67|68)\d{3}$/.test(code))
    return { region: 'alsace_moselle', timeZone: 'Europe/Paris', label: 'heure de Paris' }
  return PARIS_LOCALE
}
