import type { EntityManager } from 'typeorm'
import {
  AppError,
  notFound,
  type DunningOutbox,
  type DunningOutboxItem,
  type DunningSendJob,
  type DunningSendResult,
  type SessionUser
} from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { formatDate, formatInstant } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import type { Database } from '../../db/database'
import { databaseAppError } from '../../db/db-errors'
import type { Clock } from '../../platform/clock'
import { BackgroundWork } from '../../platform/background'
import { log } from '../../platform/log'
import { DocumentEntity } from '../documents/document.entity'
import type { DocumentsService } from '../documents/documents.service'
import {
  isServerFailure,
  smtpFailureReason,
  UNCERTAIN_SENDING,
  type LetterDispatchService
} from '../documents/letter-dispatch.service'
import { LetterEntity } from '../documents/letter.entity'
import { appendJournalEntry, type Author } from '../journal/journal.service'
import { DunningBatchEntity } from './dunning.entities'
import { zipFiles } from './zip'

type Row = Record<string, unknown>

interface Job {
  status: DunningSendJob
  cancel: boolean
  /** Drops the SMTP connection (app closing and the message in flight not answered in time). */
  abort?: () => void
}

/** At close, how long the message in flight may take before its connection is dropped. */
const CLOSE_GRACE_MS = 3000

/**
 * Sending a dunning batch's e-mails and SMS. The engine generates them "à envoyer"; here:
 * - e-mails go out through SMTP one after the other on one connection, in the background, with
 *   progress and a result per message. Each message is recorded sent (letter, dunning step,
 *   journal) in its own transaction as soon as the server accepts it: a crash mid-batch loses
 *   at most the recording of the message in flight, never what was recorded, and a letter
 *   recorded sent is never sent again (checked before each message, and one letter is never in
 *   two sendings at once). Its Message-ID is derived from the letter id, so the one message a
 *   crash could send twice carries the same id both times.
 * - offline, the same e-mails as .eml files (each stored and journalled) in one zip;
 * - SMS: a CSV for the agency's SMS provider (texts fixed on their letters, file stored), then
 *   marked sent with a journal entry quoting each text.
 */
export class BatchSendService {
  private readonly jobs = new Map<string, Job>()
  private readonly background = new BackgroundWork()

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly documents: DocumentsService,
    private readonly dispatch: LetterDispatchService
  ) {}

  private async items(manager: EntityManager, batchId: string): Promise<DunningOutboxItem[]> {
    const rows: Row[] = await manager.query(
      `SELECT l.id, l.case_id, l.channel, l.reference, l.recipient, l.status, l.sent_on,
              c.reference AS case_reference, d.display_name AS debtor_name,
              (SELECT e.address FROM debtor_email e WHERE e.debtor_id = c.debtor_id AND e.status <> 'invalid'
                ORDER BY e.status = 'valid' DESC, e.created_at DESC LIMIT 1) AS email,
              (SELECT p.number FROM debtor_phone p WHERE p.debtor_id = c.debtor_id AND p.kind = 'mobile'
                  AND p.status <> 'invalid' ORDER BY p.status = 'valid' DESC, p.created_at DESC LIMIT 1) AS mobile
         FROM letter l JOIN collection_case c ON c.id = l.case_id JOIN debtor d ON d.id = c.debtor_id
        WHERE l.batch_id = ? AND l.channel IN ('email', 'sms')
        ORDER BY c.reference, l.reference`,
      [batchId]
    )
    const attempts = await this.dispatch.lastEmailAttempts(
      manager,
      rows.filter((r) => r.channel === 'email' && r.status === 'generated').map((r) => String(r.id))
    )
    return rows.map((r) => {
      const channel = r.channel as 'email' | 'sms'
      const last = channel === 'email' && r.status === 'generated' ? attempts.get(String(r.id)) : undefined
      const status = r.status as DunningOutboxItem['status']
      const found = channel === 'email' ? r.email : r.mobile
      // Once sent, where it went; before, where it will go (the debtor's current contact).
      const recipient =
        status === 'sent' && r.recipient !== null ? String(r.recipient) : found === null ? null : String(found)
      return {
        letterId: String(r.id),
        caseId: String(r.case_id),
        caseReference: String(r.case_reference),
        debtorName: String(r.debtor_name),
        channel,
        reference: String(r.reference),
        recipient,
        status,
        sentOn: r.sent_on === null ? null : (String(r.sent_on) as CalendarDate),
        exported: r.recipient !== null,
        attempt:
          last && (last.status === 'uncertain' || last.status === 'failed' || last.status === 'sending')
            ? { status: last.status, at: last.at, to: last.to, messageId: last.messageId, reason: last.reason }
            : null,
        problem:
          status !== 'generated' || recipient
            ? null
            : channel === 'email'
              ? 'Aucune adresse e-mail valide pour le débiteur'
              : 'Aucun numéro de mobile valide pour le débiteur'
      }
    })
  }

  outbox(batchId: string): Promise<DunningOutbox> {
    return this.db.read(async (manager) => {
      const batch = await manager.findOne(DunningBatchEntity, { where: { id: batchId } })
      if (!batch) throw notFound('DunningBatch', batchId, 'Lot de relances')
      const items = await this.items(manager, batchId)
      const smtp = await this.documents.smtp(manager)
      return {
        batchId,
        runOn: batch.runOn as CalendarDate,
        emails: items.filter((i) => i.channel === 'email'),
        sms: items.filter((i) => i.channel === 'sms'),
        smtpConfigured: Boolean(smtp?.host)
      }
    })
  }

  /* --------------------------------------------------------------- e-mails */

  async sendEmails(
    input: { batchId: string; letterIds?: string[]; resendUncertain?: string[] },
    user: SessionUser
  ): Promise<DunningSendJob> {
    const outbox = await this.outbox(input.batchId)
    if (!outbox.smtpConfigured)
      throw new AppError(
        'BUSINESS_RULE',
        'Aucun serveur SMTP n’est configuré (Paramètres › E-mail) : téléchargez les fichiers .eml du lot à la place.',
        'Batch send without SMTP'
      )
    const running = [...this.jobs.values()].find(
      (j) => j.status.state === 'running' && j.status.batchId === input.batchId
    )
    if (running)
      throw new AppError(
        'CONFLICT',
        'Les e-mails de ce lot sont déjà en cours d’envoi : attendez la fin ou arrêtez l’envoi.',
        `Batch ${input.batchId} already sending`
      )
    // Uncertain sendings (a crash between the server and the record) only when the user,
    // having checked, confirmed them; otherwise listed, never sent again silently.
    const resend = new Set(input.resendUncertain ?? [])
    const only = input.letterIds || input.resendUncertain ? new Set([...(input.letterIds ?? []), ...resend]) : null
    const items = outbox.emails.filter((i) => i.status === 'generated' && (!only || only.has(i.letterId)))
    const job: Job = {
      cancel: false,
      status: {
        jobId: uuid7(),
        batchId: input.batchId,
        state: 'running',
        total: items.length,
        done: 0,
        sent: 0,
        failed: 0,
        results: [],
        message: null,
        startedAt: this.clock.now().toISOString(),
        finishedAt: null
      }
    }
    this.jobs.set(job.status.jobId, job)
    this.background.track(
      this.runEmails(job, items, user, resend).catch((error: unknown) => {
        ;(this.background.stopping ? log.warn : log.error)('Batch e-mail sending stopped', error)
        const mapped = databaseAppError(error, 'Batch e-mail sending')
        job.status.message = mapped
          ? `Envoi interrompu : ${mapped.userMessage}`
          : 'Envoi interrompu par une erreur inattendue (voir le journal technique).'
        this.finish(job, 'done')
      })
    )
    return this.snapshot(job)
  }

  /**
   * The app closes: every sending stops before its next message (those stay "à envoyer", sent
   * by the next "Envoyer" after a restart); the message in flight gets CLOSE_GRACE_MS to be
   * answered and recorded, then its connection is closed and, still unanswered after another
   * grace, left: its attempt stays "sending", listed as uncertain at the next start (never sent
   * again unasked). Resolves before the database closes.
   */
  async stop(graceMs = CLOSE_GRACE_MS): Promise<void> {
    this.background.stopping = true
    for (const job of this.jobs.values()) job.cancel = true
    if (await this.background.idle(graceMs)) return
    for (const job of this.jobs.values()) if (job.status.state === 'running') job.abort?.()
    if (!(await this.background.idle(graceMs))) log.warn('Batch e-mail sending still running at close')
  }

  /** Runs a job to the end (tests await it; the channel returns at once). */
  async waitFor(jobId: string): Promise<DunningSendJob> {
    for (;;) {
      const status = this.job(jobId)
      if (status.state !== 'running') return status
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  job(jobId: string): DunningSendJob {
    const job = this.jobs.get(jobId)
    if (!job) throw notFound('DunningSendJob', jobId, 'Envoi groupé')
    return this.snapshot(job)
  }

  cancel(jobId: string): DunningSendJob {
    const job = this.jobs.get(jobId)
    if (!job) throw notFound('DunningSendJob', jobId, 'Envoi groupé')
    job.cancel = true
    return this.snapshot(job)
  }

  private snapshot(job: Job): DunningSendJob {
    return { ...job.status, results: job.status.results.map((r) => ({ ...r })) }
  }

  private finish(job: Job, state: 'done' | 'cancelled'): void {
    job.status.state = state
    job.status.finishedAt = this.clock.now().toISOString()
  }

  private record(job: Job, result: DunningSendResult): void {
    job.status.results.push(result)
    job.status.done++
    if (result.outcome === 'sent') job.status.sent++
    if (result.outcome === 'failed') job.status.failed++
  }

  private async runEmails(
    job: Job,
    items: DunningOutboxItem[],
    user: SessionUser,
    resend: ReadonlySet<string>
  ): Promise<void> {
    const smtp = await this.db.read((manager) => this.documents.smtp(manager))
    const transport = this.dispatch.smtpTransport(smtp, { pool: true })
    job.abort = () => transport.close()
    const line = (item: DunningOutboxItem, outcome: DunningSendResult['outcome'], reason: string | null) => ({
      letterId: item.letterId,
      caseReference: item.caseReference,
      to: item.recipient,
      outcome,
      reason,
      messageId: null
    })
    try {
      for (const [index, item] of items.entries()) {
        if (job.cancel) {
          for (const rest of items.slice(index))
            this.record(job, line(rest, 'not_sent', 'Envoi arrêté avant ce message'))
          this.finish(job, 'cancelled')
          return
        }
        if (!item.recipient) {
          this.record(job, line(item, 'failed', item.problem))
          continue
        }
        if (this.dispatch.sending.has(item.letterId)) {
          this.record(job, line(item, 'failed', 'Ce message est déjà en cours d’envoi (autre envoi en cours)'))
          continue
        }
        this.dispatch.sending.add(item.letterId)
        try {
          const current = await this.db.read((m) => m.findOne(LetterEntity, { where: { id: item.letterId } }))
          if (!current || current.status === 'cancelled') {
            this.record(job, line(item, 'failed', 'Courrier annulé : il n’est pas envoyé'))
            continue
          }
          if (current.status === 'sent') {
            this.record(
              job,
              line(item, 'already_sent', `Déjà envoyé le ${formatDate(current.sentOn ?? current.letterDate)}`)
            )
            continue
          }
          const { message, name } = await this.dispatch.prepareEmail(item.letterId, item.recipient)
          // Committed before the hand-over: a crash from here to the recording below leaves the
          // attempt "sending", shown after a restart as uncertain and never sent again unasked.
          let attemptId: string
          try {
            attemptId = await this.dispatch.beginEmailAttempt(
              {
                letterId: item.letterId,
                to: item.recipient,
                messageId: message.messageId,
                resend: resend.has(item.letterId)
              },
              user
            )
          } catch (error) {
            if (!(error instanceof AppError) || error.code !== 'CONFLICT') throw error
            this.record(
              job,
              line(
                item,
                'not_sent',
                `${UNCERTAIN_SENDING} (${item.attempt?.at ? `interrompu le ${formatInstant(item.attempt.at)}` : 'envoi interrompu'})`
              )
            )
            continue
          }
          let messageId: string
          try {
            messageId = ((await transport.sendMail(message)) as { messageId: string }).messageId
          } catch (error) {
            const reason = smtpFailureReason(error)
            this.record(job, line(item, 'failed', reason))
            if (isServerFailure(error)) {
              // The server, not this message: the others would fail alike (each keeps the reason).
              const rest = items.slice(index + 1)
              for (const other of rest) this.record(job, line(other, 'failed', reason))
              await this.dispatch.recordEmailFailure(
                {
                  attemptId,
                  reason,
                  letters: rest.filter((r) => r.recipient).map((r) => ({ letterId: r.letterId, to: r.recipient! }))
                },
                user
              )
              job.status.message = `Envoi arrêté : ${reason}.`
              break
            }
            await this.dispatch.recordEmailFailure({ attemptId, reason }, user)
            continue
          }
          // Accepted by the server: recorded now, in its own transaction (with its attempt).
          await this.dispatch.recordEmailSent(
            { letterId: item.letterId, to: item.recipient, messageId, name, batch: true, attemptId },
            user
          )
          this.record(job, { ...line(item, 'sent', null), messageId })
        } catch (error) {
          const mapped = error instanceof AppError ? error : databaseAppError(error, `Batch e-mail ${item.letterId}`)
          this.record(job, line(item, 'failed', mapped ? mapped.userMessage : 'Erreur inattendue'))
          // After close() gave up waiting, the database is gone: the attempt stays "sending",
          // listed as uncertain at the next start (a warning, not an error of the app).
          if (!(error instanceof AppError))
            (this.background.stopping ? log.warn : log.error)(`Batch e-mail ${item.letterId} failed`, error)
        } finally {
          this.dispatch.sending.delete(item.letterId)
        }
      }
    } finally {
      transport.close()
    }
    this.finish(job, 'done')
  }

  /** Offline: each unsent e-mail as an .eml (stored, journalled), all in one zip. */
  async emlArchive(batchId: string, user: SessionUser): Promise<{ fileName: string; base64: string; count: number }> {
    const { runOn, files } = await this.emlFiles(batchId, user)
    return {
      fileName: `emails-${runOn}-${batchId.slice(-8)}.zip`,
      base64: zipFiles(files, this.clock.now()).toString('base64'),
      count: files.length
    }
  }

  /** Each unsent e-mail of the batch as an .eml file (stored and journalled), for a zip or a folder. */
  async emlFiles(
    batchId: string,
    user: SessionUser
  ): Promise<{ runOn: string; files: Array<{ name: string; content: Buffer }> }> {
    const outbox = await this.outbox(batchId)
    const files: Array<{ name: string; content: Buffer }> = []
    for (const item of outbox.emails) {
      if (item.status !== 'generated' || !item.recipient) continue
      const result = await this.dispatch.email({ letterId: item.letterId, to: item.recipient, mode: 'eml' }, user)
      const content = await this.db.read(async (manager) => {
        const doc = await manager.findOneOrFail(DocumentEntity, { where: { id: result.emlDocumentId! } })
        return this.documents.store.read(doc.storagePath, doc.sha256, manager)
      })
      files.push({ name: `${item.reference.replace(/[^A-Za-z0-9-]+/g, '-')}.eml`, content })
    }
    if (files.length === 0)
      throw new AppError('BUSINESS_RULE', 'Aucun e-mail à envoyer dans ce lot.', `Batch ${batchId}: no e-mail to write`)
    return { runOn: outbox.runOn, files }
  }

  /* ------------------------------------------------------------------ SMS */

  /**
   * The batch's unsent SMS for the provider: "numero;message;reference" (UTF-8 with BOM,
   * semicolons, CRLF: what French spreadsheet software and SMS platforms import). Each text is
   * fixed on its letter (the file is stored) so that the journal quotes what went out.
   */
  async smsExport(
    batchId: string,
    user: SessionUser
  ): Promise<{ fileName: string; base64: string; count: number; problems: string[] }> {
    const outbox = await this.outbox(batchId)
    const problems: string[] = []
    const lines: string[][] = []
    await this.db.write(async (manager) => {
      const author: Author = { userId: user.id, now: this.clock.now().toISOString() }
      for (const item of outbox.sms) {
        if (item.status !== 'generated') continue
        if (!item.recipient) {
          problems.push(`${item.caseReference} : ${item.problem}`)
          continue
        }
        const letter = await manager.findOneOrFail(LetterEntity, { where: { id: item.letterId } })
        let text: string
        try {
          text = (
            await this.dispatch.smsText(manager, {
              caseId: letter.caseId,
              templateCode: letter.templateCode,
              at: letter.letterDate,
              version: letter.templateVersion
            })
          ).text
        } catch (error) {
          problems.push(`${item.caseReference} : ${error instanceof AppError ? error.userMessage : 'texte impossible'}`)
          continue
        }
        await manager.update(
          LetterEntity,
          { id: letter.id },
          { text, recipient: item.recipient, updatedAt: author.now, updatedBy: user.id, version: letter.version + 1 }
        )
        lines.push([item.recipient, text, letter.reference])
      }
      if (lines.length === 0) return
      const content = smsCsv(lines)
      const { sha256, storagePath } = await this.documents.store.put(content, '.csv', manager)
      await manager.insert(DocumentEntity, {
        id: uuid7(),
        createdAt: author.now,
        createdBy: user.id,
        caseId: null,
        claimId: null,
        kind: 'letter',
        title: `SMS du lot de relances du ${formatDate(outbox.runOn)} (fichier pour le prestataire)`,
        fileName: `sms-${outbox.runOn}-${batchId.slice(-8)}.csv`,
        mimeType: 'text/csv',
        sizeBytes: content.length,
        sha256,
        storagePath,
        templateCode: null,
        templateVersion: null
      })
    })
    if (lines.length === 0)
      throw new AppError(
        'BUSINESS_RULE',
        `Aucun SMS à envoyer dans ce lot${problems.length ? ` (${problems.join(' ; ')})` : ''}.`,
        `Batch ${batchId}: no SMS to export`
      )
    return {
      fileName: `sms-${outbox.runOn}-${batchId.slice(-8)}.csv`,
      base64: smsCsv(lines).toString('base64'),
      count: lines.length,
      problems
    }
  }

  /** Marks the exported SMS sent (the provider's report in hand), one journal entry each. */
  smsMarkSent(input: { batchId: string; sentOn: string; letterIds?: string[] }, user: SessionUser) {
    return this.db.write(async (manager) => {
      const author: Author = { userId: user.id, now: this.clock.now().toISOString() }
      const only = input.letterIds ? new Set(input.letterIds) : null
      const letters = await manager.find(LetterEntity, {
        where: { batchId: input.batchId, channel: 'sms', status: 'generated' }
      })
      // Only those exported (a recipient and a text fixed by the export).
      const exported = letters.filter((l) => l.recipient && (!only || only.has(l.id)))
      if (exported.length === 0)
        throw new AppError(
          'BUSINESS_RULE',
          'Aucun SMS exporté et non envoyé dans ce lot : exportez d’abord le fichier pour le prestataire.',
          `Batch ${input.batchId}: nothing to mark`
        )
      const early = exported.find((l) => input.sentOn < l.letterDate)
      if (early)
        throw new AppError(
          'VALIDATION',
          `La date d’envoi ne peut pas précéder la date des SMS (${formatDate(early.letterDate)}).`,
          'SMS sent before its date'
        )
      // The provider file the texts went out in (stored at export): quoted by each journal entry.
      const batch = await manager.findOneOrFail(DunningBatchEntity, { where: { id: input.batchId } })
      const file = await manager.findOne(DocumentEntity, {
        where: { fileName: `sms-${batch.runOn}-${input.batchId.slice(-8)}.csv`, mimeType: 'text/csv' },
        order: { createdAt: 'DESC' }
      })
      for (const letter of exported) {
        await manager.update(
          LetterEntity,
          { id: letter.id },
          {
            status: 'sent',
            sentOn: input.sentOn,
            updatedAt: author.now,
            updatedBy: user.id,
            version: letter.version + 1
          }
        )
        await manager.query(
          `UPDATE dunning_action SET sent_on = ?, updated_at = ?, updated_by = ?, version = version + 1
            WHERE document_id = ? AND sent_on IS NULL`,
          [input.sentOn, author.now, user.id, letter.documentId]
        )
        await appendJournalEntry(
          manager,
          {
            caseId: letter.caseId,
            kind: 'sms',
            summary: `SMS envoyé au ${letter.recipient} le ${formatDate(input.sentOn)} (prestataire SMS, réf. ${letter.reference}) : « ${letter.text} »`,
            details: {
              letterId: letter.id,
              batchId: input.batchId,
              phone: letter.recipient,
              text: letter.text,
              sentOn: input.sentOn,
              documentId: letter.documentId,
              providerFileId: file?.id ?? null,
              providerFileSha256: file?.sha256 ?? null
            },
            relatedId: letter.documentId
          },
          author
        )
      }
      return { updated: exported.length }
    })
  }
}

function csvField(value: string): string {
  return /[";\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

function smsCsv(lines: string[][]): Buffer {
  const rows = [['numero', 'message', 'reference'], ...lines].map((r) => r.map(csvField).join(';'))
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows.join('\r\n') + '\r\n', 'utf8')])
}
