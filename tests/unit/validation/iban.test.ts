import { describe, expect, it } from 'vitest'
import {
  formatIban,
  frenchIban,
  frenchRibKey,
  ibanCheckDigits,
  ibanFromBban,
  isValidIban,
  normalizeIban
} from '@shared/validation/iban'

describe('IBAN', () => {
  it('accepts valid IBANs of several countries, as typed or printed', () => {
    expect(isValidIban('FR14 2004 1010 0505 0001 3M02 606')).toBe(true)
    expect(isValidIban('fr7630006000011234567890189')).toBe(true)
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true)
    expect(isValidIban('GB82 WEST 1234 5698 7654 32')).toBe(true)
    expect(isValidIban('BE68 5390 0754 7034')).toBe(true)
    expect(isValidIban('MC58 1122 2000 0101 2345 6789 030')).toBe(true)
  })

  it('refuses a wrong check, a wrong length or an unknown country', () => {
    expect(isValidIban('FR14 2004 1010 0505 0001 3M02 607')).toBe(false)
    expect(isValidIban('FR15 2004 1010 0505 0001 3M02 606')).toBe(false)
    expect(isValidIban('FR14 2004 1010 0505 0001 3M02 60')).toBe(false)
    expect(isValidIban('DE89 3704 0044 0532 0130 0')).toBe(false)
    expect(isValidIban('XX89 3704 0044 0532 0130 00')).toBe(false)
    expect(isValidIban('')).toBe(false)
    expect(isValidIban('FR76 3000 6000 0112 3456 7890 18!')).toBe(false)
  })

  it('refuses a French IBAN whose RIB key is wrong even when its check digits match', () => {
    const bban = '30006000011234567890188' // key 88 instead of 89
    const iban = ibanFromBban('FR', bban)
    expect(iban.slice(2, 4)).not.toBe('76')
    expect(isValidIban(iban)).toBe(false)
  })

  it('normalizes and formats', () => {
    expect(normalizeIban(' fr76-3000 6000 0112 3456 7890 189 ')).toBe('FR7630006000011234567890189')
    expect(formatIban('FR7630006000011234567890189')).toBe('FR76 3000 6000 0112 3456 7890 189')
  })

  it('computes check digits and French RIB keys', () => {
    expect(ibanCheckDigits('DE', '370400440532013000')).toBe('89')
    expect(frenchRibKey('20041', '01005', '0500013M026')).toBe('06')
    expect(frenchRibKey('30006', '00001', '12345678901')).toBe('89')
    expect(frenchIban('30006', '00001', '12345678901')).toBe('FR7630006000011234567890189')
    expect(() => frenchRibKey('3000', '00001', '12345678901')).toThrow(RangeError)
  })

  it('gives FR76 for every French IBAN built from a numeric RIB', () => {
    for (const [bank, branch, account] of [
      ['30004', '00823', '00010158387'],
      ['10107', '00100', '99999999999'],
      ['18206', '00001', '00000000000']
    ] as const) {
      const iban = frenchIban(bank, branch, account)
      expect(iban.startsWith('FR76')).toBe(true)
      expect(isValidIban(iban)).toBe(true)
    }
  })
})
