import { describe, expect, it } from 'vitest'
import {
  formatBasisPoints,
  formatCents,
  formatDate,
  formatDateLong,
  formatDays,
  formatInstant,
  formatInteger
} from '@shared/format/french'

const NNBSP = '\u202f'
const NBSP = '\u00a0'

describe('French formatting', () => {
  it('formats cents with a narrow no-break space for thousands and a comma for decimals', () => {
    expect(formatCents(123456)).toBe(`1${NNBSP}234,56${NBSP}€`)
    expect(formatCents(123456789012)).toBe(`1${NNBSP}234${NNBSP}567${NNBSP}890,12${NBSP}€`)
    expect(formatCents(5)).toBe(`0,05${NBSP}€`)
    expect(formatCents(-5)).toBe(`-0,05${NBSP}€`)
    expect(formatCents(-100000)).toBe(`-1${NNBSP}000,00${NBSP}€`)
    expect(formatCents(100, { currency: false })).toBe('1,00')
  })

  it('refuses amounts that are not integer cents', () => {
    expect(() => formatCents(12.5)).toThrow(RangeError)
    expect(() => formatCents(Number.NaN)).toThrow(RangeError)
  })

  it('formats integers, rates and days', () => {
    expect(formatInteger(200000)).toBe(`200${NNBSP}000`)
    expect(formatInteger(-1234)).toBe(`-1${NNBSP}234`)
    expect(formatBasisPoints(801)).toBe(`8,01${NBSP}%`)
    expect(formatBasisPoints(1000)).toBe(`10,00${NBSP}%`)
    expect(formatDays(1)).toBe(`1${NBSP}jour`)
    expect(formatDays(45)).toBe(`45${NBSP}jours`)
  })

  it('formats calendar dates without any time zone shift', () => {
    expect(formatDate('2024-05-01')).toBe('01/05/2024')
    expect(formatDate('2024-12-31')).toBe('31/12/2024')
    expect(formatDateLong('2024-05-01')).toBe('1er mai 2024')
    expect(formatDateLong('2026-08-15')).toBe('15 août 2026')
  })

  it('shows instants in French time, summer and winter', () => {
    expect(formatInstant('2026-07-01T08:30:00.000Z')).toBe('01/07/2026 10:30')
    expect(formatInstant('2026-01-15T23:30:00.000Z')).toBe('16/01/2026 00:30')
  })
})
