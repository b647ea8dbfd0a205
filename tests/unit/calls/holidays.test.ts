import { describe, expect, it } from 'vitest'
import {
  addBusinessDays,
  businessDayOnOrAfter,
  debtorLocale,
  easterSunday,
  frenchPublicHolidays,
  isBusinessDay,
  publicHolidayOn
} from '@shared/calls/holidays'

describe('Easter and the holidays computed from it', () => {
  it('finds Easter Sunday for known years', () => {
    // Published dates (Gregorian).
    expect(easterSunday(2024)).toBe('2024-03-31')
    expect(easterSunday(2025)).toBe('2025-04-20')
    expect(easterSunday(2026)).toBe('2026-04-05')
    expect(easterSunday(2027)).toBe('2027-03-28')
    expect(easterSunday(2038)).toBe('2038-04-25') // latest possible
    expect(easterSunday(2285)).toBe('2285-03-22') // earliest possible
  })

  it('derives Easter Monday, Ascension and Whit Monday', () => {
    const names = (year: number) => Object.fromEntries(frenchPublicHolidays(year).map((h) => [h.name, h.date]))
    expect(names(2026)).toMatchObject({
      'Lundi de Pâques': '2026-04-06',
      Ascension: '2026-05-14',
      'Lundi de Pentecôte': '2026-05-25'
    })
    expect(names(2025)).toMatchObject({
      'Lundi de Pâques': '2025-04-21',
      Ascension: '2025-05-29',
      'Lundi de Pentecôte': '2025-06-09'
    })
  })

  it('lists the eleven national days in order, more in Alsace-Moselle and overseas', () => {
    const metro = frenchPublicHolidays(2026)
    expect(metro).toHaveLength(11)
    expect(metro.map((h) => h.date)).toEqual([...metro.map((h) => h.date)].sort())
    expect(metro.map((h) => h.date)).toContain('2026-11-11')
    expect(frenchPublicHolidays(2026, 'alsace_moselle').map((h) => h.name)).toEqual(
      expect.arrayContaining(['Vendredi saint', 'Saint-Étienne'])
    )
    expect(publicHolidayOn('2026-04-03', 'alsace_moselle')?.name).toBe('Vendredi saint')
    expect(publicHolidayOn('2026-04-03')).toBeNull()
    expect(publicHolidayOn('2026-12-20', 'reunion')?.name).toBe('Abolition de l’esclavage')
  })
})

describe('business days', () => {
  it('skips weekends and public holidays', () => {
    expect(isBusinessDay('2026-11-23')).toBe(true) // Monday
    expect(isBusinessDay('2026-11-22')).toBe(false) // Sunday
    expect(isBusinessDay('2026-11-11')).toBe(false) // Armistice, a Wednesday
    expect(businessDayOnOrAfter('2026-05-23')).toBe('2026-05-26') // Sat → Whit Monday → Tuesday
    expect(addBusinessDays('2026-12-24', 1)).toBe('2026-12-28') // Thu → (Christmas Fri, weekend) → Mon
    expect(addBusinessDays('2026-11-23', 5)).toBe('2026-11-30')
  })
})

describe('the debtor’s locale from the address', () => {
  it('reads overseas time zones and Alsace-Moselle from the postal code', () => {
    expect(debtorLocale({ postalCode: '97400', country: 'FR' })).toMatchObject({
      region: 'reunion',
      timeZone: 'Indian/Reunion'
    })
    expect(debtorLocale({ postalCode: '67000', country: 'FR' }).region).toBe('alsace_moselle')
    expect(debtorLocale({ postalCode: '75011', country: 'FR' }).timeZone).toBe('Europe/Paris')
    expect(debtorLocale({ postalCode: '1000', country: 'BE' }).timeZone).toBe('Europe/Paris')
    expect(debtorLocale(null).region).toBe('metropole')
  })
})
