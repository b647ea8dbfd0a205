import type { HandlerGroup } from '../../ipc/handlers'
import type { BackupService } from './backup.service'

export function backupHandlers(
  backups: BackupService
): HandlerGroup<'backup:list' | 'backup:create' | 'backup:restore' | 'backup:set-retention'> {
  return {
    'backup:list': () => backups.overview(),
    'backup:create': () => backups.create('manual'),
    'backup:restore': (input) => backups.restore(input.name),
    'backup:set-retention': (input, ctx) => backups.setRetentionDays(input.retentionDays, ctx.user.id)
  }
}
