import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RpcCallError } from '@shared/contract'
import { L111_8_PARAGRAPHS } from '@shared/documents'
import { formatCents, formatDate } from '@shared/format/french'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'
import { CONSUMER, COMPANY, seedCase } from '../money/fixtures'
import { AGENCY, addAddress, norm, pdfText } from './fixtures'

const AT = '2026-06-30'

let app: RecouvraApp
let dataDir: string
let dispose: () => Promise<void>

beforeEach(async () => {
  ;({ app, dataDir, dispose } = await openTempApp())
})
afterEach(() => dispose())

async function consumerCase() {
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
      },
      { invoiceNumber: 'F-2025-102', principalCents: 45_050, dueOn: '2025-02-15', interestBasis: 'none' }
    ]
  })
  await addAddress(app, seeded.debtorId)
  return seeded
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof RpcCallError) return error.message
    throw error
  }
  throw new Error('expected a refusal')
}

describe('letters', () => {
  it('refuses every letter while the agency identity is incomplete', async () => {
    const { caseId } = await consumerCase()
    const message = await refusal(
      app.call('letters:generate', { caseId, templateCode: 'reminder', at: AT, channel: 'letter' })
    )
    expect(message).toContain('Identité de l’agence incomplète')
  })

  it('first letter carries every R124-4 mention and the data-protection block (read back with pdftotext)', async () => {
    await app.call('documents:agency-save', AGENCY)
    const { caseId, reference } = await consumerCase()
    const letter = await app.call('letters:generate', { caseId, templateCode: 'reminder', at: AT, channel: 'letter' })
    const file = await app.call('documents:open', { documentId: letter.documentId })
    const text = norm(pdfText(Buffer.from(file.dataBase64, 'base64')))
    const statement = await app.call('money:statement', { caseId, at: AT })

    // 1° agency name, address, amicable recovery activity
    expect(text).toContain(AGENCY.name)
    expect(text).toContain('18 quai Saint-Antoine 69002 Lyon')
    expect(text).toContain("exerce une activité de recouvrement amiable de créances pour le compte d'autrui")
    // 2° creditor name and address
    expect(text).toContain(statement.creditor.name)
    expect(text).toContain('1 rue de la Paix, 75002 Paris')
    // 3° basis and amounts, principal and interest separately, equal to the statement
    expect(text).toContain('F-2025-101')
    expect(text).toContain(norm(formatCents(statement.totals.principalCents)))
    expect(text).toContain(norm(formatCents(statement.totals.interestCents)))
    expect(statement.totals.interestCents).toBeGreaterThan(0)
    expect(text).toContain(norm(formatCents(statement.demandableBalanceCents)))
    for (const claim of statement.claims) {
      expect(text).toContain(norm(formatCents(claim.interestCents)))
      expect(text).toContain(norm(formatCents(claim.balance.totalCents)))
    }
    // 4° demand and payment methods
    expect(text).toContain('Modalités de paiement')
    expect(text).toContain(AGENCY.clientAccountIban)
    // 5° L111-8 al. 2 and 3 verbatim
    for (const paragraph of L111_8_PARAGRAPHS) expect(text).toContain(norm(paragraph))
    // GDPR block
    expect(text).toContain('Information sur vos données personnelles')
    expect(text).toContain(AGENCY.dpoContact)
    expect(text).toContain('CNIL')
    // No fee for a consumer
    expect(text).not.toMatch(/frais de dossier|indemnité forfaitaire/i)
    expect(letter.reference).toBe(`${reference}/C1`)
    expect(letter.templateVersion).toBe(1)
  })

  it('mise en demeure: mentions, amounts equal to the statement, deadline, first letter reference; stored once with its SHA-256 and journalled', async () => {
    await app.call('documents:agency-save', AGENCY)
    const { caseId } = await consumerCase()
    const first = await app.call('letters:generate', {
      caseId,
      templateCode: 'reminder',
      at: '2026-06-01',
      channel: 'letter'
    })
    const notice = await app.call('letters:generate', {
      caseId,
      templateCode: 'formal-notice',
      at: AT,
      channel: 'registered_letter'
    })
    const file = await app.call('documents:open', { documentId: notice.documentId })
    const pdf = Buffer.from(file.dataBase64, 'base64')
    const text = norm(pdfText(pdf))
    const statement = await app.call('money:statement', { caseId, at: AT })
    const mandatory = [
      'Mise en demeure',
      'nous vous mettons en demeure',
      AGENCY.name,
      '18 quai Saint-Antoine 69002 Lyon',
      'Lettre recommandée avec demande d’avis de réception',
      "exerce une activité de recouvrement amiable de créances pour le compte d'autrui",
      statement.creditor.name,
      '1 rue de la Paix, 75002 Paris',
      'Principal',
      'Intérêts',
      norm(formatCents(statement.totals.principalCents)),
      norm(formatCents(statement.totals.interestCents)),
      norm(formatCents(statement.demandableBalanceCents)),
      `au plus tard le ${formatDate('2026-07-08')}`,
      'À défaut de paiement',
      'Modalités de paiement',
      AGENCY.clientAccountIban,
      ...L111_8_PARAGRAPHS.map(norm),
      'Information sur vos données personnelles',
      AGENCY.dpoContact,
      `réf. ${first.reference} du ${formatDate('2026-06-01')}`,
      'Lyon, le 30 juin 2026'
    ]
    for (const mention of mandatory) expect(text, mention).toContain(norm(mention))
    for (const word of ['commandement', 'saisie', 'huissier', 'frais de dossier'])
      expect(text.toLowerCase()).not.toContain(word)

    // Stored once, content-addressed, hash matches, never overwritten.
    const sha = createHash('sha256').update(pdf).digest('hex')
    expect(notice.sha256).toBe(sha)
    const stored = readFileSync(join(dataDir, 'documents', sha.slice(0, 2), `${sha}.pdf`))
    expect(createHash('sha256').update(stored).digest('hex')).toBe(sha)
    const timeline = await app.call('journal:list', { caseId, offset: 0, limit: 50 })
    const entry = timeline.entries.find((e) => e.relatedId === notice.documentId)
    expect(entry?.kind).toBe('letter')
    expect(entry?.details).toMatchObject({
      sha256: sha,
      templateCode: 'formal-notice',
      templateVersion: 1,
      reference: notice.reference
    })

    // Marked sent: a registered letter needs its tracking number.
    expect(await refusal(app.call('letters:mark-sent', { letterId: notice.id, sentOn: AT }))).toContain(
      'numéro de suivi'
    )
    const sent = await app.call('letters:mark-sent', {
      letterId: notice.id,
      sentOn: AT,
      trackingNumber: '1A12345678901'
    })
    expect(sent).toMatchObject({ status: 'sent', sentOn: AT, trackingNumber: '1A12345678901' })
  })

  it('a later letter without the first letter reference is refused (rule check on the template)', async () => {
    await app.call('documents:agency-save', AGENCY)
    const { caseId } = await consumerCase()
    await app.call('letters:generate', { caseId, templateCode: 'reminder', at: '2026-06-01', channel: 'letter' })
    const preview = await app.call('letters:preview', { caseId, templateCode: 'firm-reminder', at: AT })
    expect(preview.refusals).toEqual([])
    expect(norm(preview.text)).toContain('Premier courrier : réf.')
  })

  it('editing a template makes a new version, recorded by the letters; forbidden words and fees are refused', async () => {
    await app.call('documents:agency-save', AGENCY)
    const { caseId } = await consumerCase()
    const v1 = await app.call('templates:get', { code: 'reminder' })
    const v2 = await app.call('templates:save', {
      code: 'reminder',
      content: { ...v1.content, body: v1.content.body.replace('Nous intervenons', 'Pour rappel, nous intervenons') },
      note: 'Formulation'
    })
    expect(v2.version).toBe(2)
    expect(v2.versions.map((v) => v.version)).toEqual([2, 1])
    const letter = await app.call('letters:generate', { caseId, templateCode: 'reminder', at: AT, channel: 'letter' })
    expect(letter.templateVersion).toBe(2)

    await expect(
      app.call('templates:save', { code: 'reminder', content: { ...v1.content, body: '{{debiteur.inconnu}}' } })
    ).rejects.toThrow(/champ inconnu/)

    await app.call('templates:save', {
      code: 'firm-reminder',
      content: {
        ...(await app.call('templates:get', { code: 'firm-reminder' })).content,
        title: 'Commandement de payer'
      }
    })
    const court = await refusal(
      app.call('letters:generate', { caseId, templateCode: 'firm-reminder', at: AT, channel: 'letter' })
    )
    expect(court).toContain('commandement')

    const lr = await app.call('templates:get', { code: 'last-reminder' })
    await app.call('templates:save', {
      code: 'last-reminder',
      content: { ...lr.content, body: `${lr.content.body}\n\nDes frais de dossier de 30 € seront ajoutés.` }
    })
    const fees = await refusal(
      app.call('letters:generate', { caseId, templateCode: 'last-reminder', at: AT, channel: 'letter' })
    )
    expect(fees).toContain('L. 111-8')
  })

  it('restoring a past version makes a new version equal to it; the old versions stay as they were', async () => {
    await app.call('documents:agency-save', AGENCY)
    const { caseId } = await consumerCase()
    const v1 = await app.call('templates:get', { code: 'reminder' })
    await app.call('templates:save', {
      code: 'reminder',
      content: { ...v1.content, subject: 'Objet modifié par erreur' },
      note: 'Essai'
    })
    const before = await app.call('letters:generate', { caseId, templateCode: 'reminder', at: AT, channel: 'letter' })
    expect(before.templateVersion).toBe(2)
    const v3 = await app.call('templates:restore', { code: 'reminder', version: 1 })
    expect(v3.version).toBe(3)
    expect(v3.content).toEqual(v1.content)
    expect(v3.note).toBe('Restauration de la version 1')
    expect(v3.versions.map((v) => v.version)).toEqual([3, 2, 1])
    // Versions are never edited: v2 is still what the earlier letter used.
    expect((await app.call('templates:get', { code: 'reminder', version: 2 })).content.subject).toBe(
      'Objet modifié par erreur'
    )
    expect((await app.call('templates:get', { code: 'reminder', version: 1 })).content).toEqual(v1.content)
    const after = await app.call('letters:generate', { caseId, templateCode: 'reminder', at: AT, channel: 'letter' })
    expect(after.templateVersion).toBe(3)
    await expect(app.call('templates:restore', { code: 'reminder', version: 3 })).rejects.toThrow(
      /déjà la version en vigueur/
    )
    await expect(app.call('templates:restore', { code: 'reminder', version: 9 })).rejects.toThrow()
  })

  it('never demands a time-barred claim: left out of the letter, and a case with nothing else is refused', async () => {
    await app.call('documents:agency-save', AGENCY)
    // Professional creditor, consumer debtor: 2 years (L218-2).
    const mixed = await seedCase(app, {
      debtor: CONSUMER,
      claims: [
        { invoiceNumber: 'OLD-2021', principalCents: 50_000, dueOn: '2021-03-01', interestBasis: 'none' },
        { invoiceNumber: 'NEW-2026', principalCents: 30_000, dueOn: '2026-03-01', interestBasis: 'none' }
      ]
    })
    await addAddress(app, mixed.debtorId)
    const letter = await app.call('letters:generate', {
      caseId: mixed.caseId,
      templateCode: 'reminder',
      at: AT,
      channel: 'letter'
    })
    const text = norm(
      pdfText(Buffer.from((await app.call('documents:open', { documentId: letter.documentId })).dataBase64, 'base64'))
    )
    expect(text).not.toContain('OLD-2021')
    expect(text).toContain('NEW-2026')
    expect(text).toContain(norm(formatCents(30_000)))

    const barred = await seedCase(app, {
      debtor: CONSUMER,
      claims: [{ invoiceNumber: 'OLD-2020', principalCents: 50_000, dueOn: '2020-03-01', interestBasis: 'none' }]
    })
    await addAddress(app, barred.debtorId)
    expect(
      await refusal(
        app.call('letters:generate', {
          caseId: barred.caseId,
          templateCode: 'formal-notice',
          at: AT,
          channel: 'letter'
        })
      )
    ).toContain('Aucune somme exigible')
  })

  it('a letter cancelled before sending is never the first letter; a sent letter cannot be cancelled', async () => {
    await app.call('documents:agency-save', AGENCY)
    const { caseId } = await consumerCase()
    const mistaken = await app.call('letters:generate', {
      caseId,
      templateCode: 'reminder',
      at: '2026-06-01',
      channel: 'letter'
    })
    const cancelled = await app.call('letters:cancel', { letterId: mistaken.id, reason: 'Mauvaise adresse' })
    expect(cancelled.status).toBe('cancelled')
    const next = await app.call('letters:generate', {
      caseId,
      templateCode: 'reminder',
      at: '2026-06-02',
      channel: 'letter'
    })
    const text = norm(
      pdfText(Buffer.from((await app.call('documents:open', { documentId: next.documentId })).dataBase64, 'base64'))
    )
    // Still the first letter: full mentions, no reference to the cancelled one.
    expect(text).toContain(norm(L111_8_PARAGRAPHS[0]))
    expect(text).not.toContain(mistaken.reference)
    await app.call('letters:mark-sent', { letterId: next.id, sentOn: '2026-06-02' })
    expect(await refusal(app.call('letters:cancel', { letterId: next.id, reason: 'Erreur' }))).toContain('envoyé')
  })
})
