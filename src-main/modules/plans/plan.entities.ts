import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import { CodeColumn, DateColumn, IntColumn, MoneyColumn, MutableRecord, RefColumn } from '../../db/columns'
import type { InstallmentStatus, PlanFrequency, PlanStatus, PromiseStatus } from '@shared/domain/enums'
import { CaseEntity } from '../cases/case.entity'

/** Promesse de paiement: the debtor says they will pay an amount by a date. */
@Entity('payment_promise')
@Index('ix_promise_case_status', ['caseId', 'status'])
export class PromiseEntity extends MutableRecord {
  @RefColumn() caseId: string
  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity

  @MoneyColumn() amountCents: number
  @Index('ix_promise_due_on')
  @DateColumn()
  dueOn: string
  @DateColumn() madeOn: string
  @CodeColumn() status: PromiseStatus
  /** The journal entry (usually a call) where the promise was made. */
  @RefColumn({ nullable: true }) journalEntryId: string | null
}

/** Échéancier agreed with the debtor. */
@Entity('payment_plan')
@Index('ix_plan_case_status', ['caseId', 'status'])
export class PaymentPlanEntity extends MutableRecord {
  @RefColumn() caseId: string
  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity

  @CodeColumn() status: PlanStatus
  @MoneyColumn() totalCents: number
  @MoneyColumn({ default: 0 }) downPaymentCents: number
  @IntColumn() installmentCount: number
  @CodeColumn() frequency: PlanFrequency
  @DateColumn() firstDueOn: string
  /** frozen: the balance is fixed at the agreement; running: interest keeps accruing. */
  @CodeColumn() interestMode: string
  @DateColumn({ nullable: true }) agreedOn: string | null
  @DateColumn({ nullable: true }) endedOn: string | null
}

@Entity('installment')
@Index('uq_installment_plan_sequence', ['planId', 'sequence'], { unique: true })
@Index('ix_installment_status_due_on', ['status', 'dueOn'])
export class InstallmentEntity extends MutableRecord {
  @RefColumn() planId: string
  @ManyToOne(() => PaymentPlanEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_id' })
  plan?: PaymentPlanEntity

  @IntColumn() sequence: number
  @Index('ix_installment_due_on')
  @DateColumn()
  dueOn: string
  @MoneyColumn() amountCents: number
  @MoneyColumn({ default: 0 }) paidCents: number
  @CodeColumn() status: InstallmentStatus
}
