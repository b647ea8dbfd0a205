import { describe, expect, it } from 'vitest'
import {
  isValidSiren,
  isValidSiret,
  luhnCheckDigit,
  normalizeSiren,
  passesLuhn,
  sirenFromPayload,
  sirenOfSiret,
  siretFromSiren
} from '@shared/validation/siren'

describe('SIREN', () => {
  it('accepts real SIRENs, with or without separators', () => {
    expect(isValidSiren('732829320')).toBe(true)
    expect(isValidSiren('552 100 554')).toBe(true) // written as on a Kbis
    expect(isValidSiren('542\u00a0051\u00a0180')).toBe(true)
    expect(isValidSiren('356000000')).toBe(true) // La Poste
  })

  it('refuses a wrong check digit, a wrong length or letters', () => {
    expect(isValidSiren('732829321')).toBe(false)
    expect(isValidSiren('73282932')).toBe(false)
    expect(isValidSiren('7328293200')).toBe(false)
    expect(isValidSiren('73282932A')).toBe(false)
    expect(isValidSiren('')).toBe(false)
  })

  it('normalizes to bare digits', () => {
    expect(normalizeSiren(' 732 829.320 ')).toBe('732829320')
  })

  it('completes 8 digits into a valid SIREN', () => {
    expect(sirenFromPayload('73282932')).toBe('732829320')
    for (const payload of ['00000000', '12345678', '99999999', '40483304']) {
      expect(isValidSiren(sirenFromPayload(payload))).toBe(true)
    }
    expect(() => sirenFromPayload('1234567')).toThrow(RangeError)
  })
})

describe('SIRET', () => {
  it('accepts real SIRETs', () => {
    expect(isValidSiret('73282932000074')).toBe(true)
    expect(isValidSiret('732 829 320 00074')).toBe(true)
  })

  it('applies La Poste’s digit-sum rule instead of Luhn, except at its head office', () => {
    expect(isValidSiret('35600000049837')).toBe(true) // digit sum 45, fails Luhn
    expect(passesLuhn('35600000049837')).toBe(false)
    expect(isValidSiret('35600000049838')).toBe(false)
    expect(isValidSiret('35600000000048')).toBe(true) // head office: Luhn
    expect(isValidSiret('35600000000046')).toBe(false)
  })

  it('refuses a wrong check digit or length', () => {
    expect(isValidSiret('73282932000075')).toBe(false)
    expect(isValidSiret('7328293200007')).toBe(false)
    expect(isValidSiret('732829320000741')).toBe(false)
  })

  it('builds a SIRET from a SIREN and an establishment number', () => {
    const siret = siretFromSiren('732829320', '0007')
    expect(siret).toBe('73282932000074')
    expect(sirenOfSiret(siret)).toBe('732829320')
    expect(isValidSiret(siretFromSiren('404833048', '0012'))).toBe(true)
    expect(() => siretFromSiren('356000000', '0001')).toThrow(RangeError)
  })
})

describe('Luhn', () => {
  it('computes the check digit of any payload', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3') // the textbook example
    expect(passesLuhn('79927398713')).toBe(true)
    expect(passesLuhn('79927398710')).toBe(false)
    expect(passesLuhn('')).toBe(false)
  })
})
