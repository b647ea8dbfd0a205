import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'
import { AGENCY, addAddress, norm, pdfText } from '../documents/fixtures'
import { COMPANY, CONSUMER, seedCase } from './fixtures'

// Every payment received yields a receipt for the debtor (CPCE R124-6) and a notice to the client
// (R124-5): queued with the payment, made in the background, never at the payment's expense.
let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

const worker = () => app.services.payments.documents!

async function caseWithAddress() {
  const seeded = await seedCase(app, {
    creditor: COMPANY,
    debtor: CONSUMER,
    claims: [
      { invoiceNumber: `R-${Math.random().toString(36).slice(2, 8)}`, principalCents: 80_000, dueOn: '2025-09-01' }
    ]
  })
  await addAddress(app, seeded.debtorId)
  return seeded
}

const pay = (caseId: string, amountCents = 25_000) =>
  app.call('money:record-payment', {
    caseId,
    receivedOn: '2026-11-20',
    amountCents,
    method: 'transfer',
    receivedBy: 'agency'
  })

const documentsOf = async (caseId: string, paymentId: string) =>
  (await app.call('money:list-payments', { caseId })).find((p) => p.id === paymentId)!.documents

describe('automatic receipts and client notices', () => {
  it('a payment whose documents cannot be made is recorded all the same; the failure is shown, the retry makes them', async () => {
    const s = await caseWithAddress()
    // No agency identity yet: the letters are refused (R124-4 mentions), not the payment.
    const recorded = await pay(s.caseId)
    expect(recorded.payment.documents).toMatchObject({ status: 'pending', attempts: 0 })
    await worker().idle()
    const failed = await documentsOf(s.caseId, recorded.payment.id)
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, receiptLetterId: null })
    expect(failed!.error).toContain('Identité de l’agence incomplète')
    expect(failed!.nextAttemptAt! > '2026-11-23').toBe(true)
    expect((await app.call('money:list-payments', { caseId: s.caseId })).length).toBe(1)

    await app.call('documents:agency-save', AGENCY)
    await app.call('money:retry-payment-documents', { paymentId: recorded.payment.id })
    await worker().idle()
    const done = await documentsOf(s.caseId, recorded.payment.id)
    expect(done).toMatchObject({ status: 'done', attempts: 1, error: null })
    const letters = await app.call('letters:list', { caseId: s.caseId })
    const receipt = letters.find((l) => l.id === done!.receiptLetterId)!
    const notice = letters.find((l) => l.id === done!.noticeLetterId)!
    expect([receipt.templateCode, notice.templateCode]).toEqual(['payment-receipt', 'client-payment-notice'])
    const file = await app.call('documents:open', { documentId: receipt.documentId })
    expect(norm(pdfText(Buffer.from(file.dataBase64, 'base64')))).toContain('250,00 €')
    // Done once: a second retry is refused, nothing made twice.
    await expect(app.call('money:retry-payment-documents', { paymentId: recorded.payment.id })).rejects.toThrow(
      /déjà émis/
    )
  })

  it('several payments in a row are each recorded at once and all get their documents', async () => {
    const s = await caseWithAddress()
    const started = Date.now()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await pay(s.caseId, 1_000 + i)).payment.id)
    const entryMs = Date.now() - started
    await worker().idle()
    const payments = await app.call('money:list-payments', { caseId: s.caseId })
    expect(payments.map((p) => p.documents?.status)).toEqual(['done', 'done', 'done', 'done', 'done'])
    const letters: Array<{ n: number }> = await app.db.read((m) =>
      m.query(
        "SELECT COUNT(*) AS n FROM letter WHERE case_id = ? AND template_code IN ('payment-receipt', 'client-payment-notice')",
        [s.caseId]
      )
    )
    expect(letters[0]!.n).toBe(10)
    expect(entryMs).toBeLessThan(15_000)
  })

  it('a PDF failure never undoes the payment: recorded, retried later', async () => {
    const s = await caseWithAddress()
    const documents = app.services.documents
    const original = documents.renderPrepared.bind(documents)
    documents.renderPrepared = () => Promise.reject(new Error('PDF worker crashed'))
    try {
      const recorded = await pay(s.caseId)
      await worker().idle()
      const state = await documentsOf(s.caseId, recorded.payment.id)
      expect(state).toMatchObject({ status: 'pending', attempts: 1 })
      expect(state!.error).toContain('Erreur inattendue')
      const summary = await app.call('money:list-payments', { caseId: s.caseId })
      expect(summary[0]!.amountCents).toBe(25_000)
    } finally {
      documents.renderPrepared = original
    }
  })

  it('a payment reversed before its documents were made gets none (cancelled)', async () => {
    const s = await caseWithAddress()
    const saved = app.services.payments.documents
    app.services.payments.documents = null // queued, not yet made
    let paymentId: string
    try {
      paymentId = (await pay(s.caseId)).payment.id
      await app.call('money:reverse-payment', { paymentId, reversedOn: '2026-11-21', reason: 'Virement rejeté' })
    } finally {
      app.services.payments.documents = saved
    }
    expect(await documentsOf(s.caseId, paymentId)).toMatchObject({ status: 'cancelled' })
    const reversal = (await app.call('money:list-payments', { caseId: s.caseId })).find((p) => p.amountCents < 0)!
    expect(reversal.documents).toBeNull()
  })

  it('made by hand from the Documents tab before the worker: the queue says so, never made twice', async () => {
    const s = await caseWithAddress()
    const saved = app.services.payments.documents
    app.services.payments.documents = null // queued, the worker not yet run
    let paymentId: string
    try {
      paymentId = (await pay(s.caseId)).payment.id
    } finally {
      app.services.payments.documents = saved
    }
    const made = await app.call('documents:payment-documents', { paymentId })
    expect(await documentsOf(s.caseId, paymentId)).toMatchObject({
      status: 'done',
      receiptLetterId: made.receipt.id,
      noticeLetterId: made.clientNotice.id
    })
    await worker().drain()
    await expect(app.call('documents:payment-documents', { paymentId })).rejects.toThrow(/déjà émis/)
    expect((await app.call('letters:list', { caseId: s.caseId })).length).toBe(2)
  })
})
