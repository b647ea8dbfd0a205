import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import {
  AppendOnlyRecord,
  BoolColumn,
  CodeColumn,
  DateColumn,
  MoneyColumn,
  RefColumn,
  TextColumn
} from '../../db/columns'
import type { AllocationComponent, PaymentMethod, PaymentReceiver } from '@shared/domain/enums'
import { CaseEntity } from '../cases/case.entity'
import { ClaimEntity } from '../cases/claim.entity'

/**
 * A payment by the debtor. Append-only: a bounced cheque is a new payment with a negative
 * amount that `reversesPaymentId` links to the original.
 */
@Entity('payment')
export class PaymentEntity extends AppendOnlyRecord {
  @Index('ix_payment_case')
  @RefColumn()
  caseId: string
  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity

  @Index('ix_payment_received_on')
  @DateColumn()
  receivedOn: string
  @MoneyColumn() amountCents: number
  @CodeColumn() method: PaymentMethod
  @TextColumn({ length: 100, nullable: true }) reference: string | null
  @CodeColumn() receivedBy: PaymentReceiver
  /** Encaissement effectif: starts the one-month remittance deadline (CPCE R124-6). */
  @DateColumn({ nullable: true }) collectedOn: string | null
  @RefColumn({ nullable: true }) reversesPaymentId: string | null
  @TextColumn({ nullable: true }) note: string | null
}

/** How much of a payment went to which part of which claim; stored, never recomputed. */
@Entity('allocation')
export class AllocationEntity extends AppendOnlyRecord {
  @Index('ix_allocation_payment')
  @RefColumn()
  paymentId: string
  @ManyToOne(() => PaymentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'payment_id' })
  payment?: PaymentEntity

  @Index('ix_allocation_claim')
  @RefColumn()
  claimId: string
  @ManyToOne(() => ClaimEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'claim_id' })
  claim?: ClaimEntity

  @CodeColumn() component: AllocationComponent
  @MoneyColumn() amountCents: number
  /** A manual allocation overrides the legal order and must say why. */
  @BoolColumn({ default: false }) manual: boolean
  @TextColumn({ nullable: true }) reason: string | null
}
