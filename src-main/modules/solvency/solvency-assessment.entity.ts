import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import { AppendOnlyRecord, CodeColumn, DateColumn, MoneyColumn, RefColumn, TextColumn } from '../../db/columns'
import type { SolvencyAssessment } from '@shared/domain/enums'
import { DebtorEntity } from '../debtors/debtor.entity'

/**
 * The collector's assessment of a debtor's solvency and monthly repayment capacity, which the
 * payment-plan negotiation reads. Append-only: a new assessment replaces the previous one and
 * both stay, dated and authored.
 */
@Entity('solvency_assessment')
@Index('ix_solvency_assessment_debtor', ['debtorId', 'createdAt'])
export class SolvencyAssessmentEntity extends AppendOnlyRecord {
  @RefColumn() debtorId: string
  @ManyToOne(() => DebtorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'debtor_id' })
  debtor?: DebtorEntity

  /** The case it was made from. */
  @RefColumn({ nullable: true }) caseId: string | null
  @CodeColumn() assessment: SolvencyAssessment
  @MoneyColumn({ nullable: true }) monthlyCapacityCents: number | null
  @TextColumn({ nullable: true }) comment: string | null
  @DateColumn() assessedOn: string
}
