/**
 * IBAN (ISO 13616): country, 2 check digits (mod 97 = 1 over the rearranged number), then the
 * national account number (BBAN). French BBANs (RIB) also carry their own key, checked too:
 * the mod-97 check alone accepts an IBAN computed from a mistyped RIB.
 *
 * The checks accept what people type (spaces, lower case): validate with `isValidIban`, store
 * `normalizeIban`, show `formatIban`.
 */

/** IBAN length per country (SWIFT IBAN registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20
} // prettier-ignore

/** Countries whose BBAN is a French RIB (bank 5, branch 5, account 11, key 2). */
const RIB_COUNTRIES = new Set(['FR', 'MC'])

/** Upper case, without spaces or hyphens: "fr76 3000 …" → "FR763000…". Does not check anything. */
export function normalizeIban(value: string): string {
  return value.replace(/[\s\u00a0\u202f-]/g, '').toUpperCase()
}

/** Groups of four, as printed on a RIB: "FR76 3000 6000 0112 3456 7890 189". */
export function formatIban(value: string): string {
  return normalizeIban(value).replace(/(.{4})(?=.)/g, '$1 ')
}

/** Remainder mod 97 of an alphanumeric string read as a number, letters A–Z being 10–35. */
function mod97(text: string): number {
  let remainder = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97
    } else {
      remainder = (remainder * 100 + (code - 55)) % 97 // 'A' (65) → 10
    }
  }
  return remainder
}

export function isValidIban(value: string): boolean {
  const iban = normalizeIban(value)
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false
  const country = iban.slice(0, 2)
  if (IBAN_LENGTHS[country] !== iban.length) return false
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) return false
  return !RIB_COUNTRIES.has(country) || isValidRib(iban.slice(4))
}

/** The two check digits of the IBAN for `country` and `bban`. */
export function ibanCheckDigits(country: string, bban: string): string {
  const check = 98 - mod97(bban + country.toUpperCase() + '00')
  return String(check).padStart(2, '0')
}

export function ibanFromBban(country: string, bban: string): string {
  const normalizedBban = normalizeIban(bban)
  return country.toUpperCase() + ibanCheckDigits(country, normalizedBban) + normalizedBban
}

/** Letters of a RIB account number count as digits: A/J → 1, B/K/S → 2, … I/R/Z → 9. */
function ribDigits(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => {
    const code = letter.charCodeAt(0) - 65 // A = 0
    const value = code < 9 ? code + 1 : code < 18 ? code - 8 : code - 16 // S = 2 … Z = 9
    return String(value)
  })
}

/** The 2-digit key of a French RIB: 97 − ((89 × bank + 15 × branch + 3 × account) mod 97). */
export function frenchRibKey(bankCode: string, branchCode: string, accountNumber: string): string {
  if (!/^\d{5}$/.test(bankCode) || !/^\d{5}$/.test(branchCode) || !/^[0-9A-Z]{11}$/.test(accountNumber)) {
    throw new RangeError('A RIB is a 5-digit bank code, a 5-digit branch code and an 11-character account number')
  }
  const weighted = 89 * Number(bankCode) + 15 * Number(branchCode) + 3 * Number(ribDigits(accountNumber))
  return String(97 - (weighted % 97)).padStart(2, '0')
}

function isValidRib(bban: string): boolean {
  const match = /^(\d{5})(\d{5})([0-9A-Z]{11})(\d{2})$/.exec(bban)
  if (!match) return false
  const [, bank, branch, account, key] = match
  return frenchRibKey(bank!, branch!, account!) === key
}

/** A French IBAN from the parts of a RIB, the RIB key computed. */
export function frenchIban(bankCode: string, branchCode: string, accountNumber: string): string {
  return ibanFromBban('FR', bankCode + branchCode + accountNumber + frenchRibKey(bankCode, branchCode, accountNumber))
}
