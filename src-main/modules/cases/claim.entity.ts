import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import {
  BoolColumn,
  CodeColumn,
  DateColumn,
  IntColumn,
  MoneyColumn,
  MutableRecord,
  RefColumn,
  TextColumn
} from '../../db/columns'
import type { InterestBasis } from '@shared/domain/enums'
import { CaseEntity } from './case.entity'

/** Créance: one unpaid invoice, the unit interest runs on and payments are allocated to. */
@Entity('claim')
@Index('uq_claim_client_invoice', ['clientId', 'invoiceNumber'], { unique: true })
@Index('ix_claim_prescription_on', ['prescriptionOn', 'caseId'])
export class ClaimEntity extends MutableRecord {
  @Index('ix_claim_case')
  @RefColumn()
  caseId: string
  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity

  /** Copied from the case so the database itself refuses an invoice imported twice for a client. */
  @RefColumn() clientId: string
  @Index('ix_claim_invoice_number')
  @TextColumn({ length: 60 })
  invoiceNumber: string
  @DateColumn() issuedOn: string
  @DateColumn() dueOn: string
  @MoneyColumn() principalCents: number
  @CodeColumn() interestBasis: InterestBasis
  /** For a contractual rate, in basis points per year. */
  @IntColumn({ nullable: true }) contractualRateBp: number | null
  /** First day interest runs; null when it follows from the basis (due date + 1, notice date). */
  @DateColumn({ nullable: true }) interestFrom: string | null
  /** The €40 recovery indemnity (C. com. L441-10), between professionals only. */
  @BoolColumn({ default: false }) indemnityApplies: boolean
  @BoolColumn({ default: false }) disputed: boolean
  @TextColumn({ nullable: true }) description: string | null
  /**
   * Last day this claim can be demanded (prescription), null once its principal is paid or the
   * case closed: kept by refreshCasePrescriptions (modules/money), read by the agenda and the
   * portfolio's prescription filter.
   */
  @DateColumn({ nullable: true }) prescriptionOn?: string | null
}
