import { Entity, Index } from 'typeorm'
import { CodeColumn, MutableRecord, RefColumn, TextColumn } from '../../db/columns'

/**
 * - sending: recorded (and committed) before the message is handed to the SMTP server. Found so
 *   with no sending in progress in this process, the process died in between: the server may or
 *   may not have accepted it ("envoi incertain"), so it is never sent again without the user.
 * - sent: the server accepted it (recorded with the letter, in one transaction).
 * - failed: refused or not reached, with the reason the user reads.
 * - superseded: an uncertain attempt the user checked and chose to send again (a new attempt).
 */
export type EmailAttemptStatus = 'sending' | 'sent' | 'failed' | 'superseded'

/**
 * One hand-over of a letter's e-mail to the SMTP server (batch or one by one): makes sending
 * idempotent across a crash and keeps a failure's reason after a restart.
 */
@Entity('email_attempt')
@Index('ix_email_attempt_letter', ['letterId', 'createdAt'])
export class EmailAttemptEntity extends MutableRecord {
  @RefColumn() letterId: string
  @Index('ix_email_attempt_case')
  @RefColumn()
  caseId: string
  @RefColumn() documentId: string
  @RefColumn({ nullable: true }) batchId: string | null
  /** The Message-ID header the message carries (null: never handed to the server). */
  @TextColumn({ length: 255, nullable: true }) messageId: string | null
  @TextColumn({ length: 254 }) recipient: string
  @CodeColumn() status: EmailAttemptStatus
  /** Why it failed, in French, as the user reads it. */
  @TextColumn({ nullable: true }) failureReason: string | null
}
