import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import { AppendOnlyRecord, CodeColumn, InstantColumn, RefColumn, TextColumn } from '../../db/columns'
import type { JournalKind } from '@shared/domain/enums'
import { CaseEntity } from '../cases/case.entity'

/**
 * The case journal: evidence for court. Append-only, enforced by database triggers; a mistake
 * is corrected by a new entry whose `correctsEntryId` points at the wrong one.
 */
@Entity('journal_entry')
@Index('ix_journal_case_occurred', ['caseId', 'occurredAt'])
export class JournalEntryEntity extends AppendOnlyRecord {
  @RefColumn() caseId: string
  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity

  @CodeColumn() kind: JournalKind
  /** When it happened (a call placed yesterday and logged today), as opposed to createdAt. */
  @InstantColumn() occurredAt: string
  /** Who did it; null for what the app did by itself (dunning engine). */
  @Index('ix_journal_author')
  @RefColumn({ nullable: true })
  authorId: string | null
  @TextColumn() summary: string
  /** Kind-specific facts as JSON (call outcome, phase before/after, amounts…). */
  @TextColumn({ nullable: true }) details: string | null
  @RefColumn({ nullable: true }) correctsEntryId: string | null
  /** The payment, promise, plan or document this entry records, if any. */
  @RefColumn({ nullable: true }) relatedId: string | null
}
