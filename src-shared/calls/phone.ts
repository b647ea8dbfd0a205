/** Phone numbers as collectors read and dial them. Stored E.164 (+33612345678). */

/** "+33612345678" → "06 12 34 56 78"; overseas and foreign numbers keep their international form. */
export function formatPhone(e164: string): string {
  const digits = e164.replace(/[^\d+]/g, '')
  const french = /^\+33([1-9]\d{8})$/.exec(digits)
  if (french) return `0${french[1]}`.replace(/(\d{2})(?=\d)/g, '$1 ')
  const international = /^\+(\d{1,3})(\d+)$/.exec(digits)
  if (international) return `+${international[1]} ${international[2]!.replace(/(\d{2,3})(?=\d)/g, '$1 ')}`
  return e164
}

/** "tel:" link target for softphones. */
export function telHref(e164: string): string {
  return `tel:${e164.replace(/[^\d+]/g, '')}`
}
