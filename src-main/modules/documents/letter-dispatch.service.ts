import nodemailer from 'nodemailer'
import { In, type EntityManager } from 'typeorm'
import {
  AppError,
  notFound,
  type LetterDto,
  type SessionUser,
  type SmtpSettings,
  type StoredFile
} from '@shared/contract'
import {
  DEFAULT_TEMPLATES,
  PLACEHOLDER_CATALOGUE,
  type LetterModel,
  type LetterSection,
  type TemplateCode,
  mergeText,
  splitBody
} from '@shared/documents'
import { formatBasisPoints, formatCents } from '@shared/format/french'
import { formatDate, formatDateLong, formatInstant } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { appendJournalEntry } from '../journal/journal.service'
import { PaymentEntity } from '../money/payment.entity'
import { PaymentDocumentJobEntity } from '../money/payment-document-job.entity'
import { markPaymentDocumentsDone } from '../money/payment-documents'
import { DocumentEntity } from './document.entity'
import type { DocumentTemplateEntity } from './document-template.entity'
import type { DocumentsService } from './documents.service'
import { LetterEntity } from './letter.entity'
import { EmailAttemptEntity } from './email-attempt.entity'
import { agencyAddressLines, mergeData } from './letter-builder'
import { renderPdf } from './pdf-pool'
import { CaseEntity } from '../cases/case.entity'
import { ClientEntity } from '../clients/client.entity'
import { DebtorEntity } from '../debtors/debtor.entity'
import { RemittanceEntity, RemittanceLineEntity } from '../money/remittance.entities'

/** What an e-mail a crash left between the SMTP server and its recording is called, for the user. */
export const UNCERTAIN_SENDING = 'Envoi incertain — vérifier avant de renvoyer'

/** A letter's last e-mail attempt, as the user reads it. */
export interface EmailAttemptState {
  attemptId: string
  status: 'sending' | 'uncertain' | 'sent' | 'failed' | 'superseded'
  at: string
  to: string
  messageId: string | null
  reason: string | null
}

/** Forbidden in an SMS for the same reasons as in a letter (see rules.ts). */
const SMS_FORBIDDEN =
  /commandement|saisie|huissier|commissaire de justice|poursuites|frais de (dossier|recouvrement|gestion)/i

/**
 * Sending: e-mails (an .eml file for the user's mail client, or SMTP), SMS texts to send through
 * the agency's provider, the injonction de payer file and the documents of a payment.
 */
export class LetterDispatchService {
  /** Letters being sent through SMTP right now, one by one or by a batch: never two sends at once. */
  readonly sending = new Set<string>()

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly documents: DocumentsService
  ) {}

  private author(user: { id: string }) {
    return { userId: user.id, now: this.clock.now().toISOString() }
  }

  /**
   * Reads a generated letter and builds its e-mail (PDF attached, text in the body). The
   * Message-ID is derived from the letter id: a message sent twice (a crash between the
   * server's acceptance and its recording) carries the same id, which mail systems de-duplicate.
   */
  async prepareEmail(letterId: string, to: string) {
    const prepared = await this.db.read(async (manager) => {
      const letter = await manager.findOne(LetterEntity, { where: { id: letterId } })
      if (!letter) throw notFound('Letter', letterId, 'Courrier')
      const doc = await manager.findOneOrFail(DocumentEntity, { where: { id: letter.documentId } })
      const agency = await this.documents.agency(manager)
      const smtp = await this.documents.smtp(manager)
      const pdf = await this.documents.store.read(doc.storagePath, doc.sha256, manager)
      return { letter, doc, agency, smtp, pdf }
    })
    const { letter, doc, agency, smtp, pdf } = prepared
    const from = smtp?.from || agency.email
    if (!from)
      throw new AppError(
        'BUSINESS_RULE',
        'Renseignez l’adresse e-mail de l’agence (Paramètres) avant d’envoyer un e-mail.',
        'No sender address'
      )
    const name = DEFAULT_TEMPLATES.find((t) => t.code === letter.templateCode)?.name ?? letter.templateCode
    const domain = /@([^@>\s]+)$/.exec(from)?.[1] ?? 'recouvra.local'
    const message = {
      from: agency.name ? { name: agency.name, address: from } : from,
      to,
      subject: `${name} – réf. ${letter.reference}`,
      messageId: `<courrier-${letter.id}@${domain}>`,
      text: [
        'Madame, Monsieur,',
        '',
        `Veuillez trouver ci-joint notre courrier réf. ${letter.reference} du ${formatDate(letter.letterDate)}. Son texte intégral est reproduit ci-dessous.`,
        '',
        letter.text,
        '',
        `${agency.name}${agency.phone ? ` – ${agency.phone}` : ''}`
      ].join('\n'),
      attachments: [{ filename: doc.fileName, content: pdf, contentType: 'application/pdf' }],
      date: this.clock.now()
    }
    return { letter, doc, smtp, name, message }
  }

  /** A nodemailer SMTP transport from the settings (password from the secret store). */
  smtpTransport(smtp: SmtpSettings | null, options: { pool?: boolean } = {}) {
    if (!smtp?.host)
      throw new AppError(
        'BUSINESS_RULE',
        'Aucun serveur SMTP n’est configuré (Paramètres › E-mail).',
        'No SMTP settings'
      )
    return nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
      tls: { rejectUnauthorized: smtp.host !== '127.0.0.1' && smtp.host !== 'localhost' },
      connectionTimeout: 15000,
      ...(options.pool ? { pool: true, maxConnections: 1 } : {})
    })
  }

  /**
   * Records, in its own committed transaction, that a letter's e-mail is about to be handed to
   * the SMTP server (status "sending"), and returns the attempt's id. A crash between the
   * server's acceptance and the recording leaves this attempt "sending": the letter is then an
   * uncertain sending, refused here until the user, having checked, confirms sending it again
   * (`resend`: the uncertain attempt becomes "superseded" and both are quoted by the journal).
   */
  async beginEmailAttempt(
    input: { letterId: string; to: string; messageId: string; resend?: boolean },
    user: { id: string }
  ): Promise<string> {
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const letter = await manager.findOneOrFail(LetterEntity, { where: { id: input.letterId } })
      const last = await manager.findOne(EmailAttemptEntity, {
        where: { letterId: letter.id },
        order: { createdAt: 'DESC', id: 'DESC' }
      })
      if (last?.status === 'sending') {
        if (!input.resend)
          throw new AppError(
            'CONFLICT',
            `${UNCERTAIN_SENDING} : l’envoi du ${formatInstant(last.createdAt)} à ${last.recipient} a été interrompu (arrêt de l’application) pendant sa remise au serveur SMTP : il a pu partir. Vérifiez dans la messagerie d’envoi, puis confirmez le renvoi.`,
            `Letter ${letter.id}: uncertain attempt ${last.id}`
          )
        await manager.update(
          EmailAttemptEntity,
          { id: last.id },
          { status: 'superseded', updatedAt: author.now, updatedBy: user.id, version: last.version + 1 }
        )
      }
      const id = uuid7()
      await manager.insert(EmailAttemptEntity, {
        id,
        createdAt: author.now,
        createdBy: user.id,
        updatedAt: author.now,
        updatedBy: user.id,
        version: 1,
        letterId: letter.id,
        caseId: letter.caseId,
        documentId: letter.documentId,
        batchId: letter.batchId,
        messageId: input.messageId,
        recipient: input.to,
        status: 'sending',
        failureReason: null
      })
      return id
    })
  }

  /**
   * A failed sending's reason, kept: the attempt handed to the server (attemptId), or letters
   * never handed to it because the server itself failed (a new failed attempt each).
   */
  async recordEmailFailure(
    input: { attemptId?: string; letters?: Array<{ letterId: string; to: string }>; reason: string },
    user: { id: string }
  ): Promise<void> {
    await this.db.write(async (manager) => {
      const author = this.author(user)
      const reason = input.reason.slice(0, 2000)
      if (input.attemptId) {
        const attempt = await manager.findOneOrFail(EmailAttemptEntity, { where: { id: input.attemptId } })
        await manager.update(
          EmailAttemptEntity,
          { id: attempt.id },
          {
            status: 'failed',
            failureReason: reason,
            updatedAt: author.now,
            updatedBy: user.id,
            version: attempt.version + 1
          }
        )
      }
      for (const item of input.letters ?? []) {
        const letter = await manager.findOne(LetterEntity, { where: { id: item.letterId } })
        if (!letter) continue
        await manager.insert(EmailAttemptEntity, {
          id: uuid7(),
          createdAt: author.now,
          createdBy: user.id,
          updatedAt: author.now,
          updatedBy: user.id,
          version: 1,
          letterId: letter.id,
          caseId: letter.caseId,
          documentId: letter.documentId,
          batchId: letter.batchId,
          messageId: null,
          recipient: item.to,
          status: 'failed',
          failureReason: reason
        })
      }
    })
  }

  /**
   * The last sending attempt of each of these letters: "uncertain" when a crash left it handed
   * to the server but unrecorded (still "sending" while no sending runs in this process).
   */
  async lastEmailAttempts(manager: EntityManager, letterIds: string[]): Promise<Map<string, EmailAttemptState>> {
    const out = new Map<string, EmailAttemptState>()
    for (let i = 0; i < letterIds.length; i += 500) {
      const chunk = letterIds.slice(i, i + 500)
      const rows = await manager.find(EmailAttemptEntity, {
        where: { letterId: In(chunk) },
        order: { createdAt: 'ASC', id: 'ASC' }
      })
      for (const a of rows) {
        const status =
          a.status === 'sending' ? (this.sending.has(a.letterId) ? 'sending' : 'uncertain') : (a.status as never)
        out.set(a.letterId, {
          attemptId: a.id,
          status,
          at: a.createdAt,
          to: a.recipient,
          messageId: a.messageId,
          reason:
            status === 'uncertain'
              ? `${UNCERTAIN_SENDING} (interrompu le ${formatInstant(a.createdAt)})`
              : a.failureReason
        })
      }
    }
    return out
  }

  /**
   * Records an e-mail the SMTP server accepted, in its own transaction: the letter sent, the
   * dunning step sent, its attempt sent, one journal entry quoting every attempt. Idempotent: a
   * letter already sent is left as it is (false).
   */
  async recordEmailSent(
    input: {
      letterId: string
      to: string
      messageId: string | null
      name: string
      batch?: boolean
      attemptId?: string
    },
    user: { id: string }
  ): Promise<boolean> {
    return this.db.write((manager) => this.recordEmailSentIn(manager, input, user))
  }

  /**
   * An uncertain sending (left "sending" by a crash) the user checked DID leave (sent folder of
   * the mailbox, the recipient…): recorded sent without sending it again, in one transaction —
   * the attempt sent, the letter and its dunning step sent, one journal entry of an e-mail sent
   * with the user's verification note quoting the attempt's Message-ID.
   */
  async confirmEmailSent(input: { letterId: string; verification: string }, user: SessionUser): Promise<LetterDto> {
    const verification = input.verification.trim()
    if (verification.length < 3)
      throw new AppError(
        'VALIDATION',
        'Indiquez comment l’envoi a été vérifié (messagerie d’envoi, destinataire…).',
        'Verification note missing'
      )
    await this.db.write(async (manager) => {
      const letter = await manager.findOne(LetterEntity, { where: { id: input.letterId } })
      if (!letter) throw notFound('Letter', input.letterId, 'Courrier')
      if (letter.status === 'sent' && letter.channel === 'email')
        throw new AppError(
          'CONFLICT',
          `Ce courrier est déjà enregistré envoyé le ${formatDate(letter.sentOn ?? letter.letterDate)}.`,
          `Letter ${letter.id} already sent`
        )
      const last = await manager.findOne(EmailAttemptEntity, {
        where: { letterId: letter.id },
        order: { createdAt: 'DESC', id: 'DESC' }
      })
      if (this.sending.has(letter.id))
        throw new AppError(
          'CONFLICT',
          'Ce courrier est en cours d’envoi : attendez la fin de l’envoi.',
          `Letter ${letter.id} being sent`
        )
      if (!last || last.status !== 'sending')
        throw new AppError(
          'BUSINESS_RULE',
          'Ce courrier n’a pas d’envoi incertain : seul un e-mail interrompu pendant sa remise au serveur SMTP peut être marqué envoyé après vérification.',
          `Letter ${letter.id}: no uncertain attempt (last ${last?.status ?? 'none'})`
        )
      const name = DEFAULT_TEMPLATES.find((t) => t.code === letter.templateCode)?.name ?? letter.templateCode
      await this.recordEmailSentIn(
        manager,
        {
          letterId: letter.id,
          to: last.recipient,
          messageId: last.messageId,
          name,
          batch: last.batchId !== null,
          attemptId: last.id,
          verification: { note: verification.slice(0, 500), at: last.createdAt }
        },
        user
      )
    })
    return this.documents.letter(input.letterId)
  }

  private async recordEmailSentIn(
    manager: EntityManager,
    input: {
      letterId: string
      to: string
      messageId: string | null
      name: string
      batch?: boolean
      attemptId?: string
      /** Recorded from the user's check of an uncertain sending, not from the server's answer. */
      verification?: { note: string; at: string }
    },
    user: { id: string }
  ): Promise<boolean> {
    const author = this.author(user)
    const today = author.now.slice(0, 10)
    const letter = await manager.findOneOrFail(LetterEntity, { where: { id: input.letterId } })
    if (letter.status === 'sent' && letter.channel === 'email') return false
    const doc = await manager.findOneOrFail(DocumentEntity, { where: { id: letter.documentId } })
    if (input.attemptId) {
      const attempt = await manager.findOneOrFail(EmailAttemptEntity, { where: { id: input.attemptId } })
      await manager.update(
        EmailAttemptEntity,
        { id: attempt.id },
        {
          status: 'sent',
          messageId: input.messageId ?? attempt.messageId,
          updatedAt: author.now,
          updatedBy: user.id,
          version: attempt.version + 1
        }
      )
    }
    const attempts = await manager.find(EmailAttemptEntity, {
      where: { letterId: letter.id },
      order: { createdAt: 'ASC', id: 'ASC' }
    })
    const uncertain = attempts.filter((a) => a.status === 'superseded')
    await manager.update(
      LetterEntity,
      { id: letter.id },
      {
        recipient: input.to,
        status: 'sent',
        sentOn: letter.sentOn ?? today,
        updatedAt: author.now,
        updatedBy: user.id,
        version: letter.version + 1
      }
    )
    // The dunning step this letter belongs to (if any) is sent too.
    await manager.query(
      `UPDATE dunning_action SET sent_on = ?, updated_at = ?, updated_by = ?, version = version + 1
        WHERE document_id = ? AND sent_on IS NULL`,
      [today, author.now, user.id, letter.documentId]
    )
    await appendJournalEntry(
      manager,
      {
        caseId: letter.caseId,
        kind: 'email',
        summary:
          `E-mail envoyé à ${input.to} (${input.name}, réf. ${letter.reference}, PDF joint)${input.batch ? ' — envoi groupé' : ''}` +
          uncertain
            .map(
              (a) =>
                ` — renvoi confirmé par l’utilisateur après l’envoi incertain du ${formatInstant(a.createdAt)} à ${a.recipient} (Message-ID ${a.messageId ?? '—'}, tentative ${a.id})`
            )
            .join('') +
          (input.verification
            ? ` — envoi incertain du ${formatInstant(input.verification.at)} vérifié parti par l’utilisateur, sans renvoi (Message-ID ${input.messageId ?? '—'}) : « ${input.verification.note} »`
            : ''),
        details: {
          letterId: letter.id,
          to: input.to,
          messageId: input.messageId,
          ...(input.verification
            ? { verifiedSent: { attemptId: input.attemptId, note: input.verification.note } }
            : {}),
          documentId: letter.documentId,
          sha256: doc.sha256,
          ...(letter.batchId ? { batchId: letter.batchId } : {}),
          ...(attempts.length > 0
            ? {
                attempts: attempts.map((a) => ({
                  id: a.id,
                  at: a.createdAt,
                  to: a.recipient,
                  messageId: a.id === input.attemptId ? (input.messageId ?? a.messageId) : a.messageId,
                  status: a.id === input.attemptId ? 'sent' : a.status === 'superseded' ? 'uncertain' : a.status,
                  reason: a.failureReason
                }))
              }
            : {})
        },
        relatedId: letter.documentId
      },
      author
    )
    return true
  }

  /** E-mails a generated letter with its PDF attached. */
  async email(
    input: { letterId: string; to: string; mode: 'eml' | 'smtp'; confirmResend?: boolean },
    user: SessionUser
  ): Promise<{ letter: LetterDto; emlDocumentId: string | null; messageId: string | null }> {
    const { letter, doc, smtp, name, message } = await this.prepareEmail(input.letterId, input.to)
    let emlDocumentId: string | null = null
    let messageId: string | null = null
    if (input.mode === 'eml') {
      const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'crlf' })
      const info = (await transport.sendMail(message)) as { message: Buffer; messageId: string }
      const eml = info.message
      messageId = info.messageId
      emlDocumentId = await this.db.write(async (manager) => {
        const author = this.author(user)
        const { sha256, storagePath } = await this.documents.store.put(eml, '.eml', manager)
        const id = uuid7()
        await manager.insert(DocumentEntity, {
          id,
          createdAt: author.now,
          createdBy: user.id,
          caseId: letter.caseId,
          claimId: null,
          kind: 'letter',
          title: `E-mail à ${input.to} – ${name}`.slice(0, 200),
          fileName: doc.fileName.replace(/\.pdf$/, '.eml'),
          mimeType: 'message/rfc822',
          sizeBytes: eml.length,
          sha256,
          storagePath,
          templateCode: letter.templateCode,
          templateVersion: letter.templateVersion
        })
        await manager.update(
          LetterEntity,
          { id: letter.id },
          { recipient: input.to, updatedAt: author.now, updatedBy: user.id, version: letter.version + 1 }
        )
        await appendJournalEntry(
          manager,
          {
            caseId: letter.caseId,
            kind: 'email',
            summary: `E-mail préparé pour ${input.to} (fichier .eml, ${name}, réf. ${letter.reference})`,
            details: { letterId: letter.id, emlDocumentId: id, sha256, to: input.to, messageId },
            relatedId: id
          },
          author
        )
        return id
      })
    } else {
      if (letter.status === 'sent' && letter.channel === 'email')
        throw new AppError(
          'CONFLICT',
          `Ce courrier a déjà été envoyé le ${formatDate(letter.sentOn ?? letter.letterDate)} : il n’est pas renvoyé.`,
          `Letter ${letter.id} already sent`
        )
      if (this.sending.has(letter.id))
        throw new AppError(
          'CONFLICT',
          'Ce courrier est en cours d’envoi (envoi groupé du lot) : il n’est pas envoyé une seconde fois.',
          `Letter ${letter.id} being sent`
        )
      this.sending.add(letter.id)
      try {
        // Recorded (committed) before the hand-over: a crash in between leaves it uncertain.
        const attemptId = await this.beginEmailAttempt(
          { letterId: letter.id, to: input.to, messageId: message.messageId, resend: input.confirmResend },
          user
        )
        const transport = this.smtpTransport(smtp)
        try {
          const info = (await transport.sendMail(message)) as { messageId: string }
          messageId = info.messageId
        } catch (error) {
          const reason = smtpFailureReason(error)
          await this.recordEmailFailure({ attemptId, reason }, user)
          throw new AppError(
            'BUSINESS_RULE',
            `L’e-mail n’a pas pu être envoyé par le serveur SMTP : ${reason}. Vous pouvez créer un fichier .eml à la place.`,
            `SMTP send failed: ${(error as Error).message}`
          )
        } finally {
          transport.close()
        }
        await this.recordEmailSent({ letterId: letter.id, to: input.to, messageId, name, attemptId }, user)
      } finally {
        this.sending.delete(letter.id)
      }
    }
    return { letter: await this.documents.letter(letter.id), emlDocumentId, messageId }
  }

  /**
   * The SMS text of a template for a case: the template's SMS merged, then the first letter's
   * reference and date (R124-4: an SMS cannot carry the mentions). Refused before a first
   * letter and when a forbidden word appears.
   */
  async smsText(
    manager: EntityManager,
    input: { caseId: string; templateCode: string; at: string; version?: number }
  ): Promise<{ row: DocumentTemplateEntity; src: Awaited<ReturnType<DocumentsService['source']>>; text: string }> {
    const row = await this.documents.template(manager, input.templateCode, input.version)
    if (!row.sms.trim())
      throw new AppError(
        'BUSINESS_RULE',
        `Le modèle « ${row.name} » n’a pas de texte SMS.`,
        `No SMS text in ${row.code}`
      )
    const src = await this.documents.source(manager, input, {
      code: row.code as TemplateCode,
      version: row.version,
      profile: row.profile,
      content: { title: row.title, subject: row.subject, body: '', closing: '', sms: row.sms }
    })
    if (!src.firstLetter)
      throw new AppError(
        'BUSINESS_RULE',
        'Un SMS ne peut pas être le premier contact écrit : envoyez d’abord un courrier comportant les mentions de l’article R. 124-4.',
        `SMS before first letter on ${input.caseId}`
      )
    let text = mergeText(row.sms, mergeData(src)).trimEnd()
    // The template's sentence ends before the reference is added.
    if (!/[.!?…]$/.test(text)) text += '.'
    text += ` Réf. 1er courrier ${src.firstLetter.reference} du ${formatDate(src.firstLetter.date)}.`
    const bad = SMS_FORBIDDEN.exec(text)
    if (bad)
      throw new AppError(
        'BUSINESS_RULE',
        `SMS refusé : le terme « ${bad[0]} » est interdit dans un message amiable.`,
        'SMS forbidden word'
      )
    return { row, src, text }
  }

  /**
   * Records the SMS of a template step (to send through the agency's provider). An SMS cannot
   * carry the R124-4 mentions: it is refused until a first letter exists, and repeats its
   * reference and date.
   */
  async sms(
    input: { caseId: string; templateCode: TemplateCode; at: string; phone: string },
    user: SessionUser
  ): Promise<LetterDto> {
    const letterId = await this.db.write(async (manager) => {
      const { row, src, text } = await this.smsText(manager, input)
      const author = this.author(user)
      const content = Buffer.from(text, 'utf8')
      const { sha256, storagePath } = await this.documents.store.put(content, '.txt', manager)
      const documentId = uuid7()
      await manager.insert(DocumentEntity, {
        id: documentId,
        createdAt: author.now,
        createdBy: user.id,
        caseId: input.caseId,
        claimId: null,
        kind: 'letter',
        title: `SMS – ${row.name}`,
        fileName: `${src.letterReference.replace(/[^A-Za-z0-9-]+/g, '-')}-sms.txt`,
        mimeType: 'text/plain',
        sizeBytes: content.length,
        sha256,
        storagePath,
        templateCode: row.code,
        templateVersion: row.version
      })
      const id = uuid7()
      await manager.insert(LetterEntity, {
        id,
        createdAt: author.now,
        createdBy: user.id,
        updatedAt: author.now,
        updatedBy: user.id,
        version: 1,
        documentId,
        caseId: input.caseId,
        templateCode: row.code,
        templateVersion: row.version,
        reference: src.letterReference,
        letterDate: input.at,
        channel: 'sms',
        demand: false,
        batchId: null,
        status: 'generated',
        sentOn: null,
        trackingNumber: null,
        recipient: input.phone,
        text
      })
      await appendJournalEntry(
        manager,
        {
          caseId: input.caseId,
          kind: 'sms',
          summary: `SMS à envoyer au ${input.phone} : « ${text} »`,
          details: {
            letterId: id,
            documentId,
            sha256,
            phone: input.phone,
            templateCode: row.code,
            templateVersion: row.version
          },
          relatedId: documentId
        },
        author
      )
      return id
    })
    return this.documents.letter(letterId)
  }

  /** The injonction de payer file: the request summary and the evidence bundle, stored. */
  async injunctionFile(
    input: { caseId: string; at: string },
    user: SessionUser
  ): Promise<{ summary: LetterDto; bundle: LetterDto }> {
    const ids = await this.db.write(async (manager) => {
      const author = this.author(user)
      const out: string[] = []
      for (const code of ['injunction-summary', 'evidence-bundle'] as const) {
        const rendered = await this.documents.renderLetter(manager, {
          caseId: input.caseId,
          templateCode: code,
          at: input.at
        })
        const name = DEFAULT_TEMPLATES.find((t) => t.code === code)!.name
        const pdf =
          code === 'evidence-bundle'
            ? await this.documents.appendLetterOriginals(manager, input.caseId, rendered.pdf)
            : rendered.pdf
        const stored = await this.documents.storeGenerated(manager, {
          caseId: input.caseId,
          templateCode: code,
          templateVersion: rendered.templateVersion,
          pdf,
          title: name,
          channel: 'letter',
          author
        })
        out.push(stored.letterId)
      }
      return out
    })
    return { summary: await this.documents.letter(ids[0]!), bundle: await this.documents.letter(ids[1]!) }
  }

  /** The debtor's receipt (R124-6) and the client's notice (R124-5) of one payment. */
  async paymentDocuments(
    paymentId: string,
    user: SessionUser
  ): Promise<{ receipt: LetterDto; clientNotice: LetterDto }> {
    const ids = await this.db.write(async (manager) => {
      const payment = await manager.findOne(PaymentEntity, { where: { id: paymentId } })
      if (!payment) throw notFound('Payment', paymentId, 'Paiement')
      if (payment.amountCents <= 0 || payment.reversesPaymentId)
        throw new AppError(
          'BUSINESS_RULE',
          'Une annulation de paiement ne donne pas lieu à quittance.',
          'Receipt for a reversal'
        )
      const author = this.author(user)
      // Made automatically once recorded (money/payment-documents.ts): never twice.
      const job = await manager.findOne(PaymentDocumentJobEntity, { where: { paymentId } })
      if (job?.status === 'done')
        throw new AppError(
          'CONFLICT',
          'Le reçu et l’information du client de ce paiement sont déjà émis.',
          `Payment documents of ${paymentId} already made`
        )
      const out: string[] = []
      for (const [code, channel] of [
        ['payment-receipt', 'letter'],
        ['client-payment-notice', 'email']
      ] as const) {
        const rendered = await this.documents.renderLetter(manager, {
          caseId: payment.caseId,
          templateCode: code,
          at: payment.receivedOn,
          extra: { paymentId }
        })
        const name = DEFAULT_TEMPLATES.find((t) => t.code === code)!.name
        const stored = await this.documents.storeGenerated(manager, {
          caseId: payment.caseId,
          templateCode: code,
          templateVersion: rendered.templateVersion,
          pdf: rendered.pdf,
          title: name,
          channel,
          author,
          details: { paymentId }
        })
        out.push(stored.letterId)
      }
      await markPaymentDocumentsDone(manager, payment, job ?? null, out[0]!, out[1]!, author)
      return out
    })
    return { receipt: await this.documents.letter(ids[0]!), clientNotice: await this.documents.letter(ids[1]!) }
  }

  /**
   * The corrective notice ("Avis de rectification") after a payment reversal: the reversed
   * payment as its receipt showed it, then the corrected balance (principal, interest,
   * indemnities, payments kept) at today's date. Generated and recorded sent as a letter, with
   * its journal entry, in one transaction.
   */
  async reversalNotice(reversalPaymentId: string, user: SessionUser): Promise<LetterDto> {
    const letterId = await this.db.write(async (manager) => {
      const reversal = await manager.findOne(PaymentEntity, { where: { id: reversalPaymentId } })
      if (!reversal) throw notFound('Payment', reversalPaymentId, 'Paiement')
      const reversedId = reversal.reversesPaymentId
      if (!reversedId)
        throw new AppError(
          'BUSINESS_RULE',
          'Un avis de rectification se fait à partir de la contre-passation d’un paiement.',
          `Payment ${reversal.id} is not a reversal`
        )
      const original = await manager.findOneOrFail(PaymentEntity, { where: { id: reversedId } })
      const author = this.author(user)
      const today = this.clock.today()
      const rendered = await this.documents.renderLetter(manager, {
        caseId: reversal.caseId,
        templateCode: 'reversal-notice',
        at: today,
        extra: { paymentId: original.id }
      })
      const title = DEFAULT_TEMPLATES.find((t) => t.code === 'reversal-notice')!.name
      const stored = await this.documents.storeGenerated(manager, {
        caseId: reversal.caseId,
        templateCode: 'reversal-notice',
        templateVersion: rendered.templateVersion,
        pdf: rendered.pdf,
        title,
        channel: 'letter',
        author,
        summary: `Avis de rectification envoyé au débiteur : paiement de ${formatCents(original.amountCents)} du ${formatDate(original.receivedOn)} contre-passé`,
        details: { paymentId: original.id, reversalPaymentId: reversal.id, sentOn: today }
      })
      const letter = await manager.findOneOrFail(LetterEntity, { where: { id: stored.letterId } })
      await manager.update(
        LetterEntity,
        { id: letter.id },
        { status: 'sent', sentOn: today, updatedAt: author.now, updatedBy: user.id, version: letter.version + 1 }
      )
      return stored.letterId
    })
    return this.documents.letter(letterId)
  }

  /** The client's remittance statement (R124-6): collections of the period, commission, VAT and net. */
  async remittanceStatement(remittanceId: string, user: SessionUser): Promise<StoredFile> {
    const { model, name } = await this.db.read(async (manager) => {
      const r = await manager.findOne(RemittanceEntity, { where: { id: remittanceId } })
      if (!r) throw notFound('Remittance', remittanceId, 'Relevé de reversement')
      const client = await manager.findOneOrFail(ClientEntity, { where: { id: r.clientId } })
      const agency = await this.documents.agency(manager)
      if (!agency.name || !agency.city)
        throw new AppError(
          'BUSINESS_RULE',
          'Renseignez l’identité de l’agence (Paramètres) avant d’éditer un relevé.',
          'No agency'
        )
      const template = await this.documents.template(manager, 'remittance-statement')
      const lines = await manager
        .createQueryBuilder()
        .from(RemittanceLineEntity, 'rl')
        .innerJoin(CaseEntity, 'c', 'c.id = rl.case_id')
        .innerJoin(DebtorEntity, 'd', 'd.id = c.debtor_id')
        .select([
          'c.reference AS ref',
          'd.display_name AS debtor',
          'rl.collected_on AS collected',
          'rl.received_by AS receivedBy',
          'rl.amount_cents AS amount',
          'rl.commission_rate_bp AS rate',
          'rl.commission_cents AS commission'
        ])
        .where('rl.remittance_id = :id', { id: r.id })
        .orderBy('rl.collected_on', 'ASC')
        .addOrderBy('c.reference', 'ASC')
        .getRawMany<{
          ref: string
          debtor: string
          collected: string
          receivedBy: string
          amount: number
          rate: number
          commission: number
        }>()
      const data: Record<string, string> = Object.fromEntries(PLACEHOLDER_CATALOGUE.map((p) => [p.name, '—']))
      Object.assign(data, {
        'agence.nom': agency.name,
        'agence.telephone': agency.phone || '—',
        'agence.email': agency.email || '—',
        'creancier.nom': client.legalName,
        'courrier.date': formatDate(r.createdAt.slice(0, 10)),
        'courrier.reference': r.reference,
        'reversement.debut': formatDate(r.periodFrom),
        'reversement.fin': formatDate(r.periodTo),
        'reversement.net': formatCents(r.netCents)
      })
      const table: LetterSection = {
        kind: 'table',
        name: 'reversement',
        title: 'Encaissements de la période',
        columns: ['Dossier', 'Débiteur', 'Encaissé le', 'Montant', 'Commission HT'],
        align: ['left', 'left', 'left', 'right', 'right'],
        widths: [1.4, 2.2, 1, 1, 1.1],
        rows: lines.map((l) => [
          l.ref,
          l.debtor + (l.receivedBy === 'client' ? ' (payé au client)' : ''),
          formatDate(l.collected),
          formatCents(Number(l.amount)),
          `${formatCents(Number(l.commission))} (${formatBasisPoints(Number(l.rate))})`
        ]),
        footer: [
          'Total',
          '',
          '',
          formatCents(r.agencyCollectedCents + r.clientCollectedCents),
          formatCents(r.commissionCents)
        ]
      }
      const totals: LetterSection = {
        kind: 'table',
        name: 'totaux',
        columns: ['Récapitulatif', 'Montant'],
        align: ['left', 'right'],
        widths: [3, 1],
        rows: [
          ['Encaissé par le cabinet pour votre compte', formatCents(r.agencyCollectedCents)],
          ['Payé directement à vous par les débiteurs', formatCents(r.clientCollectedCents)],
          ['Commission du cabinet (HT)', formatCents(r.commissionCents)],
          [`TVA sur la commission (${formatBasisPoints(r.vatRateBp)})`, formatCents(r.vatCents)]
        ],
        footer: [r.netCents >= 0 ? 'Net reversé' : 'Solde dû au cabinet', formatCents(Math.abs(r.netCents))]
      }
      const sections: LetterSection[] = []
      for (const part of splitBody(template.body)) {
        if (part.kind === 'paragraph') sections.push({ kind: 'paragraph', text: mergeText(part.text, data) })
        else if (part.name === 'reversement') sections.push(table, totals)
      }
      sections.push({
        kind: 'paragraph',
        text: `Virement à effectuer au plus tard le ${formatDate(r.dueOn)}${client.iban ? ` sur votre compte ${client.iban}` : ''}${r.paidOn ? ` ; effectué le ${formatDate(r.paidOn)}${r.transferReference ? ` (réf. ${r.transferReference})` : ''}` : ''}.`
      })
      const model: LetterModel = {
        templateCode: 'remittance-statement',
        templateVersion: template.version,
        profile: 'client',
        letterhead: {
          name: agency.name,
          lines: [
            ...agencyAddressLines(agency),
            [agency.phone && `Tél. ${agency.phone}`, agency.email].filter(Boolean).join(' – ')
          ].filter(Boolean)
        },
        recipient: {
          name: client.legalName,
          addressLines: [client.addressLine1, client.addressLine2 ?? '', `${client.postalCode} ${client.city}`].filter(
            Boolean
          )
        },
        placeDate: `${agency.city}, le ${formatDateLong(r.createdAt.slice(0, 10))}`,
        references: [{ label: 'Relevé', value: r.reference }],
        title: mergeText(template.title, data),
        subject: mergeText(template.subject, data),
        sections,
        closing: mergeText(template.closing, data),
        signature: [agency.signatory, `Pour ${agency.name}`].filter(Boolean),
        footer: [
          agency.name,
          agency.siren && `SIREN ${agency.siren}`,
          agency.clientAccountBank && `Compte de fonds de tiers : ${agency.clientAccountBank}`
        ]
          .filter(Boolean)
          .join(' – ')
      }
      return { model, name: r.reference }
    })
    const pdf = await renderPdf(model)
    const documentId = await this.db.write(async (manager) => {
      const author = this.author(user)
      const { sha256, storagePath } = await this.documents.store.put(pdf, '.pdf', manager)
      const id = uuid7()
      await manager.insert(DocumentEntity, {
        id,
        createdAt: author.now,
        createdBy: user.id,
        caseId: null,
        claimId: null,
        kind: 'letter',
        title: `Relevé de reversement ${name}`,
        fileName: `${name.replace(/[^A-Za-z0-9-]+/g, '-')}-releve.pdf`,
        mimeType: 'application/pdf',
        sizeBytes: pdf.length,
        sha256,
        storagePath,
        templateCode: 'remittance-statement',
        templateVersion: model.templateVersion
      })
      return id
    })
    return this.documents.openDocument(documentId)
  }
}

/** Why an SMTP send failed, in French for the user (the server's own reply kept). */
export function smtpFailureReason(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string }
  const reply = e.response ? ` (réponse du serveur : ${e.response.slice(0, 200)})` : ''
  switch (e.code) {
    case 'EENVELOPE':
      return `adresse du destinataire refusée par le serveur${reply}`
    case 'EAUTH':
      return `identifiant ou mot de passe SMTP refusé${reply}`
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EDNS':
      return 'serveur SMTP injoignable (adresse, port ou connexion)'
    case 'ETIMEDOUT':
      return 'le serveur SMTP ne répond pas (délai dépassé)'
    case 'ETLS':
      return 'la connexion chiffrée (TLS) avec le serveur SMTP a échoué'
    case 'EMESSAGE':
      return `message refusé par le serveur${reply}`
    default:
      return e.responseCode ? `refus du serveur${reply}` : `erreur d’envoi (${e.message ?? 'inconnue'})`
  }
}

/** Failures that concern the server, not one message: the rest of a batch would fail alike. */
export function isServerFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code
  return (
    code === 'EAUTH' ||
    code === 'ECONNECTION' ||
    code === 'ESOCKET' ||
    code === 'EDNS' ||
    code === 'ETIMEDOUT' ||
    code === 'ETLS'
  )
}
