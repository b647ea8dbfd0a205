import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import { CodeColumn, DateColumn, IntColumn, MoneyColumn, MutableRecord, RefColumn, TextColumn } from '../../db/columns'
import { ClientEntity } from './client.entity'

/**
 * Convention de recouvrement (CPCE R124-3): the written agreement without which the agency may
 * not act. The four texts are the mentions R124-3 requires.
 */
@Entity('mandate')
export class MandateEntity extends MutableRecord {
  @Index('ix_mandate_client')
  @RefColumn()
  clientId: string
  @ManyToOne(() => ClientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: ClientEntity

  @Index('uq_mandate_reference', { unique: true })
  @TextColumn({ length: 40 })
  reference: string
  @DateColumn() signedOn: string
  @DateColumn({ nullable: true }) endsOn: string | null
  /** active | terminated */
  @CodeColumn() status: string
  /** Commission on amounts recovered, in basis points (1 500 = 15 %). */
  @IntColumn() commissionRateBp: number
  @MoneyColumn({ default: 0 }) fixedFeeCents: number
  /** R124-3 1°: basis and amount of the sums due, each element stated separately. */
  @TextColumn() scope: string
  /** R124-3 2°: guarantee against the agency's civil liability. */
  @TextColumn() liabilityGuarantee: string
  /** R124-3 3°: how the fee, payable by the creditor, is computed. */
  @TextColumn() feeTerms: string
  /** R124-3 4°: how collected funds are paid over to the creditor. */
  @TextColumn() remittanceTerms: string
  /** R124-6: one month unless agreed otherwise. */
  @IntColumn({ default: 30 }) remittanceDelayDays: number
  @TextColumn({ length: 40, nullable: true }) dunningScenarioCode: string | null
}
