import { databaseAppError } from '../../db/db-errors'
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import type { EntityManager, EntityMetadata } from 'typeorm'
import { uuid7 } from '@shared/ids/uuid7'
import { AppError } from '@shared/contract/errors'
import type {
  CheckedOutCase,
  SyncCheckoutInput,
  SyncCheckoutResult,
  SyncCheckoutSummary,
  SyncConflictView,
  SyncResolveInput,
  SyncReturnResult,
  SyncRunResult,
  SyncStatus
} from '@shared/contract/sync'
import { Database, DATABASE_FILE_NAME, redactUrl } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { log } from '../../platform/log'
import { fileSecretStore, type SecretStore } from '../../platform/secret-store'
import { runAudited } from '../audit/audit-trail'
import type { SearchIndex } from '../search/search-index'
import { SqliteSearchIndex } from '../search/sqlite-search-index'
import { PgSearchIndex } from '../search/pg-search-index'
import { appendJournalEntry, type Author } from '../journal/journal.service'
import { FileStore } from '../documents/file-store'
import { RETURNED, RETURNED_MESSAGE, returnedCopy } from './returned-copy'
import { refreshCaseSummary } from '../money/case-summary'
import { loadCaseMoney, standingPayments } from '../money/money-context'
import { evaluateCasePlan, evaluatePromises } from '../plans/evaluation'
import { CaseEntity } from '../cases/case.entity'
import { UserEntity } from '../users/user.entity'
import {
  SyncBaseEntity,
  SyncCheckoutCaseEntity,
  SyncCheckoutEntity,
  SyncConflictEntity,
  SyncMarkerEntity
} from './sync.entities'
import {
  SYNC_TABLES,
  caseOfRow,
  insertOrIgnore,
  keyOf,
  mergedColumns,
  metadataOf,
  rowOf,
  rowsWhereIn,
  sameRow,
  sameValue,
  scopeIds,
  scopeRows,
  syncTable,
  updateRow,
  type Row,
  type ScopeIds,
  type SyncTable
} from './sync-tables'

/** The office database a laptop syncs with: open it, use it, close it. */
export interface OfficeHandle {
  db: Database
  /** The office's search index, kept in step with synced edits (null: rebuilt at its next start). */
  search: SearchIndex | null
  /** Where the office keeps stored files (documents); null when it cannot be reached from here. */
  dataDir: string | null
  close(): Promise<void>
}

/** Opens the office database named by a checkout's marker (a data folder for SQLite). */
export type OfficeOpener = (location: string) => Promise<OfficeHandle>

/**
 * Where a laptop finds the office database again: its data folder (SQLite), or the PostgreSQL
 * server's address it was opened with (agency mode).
 */
export function officeLocationOf(db: Database): string {
  if (db.dialect === 'postgres') {
    const url = (db.dataSource.options as { url?: string }).url
    if (url) return url
  }
  return db.dataDir
}

export const openOfficeDatabase: OfficeOpener = async (location) => {
  if (/^postgres(ql)?:\/\//.test(location)) {
    // The office's stored files live in its database (stored_file): the temp folder is a cache.
    const db = await Database.openPostgres(location, join(tmpdir(), 'recouvra-sync-office'), { poolSize: 2 })
    return { db, search: new PgSearchIndex(), dataDir: db.dataDir, close: () => db.close() }
  }
  if (!existsSync(join(location, DATABASE_FILE_NAME))) {
    throw new AppError(
      'NOT_FOUND',
      `La base du cabinet est introuvable (${location}) : vérifiez la connexion au réseau du cabinet.`,
      `Office database missing at ${location}`
    )
  }
  const db = await Database.open(location)
  return { db, search: new SqliteSearchIndex(), dataDir: location, close: () => db.close() }
}

/** Test and CLI hooks: batch size, a pause between batches, a failure injected after a batch. */
export interface SyncRunOptions {
  batchSize?: number
  afterBatch?: (info: { phase: string; table: string; batch: number }) => void | Promise<void>
}

type Phase = 'push-new' | 'push-edits' | 'pull'
const PHASES: readonly Phase[] = ['push-new', 'push-edits', 'pull']

interface Cursor {
  phase: Phase
  table: string
  afterId: string | null
}

interface ConflictColumns {
  [column: string]: { base: unknown; mine: unknown; office: unknown }
}

const DEFAULT_BATCH = 50
const CASE_TABLES = SYNC_TABLES.filter((t) => t.kind !== 'reference')
/** New rows on a case closed at the office while they were made in the field: to be confirmed. */
const COMMITMENTS = new Set(['payment_plan', 'payment_promise'])
const CLOSURE_COLUMNS = ['status', 'phase', 'closureReason', 'closedOn', 'nextActionOn'] as const

function batchDelay(): number {
  const ms = Number(process.env.RECOUVRA_SYNC_BATCH_DELAY_MS ?? 0)
  return Number.isFinite(ms) && ms > 0 ? ms : 0
}

/**
 * Offline field work: checkout of cases from the office into a laptop's own Recouvra file, and
 * the sync back (send the field's new records and edits, list conflicts, pull the office's
 * changes). Runs on the laptop's app (`db` is the laptop file) except `checkout`, which runs
 * where the office database is open.
 */
export class SyncService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly search: SearchIndex | null,
    private readonly openOffice: OfficeOpener = openOfficeDatabase,
    secrets?: SecretStore
  ) {
    this.secrets = secrets ?? fileSecretStore(db.dataDir)
  }

  /** Where a laptop keeps the office server's password (never in its marker: see secret-store.ts). */
  private readonly secrets: SecretStore

  /** The database this service runs on (the office's for a checkout, the laptop's otherwise). */
  get database(): Database {
    return this.db
  }

  // ---------------------------------------------------------------- checkout (office side)

  /**
   * Checks `input.caseIds` out of this (office) database into a new laptop file in
   * `input.targetDir`: every row needed to work the cases offline, the base of each, a marker.
   */
  async checkout(
    input: SyncCheckoutInput & { caseIds: string[]; officeLocation: string; label: string },
    actorId: string | null
  ): Promise<SyncCheckoutResult> {
    const office = this.db
    if (input.caseIds.length === 0) {
      throw new AppError('BUSINESS_RULE', 'Aucun dossier ne correspond à cette sélection.', 'Empty checkout')
    }
    if (
      existsSync(join(input.targetDir, DATABASE_FILE_NAME)) &&
      statSync(join(input.targetDir, DATABASE_FILE_NAME)).size > 0
    ) {
      throw new AppError(
        'CONFLICT',
        'Ce dossier de destination contient déjà une base Recouvra : choisissez un dossier vide.',
        `Checkout target ${input.targetDir} already holds a database`
      )
    }
    const collector = await office.read((m) => m.findOne(UserEntity, { where: { id: input.collectorId } }))
    if (!collector) throw new AppError('NOT_FOUND', 'Collaborateur introuvable.', `User ${input.collectorId} not found`)
    const now = this.clock.now().toISOString()
    const checkoutId = uuid7()
    await runAudited({ userId: actorId, action: 'sync' }, () =>
      office.write(async (manager) => {
        await manager.insert(SyncCheckoutEntity, {
          id: checkoutId,
          createdAt: now,
          createdBy: actorId,
          collectorId: input.collectorId,
          deviceId: input.deviceId,
          label: input.label,
          status: 'active',
          caseCount: input.caseIds.length,
          lastSyncAt: null,
          openConflicts: 0
        })
        for (let i = 0; i < input.caseIds.length; i += 500) {
          await manager
            .createQueryBuilder()
            .insert()
            .into(SyncCheckoutCaseEntity)
            .values(input.caseIds.slice(i, i + 500).map((caseId) => ({ checkoutId, caseId })))
            .updateEntity(false)
            .execute()
        }
      })
    )
    const snapshot = await office.read(async (manager) => {
      const scope = await scopeIds(manager, input.caseIds)
      const tables = new Map<string, Row[]>()
      for (const table of SYNC_TABLES) tables.set(table.name, await scopeRows(manager, table, scope))
      return tables
    })

    mkdirSync(input.targetDir, { recursive: true })
    // The marker names the server without its password; the password goes to the laptop
    // folder's secret store (key-file cipher: readable wherever the folder is opened).
    const address = splitPassword(input.officeLocation)
    if (address.password) fileSecretStore(input.targetDir).set(OFFICE_PASSWORD_SECRET, address.password)
    const laptop = await Database.open(input.targetDir)
    let rowCount = 0
    try {
      await laptop.bulkWrite(async (manager) => {
        // A new file holds the default dunning scenarios of its migration: the office's replace them.
        await manager.createQueryBuilder().delete().from(syncTable('dunning_step').entity).execute()
        await manager.createQueryBuilder().delete().from(syncTable('dunning_scenario').entity).execute()
        for (const table of SYNC_TABLES) {
          const rows = snapshot.get(table.name) ?? []
          await insertOrIgnore(manager, table, rows)
          await writeBase(manager, table, rows)
          rowCount += rows.length
        }
        await manager.insert(SyncMarkerEntity, {
          id: checkoutId,
          officeLocation: address.location,
          deviceId: input.deviceId,
          collectorId: input.collectorId,
          label: input.label,
          checkedOutAt: now,
          lastSyncAt: now,
          cursor: null,
          lastRunStatus: 'done',
          lastError: null
        })
        await new SqliteSearchIndex().rebuild(manager)
      })
    } finally {
      await laptop.close()
    }
    const files = await copyDocumentFiles(
      new FileStore(office.dataDir, office),
      new FileStore(input.targetDir),
      snapshot.get('document') ?? []
    )
    log.info(
      `Checkout ${checkoutId}: ${input.caseIds.length} cases, ${rowCount} rows, ${files} files to ${input.targetDir}`
    )
    return { checkoutId, caseCount: input.caseIds.length, rowCount, fileCount: files, targetDir: input.targetDir }
  }

  /** The office's checkouts (newest first), for the Terrain page and `sync status` at the office. */
  listCheckouts(): Promise<SyncCheckoutSummary[]> {
    return this.db.read(async (manager) => {
      const rows = await manager
        .createQueryBuilder(SyncCheckoutEntity, 'c')
        .leftJoin(UserEntity, 'u', 'u.id = c.collector_id')
        .select([
          'c.id AS id',
          'c.created_at AS created_at',
          'c.collector_id AS collector_id',
          'u.display_name AS collector_name',
          'c.device_id AS device_id',
          'c.label AS label',
          'c.status AS status',
          'c.case_count AS case_count',
          'c.last_sync_at AS last_sync_at',
          'c.open_conflicts AS open_conflicts'
        ])
        .orderBy('c.created_at', 'DESC')
        .addOrderBy('c.id', 'DESC')
        .limit(200)
        .getRawMany<Record<string, string | number | null>>()
      return rows.map((r) => ({
        id: String(r.id),
        createdAt: String(r.created_at),
        collectorId: String(r.collector_id),
        collectorName: r.collector_name === null ? null : String(r.collector_name),
        deviceId: String(r.device_id),
        label: String(r.label),
        status: String(r.status),
        caseCount: Number(r.case_count),
        lastSyncAt: r.last_sync_at === null ? null : String(r.last_sync_at),
        openConflicts: Number(r.open_conflicts)
      }))
    })
  }

  /** Cases of active checkouts, for the portfolio's mark (the newest checkout of a case wins). */
  checkedOutCases(): Promise<CheckedOutCase[]> {
    return this.db.read(async (manager) => {
      const rows = await manager
        .createQueryBuilder(SyncCheckoutCaseEntity, 'k')
        .innerJoin(SyncCheckoutEntity, 'c', 'c.id = k.checkout_id')
        .leftJoin(UserEntity, 'u', 'u.id = c.collector_id')
        .select([
          'k.case_id AS case_id',
          'c.id AS checkout_id',
          'u.display_name AS collector_name',
          'c.device_id AS device_id',
          'c.created_at AS created_at'
        ])
        .where('c.status = :active', { active: 'active' })
        .orderBy('c.created_at', 'ASC')
        .getRawMany<Record<string, string | null>>()
      const byCase = new Map<string, CheckedOutCase>()
      for (const r of rows) {
        byCase.set(String(r.case_id), {
          caseId: String(r.case_id),
          checkoutId: String(r.checkout_id),
          collectorName: r.collector_name ?? null,
          deviceId: String(r.device_id),
          checkedOutAt: String(r.created_at)
        })
      }
      return [...byCase.values()]
    })
  }

  // ---------------------------------------------------------------- field side

  /** Whether this database is a field copy, and its sync state. */
  status(): Promise<SyncStatus> {
    return this.db.read(async (manager) => {
      const marker = await manager.findOne(SyncMarkerEntity, { where: {} })
      if (!marker) return { fieldCopy: false }
      const conflicts = await manager.find(SyncConflictEntity, { order: { createdAt: 'ASC', id: 'ASC' } })
      const caseCount = await manager.count(CaseEntity)
      const pending = await pendingCounts(manager)
      const waiting = waitingSummaries(pending.waiting)
      return {
        fieldCopy: true,
        checkoutId: marker.id,
        officeLocation: /^postgres(ql)?:/.test(marker.officeLocation)
          ? redactUrl(marker.officeLocation)
          : marker.officeLocation,
        deviceId: marker.deviceId,
        collectorId: marker.collectorId,
        label: marker.label,
        checkedOutAt: marker.checkedOutAt,
        lastSyncAt: marker.lastSyncAt,
        lastRunStatus: marker.lastRunStatus,
        lastError: marker.lastError,
        resumable: marker.cursor !== null,
        caseCount,
        pendingNew: pending.newRows,
        pendingEdits: pending.edits,
        pendingWaiting: waitingTotal(pending.waiting),
        conflicts: conflicts.map((c) => conflictView(c, waiting.get(c.id)))
      }
    })
  }

  /**
   * One sync: send the field's new rows, then its edits, then pull the office's rows; in
   * batches, each committed at the office then recorded here (base and cursor). Cut anywhere,
   * the next run resumes: a row already at the office is ignored (insert-or-ignore by id) or
   * found equal (edits), never duplicated.
   */
  async run(options: SyncRunOptions = {}): Promise<SyncRunResult> {
    const marker = await this.db.read((m) => m.findOne(SyncMarkerEntity, { where: {} }))
    if (!marker) {
      throw new AppError(
        'BUSINESS_RULE',
        'Cette base n’est pas une copie terrain : rien à synchroniser.',
        'Sync run on a database without marker'
      )
    }
    if (marker.lastRunStatus === RETURNED) throw returnedCopy()
    const office = await this.openOffice(await this.officeAddress(marker)).catch(async (error: unknown) => {
      await this.setMarker({ lastRunStatus: 'interrupted', lastError: messageOf(error) })
      throw error
    })
    const started = Date.now()
    const counts = { sent: 0, applied: 0, pulled: 0, conflicts: 0, batches: 0 }
    let cursor: Cursor | null = marker.cursor ? (JSON.parse(marker.cursor) as Cursor) : null
    const resumed = cursor !== null
    try {
      await this.setMarker({ lastRunStatus: 'running', lastError: null })
      const caseIds = await this.db.read(async (m) =>
        (await m.createQueryBuilder(CaseEntity, 'c').select('c.id', 'id').getRawMany<{ id: string }>()).map((r) => r.id)
      )
      const officeCaseIds = await office.db.read(async (m) =>
        (
          await m
            .createQueryBuilder(SyncCheckoutCaseEntity, 'k')
            .select('k.case_id', 'case_id')
            .where('k.checkout_id = :id', { id: marker.id })
            .getRawMany<{ case_id: string }>()
        ).map((r) => r.case_id)
      )
      const ids = officeCaseIds.length > 0 ? officeCaseIds : caseIds
      const context: RunContext = {
        office,
        marker,
        caseIds: ids,
        batchSize: options.batchSize ?? DEFAULT_BATCH,
        afterBatch: options.afterBatch,
        counts,
        actor: { userId: marker.collectorId, action: 'sync' }
      }
      // Office deletions first: a parent the office deleted under the field's new records becomes
      // an office-deleted conflict before anything is sent, so those records are held back (sent
      // once the collector resolves it) instead of failing the whole sync on a foreign key.
      await this.pullDeletions(context)
      context.officeScope = undefined
      for (const phase of PHASES) {
        if (cursor && PHASES.indexOf(phase) < PHASES.indexOf(cursor.phase)) continue
        const tables = phase === 'pull' ? SYNC_TABLES.filter((t) => !t.checkoutOnly) : CASE_TABLES
        for (const table of tables) {
          if (phase === 'push-edits' && table.kind !== 'mutable') continue
          let afterId: string | null = null
          if (cursor && cursor.phase === phase) {
            if (SYNC_TABLES.indexOf(table) < SYNC_TABLES.findIndex((t) => t.name === cursor!.table)) continue
            if (cursor.table === table.name) afterId = cursor.afterId
          }
          cursor = null
          if (phase === 'push-new') await this.pushNew(context, table, afterId)
          else if (phase === 'push-edits') await this.pushEdits(context, table, afterId)
          else await this.pull(context, table, afterId)
        }
      }
      await this.pullDeletions(context)
      const { openConflicts, waiting } = await this.db.read(async (m) => ({
        openConflicts: await m.count(SyncConflictEntity, { where: { status: 'open' } }),
        waiting: waitingTotal(await waitingRows(m, await scopeIds(m, ids)))
      }))
      const now = this.clock.now().toISOString()
      await runAudited(context.actor, () =>
        office.db.write((m) =>
          m
            .createQueryBuilder()
            .update(SyncCheckoutEntity)
            .set({ lastSyncAt: now, openConflicts })
            .where('id = :id', { id: marker.id })
            .updateEntity(false)
            .execute()
        )
      )
      await this.setMarker({ cursor: null, lastRunStatus: 'done', lastError: null, lastSyncAt: now })
      if (waiting > 0) log.info(`Sync: ${waiting} field record(s) held back until their conflict is resolved`)
      return { ...counts, openConflicts, waiting, resumed, durationMs: Date.now() - started }
    } catch (error) {
      await this.setMarker({ lastRunStatus: 'interrupted', lastError: messageOf(error) }).catch(() => undefined)
      throw error
    } finally {
      await office.close()
    }
  }

  /** The collector's decision on a conflict: keep the field's value, the office's, or a new one. */
  async resolve(input: SyncResolveInput, userId: string): Promise<SyncConflictView> {
    return this.db.write(async (manager) => {
      const conflict = await manager.findOne(SyncConflictEntity, { where: { id: input.conflictId } })
      if (!conflict) throw new AppError('NOT_FOUND', 'Conflit introuvable.', `Conflict ${input.conflictId} not found`)
      if (conflict.status !== 'open') {
        throw new AppError('CONFLICT', 'Ce conflit est déjà résolu.', `Conflict ${conflict.id} already resolved`)
      }
      const table = syncTable(conflict.tableName)
      const columns = JSON.parse(conflict.columns) as ConflictColumns
      const officeRow = JSON.parse(conflict.officeRowJson) as Row
      const now = this.clock.now().toISOString()
      const author: Author = { userId, now }
      const today = now.slice(0, 10)
      let chosen: string
      let droppedLine = ''
      if (conflict.kind === OFFICE_DELETED) {
        const metadata = metadataOf(manager, table)
        const key = metadata.primaryColumns[0]!.propertyName
        if (input.choice === 'office') {
          // Evidence is never dropped: journal entries, payments, notes or documents below the
          // row (made in the field, or the office's copies still here) refuse the deletion; the
          // collector keeps the row, recreated at the office with them. Shared records the field
          // added below it (a phone, a promise) go with it, deleted here before it.
          const below = await descendants(manager, metadata, conflict.rowId)
          const evidence = below.filter((d) => d.table.kind === 'append')
          if (evidence.length > 0) {
            const counts = new Map<string, number>()
            for (const d of evidence) counts.set(d.table.label, (counts.get(d.table.label) ?? 0) + 1)
            const list = [...counts].map(([label, n]) => `${n} ${label.toLowerCase()}`).join(', ')
            throw new AppError(
              'BUSINESS_RULE',
              `Des pièces enregistrées sur le terrain sont rattachées à cet élément (${list}) : elles ne peuvent pas être effacées. Choisissez « Garder et recréer au cabinet » : la prochaine synchronisation le recrée au cabinet avec elles.`,
              `Office deletion of ${conflict.tableName} ${conflict.rowId} refused: ${evidence.length} append-only rows below`
            )
          }
          const dropped = below.reverse()
          for (const d of dropped) {
            if (d.table.name === 'collection_case') await this.search?.removeCase(manager, d.key)
            const childKey = metadataOf(manager, d.table).primaryColumns[0]!.propertyName
            await manager
              .createQueryBuilder()
              .delete()
              .from(d.table.entity)
              .where(`${childKey} = :k`, { k: d.key })
              .execute()
            await forgetBase(manager, d.table.name, [d.key])
            await manager
              .createQueryBuilder()
              .update(SyncConflictEntity)
              .set({ status: 'resolved', resolution: 'office', resolvedAt: now, resolvedBy: userId })
              .where('table_name = :t AND row_id = :r AND status = :s', { t: d.table.name, r: d.key, s: 'open' })
              .updateEntity(false)
              .execute()
          }
          if (dropped.length > 0) {
            droppedLine = ` ; supprimés avec lui : ${dropped.map((d) => `${d.table.label}${describeRow(d.table, d.row)}`).join(', ')}`
            log.info(
              `Sync: ${dropped.length} field row(s) below ${conflict.tableName} ${conflict.rowId} deleted with it`
            )
          }
          if (table.name === 'collection_case') await this.search?.removeCase(manager, conflict.rowId)
          await manager
            .createQueryBuilder()
            .delete()
            .from(table.entity)
            .where(`${key} = :k`, { k: conflict.rowId })
            .execute()
          chosen = `suppression du cabinet acceptée${droppedLine}`
        } else {
          // A debtor whose cases all left (deleted at the office, nothing of the field on them)
          // cannot be worked nor sent alone: only its deletion can be accepted.
          if (
            table.name === 'debtor' &&
            (await manager.count(CaseEntity, { where: { debtorId: conflict.rowId } })) === 0
          ) {
            throw new AppError(
              'BUSINESS_RULE',
              'Ce débiteur n’a plus aucun dossier sur ce poste (ses dossiers ont été supprimés au cabinet) : il ne peut pas être recréé seul. Acceptez la suppression.',
              `Keeping debtor ${conflict.rowId} refused: no case left`
            )
          }
          if (input.choice === 'edit') {
            const values: Row = {}
            for (const c of Object.keys(columns).filter((c) => c !== 'attachedRecords')) {
              if (!input.values || !(c in input.values)) {
                throw new AppError(
                  'VALIDATION',
                  'Indiquez la nouvelle valeur de chaque champ en conflit.',
                  `Missing ${c}`
                )
              }
              values[c] = input.values[c]
            }
            await updateRow(manager, table, { [key]: conflict.rowId }, { ...values, updatedAt: now, updatedBy: userId })
          }
          // Kept whole: the parents it needs (a case's debtor) and what the office deleted below it
          // that is still here (a case's claims, which the field's allocations name) are kept too.
          const family = await deletedFamily(manager, table, conflict.rowId)
          for (const f of family) {
            await forgetBase(manager, f.tableName, [f.rowId])
            await manager
              .createQueryBuilder()
              .update(SyncConflictEntity)
              .set({ status: 'resolved', resolution: 'mine', resolvedAt: now, resolvedBy: userId })
              .where('id = :id', { id: f.id })
              .updateEntity(false)
              .execute()
          }
          const keptWith =
            family.length > 0
              ? ` (avec ${family.map((f) => f.label.replace(/ supprimé au cabinet.*$/, '')).join(', ')})`
              : ''
          chosen =
            input.choice === 'mine'
              ? `élément du terrain conservé${keptWith}, recréé au cabinet à la prochaine synchronisation`
              : `nouvelle valeur saisie, élément recréé au cabinet à la prochaine synchronisation${keptWith}`
        }
        // No longer the office's: deleted here, or sent back to it as a new row by the next sync.
        await forgetBase(manager, table.name, [conflict.rowId])
      } else if (conflict.kind === 'case-closed') {
        if (input.choice === 'edit') {
          throw new AppError(
            'VALIDATION',
            'Choisissez de garder l’accord du terrain ou la clôture du cabinet.',
            'Edit on case-closed'
          )
        }
        const caseTable = syncTable('collection_case')
        // The base of the case becomes the office's closed case: the collector has seen it.
        await writeBase(manager, caseTable, [officeRow])
        if (input.choice === 'mine') {
          const reopen: Row = {}
          for (const c of CLOSURE_COLUMNS) reopen[c] = columns[c]?.mine ?? null
          await updateRow(manager, caseTable, { id: officeRow.id }, { ...reopen, updatedAt: now, updatedBy: userId })
          chosen = 'dossier rouvert, accord du terrain conservé'
        } else {
          const cancel: Row =
            table.name === 'payment_plan'
              ? { status: 'cancelled', endedOn: today, updatedAt: now, updatedBy: userId }
              : { status: 'cancelled', updatedAt: now, updatedBy: userId }
          await updateRow(manager, table, { id: conflict.rowId }, cancel)
          chosen = 'clôture du cabinet conservée, accord du terrain annulé'
        }
      } else {
        const metadata = metadataOf(manager, table)
        const key = Object.fromEntries(
          metadata.primaryColumns.map((c, i) => [c.propertyName, conflict.rowId.split('|')[i]])
        )
        if (input.choice === 'office') {
          const values: Row = {}
          for (const c of Object.keys(columns)) values[c] = officeRow[c]
          await updateRow(manager, table, key, { ...values, updatedAt: now, updatedBy: userId })
        } else if (input.choice === 'edit') {
          const values: Row = {}
          for (const c of Object.keys(columns)) {
            if (!input.values || !(c in input.values)) {
              throw new AppError(
                'VALIDATION',
                'Indiquez la nouvelle valeur de chaque champ en conflit.',
                `Missing ${c}`
              )
            }
            values[c] = input.values[c]
          }
          await updateRow(manager, table, key, { ...values, updatedAt: now, updatedBy: userId })
        }
        // The office's row is now what the field's value is compared against.
        await writeBase(manager, table, [officeRow])
        const current = await rowsWhereIn(manager, table, metadata.primaryColumns[0]!.propertyName, [
          String(key[metadata.primaryColumns[0]!.propertyName])
        ])
        const kept = Object.keys(columns)
          .map((c) => `${c} = ${display(current[0]?.[c])}`)
          .join(', ')
        chosen =
          input.choice === 'mine'
            ? `valeur du terrain conservée (${kept})`
            : input.choice === 'office'
              ? `valeur du cabinet conservée (${kept})`
              : `nouvelle valeur saisie (${kept})`
      }
      await manager
        .createQueryBuilder()
        .update(SyncConflictEntity)
        .set({ status: 'resolved', resolution: input.choice, resolvedAt: now, resolvedBy: userId })
        .where('id = :id', { id: conflict.id })
        .updateEntity(false)
        .execute()
      // A case the collector let the office delete has no journal left to write to.
      const caseGone = conflict.kind === OFFICE_DELETED && input.choice === 'office' && table.name === 'collection_case'
      if (conflict.caseId && !caseGone) {
        await appendJournalEntry(
          manager,
          {
            caseId: conflict.caseId,
            kind: 'system',
            summary: `Conflit de synchronisation résolu — ${conflict.label} : ${chosen}`,
            details: {
              conflictId: conflict.id,
              table: conflict.tableName,
              rowId: conflict.rowId,
              choice: input.choice,
              columns
            },
            relatedId: conflict.rowId.length <= 36 ? conflict.rowId : null
          },
          author
        )
      }
      const updated = await manager.findOneOrFail(SyncConflictEntity, { where: { id: conflict.id } })
      return conflictView(updated)
    })
  }

  // ---------------------------------------------------------------- phases

  private async pushNew(ctx: RunContext, table: SyncTable, afterId: string | null): Promise<void> {
    const { rows, scope } = await this.db.read(async (manager) => {
      const scope = (ctx.laptopScope ??= await scopeIds(manager, ctx.caseIds))
      const all = await scopeRows(manager, table, scope)
      const known = await baseKeys(manager, table.name)
      const held = await heldKeys(manager)
      const waiting = (ctx.waiting ??= await waitingRows(manager, scope)).get(table.name)
      const metadata = metadataOf(manager, table)
      const rows = all.filter((row) => {
        const key = keyOf(metadata, row)
        if (known.has(key) || held.has(`${table.name}:${key}`) || waiting?.has(key)) return false
        if (table.name === 'installment' && held.has(`payment_plan:${String(row.planId)}`)) return false
        return afterId === null || key > afterId
      })
      return { rows, scope }
    })
    const caseBase = COMMITMENTS.has(table.name) ? await this.baseRows('collection_case') : null
    for (let start = 0, batch = 0; start < rows.length; start += ctx.batchSize, batch++) {
      const chunk = rows.slice(start, start + ctx.batchSize)
      if (table.name === 'document')
        await copyDocumentFiles(new FileStore(this.db.dataDir, this.db), officeStore(ctx.office), chunk)
      const outcome = await runAudited(ctx.actor, () =>
        ctx.office.db.write(async (manager) => {
          const conflicts: Array<{ row: Row; officeCase: Row; baseCase: Row }> = []
          let accepted = chunk
          if (caseBase) {
            const officeCases = await rowsWhereIn(manager, syncTable('collection_case'), 'id', [
              ...new Set(chunk.map((r) => String(r.caseId)))
            ])
            const byId = new Map(officeCases.map((c) => [String(c.id), c]))
            accepted = chunk.filter((row) => {
              const officeCase = byId.get(String(row.caseId))
              const baseCase = caseBase.get(String(row.caseId))
              if (officeCase && baseCase && officeCase.status === 'closed' && baseCase.status !== 'closed') {
                conflicts.push({ row, officeCase, baseCase })
                return false
              }
              return true
            })
          }
          await insertOrIgnore(manager, table, accepted)
          if (table.name === 'payment') {
            const author: Author = { userId: ctx.marker.collectorId, now: this.clock.now().toISOString() }
            await refreshMoney(manager, [...new Set(accepted.map((r) => String(r.caseId)))], author, this.clock.today())
          }
          if (ctx.office.search && (table.name === 'debtor_phone' || table.name === 'debtor_email')) {
            const cases = new Set(accepted.map((r) => caseOfRow(table, r, scope)).filter((c): c is string => !!c))
            await ctx.office.search.indexCases(manager, [...cases])
          }
          const stored =
            table.kind === 'mutable' && accepted.length > 0
              ? await rowsWhereIn(
                  manager,
                  table,
                  'id',
                  accepted.map((r) => String(r.id))
                )
              : accepted
          return { stored, conflicts }
        })
      )
      await this.db.write(async (manager) => {
        if (table.kind === 'mutable') for (const row of outcome.stored) await updateRow(manager, table, row, row)
        await writeBase(manager, table, outcome.stored)
        for (const c of outcome.conflicts) {
          const columns: ConflictColumns = {}
          for (const col of CLOSURE_COLUMNS) {
            columns[col] = { base: c.baseCase[col], mine: c.baseCase[col], office: c.officeCase[col] }
          }
          await recordConflict(manager, {
            table,
            rowId: String(c.row.id),
            caseId: String(c.row.caseId),
            kind: 'case-closed',
            label: `${table.label} négocié sur le terrain — dossier ${String(c.officeCase.reference)} clôturé au cabinet le ${String(c.officeCase.closedOn ?? '')}`,
            columns,
            officeRow: c.officeCase,
            now: this.clock.now().toISOString()
          })
        }
        await saveCursor(manager, {
          phase: 'push-new',
          table: table.name,
          afterId: keyOf(metadataOf(manager, table), chunk[chunk.length - 1]!)
        })
      })
      ctx.counts.sent += outcome.stored.length
      ctx.counts.conflicts += outcome.conflicts.length
      // A plan held by a new conflict holds its installments: reread what waits.
      if (outcome.conflicts.length > 0) ctx.waiting = undefined
      await this.afterBatch(ctx, 'push-new', table, batch)
    }
  }

  private async pushEdits(ctx: RunContext, table: SyncTable, afterId: string | null): Promise<void> {
    const { edits, scope } = await this.db.read(async (manager) => {
      const scope = (ctx.laptopScope ??= await scopeIds(manager, ctx.caseIds))
      const metadata = metadataOf(manager, table)
      const all = await scopeRows(manager, table, scope)
      const base = await baseRowMap(manager, table.name)
      const held = await heldKeys(manager)
      const columns = mergedColumns(metadata, table)
      const edits: Array<{ row: Row; base: Row }> = []
      for (const row of all) {
        const key = keyOf(metadata, row)
        const b = base.get(key)
        if (!b || held.has(`${table.name}:${key}`) || (afterId !== null && key <= afterId)) continue
        const changed =
          columns.some((c) => !sameValue(row[c], b[c])) || (table.name === 'collection_case' && newerContact(row, b))
        if (changed) edits.push({ row, base: b })
      }
      return { edits, scope }
    })
    for (let start = 0, batch = 0; start < edits.length; start += ctx.batchSize, batch++) {
      const chunk = edits.slice(start, start + ctx.batchSize)
      const outcome = await runAudited(ctx.actor, () =>
        ctx.office.db.write(async (manager) => {
          const metadata = metadataOf(manager, table)
          const columns = mergedColumns(metadata, table)
          const key = metadata.primaryColumns[0]!.propertyName
          const officeRows = new Map(
            (
              await rowsWhereIn(
                manager,
                table,
                key,
                chunk.map((e) => String(e.row[key]))
              )
            ).map((r) => [keyOf(metadata, r), r])
          )
          const results: Array<{ key: string; office: Row; conflict: ConflictColumns | null; caseId: string | null }> =
            []
          const touched = new Set<string>()
          for (const { row, base } of chunk) {
            const k = keyOf(metadata, row)
            const office = officeRows.get(k)
            if (!office) continue
            const changes: Row = {}
            const conflict: ConflictColumns = {}
            for (const c of columns) {
              if (sameValue(row[c], base[c])) continue
              if (sameValue(office[c], base[c])) changes[c] = row[c]
              else if (!sameValue(office[c], row[c])) conflict[c] = { base: base[c], mine: row[c], office: office[c] }
            }
            if (table.name === 'collection_case' && newerContact(row, office)) {
              changes.lastContactAt = row.lastContactAt
              changes.lastContactOutcome = row.lastContactOutcome
            }
            const caseId = caseOfRow(table, row, scope)
            if (Object.keys(conflict).length > 0) {
              results.push({ key: k, office, conflict, caseId })
              continue
            }
            if (Object.keys(changes).length > 0) {
              await updateRow(manager, table, office, {
                ...changes,
                updatedAt: row.updatedAt ?? office.updatedAt,
                updatedBy: row.updatedBy ?? ctx.marker.collectorId,
                version: Number(office.version ?? 0) + 1
              })
              ctx.counts.applied += 1
              if (caseId) touched.add(caseId)
            }
            results.push({ key: k, office, conflict: null, caseId })
          }
          if (
            ctx.office.search &&
            touched.size > 0 &&
            ['collection_case', 'debtor', 'debtor_phone', 'debtor_email', 'claim'].includes(table.name)
          ) {
            await ctx.office.search.indexCases(manager, [...touched])
          }
          const fresh = new Map(
            (
              await rowsWhereIn(
                manager,
                table,
                key,
                results.map((r) => String(r.office[key]))
              )
            ).map((r) => [keyOf(metadata, r), r])
          )
          return results.map((r) => ({ ...r, office: r.conflict ? r.office : (fresh.get(r.key) ?? r.office) }))
        })
      )
      await this.db.write(async (manager) => {
        const metadata = metadataOf(manager, table)
        for (const r of outcome) {
          if (r.conflict) {
            const row = chunk.find((e) => keyOf(metadata, e.row) === r.key)!.row
            await recordConflict(manager, {
              table,
              rowId: r.key,
              caseId: r.caseId,
              kind: 'field',
              label: `${table.label}${describeRow(table, row)}`,
              columns: r.conflict,
              officeRow: r.office,
              now: this.clock.now().toISOString()
            })
            ctx.counts.conflicts += 1
          } else {
            await updateRow(manager, table, r.office, r.office)
            await writeBase(manager, table, [r.office])
          }
        }
        await saveCursor(manager, {
          phase: 'push-edits',
          table: table.name,
          afterId: chunk[chunk.length - 1] ? keyOf(metadata, chunk[chunk.length - 1]!.row) : null
        })
      })
      ctx.counts.sent += chunk.length
      await this.afterBatch(ctx, 'push-edits', table, batch)
    }
  }

  private async pull(ctx: RunContext, table: SyncTable, afterId: string | null): Promise<void> {
    const officeRows = await ctx.office.db.read(async (manager) => {
      const scope = (ctx.officeScope ??= await scopeIds(manager, ctx.caseIds))
      const metadata = metadataOf(manager, table)
      return (await scopeRows(manager, table, scope)).filter((r) => afterId === null || keyOf(metadata, r) > afterId)
    })
    // What the laptop already records as the office's, read once for the table.
    const { base, known: knownKeys } = await this.db.read(async (manager) => ({
      base: table.kind === 'append' || table.insertOnly ? null : await baseRowMap(manager, table.name),
      known: await baseKeys(manager, table.name)
    }))
    for (let start = 0, batch = 0; start < officeRows.length; start += ctx.batchSize * 10, batch++) {
      const chunk = officeRows.slice(start, start + ctx.batchSize * 10)
      const pulled = await this.db.write(async (manager) => {
        if (!(await this.pullNeeded(manager, table, chunk, base, knownKeys))) return 0
        const metadata = metadataOf(manager, table)
        const key = metadata.primaryColumns[0]!.propertyName
        const local = new Map(
          (
            await rowsWhereIn(
              manager,
              table,
              key,
              chunk.map((r) => String(r[key]))
            )
          ).map((r) => [keyOf(metadata, r), r])
        )
        const held = await heldKeys(manager)
        const merged = mergedColumns(metadata, table)
        let fresh: Row[] = []
        const changed: Row[] = []
        const known: Row[] = []
        for (const row of chunk) {
          const k = keyOf(metadata, row)
          const mine = local.get(k)
          if (!mine) {
            fresh.push(row)
            continue
          }
          if (table.kind === 'append' || table.insertOnly) {
            if (!knownKeys.has(k)) known.push(row)
            continue
          }
          if (held.has(`${table.name}:${k}`)) continue
          if (sameRow(mine, row)) {
            const b = base?.get(k)
            if (!b || !sameRow(b, row)) known.push(row)
            continue
          }
          const b = base?.get(k)
          // Local values not yet sent (made after this run's push) stay: the next sync sends them.
          const unchangedHere =
            table.kind === 'reference' ||
            (b !== undefined &&
              merged.every((c) => sameValue(mine[c], b[c])) &&
              !(table.name === 'collection_case' && newerContact(mine, b)))
          if (unchangedHere) changed.push(row)
        }
        await insertOrIgnore(manager, table, fresh)
        if (fresh.length > 0 && table.kind === 'reference') {
          // A reference row whose natural key the laptop already holds under another id (rates
          // the app seeds itself) is not inserted: only count and record what was.
          const present = new Set(
            (
              await rowsWhereIn(
                manager,
                table,
                key,
                fresh.map((r) => String(r[key]))
              )
            ).map((r) => keyOf(metadata, r))
          )
          fresh = fresh.filter((r) => present.has(keyOf(metadata, r)))
        }
        for (const row of changed) await updateRow(manager, table, row, row)
        await writeBase(manager, table, [...fresh, ...changed, ...known])
        if (
          this.search &&
          ['collection_case', 'debtor', 'debtor_phone', 'debtor_email', 'claim'].includes(table.name)
        ) {
          const scope = await scopeIds(manager, ctx.caseIds)
          const cases = new Set(
            [...fresh, ...changed].map((r) => caseOfRow(table, r, scope)).filter((c): c is string => !!c)
          )
          if (cases.size > 0) await this.search.indexCases(manager, [...cases])
        }
        await saveCursor(manager, {
          phase: 'pull',
          table: table.name,
          afterId: keyOf(metadata, chunk[chunk.length - 1]!)
        })
        return fresh.length + changed.length
      })
      if (table.name === 'document')
        await copyDocumentFiles(officeStore(ctx.office), new FileStore(this.db.dataDir, this.db), chunk)
      ctx.counts.pulled += pulled
      await this.afterBatch(ctx, 'pull', table, batch)
    }
  }

  /**
   * Rows the office deleted (a phone or e-mail removed, an import undone, a dunning step
   * dropped) leave the laptop copy too: the laptop's record of the office's rows (sync_base) is
   * compared with what the office holds, table by table, children first. A row the office no
   * longer has is deleted here, unless the laptop changed it since, or attached its own records
   * to it: then it stays, and a conflict lists the field's values against the office's deletion
   * (never dropped). Append-only rows are never deleted; a row still at the office but out of
   * this checkout's scope is not a deletion. Run whole at the end of every sync (idempotent).
   */
  private async pullDeletions(ctx: RunContext): Promise<void> {
    const tables = SYNC_TABLES.filter((t) => t.kind !== 'append' && !t.insertOnly && !t.checkoutOnly).reverse()
    for (const table of tables) {
      const known = await this.db.read((manager) => baseKeys(manager, table.name))
      if (known.size === 0) continue
      const gone = await ctx.office.db.read(async (manager) => {
        const metadata = metadataOf(manager, table)
        if (metadata.primaryColumns.length !== 1) return []
        const scope = (ctx.officeScope ??= await scopeIds(manager, ctx.caseIds))
        const inScope = new Set((await scopeRows(manager, table, scope)).map((r) => keyOf(metadata, r)))
        const missing = [...known].filter((k) => !inScope.has(k))
        if (missing.length === 0) return []
        const key = metadata.primaryColumns[0]!.propertyName
        const still = new Set((await rowsWhereIn(manager, table, key, missing)).map((r) => keyOf(metadata, r)))
        return missing.filter((k) => !still.has(k))
      })
      if (gone.length === 0) continue
      const outcome = await this.db.write(async (manager) => {
        const metadata = metadataOf(manager, table)
        const key = metadata.primaryColumns[0]!.propertyName
        const local = new Map((await rowsWhereIn(manager, table, key, gone)).map((r) => [keyOf(metadata, r), r]))
        const base = await baseRowMap(manager, table.name)
        const held = await heldKeys(manager)
        const merged = mergedColumns(metadata, table)
        const scope = await scopeIds(manager, ctx.caseIds)
        const forget: string[] = []
        let deleted = 0
        let conflicts = 0
        for (const k of gone) {
          const mine = local.get(k)
          if (!mine) {
            forget.push(k)
            continue
          }
          if (held.has(`${table.name}:${k}`)) continue
          const b = base.get(k) ?? mine
          const columns: ConflictColumns = {}
          for (const c of merged)
            if (!sameValue(mine[c], b[c])) columns[c] = { base: b[c], mine: mine[c], office: null }
          const attached = await localChildren(manager, metadata, k)
          if (attached > 0) {
            columns.attachedRecords = { base: null, mine: `${attached} enregistrement(s) du terrain`, office: null }
          }
          if (Object.keys(columns).length > 0) {
            await recordConflict(manager, {
              table,
              rowId: k,
              caseId: caseOfRow(table, mine, scope),
              kind: OFFICE_DELETED,
              label: `${table.label}${describeRow(table, mine)} supprimé au cabinet, modifié sur le terrain`,
              columns,
              officeRow: b,
              now: this.clock.now().toISOString()
            })
            conflicts += 1
            continue
          }
          if (table.name === 'collection_case') await this.search?.removeCase(manager, k)
          await manager.createQueryBuilder().delete().from(table.entity).where(`${key} = :k`, { k }).execute()
          forget.push(k)
          deleted += 1
        }
        await forgetBase(manager, table.name, forget)
        if (this.search && deleted > 0 && ['debtor_phone', 'debtor_email', 'claim'].includes(table.name)) {
          const cases = new Set(
            gone
              .map((k) => local.get(k))
              .filter((r): r is Row => !!r)
              .map((r) => caseOfRow(table, r, scope))
              .filter((c): c is string => !!c)
          )
          const existing = await rowsWhereIn(manager, syncTable('collection_case'), 'id', [...cases])
          if (existing.length > 0)
            await this.search.indexCases(
              manager,
              existing.map((c) => String(c.id))
            )
        }
        return { deleted, conflicts }
      })
      if (outcome.deleted > 0) log.info(`Sync: ${outcome.deleted} ${table.name} row(s) deleted at the office removed`)
      ctx.counts.pulled += outcome.deleted
      ctx.counts.conflicts += outcome.conflicts
    }
  }

  /**
   * Whether a chunk of office rows brings anything: rows the laptop lacks, or rows whose values
   * differ from the base it holds (an idle sync then writes nothing, not even its cursor).
   */
  private async pullNeeded(
    manager: EntityManager,
    table: SyncTable,
    chunk: readonly Row[],
    base: Map<string, Row> | null,
    known: Set<string>
  ): Promise<boolean> {
    const metadata = metadataOf(manager, table)
    if (chunk.some((r) => !known.has(keyOf(metadata, r)))) return true
    if (!base) return false
    return chunk.some((r) => {
      const b = base.get(keyOf(metadata, r))
      return !b || !sameRow(b, r)
    })
  }

  private async afterBatch(ctx: RunContext, phase: Phase, table: SyncTable, batch: number): Promise<void> {
    ctx.counts.batches += 1
    const delay = batchDelay()
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    await ctx.afterBatch?.({ phase, table: table.name, batch })
  }

  private baseRows(tableName: string): Promise<Map<string, Row>> {
    return this.db.read((manager) => baseRowMap(manager, tableName))
  }

  /**
   * "Rendre les dossiers": ends this laptop's checkout. A final sync first; refused while a
   * conflict is open or anything waits to be sent. Then the office marks the checkout returned
   * (its cases are no longer out on a laptop), and this copy is closed: marked returned, its case
   * records read-only (SQLite triggers refuse any insert, update or delete), no further sync,
   * the office password forgotten. The folder can then be deleted.
   */
  async returnCheckout(): Promise<SyncReturnResult> {
    const marker = await this.db.read((m) => m.findOne(SyncMarkerEntity, { where: {} }))
    if (!marker) {
      throw new AppError(
        'BUSINESS_RULE',
        'Cette base n’est pas une copie terrain : rien à rendre.',
        'Return on a database without marker'
      )
    }
    if (marker.lastRunStatus === RETURNED) throw returnedCopy()
    const run = await this.run()
    const status = await this.status()
    if (status.fieldCopy) {
      const open = status.conflicts.filter((c) => c.status === 'open').length
      if (open > 0 || status.pendingNew > 0 || status.pendingEdits > 0) {
        throw new AppError(
          'BUSINESS_RULE',
          open > 0
            ? `Réglez d’abord ${open} conflit(s) de synchronisation, puis rendez les dossiers.`
            : 'Des saisies n’ont pas encore été envoyées au cabinet : relancez la synchronisation.',
          `Return refused: ${open} open conflicts, ${status.pendingNew} new, ${status.pendingEdits} edits pending`
        )
      }
    }
    const now = this.clock.now().toISOString()
    const office = await this.openOffice(await this.officeAddress(marker))
    try {
      await runAudited({ userId: marker.collectorId, action: 'sync' }, () =>
        office.db.write((manager) =>
          manager
            .createQueryBuilder()
            .update(SyncCheckoutEntity)
            .set({ status: RETURNED, lastSyncAt: now })
            .where('id = :id', { id: marker.id })
            .updateEntity(false)
            .execute()
        )
      )
    } finally {
      await office.close()
    }
    await this.db.write(async (manager) => {
      await manager
        .createQueryBuilder()
        .update(SyncMarkerEntity)
        .set({ lastRunStatus: RETURNED, lastSyncAt: now, cursor: null, lastError: null })
        .updateEntity(false)
        .execute()
      if (this.db.dialect === 'sqlite') {
        for (const table of CASE_TABLES) {
          for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
            await manager.query(
              `CREATE TRIGGER IF NOT EXISTS "returned_${table.name}_${op.toLowerCase()}" BEFORE ${op} ON "${table.name}"
               BEGIN SELECT RAISE(ABORT, '${RETURNED_MESSAGE}'); END`
            )
          }
        }
      }
    })
    this.secrets.delete(OFFICE_PASSWORD_SECRET)
    log.info(`Checkout ${marker.id} returned to the office (${run.sent} sent, ${run.pulled} pulled)`)
    return {
      checkoutId: marker.id,
      returnedAt: now,
      sent: run.sent,
      pulled: run.pulled,
      caseCount: status.fieldCopy ? status.caseCount : 0
    }
  }

  /**
   * The office's address with its password from the secret store. A marker written before the
   * secret store (password in clear) is cleaned on the way: the password moves to the store.
   */
  private async officeAddress(marker: SyncMarkerEntity): Promise<string> {
    const split = splitPassword(marker.officeLocation)
    if (split.password) {
      this.secrets.set(OFFICE_PASSWORD_SECRET, split.password)
      await this.setMarker({ officeLocation: split.location })
      log.info('Field sync: the office password moved from the marker to the secret store')
    }
    if (!/^postgres(ql)?:\/\//.test(split.location)) return split.location
    const password = this.secrets.get(OFFICE_PASSWORD_SECRET)
    if (!password) return split.location
    const url = new URL(split.location)
    url.password = encodeURIComponent(password)
    return url.toString()
  }

  private setMarker(values: Partial<SyncMarkerEntity>): Promise<unknown> {
    return this.db.write((manager) =>
      manager.createQueryBuilder().update(SyncMarkerEntity).set(values).updateEntity(false).execute()
    )
  }
}

interface RunContext {
  office: OfficeHandle
  marker: SyncMarkerEntity
  caseIds: string[]
  batchSize: number
  afterBatch?: SyncRunOptions['afterBatch']
  counts: { sent: number; applied: number; pulled: number; conflicts: number; batches: number }
  actor: { userId: string; action: string }
  /** The ids the checked-out cases' rows are selected by, read once per run on each side. */
  laptopScope?: ScopeIds
  officeScope?: ScopeIds
  /** Field rows held back behind a conflict on their parent (see waitingRows), read once per run. */
  waiting?: Map<string, Map<string, string>>
}

// ---------------------------------------------------------------- helpers

/** Conflict kind: a row deleted at the office that the laptop changed (or attached records to). */
const OFFICE_DELETED = 'office-deleted'

function messageOf(error: unknown): string {
  if (error instanceof AppError) return error.userMessage
  const mapped = databaseAppError(error, 'Sync')
  if (mapped) return mapped.userMessage
  return error instanceof Error ? error.message : String(error)
}

function newerContact(row: Row, other: Row): boolean {
  return (
    typeof row.lastContactAt === 'string' &&
    (other.lastContactAt === null || row.lastContactAt > String(other.lastContactAt))
  )
}

function display(value: unknown): string {
  return value === null || value === undefined ? '(vide)' : `« ${String(value)} »`
}

function describeRow(table: SyncTable, row: Row): string {
  if (table.name === 'debtor_phone') return ` ${String(row.number)}`
  if (table.name === 'debtor_email') return ` ${String(row.address)}`
  if (table.name === 'collection_case') return ` ${String(row.reference)}`
  if (table.name === 'debtor') return ` ${String(row.displayName)}`
  return ''
}

/** Records (or refreshes) the open conflict on a row. */
async function recordConflict(
  manager: EntityManager,
  c: {
    table: SyncTable
    rowId: string
    caseId: string | null
    kind: string
    label: string
    columns: ConflictColumns
    officeRow: Row
    now: string
  }
): Promise<void> {
  await manager
    .createQueryBuilder()
    .delete()
    .from(SyncConflictEntity)
    .where('table_name = :t AND row_id = :r AND status = :s', { t: c.table.name, r: c.rowId, s: 'open' })
    .execute()
  await manager.insert(SyncConflictEntity, {
    id: uuid7(),
    createdAt: c.now,
    tableName: c.table.name,
    rowId: c.rowId,
    caseId: c.caseId,
    kind: c.kind,
    label: c.label.slice(0, 300),
    columns: JSON.stringify(c.columns),
    officeVersion: Number(c.officeRow.version ?? 0),
    officeRowJson: JSON.stringify(c.officeRow),
    status: 'open',
    resolution: null,
    resolvedAt: null,
    resolvedBy: null
  })
}

function conflictView(c: SyncConflictEntity, waiting?: { count: number; summary: string }): SyncConflictView {
  return {
    id: c.id,
    createdAt: c.createdAt,
    tableName: c.tableName,
    rowId: c.rowId,
    caseId: c.caseId,
    kind: c.kind as SyncConflictView['kind'],
    label: c.label,
    columns: JSON.parse(c.columns) as SyncConflictView['columns'],
    status: c.status as SyncConflictView['status'],
    resolution: c.resolution as SyncConflictView['resolution'],
    resolvedAt: c.resolvedAt,
    waitingRecords: waiting?.count ?? 0,
    waitingLine: waiting
      ? `${waiting.count} enregistrement(s) du terrain en attente de ce conflit (${waiting.summary}) : ils seront envoyés au cabinet une fois le conflit réglé.`
      : null
  }
}

/** Open conflicts hold their row back (not sent, not overwritten) until resolved. */
async function heldKeys(manager: EntityManager): Promise<Set<string>> {
  const rows = await manager.find(SyncConflictEntity, { where: { status: 'open' } })
  return new Set(rows.map((r) => `${r.tableName}:${r.rowId}`))
}

/** Open conflicts whose row the office does not hold (deleted there, or an agreement on a case it closed). */
async function blockingKeys(manager: EntityManager): Promise<Map<string, string>> {
  const rows = await manager.find(SyncConflictEntity, { where: { status: 'open' } })
  return new Map(rows.filter((r) => r.kind !== 'field').map((r) => [`${r.tableName}:${r.rowId}`, r.id]))
}

/**
 * Field rows the office has not received whose parent (a foreign key, directly or through
 * another waiting row) is held by an open conflict and absent at the office: a call logged on a
 * case the office deleted, a phone added to a debtor it deleted, a payment's allocations. They
 * are not sent (the office would refuse them) and not dropped: they wait for the collector's
 * choice on the conflict. By table: row key → id of the conflict it waits on.
 */
async function waitingRows(manager: EntityManager, scope: ScopeIds): Promise<Map<string, Map<string, string>>> {
  const blocking = await blockingKeys(manager)
  const result = new Map<string, Map<string, string>>()
  if (blocking.size === 0) return result
  const waitingOn = new Map(blocking)
  for (const table of CASE_TABLES) {
    const metadata = metadataOf(manager, table)
    const fks = metadata.foreignKeys.filter(
      (fk) => fk.columns.length === 1 && CASE_TABLES.some((t) => t.name === fk.referencedEntityMetadata.tableName)
    )
    if (fks.length === 0) continue
    const known = await baseKeys(manager, table.name)
    for (const row of await scopeRows(manager, table, scope)) {
      const key = keyOf(metadata, row)
      if (known.has(key) || blocking.has(`${table.name}:${key}`)) continue
      for (const fk of fks) {
        const parent = row[fk.columns[0]!.propertyName]
        if (parent === null || parent === undefined) continue
        const conflictId = waitingOn.get(`${fk.referencedEntityMetadata.tableName}:${String(parent)}`)
        if (!conflictId) continue
        if (!result.has(table.name)) result.set(table.name, new Map())
        result.get(table.name)!.set(key, conflictId)
        waitingOn.set(`${table.name}:${key}`, conflictId)
        break
      }
    }
  }
  return result
}

function waitingTotal(waiting: Map<string, Map<string, string>>): number {
  let total = 0
  for (const rows of waiting.values()) total += rows.size
  return total
}

/** "2 Entrée du journal, 1 Paiement": what waits on each conflict, for people. */
function waitingSummaries(waiting: Map<string, Map<string, string>>): Map<string, { count: number; summary: string }> {
  const byConflict = new Map<string, Map<string, number>>()
  for (const [tableName, rows] of waiting) {
    for (const conflictId of rows.values()) {
      const counts = byConflict.get(conflictId) ?? new Map<string, number>()
      counts.set(tableName, (counts.get(tableName) ?? 0) + 1)
      byConflict.set(conflictId, counts)
    }
  }
  const result = new Map<string, { count: number; summary: string }>()
  for (const [conflictId, counts] of byConflict) {
    let count = 0
    const parts: string[] = []
    for (const [tableName, n] of counts) {
      count += n
      parts.push(`${n} ${syncTable(tableName).label.toLowerCase()}`)
    }
    result.set(conflictId, { count, summary: parts.join(', ') })
  }
  return result
}

/**
 * The other open office-deleted conflicts a kept row brings along: its parents (recursively; it
 * cannot be recreated at the office without them) and the rows below it.
 */
async function deletedFamily(manager: EntityManager, table: SyncTable, rowId: string): Promise<SyncConflictEntity[]> {
  const open = new Map(
    (await manager.find(SyncConflictEntity, { where: { status: 'open', kind: OFFICE_DELETED } })).map((c) => [
      `${c.tableName}:${c.rowId}`,
      c
    ])
  )
  const found = new Map<string, SyncConflictEntity>()
  const self = `${table.name}:${rowId}`
  const up = async (t: SyncTable, id: string): Promise<void> => {
    const metadata = metadataOf(manager, t)
    const [row] = await rowsWhereIn(manager, t, metadata.primaryColumns[0]!.propertyName, [id])
    if (!row) return
    for (const fk of metadata.foreignKeys) {
      if (fk.columns.length !== 1) continue
      const parent = row[fk.columns[0]!.propertyName]
      const key = `${fk.referencedEntityMetadata.tableName}:${String(parent)}`
      const conflict = open.get(key)
      if (!conflict || key === self || found.has(key)) continue
      found.set(key, conflict)
      await up(syncTable(conflict.tableName), conflict.rowId)
    }
  }
  await up(table, rowId)
  for (const d of await descendants(manager, metadataOf(manager, table), rowId)) {
    const key = `${d.table.name}:${d.key}`
    const conflict = open.get(key)
    if (conflict && key !== self) found.set(key, conflict)
  }
  return [...found.values()]
}

/** The laptop's rows below a row (foreign keys of the synced tables, recursively), parents first. */
async function descendants(
  manager: EntityManager,
  metadata: EntityMetadata,
  key: string,
  out: Array<{ table: SyncTable; key: string; row: Row }> = []
): Promise<Array<{ table: SyncTable; key: string; row: Row }>> {
  for (const table of SYNC_TABLES) {
    const child = metadataOf(manager, table)
    if (child.primaryColumns.length !== 1) continue
    for (const fk of child.foreignKeys) {
      if (fk.referencedEntityMetadata !== metadata || fk.columns.length !== 1) continue
      for (const row of await rowsWhereIn(manager, table, fk.columns[0]!.propertyName, [key])) {
        const k = keyOf(child, row)
        if (out.some((d) => d.table === table && d.key === k)) continue
        out.push({ table, key: k, row })
        await descendants(manager, child, k, out)
      }
    }
  }
  return out
}

async function baseKeys(manager: EntityManager, tableName: string): Promise<Set<string>> {
  const rows = await manager
    .createQueryBuilder(SyncBaseEntity, 'b')
    .select('b.row_id', 'row_id')
    .where('b.table_name = :t', { t: tableName })
    .getRawMany<{ row_id: string }>()
  return new Set(rows.map((r) => r.row_id))
}

/** Forgets rows as the office's (deleted there, and here or kept by a conflict's choice). */
async function forgetBase(manager: EntityManager, tableName: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 300) {
    await manager
      .createQueryBuilder()
      .delete()
      .from(SyncBaseEntity)
      .where('table_name = :t AND row_id IN (:...keys)', { t: tableName, keys: keys.slice(i, i + 300) })
      .execute()
  }
}

/** How many synced rows of the laptop point at a row (foreign keys of the synced tables). */
async function localChildren(manager: EntityManager, metadata: EntityMetadata, key: string): Promise<number> {
  let count = 0
  for (const table of SYNC_TABLES) {
    const child = metadataOf(manager, table)
    for (const fk of child.foreignKeys) {
      if (fk.referencedEntityMetadata !== metadata || fk.columns.length !== 1) continue
      count += await manager
        .createQueryBuilder(table.entity, 'c')
        .where(`c.${fk.columns[0]!.propertyName} = :k`, { k: key })
        .getCount()
    }
  }
  return count
}

async function baseRowMap(manager: EntityManager, tableName: string): Promise<Map<string, Row>> {
  const rows = await manager.find(SyncBaseEntity, { where: { tableName } })
  const map = new Map<string, Row>()
  for (const r of rows) if (r.rowJson) map.set(r.rowId, JSON.parse(r.rowJson) as Row)
  return map
}

/** Records rows as held by the office (with their values for mutable and reference rows). */
async function writeBase(manager: EntityManager, table: SyncTable, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return
  const metadata = metadataOf(manager, table)
  const keepValues = table.kind !== 'append' && !table.insertOnly
  for (let i = 0; i < rows.length; i += 300) {
    const chunk = rows.slice(i, i + 300)
    const keys = chunk.map((r) => keyOf(metadata, r))
    await manager
      .createQueryBuilder()
      .delete()
      .from(SyncBaseEntity)
      .where('table_name = :t AND row_id IN (:...keys)', { t: table.name, keys })
      .execute()
    await manager
      .createQueryBuilder()
      .insert()
      .into(SyncBaseEntity)
      .values(
        chunk.map((r, j) => ({
          tableName: table.name,
          rowId: keys[j]!,
          version: typeof r.version === 'number' ? r.version : null,
          rowJson: keepValues ? JSON.stringify(rowOf(metadata, r)) : null
        }))
      )
      .updateEntity(false)
      .execute()
  }
}

async function saveCursor(manager: EntityManager, cursor: Cursor): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(SyncMarkerEntity)
    .set({ cursor: JSON.stringify(cursor) })
    .updateEntity(false)
    .execute()
}

/** How much the laptop holds that the office has not received yet. */
async function pendingCounts(
  manager: EntityManager
): Promise<{ newRows: number; edits: number; waiting: Map<string, Map<string, string>> }> {
  const caseIds = (
    await manager.createQueryBuilder(CaseEntity, 'c').select('c.id', 'id').getRawMany<{ id: string }>()
  ).map((r) => r.id)
  const scope = await scopeIds(manager, caseIds)
  let newRows = 0
  let edits = 0
  // Rows held by an open conflict wait for the collector, not for a sync.
  const held = await heldKeys(manager)
  const waiting = await waitingRows(manager, scope)
  for (const table of CASE_TABLES) {
    const metadata = metadataOf(manager, table)
    const rows = await scopeRows(manager, table, scope)
    const waits = waiting.get(table.name)
    const known = await baseKeys(manager, table.name)
    const base = table.kind === 'mutable' ? await baseRowMap(manager, table.name) : null
    const columns = mergedColumns(metadata, table)
    for (const row of rows) {
      const key = keyOf(metadata, row)
      if (held.has(`${table.name}:${key}`) || waits?.has(key)) continue
      if (!known.has(key)) newRows += 1
      else if (base) {
        const b = base.get(key)
        if (b && columns.some((c) => !sameValue(row[c], b[c]))) edits += 1
      }
    }
  }
  return { newRows, edits, waiting }
}

/**
 * The money services' recomputation after payments arrive from the field, in the office's
 * transaction: case summary (and prescription), promises and the plan judged on the payments.
 */
async function refreshMoney(
  manager: EntityManager,
  caseIds: readonly string[],
  author: Author,
  today: string
): Promise<void> {
  for (const caseId of caseIds) {
    await refreshCaseSummary(manager, caseId, author)
    const ctx = await loadCaseMoney(manager, caseId)
    const counted = standingPayments(ctx.payments)
    await evaluatePromises(manager, [caseId], new Map([[caseId, counted]]), today, author)
    await evaluateCasePlan(manager, caseId, counted, today, author)
  }
}

/** Name, in a laptop's secret store, of the office PostgreSQL server's password. */
export const OFFICE_PASSWORD_SECRET = 'sync.office-password'

/** A PostgreSQL address without its password, and the password (null: none, or a data folder). */
export function splitPassword(location: string): { location: string; password: string | null } {
  if (!/^postgres(ql)?:\/\//.test(location)) return { location, password: null }
  const url = new URL(location)
  if (!url.password) return { location, password: null }
  const password = decodeURIComponent(url.password)
  url.password = ''
  return { location: url.toString(), password }
}

/** The office's file store (its database's bytes in agency mode), or null when out of reach. */
function officeStore(office: OfficeHandle): FileStore | null {
  if (office.db.dialect === 'postgres') return new FileStore(office.db.dataDir, office.db)
  return office.dataDir ? new FileStore(office.dataDir, office.db) : null
}

/**
 * Copies stored files of documents from one store to another (content-addressed: never
 * overwritten; each copy checked against its SHA-256). A PostgreSQL side reads and writes the
 * bytes in its database, so documents made in the field reach every office workstation.
 */
async function copyDocumentFiles(
  from: FileStore | null,
  to: FileStore | null,
  documents: readonly Row[]
): Promise<number> {
  if (!from || !to) return 0
  let copied = 0
  for (const doc of documents) {
    const path = doc.storagePath
    if (typeof path !== 'string' || path.includes('..')) continue
    if (await to.has(path)) continue
    const sha256 = typeof doc.sha256 === 'string' ? doc.sha256 : undefined
    const content = await from.readIfPresent(path, sha256)
    if (!content) continue
    await to.put(content, extname(path))
    copied += 1
  }
  return copied
}

/** Rows of the checked-out cases on one side, table by table, for comparisons (tests, `sync status --compare`). */
export async function checkedOutRowSets(db: Database, caseIds: readonly string[]): Promise<Map<string, Row[]>> {
  return db.read(async (manager) => {
    const scope = await scopeIds(manager, caseIds)
    const result = new Map<string, Row[]>()
    for (const table of CASE_TABLES) result.set(table.name, await scopeRows(manager, table, scope))
    return result
  })
}

/** For tests: the files under a data folder's document store. */
export function storedFiles(dataDir: string): string[] {
  const root = join(dataDir, 'documents')
  if (!existsSync(root)) return []
  return readdirSync(root).flatMap((d) => readdirSync(join(root, d)).map((f) => `${d}/${f}`))
}
