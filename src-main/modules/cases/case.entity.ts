import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import {
  CodeColumn,
  DateColumn,
  InstantColumn,
  IntColumn,
  MoneyColumn,
  MutableRecord,
  RefColumn,
  TextColumn
} from '../../db/columns'
import type {
  CallOutcome,
  CasePhase,
  CasePriority,
  CaseStatus,
  ClosureReason,
  SuspensionReason
} from '@shared/domain/enums'
import { ClientEntity } from '../clients/client.entity'
import { MandateEntity } from '../clients/mandate.entity'
import { DebtorEntity } from '../debtors/debtor.entity'
import { UserEntity } from '../users/user.entity'

/**
 * Dossier: one debtor's unpaid claims for one client, worked by one collector through the
 * phases of recovery.
 *
 * The money and contact columns at the end are a summary kept by the services in the same
 * transaction as the records they summarise (claims, payments, journal): the portfolio sorts
 * and filters 200,000 cases on them without aggregating on every page.
 */
@Entity('collection_case')
// Portfolio (see CasesService.list): totals and small sets of any filter combination read this
// covering index only; large sets page along one of the (key, reference) indexes without sorting.
@Index('ix_case_portfolio', [
  'status',
  'phase',
  'clientId',
  'collectorId',
  'priority',
  'balanceCents',
  'oldestDueOn',
  'nextActionOn',
  'lastContactAt',
  'id'
])
@Index('ix_case_status_reference', ['status', 'reference'])
@Index('ix_case_phase_reference', ['phase', 'reference'])
@Index('ix_case_priority_reference', ['priority', 'reference'])
@Index('ix_case_debtor_sort', ['debtorSortName', 'reference'])
@Index('ix_case_balance', ['balanceCents', 'reference'])
@Index('ix_case_oldest_due_on', ['oldestDueOn', 'reference'])
@Index('ix_case_next_action_on', ['nextActionOn', 'reference'])
@Index('ix_case_last_contact_at', ['lastContactAt', 'reference'])
@Index('ix_case_opened_on', ['openedOn', 'reference'])
@Index('ix_case_prescription_on', ['prescriptionOn', 'reference'])
@Index('ix_case_client_status', ['clientId', 'status'])
@Index('ix_case_collector_status', ['collectorId', 'status'])
export class CaseEntity extends MutableRecord {
  @Index('uq_case_reference', { unique: true })
  @TextColumn({ length: 30 })
  reference: string

  @RefColumn() clientId: string
  @ManyToOne(() => ClientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: ClientEntity

  @Index('ix_case_mandate')
  @RefColumn()
  mandateId: string
  @ManyToOne(() => MandateEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'mandate_id' })
  mandate?: MandateEntity

  @Index('ix_case_debtor')
  @RefColumn()
  debtorId: string
  @ManyToOne(() => DebtorEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'debtor_id' })
  debtor?: DebtorEntity

  @RefColumn({ nullable: true }) collectorId: string | null
  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'collector_id' })
  collector?: UserEntity | null

  @CodeColumn() phase: CasePhase
  @CodeColumn() status: CaseStatus
  @CodeColumn({ nullable: true }) suspensionReason: SuspensionReason | null
  @CodeColumn({ nullable: true }) closureReason: ClosureReason | null
  @CodeColumn() priority: CasePriority
  @DateColumn() openedOn: string
  @DateColumn({ nullable: true }) closedOn: string | null
  @DateColumn({ nullable: true }) nextActionOn: string | null

  // Summary kept in step by the services (see the class comment).
  @MoneyColumn({ default: 0 }) principalCents: number
  @MoneyColumn({ default: 0 }) paidCents: number
  @MoneyColumn({ default: 0 }) balanceCents: number
  @IntColumn({ default: 0 }) claimCount: number
  @DateColumn({ nullable: true }) oldestDueOn: string | null
  @InstantColumn({ nullable: true }) lastContactAt: string | null
  @CodeColumn({ nullable: true }) lastContactOutcome: CallOutcome | null
  /**
   * Next prescription date among the case's claims still demandable (time-barred ones ignored),
   * null when none is: kept by refreshCasePrescriptions and rollCasePrescriptions (modules/money).
   */
  @DateColumn({ nullable: true }) prescriptionOn?: string | null
  /** Open claims of the case already time-barred (kept with prescriptionOn). */
  @IntColumn({ default: 0 }) prescribedClaims: number

  /**
   * The debtor's name as the portfolio sorts it (lower case, no accents: nameSortKey), kept by
   * the SearchIndex (modules/search): writers of cases and debtors call it, they never set this.
   */
  @Column('varchar', { length: 200, default: '' })
  debtorSortName?: string
}
