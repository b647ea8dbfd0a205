import type { ImportProblem } from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { IMPORT_FIELD_LABELS, type ColumnMapping, type ImportField } from '@shared/imports/mapping'
import {
  cellText,
  isBlank,
  parseAmountCents,
  parseCalendarDate,
  parseEmail,
  parsePostalCode,
  type CellValue
} from '@shared/imports/values'
import { isValidSiren, isValidSiret, normalizeSiren, sirenOfSiret } from '@shared/validation/siren'
import { nameSortKey, storedNumberForm } from '../search/search-text'
import type { FileRow } from './file-reader'

/**
 * One line of a client's file read into the fields of a debtor and a claim, with its problems.
 * Pure: no database (matching against existing records is the planner's job).
 */

export interface ReadRow {
  row: number
  kind: 'company' | 'individual'
  civility: string | null
  firstName: string | null
  lastName: string | null
  legalName: string | null
  displayName: string
  /** nameSortKey(displayName): how names are compared. */
  nameKey: string
  siren: string | null
  siret: string | null
  address: { line1: string; line2: string | null; postalCode: string; city: string } | null
  postalCode: string | null
  phone: string | null
  email: string | null
  invoiceNumber: string
  issuedOn: CalendarDate | null
  dueOn: CalendarDate | null
  amountCents: number | null
  description: string | null
  problems: ImportProblem[]
}

const LIMITS: Partial<Record<ImportField, number>> = {
  legalName: 200,
  lastName: 100,
  firstName: 100,
  addressLine1: 200,
  addressLine2: 200,
  city: 100,
  invoiceNumber: 60,
  description: 500
}

const CIVILITIES: Record<string, string> = {
  m: 'M.',
  mr: 'M.',
  monsieur: 'M.',
  mme: 'Mme',
  madame: 'Mme',
  mlle: 'Mme',
  mademoiselle: 'Mme'
}

/**
 * A phone as typed → E.164 (+33612345678), through the search module's reading of numbers
 * (storedNumberForm: +33 / 0033 / (0) forms → national 0XXXXXXXXX). Excel drops the leading 0
 * of a number typed in a number cell: nine digits starting 1–9 get it back. Null if unreadable.
 */
export function phoneToE164(typed: string): string | null {
  const national = storedNumberForm(typed)
  const trimmed = typed.trim()
  const international = trimmed.startsWith('+') || trimmed.startsWith('00')
  if (/^0[1-9]\d{8}$/.test(national)) return `+33${national.slice(1)}`
  if (!international && /^[1-9]\d{8}$/.test(national)) return `+33${national}`
  if (international && /^[1-9]\d{7,14}$/.test(national)) return `+${national}`
  return null
}

export class RowReader {
  constructor(
    private readonly mapping: ColumnMapping,
    private readonly headers: readonly string[],
    private readonly today: CalendarDate
  ) {}

  read(fileRow: FileRow): ReadRow {
    const problems: ImportProblem[] = []
    const raw = (field: ImportField): CellValue => {
      const index = this.mapping[field]
      return index === null ? null : fileRow.cells[index]
    }
    const problem = (field: ImportField | null, severity: 'error' | 'warning', message: string) => {
      const index = field === null ? null : this.mapping[field]
      problems.push({
        row: fileRow.row,
        field,
        column: index === null ? null : (this.headers[index] ?? null),
        severity,
        message
      })
    }
    const text = (field: ImportField): string | null => {
      const value = cellText(raw(field))
      if (value === '') return null
      const limit = LIMITS[field]
      if (limit && value.length > limit) {
        problem(
          field,
          'error',
          `${IMPORT_FIELD_LABELS[field]} trop long (${value.length} caractères, ${limit} au plus)`
        )
        return value.slice(0, limit)
      }
      return value
    }

    // Debtor identity.
    const legalName = text('legalName')
    const lastName = text('lastName')
    const firstName = text('firstName')
    const civilityText = text('civility')
    const civility = civilityText ? (CIVILITIES[nameSortKey(civilityText).replace(/\s/g, '')] ?? null) : null
    let siren: string | null = null
    let siret: string | null = null
    const sirenText = text('siren')
    if (sirenText) {
      const normalized = normalizeSiren(sirenText)
      if (isValidSiren(normalized)) siren = normalized
      else if (/^\d{9}$/.test(normalized))
        problem('siren', 'error', `SIREN invalide « ${sirenText} » : clé de contrôle fausse`)
      else problem('siren', 'error', `SIREN invalide « ${sirenText} » : 9 chiffres attendus`)
    }
    const siretText = text('siret')
    if (siretText) {
      const normalized = normalizeSiren(siretText)
      if (!isValidSiret(normalized)) {
        problem(
          'siret',
          'error',
          `SIRET invalide « ${siretText} » : 14 chiffres avec une clé de contrôle juste attendus`
        )
      } else if (siren && sirenOfSiret(normalized) !== siren) {
        problem('siret', 'error', `SIRET « ${siretText} » d’une autre entreprise que le SIREN ${siren}`)
      } else {
        siret = normalized
        siren ??= sirenOfSiret(normalized)
      }
    }
    const company = legalName !== null || ((siren !== null || sirenText !== null) && lastName === null)
    let displayName = ''
    if (company) {
      displayName = (legalName ?? lastName ?? '').toLocaleUpperCase('fr-FR')
    } else if (lastName) {
      displayName = firstName
        ? `${lastName.toLocaleUpperCase('fr-FR')} ${firstName}`
        : lastName.toLocaleUpperCase('fr-FR')
    }
    if (displayName === '') {
      problem(
        this.mapping.legalName !== null ? 'legalName' : 'lastName',
        'error',
        'Débiteur sans nom : raison sociale ou nom manquant'
      )
    }

    // Address and contacts.
    const line1 = text('addressLine1')
    const line2 = text('addressLine2')
    const city = text('city')
    let postalCode: string | null = null
    if (!isBlank(raw('postalCode'))) {
      const parsed = parsePostalCode(raw('postalCode'))
      if (parsed.ok) postalCode = parsed.value
      else problem('postalCode', 'error', capitalize(parsed.reason))
    }
    let address: ReadRow['address'] = null
    if (line1 && postalCode && city) address = { line1, line2, postalCode, city: city.toLocaleUpperCase('fr-FR') }
    else if (line1 || city || (postalCode && !line1)) {
      const missing = [!line1 && 'adresse', !postalCode && 'code postal', !city && 'ville'].filter(Boolean).join(', ')
      problem(
        !line1 ? 'addressLine1' : !postalCode ? 'postalCode' : 'city',
        'warning',
        `Adresse incomplète (${missing} manquant) : l’adresse ne sera pas enregistrée`
      )
    }
    let phone: string | null = null
    const phoneText = text('phone')
    if (phoneText) {
      phone = phoneToE164(phoneText)
      if (!phone) problem('phone', 'warning', `Téléphone illisible « ${phoneText} » : il ne sera pas enregistré`)
    }
    let email: string | null = null
    if (!isBlank(raw('email'))) {
      const parsed = parseEmail(raw('email'))
      if (parsed.ok) email = parsed.value
      else problem('email', 'warning', `${capitalize(parsed.reason)} : elle ne sera pas enregistrée`)
    }

    // Claim.
    const invoiceNumber = text('invoiceNumber') ?? ''
    if (invoiceNumber === '') problem('invoiceNumber', 'error', 'Numéro de facture manquant')
    let dueOn: CalendarDate | null = null
    if (isBlank(raw('dueOn'))) problem('dueOn', 'error', 'Date d’échéance manquante')
    else {
      const parsed = parseCalendarDate(raw('dueOn'))
      if (parsed.ok) dueOn = parsed.value
      else problem('dueOn', 'error', `Échéance : ${parsed.reason}`)
    }
    let issuedOn: CalendarDate | null = null
    if (!isBlank(raw('issuedOn'))) {
      const parsed = parseCalendarDate(raw('issuedOn'))
      if (parsed.ok) issuedOn = parsed.value
      else problem('issuedOn', 'error', `Date de facture : ${parsed.reason}`)
    }
    if (issuedOn && dueOn && issuedOn > dueOn) {
      problem('issuedOn', 'error', 'Date de facture postérieure à l’échéance')
    }
    if (dueOn && dueOn > this.today) {
      problem('dueOn', 'warning', 'Échéance pas encore atteinte : la facture n’est pas encore exigible')
    }
    if (issuedOn && issuedOn > this.today) problem('issuedOn', 'error', 'Date de facture dans le futur')
    let amountCents: number | null = null
    if (isBlank(raw('amount'))) problem('amount', 'error', 'Montant manquant')
    else {
      const parsed = parseAmountCents(raw('amount'))
      if (!parsed.ok) problem('amount', 'error', capitalize(parsed.reason))
      else if (parsed.value <= 0) problem('amount', 'error', 'Montant nul ou négatif (un avoir ne s’importe pas)')
      else amountCents = parsed.value
    }

    return {
      row: fileRow.row,
      kind: company ? 'company' : 'individual',
      civility: company ? null : civility,
      firstName: company ? null : firstName,
      lastName: company ? null : lastName,
      legalName: company ? (legalName ?? lastName) : null,
      displayName,
      nameKey: nameSortKey(displayName),
      siren,
      siret,
      address,
      postalCode,
      phone,
      email,
      invoiceNumber,
      // Without an invoice date, the due date stands for it (the claim needs one).
      issuedOn: issuedOn ?? dueOn,
      dueOn,
      amountCents,
      description: text('description'),
      problems
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('fr-FR') + text.slice(1)
}
