import { Entity, Index } from 'typeorm'
import { BoolColumn, CodeColumn, DateColumn, IntColumn, MutableRecord, RefColumn, TextColumn } from '../../db/columns'
import type { SendChannel } from '@shared/documents'

/** generated → sent (or cancelled before sending). */
export type LetterStatus = 'generated' | 'sent' | 'cancelled'

/**
 * A letter (or e-mail, SMS) sent or to send from a generated document: its reference and date
 * (the first letter's are repeated on every later one, R124-4), channel, and the sending facts
 * (date, registered-letter tracking number). The document itself stays immutable.
 */
@Entity('letter')
@Index('ix_letter_case', ['caseId', 'letterDate'])
export class LetterEntity extends MutableRecord {
  @Index('uq_letter_document', { unique: true })
  @RefColumn()
  documentId: string
  @RefColumn() caseId: string
  @TextColumn({ length: 60 }) templateCode: string
  @IntColumn() templateVersion: number
  @Index('uq_letter_reference', { unique: true })
  @TextColumn({ length: 60 })
  reference: string
  @DateColumn() letterDate: string
  @CodeColumn() channel: SendChannel
  /** A letter demanding payment from the debtor: the first one carries every R124-4 mention. */
  @BoolColumn({ default: false }) demand: boolean
  @RefColumn({ nullable: true }) batchId: string | null
  @CodeColumn() status: LetterStatus
  @DateColumn({ nullable: true }) sentOn: string | null
  @TextColumn({ length: 40, nullable: true }) trackingNumber: string | null
  /** E-mail address or phone number it went to. */
  @TextColumn({ length: 254, nullable: true }) recipient: string | null
  /** Text of the letter (e-mail body, SMS, evidence bundle copy). */
  @TextColumn() text: string
}
