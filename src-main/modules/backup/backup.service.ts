import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type sqlite3 from 'sqlite3'
import {
  AppError,
  BACKUP_KINDS,
  BACKUP_RETENTION_DEFAULT_DAYS,
  type BackupInfo,
  type BackupKind,
  type BackupOverview,
  type FileRestoreResult,
  type RestoreResult
} from '@shared/contract'
import { MIGRATIONS } from '../../db/migrations'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { log } from '../../platform/log'
import { SettingEntity } from '../settings/setting.entity'
import { checkDatabaseFile, checkRestorable, restoreIntoConnection, type RestorableCheck } from './sqlite-backup'
import { currentAuditContext, dropAuditTriggers, flushAudit, installAuditTriggers } from '../audit/audit-trail'

export const BACKUP_FOLDER = 'backups'
/** Database files being uploaded for a restore (deleted after it, or after a day). */
export const UPLOAD_FOLDER = 'uploads'
const RETENTION_KEY = 'backup.retentionDays'
const DAY_MS = 24 * 60 * 60 * 1000
/** Kinds the retention setting prunes; manual backups stay until the user deletes them. */
const AUTOMATIC: readonly BackupKind[] = ['daily', 'pre-migration', 'pre-restore']

const NAME_PATTERN =
  /^(daily|manual|pre-migration|pre-restore)-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)(?:-\d+)?\.sqlite$/

/** `2026-11-23T09-00-00-000Z` ↔ `2026-11-23T09:00:00.000Z` */
export function backupStamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-')
}

function instantOfStamp(stamp: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/.exec(stamp)
  return m ? `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z` : stamp
}

/** The backups found in a data folder, newest first (also used at start-up, with no app open). */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = join(dataDir, BACKUP_FOLDER)
  if (!existsSync(dir)) return []
  const backups: BackupInfo[] = []
  for (const name of readdirSync(dir)) {
    const m = NAME_PATTERN.exec(name)
    if (!m) continue
    backups.push({
      name,
      kind: m[1] as BackupKind,
      createdAt: instantOfStamp(m[2]!),
      sizeBytes: statSync(join(dir, name)).size
    })
  }
  return backups.sort((a, b) =>
    a.createdAt === b.createdAt ? b.name.localeCompare(a.name) : b.createdAt.localeCompare(a.createdAt)
  )
}

interface BackupConnection {
  backup: (...args: unknown[]) => unknown
}

/**
 * Consistent copies of the database (VACUUM INTO: a compacted snapshot, WAL content included)
 * in `<data folder>/backups`, their retention, and restores through SQLite's online backup API
 * after a full integrity check of the file.
 */
export class BackupService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    /** Run after a restore: migrations already ran; derived data (search index) is rebuilt. */
    private readonly afterRestore: () => Promise<void> = async () => undefined
  ) {}

  get folder(): string {
    return join(this.db.dataDir, BACKUP_FOLDER)
  }

  async overview(): Promise<BackupOverview> {
    return { folder: this.folder, backups: listBackups(this.db.dataDir), retentionDays: await this.retentionDays() }
  }

  async retentionDays(): Promise<number> {
    const setting = await this.db.read((manager) => manager.findOne(SettingEntity, { where: { key: RETENTION_KEY } }))
    const days = setting ? Number(JSON.parse(setting.value)) : NaN
    return Number.isInteger(days) && days > 0 ? days : BACKUP_RETENTION_DEFAULT_DAYS
  }

  async setRetentionDays(days: number, userId: string | null): Promise<BackupOverview> {
    await this.db.write((manager) =>
      manager.save(SettingEntity, {
        key: RETENTION_KEY,
        value: JSON.stringify(days),
        updatedAt: this.clock.now().toISOString(),
        updatedBy: userId
      })
    )
    await this.prune()
    return this.overview()
  }

  /** File backups and restores are the embedded file's; a PostgreSQL server has its own tools. */
  private refuseOnSharedServer(): void {
    if (this.db.dialect !== 'postgres') return
    throw new AppError(
      'BUSINESS_RULE',
      'La base est sur un serveur PostgreSQL partagé : ses sauvegardes se font sur le serveur (pg_dump, sauvegardes du serveur), pas depuis ce poste.',
      'File backups do not apply to a PostgreSQL database'
    )
  }

  /** Writes a backup now. Waits for the writes queued before it, so it holds all of them. */
  async create(kind: BackupKind): Promise<BackupInfo> {
    if (!BACKUP_KINDS.includes(kind)) throw new Error(`Unknown backup kind ${kind}`)
    this.refuseOnSharedServer()
    mkdirSync(this.folder, { recursive: true })
    const stamp = backupStamp(this.clock.now())
    let name = `${kind}-${stamp}.sqlite`
    for (let n = 2; existsSync(join(this.folder, name)); n++) name = `${kind}-${stamp}-${n}.sqlite`
    const target = join(this.folder, name)
    try {
      await this.db.exclusive((dataSource) => dataSource.query('VACUUM INTO ?', [target]))
    } catch (error) {
      rmSync(target, { force: true })
      log.error(`Backup to ${target} failed`, error)
      throw new AppError(
        'INTERNAL',
        'La sauvegarde n’a pas pu être écrite (disque plein ou dossier inaccessible ?). La base n’a pas été modifiée.',
        `VACUUM INTO ${target} failed: ${(error as Error).message}`
      )
    }
    log.info(`Backup written: ${target}`)
    const info = listBackups(this.db.dataDir).find((b) => b.name === name)
    if (!info) throw new Error(`Backup ${target} vanished right after being written`)
    if (kind !== 'manual') await this.prune()
    return info
  }

  /** The daily backup, if none was made in the last 24 hours. Returns it, or null. */
  async runDailyIfDue(): Promise<BackupInfo | null> {
    // Agency mode: the shared server is backed up by its own tools, not by each machine.
    if (this.db.dialect === 'postgres') return null
    const now = this.clock.now().getTime()
    const last = listBackups(this.db.dataDir).find((b) => b.kind === 'daily')
    if (last && now - Date.parse(last.createdAt) < DAY_MS) return null
    return this.create('daily')
  }

  /** Deletes automatic backups older than the retention period, always keeping the newest one. */
  async prune(): Promise<string[]> {
    const days = await this.retentionDays()
    const limit = this.clock.now().getTime() - days * DAY_MS
    const automatic = listBackups(this.db.dataDir).filter((b) => AUTOMATIC.includes(b.kind))
    const removed: string[] = []
    for (const backup of automatic.slice(1)) {
      if (Date.parse(backup.createdAt) < limit) {
        rmSync(join(this.folder, backup.name), { force: true })
        removed.push(backup.name)
      }
    }
    if (removed.length > 0) log.info(`Backup retention (${days} days) removed ${removed.join(', ')}`)
    return removed
  }

  /**
   * Replaces the database by one of the folder's backups. The file is checked first (full
   * integrity_check, read-only): a damaged backup changes nothing. The current state is backed up
   * just before, so a restore can itself be undone.
   */
  async restore(name: string): Promise<RestoreResult> {
    this.refuseOnSharedServer()
    const backup = listBackups(this.db.dataDir).find((b) => b.name === name)
    if (!backup) throw new AppError('NOT_FOUND', 'Sauvegarde introuvable.', `Backup ${name} not found`)
    const file = join(this.folder, name)
    const check = await checkDatabaseFile(file)
    if (!check.ok) {
      throw new AppError(
        'BUSINESS_RULE',
        'Cette sauvegarde est endommagée ou n’est pas une base Recouvra : la restauration est refusée et rien n’a été modifié.',
        `Backup ${file} failed its integrity check: ${check.detail}`
      )
    }
    const newer = await checkRestorable(
      file,
      MIGRATIONS.map((m) => m.name),
      MIGRATIONS[0]!.name
    )
    if (!newer.ok && newer.reason === 'newer') throw refusal(newer, name)
    const { safetyBackup } = await this.replaceWith(file, { restoredFrom: name, backupCreatedAt: backup.createdAt })
    return { restored: backup, safetyBackup }
  }

  /**
   * Replaces the database by any database file (`backup restore --file`, a file picked in
   * Paramètres), with the same guards as a restore from the folder, plus a check that the file
   * is a Recouvra database this version can read.
   */
  async restoreFile(file: string, fileName: string): Promise<FileRestoreResult> {
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new AppError('NOT_FOUND', `Fichier introuvable : ${fileName}.`, `Restore file ${file} not found`)
    }
    const sizeBytes = statSync(file).size
    const check = await checkRestorable(
      file,
      MIGRATIONS.map((m) => m.name),
      MIGRATIONS[0]!.name
    )
    if (!check.ok) throw refusal(check, fileName)
    const { safetyBackup, migrated } = await this.replaceWith(file, { restoredFromFile: fileName, sizeBytes })
    return { fileName, sizeBytes, migrated, safetyBackup }
  }

  private get uploadFolder(): string {
    return join(this.db.dataDir, UPLOAD_FOLDER)
  }

  private readonly uploads = new Map<string, { file: string; fileName: string; sizeBytes: number; received: number }>()

  /** A file picked in the window arrives in chunks (both transports), into the data folder. */
  beginUpload(fileName: string, sizeBytes: number): { uploadId: string } {
    mkdirSync(this.uploadFolder, { recursive: true })
    // Leftovers of interrupted uploads.
    const dayAgo = Date.now() - DAY_MS
    for (const name of readdirSync(this.uploadFolder)) {
      const path = join(this.uploadFolder, name)
      if (statSync(path).mtimeMs < dayAgo) rmSync(path, { force: true })
    }
    const uploadId = randomBytes(16).toString('hex')
    const file = join(this.uploadFolder, `${uploadId}.sqlite.part`)
    appendFileSync(file, Buffer.alloc(0))
    this.uploads.set(uploadId, { file, fileName, sizeBytes, received: 0 })
    return { uploadId }
  }

  appendUpload(uploadId: string, offset: number, dataBase64: string): { receivedBytes: number } {
    const upload = this.upload(uploadId)
    if (offset !== upload.received) {
      throw new AppError(
        'CONFLICT',
        'Envoi du fichier interrompu (morceau hors d’ordre) : recommencez.',
        `Upload ${uploadId}: chunk at ${offset}, expected ${upload.received}`
      )
    }
    const chunk = Buffer.from(dataBase64, 'base64')
    if (upload.received + chunk.length > upload.sizeBytes) {
      this.dropUpload(uploadId)
      throw new AppError(
        'VALIDATION',
        'Le fichier envoyé est plus gros qu’annoncé : envoi annulé.',
        `Upload ${uploadId} past its size`
      )
    }
    appendFileSync(upload.file, chunk)
    upload.received += chunk.length
    return { receivedBytes: upload.received }
  }

  async restoreUpload(uploadId: string): Promise<FileRestoreResult> {
    const upload = this.upload(uploadId)
    try {
      if (upload.received !== upload.sizeBytes) {
        throw new AppError(
          'VALIDATION',
          'Le fichier n’a pas été reçu en entier : recommencez.',
          `Upload ${uploadId}: ${upload.received} of ${upload.sizeBytes} bytes`
        )
      }
      return await this.restoreFile(upload.file, upload.fileName)
    } finally {
      this.dropUpload(uploadId)
    }
  }

  private upload(uploadId: string) {
    const upload = this.uploads.get(uploadId)
    if (!upload)
      throw new AppError('NOT_FOUND', 'Envoi de fichier inconnu ou expiré : recommencez.', `No upload ${uploadId}`)
    return upload
  }

  private dropUpload(uploadId: string): void {
    const upload = this.uploads.get(uploadId)
    this.uploads.delete(uploadId)
    if (upload) rmSync(upload.file, { force: true })
  }

  /**
   * The replacement itself: the current state backed up first (so a restore can be undone),
   * the file's pages copied into the open connection (online backup API), older schemas
   * migrated, the restore chained into the audit trail.
   */
  private async replaceWith(
    file: string,
    details: Record<string, unknown>
  ): Promise<{ safetyBackup: BackupInfo; migrated: number }> {
    const safetyBackup = await this.create('pre-restore')
    const context = currentAuditContext()
    let migrated = 0
    await this.db.exclusive(async (dataSource) => {
      await dropAuditTriggers(dataSource)
      try {
        const connection = (dataSource.driver as unknown as { databaseConnection: BackupConnection }).databaseConnection
        await restoreIntoConnection(connection as unknown as sqlite3.Database, file)
        // An older backup may predate some migrations.
        const applied = await dataSource.runMigrations({ transaction: 'each' })
        migrated = applied.length
        for (const migration of applied) log.info(`Applied migration ${migration.name} after restore`)
      } finally {
        await installAuditTriggers(dataSource)
      }
      // The restored trail goes on, with the restore itself as its next entry.
      await dataSource.transaction((manager) =>
        flushAudit(manager, {
          context,
          mark: 0,
          at: this.db.auditClock().toISOString(),
          extra: [
            {
              tableName: 'database',
              rowId: null,
              operation: 'restore',
              beforeJson: JSON.stringify({ safetyBackup: safetyBackup.name }),
              afterJson: JSON.stringify(details)
            }
          ]
        })
      )
    })
    await this.afterRestore()
    log.info(`Database restored from ${file} (safety backup ${safetyBackup.name})`)
    return { safetyBackup, migrated }
  }
}

/** The French refusal of a file that cannot be restored; nothing has been changed. */
function refusal(check: Extract<RestorableCheck, { ok: false }>, fileName: string): AppError {
  const messages: Record<typeof check.reason, string> = {
    'not-sqlite': `« ${fileName} » n’est pas une base de données SQLite, donc pas une sauvegarde Recouvra.`,
    'not-recouvra': `« ${fileName} » est une base SQLite, mais pas une base Recouvra (tables de l’application absentes).`,
    corrupt: `« ${fileName} » est endommagé (le contrôle d’intégrité SQLite a échoué).`,
    newer: `« ${fileName} » a été créé par une version plus récente de Recouvra (mise à jour inconnue de cette version : ${(check.unknown ?? []).join(', ')}). Installez la dernière version avant de le restaurer.`
  }
  return new AppError(
    'BUSINESS_RULE',
    `${messages[check.reason]} La restauration est refusée et rien n’a été modifié.`,
    `Restore of ${fileName} refused (${check.reason}): ${check.detail}`
  )
}

/**
 * For the long-running processes (desktop app, `npm run serve`): the daily backup at start-up
 * if due, then checked every hour. Returns the function that stops it.
 */
export function scheduleDailyBackups(backups: BackupService, everyMs = 60 * 60 * 1000): () => void {
  const run = () => {
    backups.runDailyIfDue().catch((error: unknown) => log.error('Daily backup failed', error))
  }
  run()
  const timer = setInterval(run, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * The newest backup of a data folder that passes a full integrity check, for the start-up
 * dialog shown when the database is damaged.
 */
export async function latestSoundBackup(dataDir: string): Promise<{ info: BackupInfo; file: string } | null> {
  for (const info of listBackups(dataDir)) {
    const file = join(dataDir, BACKUP_FOLDER, info.name)
    if ((await checkDatabaseFile(file)).ok) return { info, file }
  }
  return null
}
