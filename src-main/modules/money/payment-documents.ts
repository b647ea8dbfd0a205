import type { EntityManager } from 'typeorm'
import { AppError, notFound, type PaymentDocumentsState, type SessionUser } from '@shared/contract'
import { DEFAULT_TEMPLATES } from '@shared/documents'
import { uuid7 } from '@shared/ids/uuid7'
import type { Database } from '../../db/database'
import { lockCasesForWrite } from '../../db/row-locks'
import type { Clock } from '../../platform/clock'
import { log } from '../../platform/log'
import type { DocumentsService, PreparedLetter, RenderedLetter } from '../documents/documents.service'
import type { Author } from '../journal/journal.service'
import { PaymentDocumentJobEntity } from './payment-document-job.entity'
import { PaymentEntity } from './payment.entity'

/** After this many failed attempts a job waits for the user's retry (visible on the payment). */
export const PAYMENT_DOCUMENTS_MAX_ATTEMPTS = 4
/**
 * The worker starts (and goes on to the next payment) only once no payment was recorded for this
 * long: a collector keying a bank statement is never slowed by the PDFs (measured on 2 cores
 * under load: 40 payments in a row, p50 440 ms a payment with the receipts made between them,
 * 39 ms without), and the receipts follow a second after the last one.
 */
export const PAYMENT_DOCUMENTS_QUIET_MS = 1_000

/** Minutes before attempt n + 1 (a failure is usually data to fix: agency identity, address). */
const BACKOFF_MINUTES = [1, 5, 30]

const DOCUMENTS = [
  { code: 'payment-receipt', channel: 'letter' }, // the debtor's receipt, CPCE R124-6
  { code: 'client-payment-notice', channel: 'email' } // the client's notice, CPCE R124-5
] as const

/**
 * Queues the receipt and client notice of a payment, in the payment's own transaction (see
 * PaymentsService.record). Reversals and negative amounts yield none.
 */
export async function queuePaymentDocuments(
  manager: EntityManager,
  payment: { id: string; caseId: string },
  author: Author
): Promise<void> {
  await manager.insert(PaymentDocumentJobEntity, {
    id: uuid7(),
    createdAt: author.now,
    createdBy: author.userId || null,
    updatedAt: author.now,
    updatedBy: author.userId || null,
    version: 1,
    paymentId: payment.id,
    caseId: payment.caseId,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: author.now,
    lastError: null,
    receiptLetterId: null,
    noticeLetterId: null
  })
}

/**
 * A payment reversed before its documents were made: no receipt for money that did not stay.
 * Once the receipt exists, the documents offer no corrective notice template (the 12 templates
 * have none): the reversal is in the journal and in the client's remittance statement, and the
 * receipt can be cancelled from the Documents tab if it was not sent.
 */
export async function cancelPaymentDocuments(manager: EntityManager, paymentId: string, author: Author) {
  await manager.query(
    `UPDATE payment_document_job SET status = 'cancelled', last_error = ?, updated_at = ?, updated_by = ?,
            version = version + 1
      WHERE payment_id = ? AND status IN ('pending', 'failed')`,
    ['Paiement annulé avant l’émission du reçu.', author.now, author.userId || null, paymentId]
  )
}

/**
 * The receipt and notice were made by hand (Documents tab, LetterDispatchService): the queue row
 * says so, so that the worker never makes them a second time.
 */
export async function markPaymentDocumentsDone(
  manager: EntityManager,
  payment: { id: string; caseId: string },
  job: PaymentDocumentJobEntity | null,
  receiptLetterId: string,
  noticeLetterId: string,
  author: Author
): Promise<void> {
  if (!job) await queuePaymentDocuments(manager, payment, author)
  await manager.update(
    PaymentDocumentJobEntity,
    { paymentId: payment.id },
    {
      status: 'done',
      nextAttemptAt: null,
      lastError: null,
      receiptLetterId,
      noticeLetterId,
      updatedAt: author.now,
      updatedBy: author.userId || null,
      version: () => 'version + 1'
    }
  )
}

/** The state shown on each payment. */
export function paymentDocumentsState(job: PaymentDocumentJobEntity | undefined): PaymentDocumentsState | null {
  if (!job) return null
  return {
    status: job.status,
    attempts: job.attempts,
    error: job.lastError,
    nextAttemptAt: job.status === 'pending' ? job.nextAttemptAt : null,
    receiptLetterId: job.receiptLetterId,
    noticeLetterId: job.noticeLetterId
  }
}

/**
 * Generates the queued receipts and notices in the background, one payment at a time: the
 * letters are prepared in a short read, rendered OUTSIDE any transaction (PDF worker pool) and
 * stored with the job marked done in a short write, so payments recorded meanwhile (one by one
 * or many in a row) wait at most for one store, never for a PDF. A failure is recorded on the
 * job (French message) and retried later; it never touches the payment.
 */
export class PaymentDocumentsWorker {
  private draining: Promise<void> | null = null
  private again = false
  private stopped = false
  private timer: NodeJS.Timeout | null = null
  private lastKickAt = 0

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly documents: DocumentsService
  ) {}

  /** Something was queued: drain soon (after the caller's transaction has committed). */
  kick(): void {
    if (this.stopped) return
    this.lastKickAt = Date.now()
    if (this.draining) {
      this.again = true
      return
    }
    this.draining = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        await this.drain()
      })
      .catch((error: unknown) => log.error('Payment documents: drain failed', error))
      .finally(() => {
        this.draining = null
        if (this.again && !this.stopped) {
          this.again = false
          this.kick()
        }
      })
  }

  /** Resolves once nothing is being generated (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining
  }

  /** Polls for retries that came due (long-running processes). */
  start(everyMs = 60_000): void {
    this.kick()
    this.timer = setInterval(() => this.kick(), everyMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    await this.idle()
  }

  /** Every job due now, oldest first. Returns how many were done. */
  async drain(): Promise<number> {
    let done = 0
    const tried = new Set<string>()
    while (!this.stopped) {
      await this.quiet()
      if (this.stopped) break
      const now = this.clock.now().toISOString()
      const job = await this.db.read((m) =>
        m
          .createQueryBuilder(PaymentDocumentJobEntity, 'j')
          .where("j.status = 'pending' AND j.next_attempt_at <= :now", { now })
          .orderBy('j.next_attempt_at', 'ASC')
          .getOne()
      )
      if (!job || tried.has(job.id)) break
      tried.add(job.id)
      if (await this.process(job)) done++
    }
    return done
  }

  /** Waits until no payment was recorded for PAYMENT_DOCUMENTS_QUIET_MS. */
  private async quiet(): Promise<void> {
    for (;;) {
      const wait = this.lastKickAt + PAYMENT_DOCUMENTS_QUIET_MS - Date.now()
      if (wait <= 0 || this.stopped) return
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }

  /** The retry action: a failed (or never queued) payment's documents, queued again now. */
  async retry(paymentId: string, user: SessionUser): Promise<PaymentDocumentsState> {
    const state = await this.db.write(async (manager) => {
      const payment = await manager.findOne(PaymentEntity, { where: { id: paymentId } })
      if (!payment) throw notFound('Payment', paymentId, 'Paiement')
      const reversed = await manager.exists(PaymentEntity, { where: { reversesPaymentId: paymentId } })
      if (payment.amountCents <= 0 || payment.reversesPaymentId !== null || reversed) {
        throw new AppError(
          'BUSINESS_RULE',
          'Ce paiement est annulé (ou est une annulation) : il ne donne pas lieu à reçu.',
          `Payment documents retry on reversed payment ${paymentId}`
        )
      }
      const author: Author = { userId: user.id, now: this.clock.now().toISOString() }
      const job = await manager.findOne(PaymentDocumentJobEntity, { where: { paymentId } })
      if (!job) {
        await queuePaymentDocuments(manager, payment, author)
      } else if (job.status === 'done') {
        throw new AppError('CONFLICT', 'Le reçu et l’information du client de ce paiement sont déjà émis.', 'Done')
      } else {
        await manager.update(
          PaymentDocumentJobEntity,
          { id: job.id },
          {
            status: 'pending',
            attempts: 0,
            nextAttemptAt: author.now,
            updatedAt: author.now,
            updatedBy: author.userId,
            version: job.version + 1
          }
        )
      }
      return paymentDocumentsState((await manager.findOne(PaymentDocumentJobEntity, { where: { paymentId } }))!)!
    })
    this.kick()
    return state
  }

  /** One payment's two documents. Returns true when stored. */
  private async process(job: PaymentDocumentJobEntity): Promise<boolean> {
    try {
      const prepared = await this.db.read(async (manager) => {
        const payment = await manager.findOne(PaymentEntity, { where: { id: job.paymentId } })
        if (!payment) throw notFound('Payment', job.paymentId, 'Paiement')
        const out: PreparedLetter[] = []
        for (const doc of DOCUMENTS) {
          out.push(
            await this.documents.prepareLetter(manager, {
              caseId: job.caseId,
              templateCode: doc.code,
              at: payment.receivedOn,
              extra: { paymentId: job.paymentId }
            })
          )
        }
        return out
      })
      const rendered: RenderedLetter[] = []
      for (const letter of prepared) rendered.push(await this.documents.renderPrepared(letter))
      return await this.db.write(
        async (manager) => {
          // Agency mode: beside other workstations' calls and payments, one case at a time (its
          // letters' references are numbered per case).
          await lockCasesForWrite(manager, [job.caseId])
          const fresh = await manager.findOne(PaymentDocumentJobEntity, { where: { id: job.id } })
          if (!fresh || fresh.status !== 'pending' || fresh.version !== job.version) return false // cancelled, retried
          const author: Author = { userId: job.createdBy ?? '', now: this.clock.now().toISOString() }
          const ids: string[] = []
          for (const [i, doc] of DOCUMENTS.entries()) {
            const stored = await this.documents.storeGenerated(manager, {
              caseId: job.caseId,
              templateCode: doc.code,
              templateVersion: rendered[i]!.templateVersion,
              pdf: rendered[i]!.pdf,
              title: DEFAULT_TEMPLATES.find((t) => t.code === doc.code)!.name,
              channel: doc.channel,
              author,
              details: { paymentId: job.paymentId, automatic: true }
            })
            ids.push(stored.letterId)
          }
          await manager.update(
            PaymentDocumentJobEntity,
            { id: job.id },
            {
              status: 'done',
              attempts: job.attempts + 1,
              nextAttemptAt: null,
              lastError: null,
              receiptLetterId: ids[0]!,
              noticeLetterId: ids[1]!,
              updatedAt: author.now,
              version: job.version + 1
            }
          )
          return true
        },
        { rowLocks: true }
      )
    } catch (error) {
      const message =
        (error as { userMessage?: string }).userMessage ??
        'Erreur inattendue pendant la génération du reçu (voir le journal technique).'
      if (!(error instanceof AppError)) log.error(`Payment documents of ${job.paymentId} failed`, error)
      const attempts = job.attempts + 1
      const now = this.clock.now()
      const wait = BACKOFF_MINUTES[Math.min(attempts - 1, BACKOFF_MINUTES.length - 1)]!
      await this.db
        .write((manager) =>
          manager.update(
            PaymentDocumentJobEntity,
            { id: job.id, version: job.version },
            {
              status: attempts >= PAYMENT_DOCUMENTS_MAX_ATTEMPTS ? 'failed' : 'pending',
              attempts,
              lastError: message.slice(0, 500),
              nextAttemptAt: new Date(now.getTime() + wait * 60_000).toISOString(),
              updatedAt: now.toISOString(),
              version: job.version + 1
            }
          )
        )
        .catch((e: unknown) => log.error('Payment documents: failure not recorded', e))
      return false
    }
  }
}
