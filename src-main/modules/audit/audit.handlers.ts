import type { HandlerGroup } from '../../ipc/handlers'
import type { Clock } from '../../platform/clock'
import type { AuditService } from './audit.service'

export function auditHandlers(
  audit: AuditService,
  clock: Clock
): HandlerGroup<'audit:list' | 'audit:export' | 'audit:verify'> {
  return {
    'audit:list': (input) => audit.list(input),
    'audit:export': (input) => audit.exportCsv(input, clock.today()),
    'audit:verify': () => audit.verify()
  }
}
