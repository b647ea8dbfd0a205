import type { HandlerGroup } from '../../ipc/handlers'
import type { CasesService } from './cases.service'

export function casesHandlers(
  cases: CasesService
): HandlerGroup<'cases:list' | 'cases:page' | 'cases:totals' | 'cases:get-summary'> {
  return {
    'cases:list': (input, ctx) => cases.list(input, ctx.user),
    'cases:page': (input, ctx) => cases.page(input, ctx.user),
    'cases:totals': (input, ctx) => cases.totals(input, ctx.user),
    'cases:get-summary': (input) => cases.getSummary(input.id)
  }
}
