import { Entity, Index } from 'typeorm'
import { CodeColumn, InstantColumn, IntColumn, MutableRecord, RefColumn, TextColumn } from '../../db/columns'

/** pending: to generate (again at nextAttemptAt); done; failed: retries exhausted; cancelled: reversed first. */
export type PaymentDocumentsStatus = 'pending' | 'done' | 'failed' | 'cancelled'

/**
 * The receipt for the debtor (CPCE R124-6) and the notice to the client (R124-5) that every
 * payment received yields: queued in the payment's own transaction, generated in the background
 * right after (PaymentDocumentsWorker), so a PDF failure never refuses or undoes the payment.
 */
@Entity('payment_document_job')
@Index('ix_payment_document_job_due', ['status', 'nextAttemptAt'])
export class PaymentDocumentJobEntity extends MutableRecord {
  @Index('uq_payment_document_job_payment', { unique: true })
  @RefColumn()
  paymentId: string
  @Index('ix_payment_document_job_case')
  @RefColumn()
  caseId: string
  @CodeColumn() status: PaymentDocumentsStatus
  @IntColumn({ default: 0 }) attempts: number
  @InstantColumn({ nullable: true }) nextAttemptAt: string | null
  /** The last failure, in French, as the user reads it. */
  @TextColumn({ nullable: true }) lastError: string | null
  @RefColumn({ nullable: true }) receiptLetterId: string | null
  @RefColumn({ nullable: true }) noticeLetterId: string | null
}
