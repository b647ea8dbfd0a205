import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import {
  AppendOnlyRecord,
  BoolColumn,
  CodeColumn,
  DateColumn,
  InstantColumn,
  IntColumn,
  MoneyColumn,
  MutableRecord,
  RefColumn,
  TextColumn
} from '../../db/columns'
import type { CasePhase } from '@shared/domain/enums'
import type { DunningChannel, DunningDebtorCondition, DunningDelayFrom } from '@shared/dunning/scenario'
import { CaseEntity } from '../cases/case.entity'

/** Scénario de relance: a mandate picks one by code; the default one serves mandates without. */
@Entity('dunning_scenario')
export class DunningScenarioEntity extends MutableRecord {
  @Index('uq_dunning_scenario_code', { unique: true })
  @TextColumn({ length: 40 })
  code: string
  @TextColumn({ length: 120 }) name: string
  @TextColumn({ nullable: true }) description: string | null
  @BoolColumn({ default: false }) isDefault: boolean
  @BoolColumn({ default: true }) active: boolean
}

/** One step of a scenario. Its id stays when edited: the steps taken on cases point at it. */
@Entity('dunning_step')
export class DunningStepEntity extends MutableRecord {
  @Index('ix_dunning_step_scenario')
  @RefColumn()
  scenarioId: string
  @ManyToOne(() => DunningScenarioEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'scenario_id' })
  scenario?: DunningScenarioEntity

  @IntColumn() position: number
  @TextColumn({ length: 120 }) name: string
  @IntColumn() delayDays: number
  @CodeColumn() delayFrom: DunningDelayFrom
  @CodeColumn() channel: DunningChannel
  @TextColumn({ length: 60, nullable: true }) templateCode: string | null
  @CodeColumn() debtorCondition: DunningDebtorCondition
  @MoneyColumn({ nullable: true }) minBalanceCents: number | null
  @CodeColumn({ nullable: true }) phaseChange: CasePhase | null
  /** A removed step keeps its row (steps taken point at it) but no longer runs. */
  @BoolColumn({ default: false }) retired: boolean
}

/**
 * A batch of the daily engine: one confirmed run. Its rows (actions, documents, journal) are
 * written in one transaction at the end, so a cancelled batch leaves nothing.
 */
@Entity('dunning_batch')
export class DunningBatchEntity extends AppendOnlyRecord {
  @Index('ix_dunning_batch_run_on')
  @DateColumn()
  runOn: string
  @IntColumn() actionCount: number
  @IntColumn() letterCount: number
  /** The merged print file (letters in postcode order with a cover list), relative to the data folder. */
  @TextColumn({ length: 500, nullable: true }) printPath: string | null
  @TextColumn({ length: 64, nullable: true }) printSha256: string | null
  @IntColumn({ default: 0 }) durationMs: number
}

/**
 * A scenario step taken on a case. (case, step) is unique: the database itself makes the engine
 * idempotent — a second run the same day (or any day) cannot take the same step twice.
 */
@Entity('dunning_action')
@Index('uq_dunning_action_case_step', ['caseId', 'stepId'], { unique: true })
@Index('ix_dunning_action_open_calls', ['channel', 'completedOn'])
export class DunningActionEntity extends MutableRecord {
  @RefColumn() caseId: string
  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity

  @RefColumn() stepId: string
  @ManyToOne(() => DunningStepEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'step_id' })
  step?: DunningStepEntity

  @Index('ix_dunning_action_batch')
  @RefColumn({ nullable: true })
  batchId: string | null
  /** The engine's run date (the step's date for the scenario). */
  @DateColumn() takenOn: string
  @CodeColumn() channel: DunningChannel
  @TextColumn({ length: 120 }) stepName: string
  @RefColumn({ nullable: true }) documentId: string | null
  @RefColumn({ nullable: true }) journalEntryId: string | null
  /** Letters: the day it went to the post; a call task: the day it was done. */
  @DateColumn({ nullable: true }) sentOn: string | null
  /** Registered letters: the La Poste tracking number. */
  @TextColumn({ length: 40, nullable: true }) trackingNumber: string | null
  @DateColumn({ nullable: true }) completedOn: string | null
  @InstantColumn({ nullable: true }) completedAt: string | null
}
