import type { HandlerGroup } from '../../ipc/handlers'
import type { SolvencyService } from './solvency.service'

export function solvencyHandlers(
  solvency: SolvencyService
): HandlerGroup<
  | 'solvency:get'
  | 'solvency:add-fact'
  | 'solvency:assess'
  | 'solvency:capacity'
  | 'proceedings:record'
  | 'deadlines:complete'
> {
  return {
    'solvency:get': (input) => solvency.get(input.caseId),
    'solvency:add-fact': (input, ctx) => solvency.addFact(input, ctx.user),
    'solvency:assess': (input, ctx) => solvency.assess(input, ctx.user),
    'solvency:capacity': (input) => solvency.capacity(input.caseId),
    'proceedings:record': (input, ctx) => solvency.recordProceeding(input, ctx.user),
    'deadlines:complete': (input, ctx) => solvency.completeDeadline(input, ctx.user)
  }
}
