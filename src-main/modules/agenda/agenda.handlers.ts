import type { HandlerGroup } from '../../ipc/handlers'
import type { AgendaService } from './agenda.service'

export function agendaHandlers(agenda: AgendaService): HandlerGroup<'agenda:list' | 'agenda:counts'> {
  return {
    'agenda:list': (input, ctx) => agenda.list(input, ctx.user),
    'agenda:counts': (input, ctx) => agenda.counts(input, ctx.user)
  }
}
