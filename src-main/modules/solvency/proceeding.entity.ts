import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import { CodeColumn, DateColumn, MutableRecord, RefColumn, TextColumn } from '../../db/columns'
import type { ProceedingKind } from '@shared/domain/enums'
import { DebtorEntity } from '../debtors/debtor.entity'

/**
 * Collective proceedings (sauvegarde, redressement, liquidation) or an admissible
 * over-indebtedness file: it concerns the debtor, so every case against them is frozen. Dates
 * can be completed later (the BODACC publication follows the judgment).
 */
@Entity('insolvency_proceeding')
export class ProceedingEntity extends MutableRecord {
  @Index('ix_insolvency_proceeding_debtor')
  @RefColumn()
  debtorId: string
  @ManyToOne(() => DebtorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'debtor_id' })
  debtor?: DebtorEntity

  @CodeColumn() kind: ProceedingKind
  /** Opening judgment, or the commission's decision that the file is admissible. */
  @DateColumn() judgmentOn: string
  @DateColumn({ nullable: true }) bodaccPublishedOn: string | null
  /** Over-indebtedness: the day the état du passif was received (30 days to contest). */
  @DateColumn({ nullable: true }) noticeReceivedOn: string | null
  @TextColumn({ length: 200, nullable: true }) court: string | null
  @TextColumn({ length: 100, nullable: true }) reference: string | null
  /** Mandataire judiciaire, liquidator or commission, with contact details. */
  @TextColumn({ length: 300, nullable: true }) administrator: string | null
  @TextColumn({ nullable: true }) comment: string | null
  /** The case it was recorded from. */
  @RefColumn({ nullable: true }) recordedCaseId: string | null
}
