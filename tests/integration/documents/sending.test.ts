import { createHash } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { PDFDocument } from 'pdf-lib'
import { RpcCallError } from '@shared/contract'
import { formatCents, formatDate } from '@shared/format/french'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'
import { COMPANY, CONSUMER, seedCase } from '../money/fixtures'
import { AGENCY, addAddress, norm, pdfText } from './fixtures'

const AT = '2026-06-30'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeEach(async () => {
  ;({ app, dispose } = await openTempApp())
  await app.call('documents:agency-save', AGENCY)
})
afterEach(() => dispose())

async function seeded(debtor = CONSUMER) {
  const c = await seedCase(app, {
    creditor: COMPANY,
    debtor,
    claims: [
      {
        invoiceNumber: 'F-2026-001',
        principalCents: 80_000,
        dueOn: '2026-02-01',
        interestBasis: 'b2b_penalty',
        indemnityApplies: true
      },
      { invoiceNumber: 'F-2026-002', principalCents: 20_000, dueOn: '2026-03-01', interestBasis: 'none' }
    ]
  })
  await addAddress(app, c.debtorId)
  return c
}

async function pdfOf(documentId: string): Promise<string> {
  const file = await app.call('documents:open', { documentId })
  return norm(pdfText(Buffer.from(file.dataBase64, 'base64')))
}

describe('sending and recording', () => {
  it('writes an .eml file with the PDF attached, stored and journalled', async () => {
    const { caseId } = await seeded()
    const letter = await app.call('letters:generate', { caseId, templateCode: 'reminder', at: AT, channel: 'email' })
    const result = await app.call('letters:email', { letterId: letter.id, to: 'marie.durand@example.org', mode: 'eml' })
    expect(result.emlDocumentId).not.toBeNull()
    const eml = await app.call('documents:open', { documentId: result.emlDocumentId! })
    expect(eml.mimeType).toBe('message/rfc822')
    const text = Buffer.from(eml.dataBase64, 'base64').toString('utf8')
    expect(text).toMatch(/^To: marie\.durand@example\.org/m)
    expect(text).toContain('Content-Type: application/pdf')
    expect(text).toContain(`filename=${letter.reference.replace(/[^A-Za-z0-9-]+/g, '-')}-reminder.pdf`)
    // The attachment is the stored PDF, byte for byte.
    const attached =
      /Content-Transfer-Encoding: base64\r?\nContent-Disposition: attachment[^\r\n]*\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/.exec(
        text
      )
    expect(attached).not.toBeNull()
    const pdf = Buffer.from(attached![1]!.replace(/\s+/g, ''), 'base64')
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(letter.sha256)
    const timeline = await app.call('journal:list', { caseId, offset: 0, limit: 20, kinds: ['email'] })
    expect(timeline.entries.some((e) => e.summary.includes('marie.durand@example.org'))).toBe(true)
  })

  it('sends through SMTP to a real loopback server, PDF attached, and marks the letter sent', async () => {
    const received: { from: string; to: string[]; data: string }[] = []
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8')
          })
          callback()
        })
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const port = (server.server.address() as AddressInfo).port
      await app.call('documents:smtp-save', {
        host: '127.0.0.1',
        port,
        secure: false,
        user: '',
        password: '',
        from: 'relances@lumiere-recouvrement.fr'
      })
      const { caseId } = await seeded()
      const letter = await app.call('letters:generate', { caseId, templateCode: 'reminder', at: AT, channel: 'email' })
      const result = await app.call('letters:email', {
        letterId: letter.id,
        to: 'marie.durand@example.org',
        mode: 'smtp'
      })
      expect(result.messageId).toBeTruthy()
      expect(result.letter.status).toBe('sent')
      expect(received).toHaveLength(1)
      expect(received[0]!.from).toBe('relances@lumiere-recouvrement.fr')
      expect(received[0]!.to).toEqual(['marie.durand@example.org'])
      expect(received[0]!.data).toContain('application/pdf')
      expect(received[0]!.data).toMatch(/Subject: =\?UTF-8\?|Subject: Relance/)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('an unreachable SMTP server is a French refusal, nothing marked sent', async () => {
    await app.call('documents:smtp-save', {
      host: '127.0.0.1',
      port: 1,
      secure: false,
      user: '',
      password: '',
      from: 'a@b.fr'
    })
    const { caseId } = await seeded()
    const letter = await app.call('letters:generate', { caseId, templateCode: 'reminder', at: AT, channel: 'email' })
    const error = await app
      .call('letters:email', { letterId: letter.id, to: 'x@example.org', mode: 'smtp' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcCallError)
    expect((error as RpcCallError).message).toContain('n’a pas pu être envoyé')
    expect((await app.call('letters:list', { caseId }))[0]!.status).toBe('generated')
  })

  it('SMS: refused before a first letter, then recorded with the first letter reference and a journal entry', async () => {
    const { caseId } = await seeded()
    const refused = await app
      .call('letters:sms', { caseId, templateCode: 'reminder', at: AT, phone: '+33612345678' })
      .catch((e: unknown) => e as RpcCallError)
    expect((refused as RpcCallError).message).toContain('premier contact écrit')
    const first = await app.call('letters:generate', {
      caseId,
      templateCode: 'reminder',
      at: '2026-06-01',
      channel: 'letter'
    })
    const sms = await app.call('letters:sms', { caseId, templateCode: 'firm-reminder', at: AT, phone: '+33612345678' })
    expect(sms.channel).toBe('sms')
    const timeline = await app.call('journal:list', { caseId, offset: 0, limit: 20, kinds: ['sms'] })
    expect(timeline.entries[0]!.summary).toContain(
      `Réf. 1er courrier ${first.reference} du ${formatDate('2026-06-01')}`
    )
  })

  it('injonction de payer file: request summary and evidence bundle with the statement, every letter, the journal and SHA-256s', async () => {
    const { caseId } = await seeded(COMPANY)
    const first = await app.call('letters:generate', {
      caseId,
      templateCode: 'reminder',
      at: '2026-05-04',
      channel: 'letter'
    })
    const notice = await app.call('letters:generate', {
      caseId,
      templateCode: 'formal-notice',
      at: '2026-06-01',
      channel: 'registered_letter'
    })
    await app.call('letters:mark-sent', { letterId: notice.id, sentOn: '2026-06-02', trackingNumber: '1A00112233445' })
    const { summary, bundle } = await app.call('documents:injunction-file', { caseId, at: AT })
    const statement = await app.call('money:statement', { caseId, at: AT })

    const s = await pdfOf(summary.documentId)
    expect(s).toContain('Récapitulatif pour la requête en injonction de payer')
    expect(s).toContain('tribunal de commerce')
    expect(s).toContain(norm(formatCents(statement.demandableBalanceCents)))
    expect(s).toContain('F-2026-001')
    expect(s).toContain(`Mise en demeure du ${formatDate('2026-06-01')}`)
    expect(s).toContain(first.sha256)

    const b = await pdfOf(bundle.documentId)
    expect(b).toContain('Dossier de pièces')
    expect(b).toContain(norm(formatCents(statement.totals.interestCents)))
    expect(b).toContain(first.reference)
    expect(b).toContain(notice.reference)
    expect(b).toContain(notice.sha256)
    expect(b).toContain('1A00112233445')
    expect(b).toContain('Journal des appels et contacts')
    expect(b).toContain(`Copie du courrier ${notice.reference}`)
    // The B2B €40 indemnity is shown between professionals.
    expect(b).toContain(norm(formatCents(4_000)))

    // After its own pages, the bundle carries the letters as stored (originals, in date order):
    // its last pages are the mise en demeure's, page for page.
    const stored = async (documentId: string) =>
      Buffer.from((await app.call('documents:open', { documentId })).dataBase64, 'base64')
    const bundlePdf = await PDFDocument.load(await stored(bundle.documentId))
    const firstPdf = await PDFDocument.load(await stored(first.documentId))
    const noticeBytes = await stored(notice.documentId)
    const noticePdf = await PDFDocument.load(noticeBytes)
    expect(bundlePdf.getPageCount()).toBeGreaterThan(firstPdf.getPageCount() + noticePdf.getPageCount())
    const tail = await PDFDocument.create()
    const last = bundlePdf.getPageIndices().slice(-noticePdf.getPageCount())
    for (const page of await tail.copyPages(bundlePdf, last)) tail.addPage(page)
    expect(norm(pdfText(Buffer.from(await tail.save())))).toBe(norm(pdfText(noticeBytes)))
  })

  it('a payment gives the debtor a receipt and the client a notice', async () => {
    const { caseId } = await seeded()
    await app.call('letters:generate', { caseId, templateCode: 'reminder', at: '2026-05-04', channel: 'letter' })
    const recorded = await app.call('money:record-payment', {
      caseId,
      receivedOn: '2026-06-15',
      amountCents: 25_000,
      method: 'transfer',
      receivedBy: 'agency',
      reference: 'VIR-778'
    })
    const paymentId = recorded.payment.id
    const { receipt, clientNotice } = await app.call('documents:payment-documents', { paymentId })
    const r = await pdfOf(receipt.documentId)
    expect(r).toContain('Reçu de paiement')
    expect(r).toContain('quittance')
    expect(r).toContain(`Paiement de ${norm(formatCents(25_000))} reçu le ${formatDate('2026-06-15')}`)
    expect(r).toContain('VIR-778')
    expect(r).toContain('Premier courrier')
    const journal = await app.call('journal:list', { caseId, offset: 0, limit: 50, kinds: ['letter'] })
    expect(journal.entries.find((e) => e.relatedId === receipt.documentId)?.details).toMatchObject({
      paymentId,
      templateCode: 'payment-receipt'
    })
    const c = await pdfOf(clientNotice.documentId)
    expect(c).toContain('R. 124-5')
    expect(c).toContain(norm(formatCents(25_000)))
  })

  it('a reversed payment gives the debtor a corrective notice: the payment, the corrected balance by component, journalled sent', async () => {
    const { caseId } = await seeded()
    // TEST DATA, not the official figures: the shipped table stops at 2026-S1 (test clock 2026-11-23).
    await app.call('rates:add-semester', { kind: 'ecb_refinancing', semester: '2026-S2', ratePercent: '2,15' })
    await app.call('rates:add-semester', {
      kind: 'legal_interest',
      semester: '2026-S2',
      creditorIndividualPercent: '6,50',
      otherCasesPercent: '3,00'
    })
    await app.call('letters:generate', { caseId, templateCode: 'reminder', at: '2026-05-04', channel: 'letter' })
    const recorded = await app.call('money:record-payment', {
      caseId,
      receivedOn: '2026-06-15',
      amountCents: 25_000,
      method: 'cheque',
      receivedBy: 'agency',
      reference: 'CHQ-4411'
    })
    const reversed = await app.call('money:reverse-payment', {
      paymentId: recorded.payment.id,
      reversedOn: '2026-06-25',
      reason: 'Chèque impayé (provision insuffisante)'
    })
    // Only from a reversal.
    await expect(app.call('documents:reversal-notice', { paymentId: recorded.payment.id })).rejects.toThrow(
      /contre-passation/
    )
    const notice = await app.call('documents:reversal-notice', { paymentId: reversed.reversal.id })
    expect(notice).toMatchObject({ status: 'sent', channel: 'letter', templateCode: 'reversal-notice' })
    const text = await pdfOf(notice.documentId)
    const statement = await app.call('money:statement', { caseId, at: notice.letterDate })
    expect(text).toContain('Avis de rectification')
    expect(text).toContain('contre-passé')
    expect(text).toContain(`Paiement de ${norm(formatCents(25_000))} reçu le ${formatDate('2026-06-15')}`)
    expect(text).toContain('CHQ-4411')
    // The corrected balance, component by component: the reversed payment no longer counts.
    const shown = statement.claims.filter((c) => c.balance.totalCents > 0 && !c.timeBarred)
    const sum = (pick: (c: (typeof shown)[number]) => number) => shown.reduce((n, c) => n + pick(c), 0)
    const t = {
      duePrincipalCents: sum((c) => c.balance.principalCents),
      dueInterestCents: sum((c) => c.balance.interestCents),
      dueIndemnityCents: sum((c) => c.balance.indemnityCents),
      paidCents: sum((c) => c.paidCents),
      balanceCents: sum((c) => c.balance.totalCents)
    }
    expect(text).toContain(`Principal restant dû : ${norm(formatCents(t.duePrincipalCents))}`)
    expect(text).toContain(`Intérêts : ${norm(formatCents(t.dueInterestCents))}`)
    expect(text).toContain(`Indemnités et frais : ${norm(formatCents(t.dueIndemnityCents))}`)
    expect(text).toContain(`Paiements reçus et conservés : ${norm(formatCents(t.paidCents))}`)
    expect(t.paidCents).toBe(0)
    expect(text).toContain(`Solde restant dû à`)
    expect(text).toContain(norm(formatCents(t.balanceCents)))
    // The mentions of a letter to the debtor: the agency, the first letter's reference.
    expect(text).toContain('Premier courrier')
    expect(text).toContain(norm(AGENCY.name))
    const journal = await app.call('journal:list', { caseId, offset: 0, limit: 50, kinds: ['letter'] })
    const entry = journal.entries.find((e) => e.relatedId === notice.documentId)!
    expect(entry.summary).toContain('Avis de rectification envoyé au débiteur')
    expect(entry.details).toMatchObject({ reversalPaymentId: reversed.reversal.id, templateCode: 'reversal-notice' })
  })

  it('remittance statement: collections, commission, VAT and net for the client, stored as a PDF', async () => {
    const { caseId, clientId } = await seeded()
    await app.call('money:record-payment', {
      caseId,
      receivedOn: '2026-06-10',
      amountCents: 50_000,
      method: 'transfer',
      receivedBy: 'agency'
    })
    const remittance = await app.call('remittances:create', { clientId, from: '2026-06-01', to: '2026-06-30' })
    const file = await app.call('documents:remittance-statement', { remittanceId: remittance.id })
    expect(file.mimeType).toBe('application/pdf')
    const text = norm(pdfText(Buffer.from(file.dataBase64, 'base64')))
    expect(text).toContain('Relevé de reversement')
    expect(text).toContain(`du ${formatDate('2026-06-01')} au ${formatDate('2026-06-30')}`)
    expect(text).toContain(norm(formatCents(50_000)))
    expect(text).toContain(norm(formatCents(remittance.totals.commissionCents)))
    expect(text).toContain(norm(formatCents(remittance.totals.vatCents)))
    expect(text).toContain(`Net reversé ${norm(formatCents(remittance.totals.netCents))}`)
  })
})
