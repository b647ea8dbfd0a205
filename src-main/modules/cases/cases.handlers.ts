import type { HandlerGroup } from '../../ipc/handlers'
import type { CasesService } from './cases.service'

export function casesHandlers(cases: CasesService): HandlerGroup<'cases:list' | 'cases:get-summary'> {
  return {
    'cases:list': (input, ctx) => cases.list(input, ctx.user),
    'cases:get-summary': (input) => cases.getSummary(input.id)
  }
}
