import type { HandlerGroup } from '../../ipc/handlers'
import type { PlansService } from './plans.service'
import type { PromisesService } from './promises.service'

export function plansHandlers(
  plans: PlansService,
  promises: PromisesService
): HandlerGroup<
  | 'plans:simulate'
  | 'plans:accept'
  | 'plans:list'
  | 'plans:detect-defaults'
  | 'plans:accelerate'
  | 'promises:list'
  | 'promises:create'
  | 'promises:evaluate'
> {
  return {
    'plans:simulate': (input) => plans.simulate(input),
    'plans:accept': (input, ctx) => plans.accept(input, ctx.user),
    'plans:list': (input) => plans.list(input.caseId),
    'plans:detect-defaults': (input, ctx) => plans.detectDefaults(input.at, ctx.user),
    'plans:accelerate': (input, ctx) => plans.accelerate(input, ctx.user),
    'promises:list': (input) => promises.list(input.caseId),
    'promises:create': (input, ctx) => promises.create(input, ctx.user),
    'promises:evaluate': (input, ctx) => promises.evaluate(input.at, ctx.user)
  }
}
