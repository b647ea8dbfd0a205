import type { HandlerGroup } from '../../ipc/handlers'
import type { ReportsService } from './reports.service'

export function reportsHandlers(reports: ReportsService): HandlerGroup<'reports:dashboard' | 'reports:export'> {
  return {
    'reports:dashboard': (input) => reports.dashboard(input),
    'reports:export': (input, ctx) => reports.export(input, ctx.user)
  }
}
