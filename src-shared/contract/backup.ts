import { z } from 'zod'
import { channel } from './define'
import { noInput } from './schemas'

/** Backups of the database: automatic (daily, before migrations and restores) and manual. */

export const BACKUP_KINDS = ['daily', 'manual', 'pre-migration', 'pre-restore'] as const
export type BackupKind = (typeof BACKUP_KINDS)[number]

export const BACKUP_KIND_LABELS: Record<BackupKind, string> = {
  daily: 'Quotidienne',
  manual: 'Manuelle',
  'pre-migration': 'Avant mise à jour',
  'pre-restore': 'Avant restauration'
}

export interface BackupInfo {
  /** File name inside the data folder's `backups` folder. */
  name: string
  kind: BackupKind
  /** ISO UTC instant the backup was made. */
  createdAt: string
  sizeBytes: number
}

export interface BackupOverview {
  folder: string
  backups: BackupInfo[]
  /** Automatic backups older than this are deleted (the newest one is always kept). */
  retentionDays: number
}

export interface RestoreResult {
  restored: BackupInfo
  /** The backup of the database as it was just before the restore. */
  safetyBackup: BackupInfo
}

/** A restore from a file the user picked (not one of the folder's backups). */
export interface FileRestoreResult {
  /** The file's name as the user picked it. */
  fileName: string
  sizeBytes: number
  /** Updates applied to bring an older file to this version's schema. */
  migrated: number
  safetyBackup: BackupInfo
}

/** Largest database file a user can restore through the window (streamed in chunks). */
export const BACKUP_UPLOAD_MAX_BYTES = 16 * 1024 * 1024 * 1024
/** Each chunk of an upload, base64: under the loopback transport's 5 MB body limit. */
export const BACKUP_UPLOAD_CHUNK_BYTES = 3 * 1024 * 1024

export const BACKUP_RETENTION_MIN_DAYS = 1
export const BACKUP_RETENTION_MAX_DAYS = 3650
export const BACKUP_RETENTION_DEFAULT_DAYS = 30

export const backupNameSchema = z
  .string()
  .regex(/^(daily|manual|pre-migration|pre-restore)-[0-9A-Za-z-]{10,60}\.sqlite$/, 'Nom de sauvegarde invalide')

export const backupChannels = {
  'backup:list': channel<BackupOverview>()(
    noInput,
    'Backups in the data folder, newest first, and the retention setting.'
  ),
  'backup:create': channel<BackupInfo>()(noInput, 'Writes a consistent manual backup (VACUUM INTO) now.'),
  'backup:restore': channel<RestoreResult>()(
    z.object({ name: backupNameSchema }).strict(),
    'Replaces the database by a backup of the folder after a full integrity_check of it; backs up the current state first; migrates it if older.'
  ),
  'backup:upload-begin': channel<{ uploadId: string }>()(
    z
      .object({
        fileName: z.string().trim().min(1, 'Nom de fichier attendu').max(255, 'Nom de fichier trop long'),
        sizeBytes: z
          .number()
          .int()
          .min(1, 'Le fichier est vide')
          .max(BACKUP_UPLOAD_MAX_BYTES, 'Fichier trop volumineux (16 Go au plus)')
      })
      .strict(),
    'Starts streaming a database file the user picked into a temporary file of the data folder (admins).'
  ),
  'backup:upload-chunk': channel<{ receivedBytes: number }>()(
    z
      .object({
        uploadId: z.string().regex(/^[0-9a-f]{32}$/, 'Envoi inconnu'),
        offset: z.number().int().min(0),
        dataBase64: z
          .string()
          .min(1)
          .max(Math.ceil(BACKUP_UPLOAD_CHUNK_BYTES / 3) * 4, 'Morceau trop gros')
      })
      .strict(),
    'Appends the next chunk (base64) of an upload, at its current end.'
  ),
  'backup:restore-upload': channel<FileRestoreResult>()(
    z.object({ uploadId: z.string().regex(/^[0-9a-f]{32}$/, 'Envoi inconnu') }).strict(),
    'Replaces the database by the uploaded file after the checks of a restore (SQLite file, integrity_check, a Recouvra database, not newer than the app), a safety backup first; migrates it if older. The upload is deleted either way.'
  ),
  'backup:set-retention': channel<BackupOverview>()(
    z
      .object({
        retentionDays: z
          .number()
          .int('Nombre de jours entier attendu')
          .min(BACKUP_RETENTION_MIN_DAYS, `Au moins ${BACKUP_RETENTION_MIN_DAYS} jour`)
          .max(BACKUP_RETENTION_MAX_DAYS, `Au plus ${BACKUP_RETENTION_MAX_DAYS} jours`)
      })
      .strict(),
    'Sets how many days automatic backups are kept, then deletes the older ones.'
  )
}
