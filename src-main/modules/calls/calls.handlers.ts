import type { HandlerGroup } from '../../ipc/handlers'
import type { CallsService } from './calls.service'

export function callsHandlers(calls: CallsService): HandlerGroup<'calls:check' | 'calls:log'> {
  return {
    'calls:check': (input) => calls.check(input),
    'calls:log': (input, ctx) => calls.log(input, ctx.user)
  }
}
