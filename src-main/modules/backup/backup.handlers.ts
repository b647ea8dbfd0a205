import type { HandlerGroup } from '../../ipc/handlers'
import type { BackupService } from './backup.service'

export function backupHandlers(
  backups: BackupService
): HandlerGroup<
  | 'backup:list'
  | 'backup:create'
  | 'backup:restore'
  | 'backup:upload-begin'
  | 'backup:upload-chunk'
  | 'backup:restore-upload'
  | 'backup:set-retention'
> {
  return {
    'backup:list': () => backups.overview(),
    'backup:create': () => backups.create('manual'),
    'backup:restore': (input) => backups.restore(input.name),
    'backup:upload-begin': async (input) => backups.beginUpload(input.fileName, input.sizeBytes),
    'backup:upload-chunk': async (input) => backups.appendUpload(input.uploadId, input.offset, input.dataBase64),
    'backup:restore-upload': (input) => backups.restoreUpload(input.uploadId),
    'backup:set-retention': (input, ctx) => backups.setRetentionDays(input.retentionDays, ctx.user.id)
  }
}
