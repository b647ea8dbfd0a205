import { foldAccents } from './values'

/**
 * The fields an import fills, and how a client's column headers map onto them: detected from
 * French or English headers, edited by the user, saved per client by header text (so that next
 * month's file maps even if its columns moved).
 */

export const IMPORT_FIELDS = [
  'legalName',
  'lastName',
  'firstName',
  'civility',
  'siren',
  'siret',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'phone',
  'email',
  'invoiceNumber',
  'issuedOn',
  'dueOn',
  'amount',
  'description'
] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  legalName: 'Raison sociale',
  lastName: 'Nom',
  firstName: 'Prénom',
  civility: 'Civilité',
  siren: 'SIREN',
  siret: 'SIRET',
  addressLine1: 'Adresse',
  addressLine2: 'Complément d’adresse',
  postalCode: 'Code postal',
  city: 'Ville',
  phone: 'Téléphone',
  email: 'E-mail',
  invoiceNumber: 'N° de facture',
  issuedOn: 'Date de facture',
  dueOn: 'Échéance',
  amount: 'Montant TTC',
  description: 'Libellé'
}

/** Fields every row needs (the debtor's name is raison sociale OR nom: checked per row). */
export const REQUIRED_FIELDS: readonly ImportField[] = ['invoiceNumber', 'dueOn', 'amount']

/** Column index of each field in the file, or null when the file has no such column. */
export type ColumnMapping = Record<ImportField, number | null>
/** A mapping as saved for a client: the header text of each field's column. */
export type SavedMapping = Partial<Record<ImportField, string>>

/** Headers as written by clients, after normalizeHeader. First match wins, longest synonyms first. */
const SYNONYMS: Record<ImportField, readonly string[]> = {
  legalName: [
    'raison sociale',
    'denomination sociale',
    'denomination',
    'societe',
    'entreprise',
    'nom societe',
    'nom de la societe',
    'nom entreprise',
    'company name',
    'company',
    'business name',
    'client societe'
  ],
  lastName: ['nom de famille', 'nom du debiteur', 'nom debiteur', 'nom client', 'nom', 'last name', 'surname', 'name'],
  firstName: ['prenom', 'first name', 'given name', 'firstname'],
  civility: ['civilite', 'titre', 'title', 'salutation'],
  siren: ['n siren', 'numero siren', 'siren'],
  siret: ['n siret', 'numero siret', 'siret'],
  addressLine1: [
    'adresse 1',
    'adresse1',
    'adresse ligne 1',
    'adresse',
    'rue',
    'voie',
    'address line 1',
    'address',
    'street'
  ],
  addressLine2: [
    'complement d adresse',
    'complement adresse',
    'complement',
    'adresse 2',
    'adresse2',
    'adresse ligne 2',
    'address line 2'
  ],
  postalCode: ['code postal', 'cp', 'c p', 'postal code', 'zip code', 'zip', 'postcode'],
  city: ['ville', 'commune', 'localite', 'city', 'town'],
  phone: [
    'telephone',
    'tel',
    'n tel',
    'n telephone',
    'portable',
    'mobile',
    'tel portable',
    'tel mobile',
    'phone',
    'phone number'
  ],
  email: ['e mail', 'email', 'adresse e mail', 'adresse email', 'courriel', 'mail', 'email address'],
  invoiceNumber: [
    'n facture',
    'n de facture',
    'no facture',
    'num facture',
    'numero facture',
    'numero de facture',
    'ref facture',
    'reference facture',
    'facture',
    'piece',
    'n piece',
    'invoice number',
    'invoice no',
    'invoice',
    'invoice id'
  ],
  issuedOn: [
    'date facture',
    'date de facture',
    'date d emission',
    'date emission',
    'date de la facture',
    'date piece',
    'invoice date',
    'issue date',
    'date'
  ],
  dueOn: [
    'echeance',
    'date echeance',
    'date d echeance',
    'date de l echeance',
    'date limite de paiement',
    'due date',
    'due',
    'payment due'
  ],
  amount: [
    'montant ttc',
    'montant ttc du',
    'total ttc',
    'ttc',
    'montant du',
    'reste du',
    'reste a payer',
    'solde du',
    'solde',
    'montant',
    'amount due',
    'amount',
    'balance',
    'outstanding',
    'total'
  ],
  description: ['libelle', 'designation', 'objet', 'description', 'commentaire', 'label']
}

/** "N° Facture", "n°facture", "NUMÉRO DE FACTURE :" → "n facture", "numero de facture". */
export function normalizeHeader(header: string): string {
  return foldAccents(header)
    .replace(/n[°º]/g, 'n ')
    .replace(/\bno\./g, 'no ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

const LOOKUP: ReadonlyMap<string, ImportField> = (() => {
  const map = new Map<string, ImportField>()
  for (const field of IMPORT_FIELDS) {
    for (const synonym of SYNONYMS[field]) if (!map.has(synonym)) map.set(synonym, field)
  }
  return map
})()

export function emptyMapping(): ColumnMapping {
  return Object.fromEntries(IMPORT_FIELDS.map((field) => [field, null])) as ColumnMapping
}

/**
 * Which column holds each field, from the header line: an exact synonym first, then a header
 * that starts with a synonym ("Montant TTC (€)", "Téléphone portable"). A column serves one
 * field; a field takes the first column that names it.
 */
export function detectMapping(headers: readonly string[]): ColumnMapping {
  const mapping = emptyMapping()
  const taken = new Set<number>()
  const normalized = headers.map(normalizeHeader)
  const assign = (field: ImportField, index: number) => {
    if (mapping[field] === null && !taken.has(index)) {
      mapping[field] = index
      taken.add(index)
    }
  }
  normalized.forEach((header, index) => {
    const field = LOOKUP.get(header)
    if (field) assign(field, index)
  })
  normalized.forEach((header, index) => {
    if (taken.has(index) || header === '') return
    for (const field of IMPORT_FIELDS) {
      if (mapping[field] !== null) continue
      if (SYNONYMS[field].some((synonym) => synonym.length >= 3 && header.startsWith(synonym + ' '))) {
        assign(field, index)
        break
      }
    }
  })
  return mapping
}

/** The mapping to save: each mapped field's header text. */
export function toSavedMapping(mapping: ColumnMapping, headers: readonly string[]): SavedMapping {
  const saved: SavedMapping = {}
  for (const field of IMPORT_FIELDS) {
    const index = mapping[field]
    if (index !== null && headers[index] !== undefined) saved[field] = headers[index]
  }
  return saved
}

/**
 * A saved mapping applied to a new file's headers: each field goes to the column with the same
 * (normalised) header; fields it does not place (or whose column is gone) are detected as usual.
 */
export function applySavedMapping(saved: SavedMapping, headers: readonly string[]): ColumnMapping {
  const mapping = emptyMapping()
  const normalized = headers.map(normalizeHeader)
  const taken = new Set<number>()
  for (const field of IMPORT_FIELDS) {
    const header = saved[field]
    if (header === undefined) continue
    const index = normalized.indexOf(normalizeHeader(header))
    if (index >= 0 && !taken.has(index)) {
      mapping[field] = index
      taken.add(index)
    }
  }
  const detected = detectMapping(headers)
  for (const field of IMPORT_FIELDS) {
    const index = detected[field]
    if (mapping[field] === null && index !== null && !taken.has(index)) {
      mapping[field] = index
      taken.add(index)
    }
  }
  return mapping
}

/** What the mapping lacks before a preview makes sense (French, for the wizard). */
export function mappingProblems(mapping: ColumnMapping): string[] {
  const problems: string[] = []
  if (mapping.legalName === null && mapping.lastName === null) {
    problems.push('Associez une colonne « Raison sociale » ou « Nom » : le débiteur doit être nommé.')
  }
  for (const field of REQUIRED_FIELDS) {
    if (mapping[field] === null) problems.push(`Associez une colonne « ${IMPORT_FIELD_LABELS[field]} » (obligatoire).`)
  }
  const seen = new Map<number, ImportField>()
  for (const field of IMPORT_FIELDS) {
    const index = mapping[field]
    if (index === null) continue
    const other = seen.get(index)
    if (other) {
      problems.push(
        `La même colonne est associée à « ${IMPORT_FIELD_LABELS[other]} » et à « ${IMPORT_FIELD_LABELS[field]} ».`
      )
    }
    seen.set(index, field)
  }
  return problems
}
