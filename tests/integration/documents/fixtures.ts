import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { uuid7 } from '@shared/ids/uuid7'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { DebtorAddressEntity } from '../../../src-main/modules/debtors/debtor-contact.entity'
import { TEST_NOW } from '../helpers/temp-app'

/** A complete agency identity (test data, shared with the e2e specs). */
export { TEST_AGENCY as AGENCY } from '../../fixtures/agency'

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
