import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import { CodeColumn, DateColumn, MutableRecord, RefColumn, TextColumn } from '../../db/columns'
import type { DeadlineKind } from '@shared/domain/enums'
import { CaseEntity } from '../cases/case.entity'

/**
 * A legal deadline of a case (claim declaration, contest of the état du passif): shown in the
 * case file and the agenda until it is marked done.
 */
@Entity('case_deadline')
export class CaseDeadlineEntity extends MutableRecord {
  @Index('ix_case_deadline_case')
  @RefColumn()
  caseId: string
  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity

  @RefColumn({ nullable: true }) proceedingId: string | null
  @CodeColumn() kind: DeadlineKind
  @Index('ix_case_deadline_due_on')
  @DateColumn()
  dueOn: string
  /** How the date was computed (French), kept as evidence. */
  @TextColumn({ length: 300 }) basis: string
  @DateColumn({ nullable: true }) completedOn: string | null
  @TextColumn({ nullable: true }) note: string | null
}
