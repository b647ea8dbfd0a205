import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AgencyIdentity } from '@shared/contract'
import { uuid7 } from '@shared/ids/uuid7'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { DebtorAddressEntity } from '../../../src-main/modules/debtors/debtor-contact.entity'
import { TEST_NOW } from '../helpers/temp-app'

/** A complete agency identity (test data). */
export const AGENCY: AgencyIdentity = {
  name: 'Cabinet Lumière Recouvrement',
  legalForm: 'SAS',
  siren: '812345678',
  capital: '10 000 €',
  rcsCity: 'Lyon',
  addressLine1: '18 quai Saint-Antoine',
  addressLine2: '',
  postalCode: '69002',
  city: 'Lyon',
  phone: '04 72 10 20 30',
  email: 'contact@lumiere-recouvrement.fr',
  insurer: 'Mutuelle des Professions Libérales',
  insurancePolicy: 'RCP-2026-4411',
  clientAccountBank: 'Banque Populaire Auvergne Rhône Alpes',
  clientAccountHolder: 'Cabinet Lumière Recouvrement – fonds de tiers',
  clientAccountIban: 'FR76 1680 7000 0112 3456 7890 123',
  clientAccountBic: 'CCBPFRPPGRE',
  chequePayee: 'Cabinet Lumière Recouvrement',
  prosecutorDeclaration: 'déclarée au procureur de la République de Lyon le 12/01/2021',
  dpoContact: 'dpo@lumiere-recouvrement.fr, 18 quai Saint-Antoine, 69002 Lyon',
  retention: 'pendant la durée du recouvrement, puis cinq ans en archive intermédiaire',
  paymentDelayDays: 8,
  signatory: 'Claire Martin',
  logoSha256: null
}

export async function addAddress(app: RecouvraApp, debtorId: string): Promise<void> {
  await app.db.write((manager) =>
    manager.insert(DebtorAddressEntity, {
      id: uuid7(),
      createdAt: TEST_NOW,
      createdBy: null,
      updatedAt: TEST_NOW,
      updatedBy: null,
      version: 1,
      debtorId,
      line1: '12 rue des Lilas',
      line2: null,
      postalCode: '69003',
      city: 'Lyon',
      country: 'FR',
      validFrom: '2020-01-01',
      validTo: null,
      source: 'test'
    })
  )
}

/** Text of a PDF as pdftotext reads it, spaces normalised (no-break spaces become spaces). */
export function pdfText(pdf: Buffer | Uint8Array, options: { layout?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'recouvra-pdf-'))
  try {
    const file = join(dir, 'letter.pdf')
    writeFileSync(file, pdf)
    const args = [...(options.layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-']
    return execFileSync('pdftotext', args, { encoding: 'utf8' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Compares texts the way a reader does: spaces of any kind and apostrophes alike. */
export function norm(text: string): string {
  return text
    .replace(/[\u2019']/g, "'")
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim()
}
