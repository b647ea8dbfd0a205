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
