import { describe, expect, it } from 'vitest'
import {
  addDays,
  addMonths,
  daysBetween,
  daysInYear,
  isCalendarDate,
  isoWeekday,
  todayInParis
} from '@shared/dates/calendar-date'

describe('calendar dates', () => {
  it('accepts only real days in YYYY-MM-DD', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true)
    expect(isCalendarDate('2023-02-29')).toBe(false)
    expect(isCalendarDate('2024-13-01')).toBe(false)
    expect(isCalendarDate('2024-1-01')).toBe(false)
    expect(isCalendarDate('01/02/2024')).toBe(false)
    expect(isCalendarDate(20240101)).toBe(false)
  })

  it('counts days across leap years and month ends', () => {
    expect(daysBetween('2024-05-01', '2024-07-01')).toBe(61)
    expect(daysBetween('2024-07-01', '2024-09-01')).toBe(62)
    expect(daysBetween('2023-12-31', '2024-12-31')).toBe(366)
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2)
    expect(daysInYear(2024)).toBe(366)
    expect(daysInYear(2100)).toBe(365)
    expect(daysInYear(2000)).toBe(366)
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01')
  })

  it('adds months clamping to the end of shorter months', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29')
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28')
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28')
    expect(addMonths('2024-03-15', -3)).toBe('2023-12-15')
  })

  it('does not depend on the machine time zone', () => {
    // A day number round-trip across a DST change in France.
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30')
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26')
    expect(isoWeekday('2026-11-23')).toBe(1)
    expect(isoWeekday('2026-11-22')).toBe(7)
  })

  it('takes today in Paris, not in the machine zone', () => {
    expect(todayInParis(new Date('2026-11-22T23:30:00Z'))).toBe('2026-11-23')
    expect(todayInParis(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01')
    expect(todayInParis(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02')
  })
})
