import type { EntityManager } from 'typeorm'
import { AppError, notFound, type CaseState } from '@shared/contract'
import { CASE_PHASES, CASE_STATUSES, CLOSURE_REASONS, SUSPENSION_REASONS } from '@shared/domain/enums'
import { formatDate, formatInstant } from '@shared/format/french'
import { CaseEntity } from './case.entity'
import type { Author } from '../journal/journal.service'

/**
 * Reading and updating a case's own fields for the case-file actions, with optimistic locking:
 * an action carries the version it was based on; if someone changed the case since, it is
 * refused with the current value, in French, instead of silently overwriting their work.
 */

interface CaseStateRow {
  id: string
  reference: string
  version: number
  phase: CaseState['phase']
  status: CaseState['status']
  suspension_reason: CaseState['suspensionReason']
  closure_reason: CaseState['closureReason']
  priority: CaseState['priority']
  opened_on: string
  closed_on: string | null
  next_action_on: string | null
  last_contact_at: string | null
  last_contact_outcome: CaseState['lastContactOutcome']
  collector_id: string | null
  collector_name: string | null
  principal_cents: number | string
  paid_cents: number | string
  balance_cents: number | string
  claim_count: number
  oldest_due_on: string | null
  updated_at: string
  updated_by_name: string | null
}

export async function readCaseState(manager: EntityManager, caseId: string): Promise<CaseState> {
  const rows: CaseStateRow[] = await manager.query(
    `SELECT c.id, c.reference, c.version, c.phase, c.status, c.suspension_reason, c.closure_reason, c.priority,
            c.opened_on, c.closed_on, c.next_action_on, c.last_contact_at, c.last_contact_outcome,
            c.collector_id, col.display_name AS collector_name, c.principal_cents, c.paid_cents, c.balance_cents,
            c.claim_count, c.oldest_due_on, c.updated_at, upd.display_name AS updated_by_name
       FROM collection_case c
       LEFT JOIN app_user col ON col.id = c.collector_id
       LEFT JOIN app_user upd ON upd.id = c.updated_by
      WHERE c.id = ?`,
    [caseId]
  )
  const row = rows[0]
  if (!row) throw notFound('Case', caseId, 'Dossier')
  return {
    id: row.id,
    reference: row.reference,
    version: Number(row.version),
    phase: row.phase,
    status: row.status,
    suspensionReason: row.suspension_reason,
    closureReason: row.closure_reason,
    priority: row.priority,
    openedOn: row.opened_on,
    closedOn: row.closed_on,
    nextActionOn: row.next_action_on,
    lastContactAt: row.last_contact_at,
    lastContactOutcome: row.last_contact_outcome,
    collectorId: row.collector_id,
    collectorName: row.collector_name,
    principalCents: Number(row.principal_cents),
    paidCents: Number(row.paid_cents),
    balanceCents: Number(row.balance_cents),
    claimCount: Number(row.claim_count),
    oldestDueOn: row.oldest_due_on,
    updatedAt: row.updated_at,
    updatedByName: row.updated_by_name
  }
}

/** What a stale action was about: the conflict message leads with its current value. */
export type ConflictField = 'phase' | 'status' | 'collector' | 'nextAction' | 'case'

export function describeCurrent(state: CaseState, field: ConflictField): string {
  const status =
    CASE_STATUSES.labels[state.status] +
    (state.status === 'suspended' && state.suspensionReason
      ? ` (${SUSPENSION_REASONS.labels[state.suspensionReason]})`
      : state.status === 'closed' && state.closureReason
        ? ` (${CLOSURE_REASONS.labels[state.closureReason]})`
        : '')
  const values: Record<Exclude<ConflictField, 'case'>, string> = {
    phase: `phase « ${CASE_PHASES.labels[state.phase]} »`,
    status: `statut « ${status} »`,
    collector: `chargé de recouvrement : ${state.collectorName ?? 'personne'}`,
    nextAction: `prochaine action : ${state.nextActionOn ? formatDate(state.nextActionOn) : 'aucune'}`
  }
  const lead = field === 'case' ? [] : [values[field]]
  const rest = (Object.keys(values) as Array<keyof typeof values>).filter((k) => k !== field).map((k) => values[k])
  return [...lead, ...rest].join(', ')
}

export function conflictError(state: CaseState, expectedVersion: number, field: ConflictField): AppError {
  const by = state.updatedByName ? ` par ${state.updatedByName}` : ''
  return new AppError(
    'CONFLICT',
    `Le dossier ${state.reference} a été modifié${by} le ${formatInstant(state.updatedAt)}, après son affichage. ` +
      `Situation actuelle : ${describeCurrent(state, field)}. Vérifiez puis recommencez si besoin.`,
    `Case ${state.id} is at version ${state.version}, the action was based on version ${expectedVersion}`
  )
}

/** The case, refused with CONFLICT if it is no longer at `expectedVersion`. */
export async function lockCase(
  manager: EntityManager,
  caseId: string,
  expectedVersion: number | null,
  field: ConflictField
): Promise<CaseState> {
  const state = await readCaseState(manager, caseId)
  if (expectedVersion !== null && state.version !== expectedVersion) throw conflictError(state, expectedVersion, field)
  return state
}

export type CaseChanges = Partial<
  Pick<
    CaseEntity,
    | 'phase'
    | 'status'
    | 'suspensionReason'
    | 'closureReason'
    | 'closedOn'
    | 'nextActionOn'
    | 'collectorId'
    | 'lastContactAt'
    | 'lastContactOutcome'
  >
>

/**
 * Writes the case's new fields and bumps its version, only if it is still at the version read
 * (the transaction is serialized, so this is a second guard, not the only one).
 */
export async function updateCase(
  manager: EntityManager,
  state: CaseState,
  changes: CaseChanges,
  author: Author
): Promise<void> {
  const result = await manager
    .createQueryBuilder()
    .update(CaseEntity)
    .set({ ...changes, updatedAt: author.now, updatedBy: author.userId, version: () => 'version + 1' })
    .where('id = :id AND version = :version', { id: state.id, version: state.version })
    .execute()
  if (result.affected === 0) {
    throw new AppError('CONFLICT', 'Le dossier vient d’être modifié. Rechargez-le puis recommencez.', 'Lost update')
  }
}
