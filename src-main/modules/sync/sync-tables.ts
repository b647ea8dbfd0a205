import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm'
import { UserEntity } from '../users/user.entity'
import { SettingEntity } from '../settings/setting.entity'
import { ClientEntity } from '../clients/client.entity'
import { MandateEntity } from '../clients/mandate.entity'
import { DebtorEntity } from '../debtors/debtor.entity'
import { DebtorAddressEntity, DebtorEmailEntity, DebtorPhoneEntity } from '../debtors/debtor-contact.entity'
import { SolvencyNoteEntity } from '../debtors/solvency-note.entity'
import { CaseEntity } from '../cases/case.entity'
import { ClaimEntity } from '../cases/claim.entity'
import { JournalEntryEntity } from '../journal/journal-entry.entity'
import { AllocationEntity, PaymentEntity } from '../money/payment.entity'
import { EcbRefinancingRateEntity, LegalInterestRateEntity } from '../money/rate.entities'
import { LegalEventEntity } from '../money/legal-event.entity'
import { InstallmentEntity, PaymentPlanEntity, PromiseEntity } from '../plans/plan.entities'
import { DocumentEntity } from '../documents/document.entity'
import { DocumentTemplateEntity } from '../documents/document-template.entity'
import { LetterEntity } from '../documents/letter.entity'
import { SolvencyAssessmentEntity } from '../solvency/solvency-assessment.entity'
import { ProceedingEntity } from '../solvency/proceeding.entity'
import { CaseDeadlineEntity } from '../solvency/case-deadline.entity'
import { DunningActionEntity, DunningScenarioEntity, DunningStepEntity } from '../dunning/dunning.entities'

/**
 * What a field checkout copies, and how each table syncs back. Dialect-neutral: rows are read
 * and written as entities through TypeORM's query builder, never with engine-specific SQL.
 *
 * - reference: the office's (users, clients, templates, rates…): copied at checkout, refreshed
 *   from the office at each sync, never sent back.
 * - append: append-only evidence with UUID v7 keys (journal, payments…): the laptop sends the
 *   rows the office does not have, inserted-or-ignored by id (a replay changes nothing).
 * - mutable: shared records with a version (a debtor's phone, a case, a plan): new rows are
 *   inserted like append-only ones; edits are sent with the values they were based on and
 *   merged column by column; a column changed on both sides to different values is a conflict.
 */
export type SyncKind = 'reference' | 'append' | 'mutable'

/** Which set of ids a table's rows are selected by. */
export type ScopeKey = 'all' | 'caseIds' | 'debtorIds' | 'clientIds' | 'paymentIds' | 'planIds'

export interface SyncTable {
  entity: EntityTarget<ObjectLiteral>
  /** SQL table name (the key in sync_base). */
  name: string
  kind: SyncKind
  scope: ScopeKey
  /** The entity property compared with the scope's ids. */
  by: string
  /** Copied at checkout only (local settings stay the laptop's). */
  checkoutOnly?: boolean
  /** Reference rows the office never updates (append-only): insert-or-ignore only. */
  insertOnly?: boolean
  /** Properties computed by the services (summaries): never merged, the office recomputes them. */
  derived?: readonly string[]
  /** French, for conflicts: "Téléphone du débiteur". */
  label: string
}

const t = (
  entity: EntityTarget<ObjectLiteral>,
  name: string,
  kind: SyncKind,
  scope: ScopeKey,
  by: string,
  label: string,
  extra: Partial<SyncTable> = {}
): SyncTable => ({ entity, name, kind, scope, by, label, ...extra })

/** In foreign-key order: a table's parents come before it. */
export const SYNC_TABLES: readonly SyncTable[] = [
  t(UserEntity, 'app_user', 'reference', 'all', 'id', 'Utilisateur'),
  t(SettingEntity, 'app_setting', 'reference', 'all', 'key', 'Paramètre', { checkoutOnly: true }),
  t(ClientEntity, 'client', 'reference', 'clientIds', 'id', 'Client'),
  t(MandateEntity, 'mandate', 'reference', 'clientIds', 'clientId', 'Mandat'),
  t(DocumentTemplateEntity, 'document_template', 'reference', 'all', 'id', 'Modèle', { insertOnly: true }),
  t(DunningScenarioEntity, 'dunning_scenario', 'reference', 'all', 'id', 'Scénario de relance'),
  t(DunningStepEntity, 'dunning_step', 'reference', 'all', 'id', 'Étape de relance'),
  t(LegalInterestRateEntity, 'legal_interest_rate', 'reference', 'all', 'id', 'Taux légal', { insertOnly: true }),
  t(EcbRefinancingRateEntity, 'ecb_refinancing_rate', 'reference', 'all', 'id', 'Taux BCE', { insertOnly: true }),
  t(DebtorEntity, 'debtor', 'mutable', 'debtorIds', 'id', 'Débiteur'),
  t(CaseEntity, 'collection_case', 'mutable', 'caseIds', 'id', 'Dossier', {
    derived: [
      'principalCents',
      'paidCents',
      'balanceCents',
      'claimCount',
      'oldestDueOn',
      'prescriptionOn',
      'debtorSortName',
      'lastContactAt',
      'lastContactOutcome',
      'prescribedClaims'
    ]
  }),
  t(ClaimEntity, 'claim', 'mutable', 'caseIds', 'caseId', 'Créance', { derived: ['prescriptionOn'] }),
  t(DebtorPhoneEntity, 'debtor_phone', 'mutable', 'debtorIds', 'debtorId', 'Téléphone du débiteur'),
  t(DebtorEmailEntity, 'debtor_email', 'mutable', 'debtorIds', 'debtorId', 'E-mail du débiteur'),
  t(DebtorAddressEntity, 'debtor_address', 'mutable', 'debtorIds', 'debtorId', 'Adresse du débiteur'),
  t(ProceedingEntity, 'insolvency_proceeding', 'mutable', 'debtorIds', 'debtorId', 'Procédure collective'),
  t(SolvencyNoteEntity, 'solvency_note', 'append', 'debtorIds', 'debtorId', 'Note de solvabilité'),
  t(SolvencyAssessmentEntity, 'solvency_assessment', 'append', 'debtorIds', 'debtorId', 'Évaluation de solvabilité'),
  t(CaseDeadlineEntity, 'case_deadline', 'mutable', 'caseIds', 'caseId', 'Échéance du dossier'),
  t(LegalEventEntity, 'legal_event', 'append', 'caseIds', 'caseId', 'Événement judiciaire'),
  t(DocumentEntity, 'document', 'append', 'caseIds', 'caseId', 'Document'),
  t(LetterEntity, 'letter', 'mutable', 'caseIds', 'caseId', 'Courrier'),
  t(DunningActionEntity, 'dunning_action', 'mutable', 'caseIds', 'caseId', 'Relance'),
  t(PromiseEntity, 'payment_promise', 'mutable', 'caseIds', 'caseId', 'Promesse de paiement'),
  t(PaymentPlanEntity, 'payment_plan', 'mutable', 'caseIds', 'caseId', 'Échéancier'),
  t(InstallmentEntity, 'installment', 'mutable', 'planIds', 'planId', 'Échéance', { derived: ['paidCents', 'status'] }),
  t(JournalEntryEntity, 'journal_entry', 'append', 'caseIds', 'caseId', 'Entrée du journal'),
  t(PaymentEntity, 'payment', 'append', 'caseIds', 'caseId', 'Paiement'),
  t(AllocationEntity, 'allocation', 'append', 'paymentIds', 'paymentId', 'Imputation')
]

/**
 * Tables derived wholly from synced ones, kept by triggers in each database (case_flag_set: the
 * cases with a broken promise or a plan in default): never copied at checkout, never sent back,
 * never merged. The laptop's triggers rebuild them as the synced promises, plans and installments
 * are written, and the office's as the field's changes land.
 */
export const DERIVED_TABLES: readonly string[] = ['case_flag_set']

export function syncTable(name: string): SyncTable {
  const table = SYNC_TABLES.find((x) => x.name === name)
  if (!table) throw new Error(`Not a synced table: ${name}`)
  return table
}

/** Columns every row carries for bookkeeping: never merged. */
const BOOKKEEPING = new Set(['id', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version'])

export type Row = Record<string, unknown>

export function metadataOf(manager: EntityManager, table: SyncTable): EntityMetadata {
  return manager.connection.getMetadata(table.entity)
}

/** The row's column values, by property name, normalized (undefined → null). */
export function rowOf(metadata: EntityMetadata, entity: ObjectLiteral): Row {
  const row: Row = {}
  for (const column of metadata.columns) {
    const value = (entity as Row)[column.propertyName]
    row[column.propertyName] = value === undefined ? null : value
  }
  return row
}

export function keyOf(metadata: EntityMetadata, row: Row): string {
  return metadata.primaryColumns.map((c) => String(row[c.propertyName])).join('|')
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

export function sameRow(a: Row, b: Row): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const key of keys) if (!sameValue(a[key], b[key])) return false
  return true
}

/** The properties a field edit is merged on: not bookkeeping, not derived. */
export function mergedColumns(metadata: EntityMetadata, table: SyncTable): string[] {
  const derived = new Set(table.derived ?? [])
  return metadata.columns
    .map((c) => c.propertyName)
    .filter((p) => !BOOKKEEPING.has(p) && !derived.has(p) && !metadata.relations.some((r) => r.propertyName === p))
}

/** The ids each scope selects by, read on one side from the checked-out case ids. */
export interface ScopeIds {
  caseIds: string[]
  debtorIds: string[]
  clientIds: string[]
  paymentIds: string[]
  planIds: string[]
  /** Which case a debtor, payment or plan belongs to (conflicts, journal, reindexing). */
  caseOfDebtor: Map<string, string>
  caseOfPayment: Map<string, string>
  caseOfPlan: Map<string, string>
}

const CHUNK = 500

/** Rows whose `property` is one of `ids`, in chunks (parameter limits), ordered by key. */
export async function rowsWhereIn(
  manager: EntityManager,
  table: SyncTable,
  property: string,
  ids: readonly string[] | null
): Promise<Row[]> {
  const metadata = metadataOf(manager, table)
  const rows: Row[] = []
  const read = async (chunk: readonly string[] | null) => {
    const qb = manager.createQueryBuilder(table.entity, 'r')
    if (chunk) qb.where(`r.${property} IN (:...ids)`, { ids: chunk })
    for (const key of metadata.primaryColumns) qb.addOrderBy(`r.${key.propertyName}`, 'ASC')
    for (const entity of await qb.getMany()) rows.push(rowOf(metadata, entity))
  }
  if (ids === null) await read(null)
  else for (let i = 0; i < ids.length; i += CHUNK) if (ids.length > 0) await read(ids.slice(i, i + CHUNK))
  if (ids !== null && metadata.primaryColumns.length === 1) {
    const key = metadata.primaryColumns[0]!.propertyName
    rows.sort((a, b) => (String(a[key]) < String(b[key]) ? -1 : String(a[key]) > String(b[key]) ? 1 : 0))
  }
  return rows
}

export async function scopeIds(manager: EntityManager, caseIds: readonly string[]): Promise<ScopeIds> {
  const cases = await rowsWhereIn(manager, syncTable('collection_case'), 'id', caseIds)
  const caseOfDebtor = new Map<string, string>()
  for (const c of cases)
    if (!caseOfDebtor.has(c.debtorId as string)) caseOfDebtor.set(c.debtorId as string, c.id as string)
  const ids = cases.map((c) => c.id as string)
  const payments = await rowsWhereIn(manager, syncTable('payment'), 'caseId', ids)
  const plans = await rowsWhereIn(manager, syncTable('payment_plan'), 'caseId', ids)
  return {
    caseIds: ids,
    debtorIds: [...caseOfDebtor.keys()],
    clientIds: [...new Set(cases.map((c) => c.clientId as string))],
    paymentIds: payments.map((p) => p.id as string),
    planIds: plans.map((p) => p.id as string),
    caseOfDebtor,
    caseOfPayment: new Map(payments.map((p) => [p.id as string, p.caseId as string])),
    caseOfPlan: new Map(plans.map((p) => [p.id as string, p.caseId as string]))
  }
}

export function scopeRows(manager: EntityManager, table: SyncTable, scope: ScopeIds): Promise<Row[]> {
  return rowsWhereIn(manager, table, table.by, table.scope === 'all' ? null : scope[table.scope])
}

/** The case a row belongs to, when it belongs to one. */
export function caseOfRow(table: SyncTable, row: Row, scope: ScopeIds): string | null {
  if (table.name === 'collection_case') return row.id as string
  if (typeof row.caseId === 'string') return row.caseId
  if (table.scope === 'debtorIds') return scope.caseOfDebtor.get(row.debtorId as string) ?? null
  if (table.scope === 'paymentIds') return scope.caseOfPayment.get(row.paymentId as string) ?? null
  if (table.scope === 'planIds') return scope.caseOfPlan.get(row.planId as string) ?? null
  return null
}

/** Inserts rows, skipping those whose key exists (INSERT OR IGNORE / ON CONFLICT DO NOTHING). */
export async function insertOrIgnore(manager: EntityManager, table: SyncTable, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return
  const metadata = metadataOf(manager, table)
  const perStatement = Math.max(1, Math.min(200, Math.floor(20_000 / metadata.columns.length)))
  for (let i = 0; i < rows.length; i += perStatement) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(table.entity)
      .values(rows.slice(i, i + perStatement) as ObjectLiteral[])
      .orIgnore()
      .updateEntity(false)
      .execute()
  }
}

/** Sets a row's columns (version included, so it is not bumped) to `values`. */
export async function updateRow(manager: EntityManager, table: SyncTable, key: Row, values: Row): Promise<void> {
  const metadata = metadataOf(manager, table)
  const set: Row = {}
  for (const [property, value] of Object.entries(values)) {
    if (metadata.primaryColumns.some((c) => c.propertyName === property)) continue
    set[property] = value
  }
  if (Object.keys(set).length === 0) return
  const qb = manager.createQueryBuilder().update(table.entity).set(set).updateEntity(false)
  metadata.primaryColumns.forEach((c, i) => {
    qb.andWhere(`${c.propertyName} = :k${i}`, { [`k${i}`]: key[c.propertyName] })
  })
  await qb.execute()
}
