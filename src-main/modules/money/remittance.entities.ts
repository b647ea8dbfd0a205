import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import {
  AppendOnlyRecord,
  CodeColumn,
  DateColumn,
  IntColumn,
  MoneyColumn,
  MutableRecord,
  RefColumn,
  TextColumn
} from '../../db/columns'
import type { PaymentReceiver, RemittanceStatus } from '@shared/domain/enums'
import { ClientEntity } from '../clients/client.entity'
import { PaymentEntity } from './payment.entity'

/**
 * Relevé de reversement: what the agency owes a client for the payments collected in a period
 * (CPCE R124-6), net of its commission and the VAT on it. Its lines are frozen at creation;
 * only the marking as paid changes the row.
 */
@Entity('remittance')
@Index('ix_remittance_client_status', ['clientId', 'status'])
export class RemittanceEntity extends MutableRecord {
  @Index('uq_remittance_reference', { unique: true })
  @TextColumn({ length: 30 })
  reference: string

  @RefColumn() clientId: string
  @ManyToOne(() => ClientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: ClientEntity

  @DateColumn() periodFrom: string
  @DateColumn() periodTo: string
  /** Net sum of the payments the agency collected (reversals negative). */
  @MoneyColumn() agencyCollectedCents: number
  /** Net sum of the payments the client received directly: commission is still due on them. */
  @MoneyColumn() clientCollectedCents: number
  /** Sum of the lines' commissions (each rounded half-up). */
  @MoneyColumn() commissionCents: number
  /** VAT on the commission, rounded half-up once on the total. */
  @IntColumn() vatRateBp: number
  @MoneyColumn() vatCents: number
  /** agencyCollected − commission − VAT; negative when the client owes the agency. */
  @MoneyColumn() netCents: number
  /** Earliest deadline of the agency-collected lines (collection date + mandate delay). */
  @DateColumn() dueOn: string
  @CodeColumn() status: RemittanceStatus
  @DateColumn({ nullable: true }) paidOn: string | null
  /** Bank transfer reference given when marking it paid. */
  @TextColumn({ length: 100, nullable: true }) transferReference: string | null
}

/** One payment in a remittance; a payment is remitted once (unique index). */
@Entity('remittance_line')
export class RemittanceLineEntity extends AppendOnlyRecord {
  @Index('ix_remittance_line_remittance')
  @RefColumn()
  remittanceId: string
  @ManyToOne(() => RemittanceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'remittance_id' })
  remittance?: RemittanceEntity

  @Index('uq_remittance_line_payment', { unique: true })
  @RefColumn()
  paymentId: string
  @ManyToOne(() => PaymentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'payment_id' })
  payment?: PaymentEntity

  @RefColumn() caseId: string
  @CodeColumn() receivedBy: PaymentReceiver
  @DateColumn() collectedOn: string
  @MoneyColumn() amountCents: number
  @IntColumn() commissionRateBp: number
  @MoneyColumn() commissionCents: number
  /** collectedOn + the mandate's remittance delay; only meaningful for agency-collected lines. */
  @DateColumn() dueOn: string
}
