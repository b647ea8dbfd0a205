import type { HandlerGroup } from '../../ipc/handlers'
import type { ImportsService } from './imports.service'

export function importsHandlers(
  imports: ImportsService
): HandlerGroup<
  | 'imports:setup'
  | 'imports:analyze'
  | 'imports:preview'
  | 'imports:commit'
  | 'imports:error-report'
  | 'imports:list'
  | 'imports:undo'
> {
  return {
    'imports:setup': (input) => imports.setup(input.clientId),
    'imports:analyze': (input) => imports.analyze(input),
    'imports:preview': (input) => imports.preview(input),
    'imports:commit': (input, ctx) => imports.commit(input, ctx.user),
    'imports:error-report': (input) => imports.errorReport(input),
    'imports:list': (input) => imports.list(input),
    'imports:undo': (input, ctx) => imports.undo(input.batchId, ctx.user)
  }
}
