/**
 * French company identifiers (INSEE's SIRENE register):
 * - SIREN: 9 digits identifying the legal entity, the last one a Luhn check digit;
 * - SIRET: SIREN + 5-digit NIC identifying one establishment, Luhn over all 14 digits.
 *
 * The checks accept what people type (spaces, dots, no-break spaces between groups): validate
 * with `isValid…`, store the `normalize…` form.
 */

/**
 * La Poste's establishments do not follow Luhn: their SIRET's digit sum is divisible by 5
 * instead. Its head office's SIRET is the exception to the exception and passes Luhn.
 */
const LA_POSTE_SIREN = '356000000'
const LA_POSTE_HEAD_OFFICE_SIRET = '35600000000048'

const SEPARATORS = /[\s.\u00a0\u202f-]/g

/** Digits only: "732 829 320" → "732829320". Does not check anything. */
export function normalizeSiren(value: string): string {
  return value.replace(SEPARATORS, '')
}

export const normalizeSiret = normalizeSiren

/** Luhn (mod 10) over a string of digits, the rightmost being the check digit. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return sum % 10 === 0
}

/** The digit that makes `payload + digit` pass Luhn. */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d*$/.test(payload)) throw new RangeError(`Luhn payload must be digits, got ${payload}`)
  for (let digit = 0; digit <= 9; digit++) {
    if (passesLuhn(payload + digit)) return String(digit)
  }
  throw new Error('unreachable: one Luhn digit always exists')
}

export function isValidSiren(value: string): boolean {
  const siren = normalizeSiren(value)
  return /^\d{9}$/.test(siren) && passesLuhn(siren)
}

export function isValidSiret(value: string): boolean {
  const siret = normalizeSiret(value)
  if (!/^\d{14}$/.test(siret)) return false
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== LA_POSTE_HEAD_OFFICE_SIRET) {
    let sum = 0
    for (const ch of siret) sum += ch.charCodeAt(0) - 48
    return sum % 5 === 0
  }
  return passesLuhn(siret)
}

/** The SIREN part of a SIRET (its first 9 digits). */
export function sirenOfSiret(siret: string): string {
  return normalizeSiret(siret).slice(0, 9)
}

/** Completes 8 digits into a valid SIREN. */
export function sirenFromPayload(firstEightDigits: string): string {
  if (!/^\d{8}$/.test(firstEightDigits)) throw new RangeError(`Expected 8 digits, got ${firstEightDigits}`)
  return firstEightDigits + luhnCheckDigit(firstEightDigits)
}

/** Completes a SIREN and a 4-digit establishment number into a valid SIRET (the NIC's last digit). */
export function siretFromSiren(siren: string, establishmentDigits: string): string {
  if (!/^\d{9}$/.test(siren) || !/^\d{4}$/.test(establishmentDigits)) {
    throw new RangeError(`Expected a 9-digit SIREN and 4 digits, got ${siren} and ${establishmentDigits}`)
  }
  if (siren === LA_POSTE_SIREN) throw new RangeError('La Poste SIRETs follow their own rule')
  const payload = siren + establishmentDigits
  return payload + luhnCheckDigit(payload)
}
