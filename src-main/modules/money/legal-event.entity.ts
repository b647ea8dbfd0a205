import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import { AppendOnlyRecord, CodeColumn, DateColumn, RefColumn, TextColumn } from '../../db/columns'
import type { LegalEventKind } from '@shared/contract/money'
import { CaseEntity } from '../cases/case.entity'
import { ClaimEntity } from '../cases/claim.entity'

/**
 * A judgment (enforceable title), a signed acknowledgement of debt, a court claim (injonction de
 * payer request included) or an enforcement act, for one claim or for every claim of the case
 * (claimId null). Append-only: the money engine reads them for the +5 points after a judgment
 * (CMF L313-3), the 10-year prescription (CPCE L111-4) and the interruptions (C. civ. 2240,
 * 2241, 2244); collection_case.prescription_on follows them (refreshCasePrescriptions).
 */
@Entity('legal_event')
export class LegalEventEntity extends AppendOnlyRecord {
  @Index('ix_legal_event_case')
  @RefColumn()
  caseId: string
  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity

  @RefColumn({ nullable: true }) claimId: string | null
  @ManyToOne(() => ClaimEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'claim_id' })
  claim?: ClaimEntity

  @CodeColumn() kind: LegalEventKind
  /** Judgment: date of the decision; acknowledgement: date signed; court claim: filed; enforcement act: served. */
  @DateColumn() occurredOn: string
  /** Judgment only: the day it became enforceable (the user enters it). */
  @DateColumn({ nullable: true }) enforceableOn: string | null
  @TextColumn({ length: 200, nullable: true }) court: string | null
  @TextColumn({ length: 100, nullable: true }) reference: string | null
  @TextColumn({ nullable: true }) note: string | null
}
