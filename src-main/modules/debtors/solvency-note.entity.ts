import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import { AppendOnlyRecord, CodeColumn, DateColumn, MoneyColumn, RefColumn, TextColumn } from '../../db/columns'
import type { SolvencyCategory } from '@shared/domain/enums'
import { DebtorEntity } from './debtor.entity'

/**
 * A fact learnt about a debtor's solvency (employer, income, property, bank…), dated and
 * sourced. Append-only: a fact that changes gets a new note that supersedes the old one.
 */
@Entity('solvency_note')
export class SolvencyNoteEntity extends AppendOnlyRecord {
  @Index('ix_solvency_note_debtor')
  @RefColumn()
  debtorId: string
  @ManyToOne(() => DebtorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'debtor_id' })
  debtor?: DebtorEntity

  /** The case where it was learnt, if any. */
  @RefColumn({ nullable: true }) caseId: string | null
  @CodeColumn() category: SolvencyCategory
  @TextColumn() summary: string
  /** Monthly income, property value…, when the fact has an amount. */
  @MoneyColumn({ nullable: true }) amountCents: number | null
  @DateColumn() observedOn: string
  @TextColumn({ length: 100, nullable: true }) source: string | null
  @RefColumn({ nullable: true }) supersedesNoteId: string | null
  /**
   * The structured fields of a fact entered with the form (JSON: employment status, income
   * range, tenure…) and the collector's screened comment; null for notes kept as text only.
   */
  @TextColumn({ nullable: true }) facts?: string | null
}
