import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import type { PreparedLetter } from '../../../src-main/modules/documents/documents.service'
import { PdfPool, pdfPool } from '../../../src-main/modules/documents/pdf-pool'
import { renderLetterPdf } from '../../../src-main/modules/documents/pdf-renderer'
import { bundlePdfWorker } from '../helpers/pdf-worker-bundle'
import { openTempApp } from '../helpers/temp-app'
import { CONSUMER, COMPANY, seedCase } from '../money/fixtures'
import { AGENCY, addAddress, norm, pdfText } from './fixtures'

const AT = '2026-06-30'

/** The PDF worker thread renders the same letter as the main thread (worker bundled by the test). */
describe('PDF worker thread', () => {
  let app: RecouvraApp
  let dispose: () => Promise<void>
  let workerFile: string
  let removeWorker: (() => void) | undefined
  let letter: PreparedLetter

  beforeAll(async () => {
    ;({ file: workerFile, remove: removeWorker } = await bundlePdfWorker())
    ;({ app, dispose } = await openTempApp())
    await app.call('documents:agency-save', AGENCY)
    const seeded = await seedCase(app, {
      creditor: COMPANY,
      debtor: CONSUMER,
      claims: [
        {
          invoiceNumber: 'F-2025-101',
          principalCents: 120_000,
          dueOn: '2025-01-15',
          interestBasis: 'legal',
          interestFrom: '2025-03-01'
        }
      ]
    })
    await addAddress(app, seeded.debtorId)
    letter = await app.db.read((m) =>
      app.services.documents.prepareLetter(m, { caseId: seeded.caseId, templateCode: 'formal-notice', at: AT })
    )
  }, 120_000)
  afterAll(async () => {
    await dispose?.()
    removeWorker?.()
  })

  it('the sources have no bundled worker: letters render in this thread', () => {
    expect(pdfPool()).toBeNull()
  })

  it('a worker renders the same PDF text as the main thread, also several letters at once', async () => {
    const pool = new PdfPool(workerFile, 2)
    try {
      const here = norm(pdfText(await renderLetterPdf(letter.model)))
      const viaRenderLetter = await app.services.documents.renderPrepared(letter)
      expect(norm(pdfText(viaRenderLetter.pdf))).toBe(here)
      const inWorkers = await Promise.all([1, 2, 3].map(() => pool.render(letter.model)))
      for (const pdf of inWorkers) {
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
        expect(norm(pdfText(pdf))).toBe(here)
        // Same layout too: pdftotext -layout places every word at the same spot.
        expect(pdfText(pdf, { layout: true })).toBe(pdfText(await renderLetterPdf(letter.model), { layout: true }))
      }
      expect(here).toContain(letter.reference)
      expect(pool.usesWorkers).toBe(true)
    } finally {
      await pool.close()
    }
  }, 120_000)

  it('falls back to this thread when the worker cannot start', async () => {
    const pool = new PdfPool(join(dirname(workerFile), 'missing-worker.js'), 1)
    try {
      const pdf = await pool.render(letter.model)
      expect(pool.usesWorkers).toBe(false)
      expect(norm(pdfText(pdf))).toBe(norm(pdfText(await renderLetterPdf(letter.model))))
    } finally {
      await pool.close()
    }
  }, 120_000)
})
