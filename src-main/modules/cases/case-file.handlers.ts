import type { HandlerGroup } from '../../ipc/handlers'
import type { JournalService } from '../journal/journal.service'
import type { CaseActionsService } from './case-actions.service'
import type { CaseFileService } from './case-file.service'

export function caseFileHandlers(
  caseFile: CaseFileService,
  journal: JournalService,
  actions: CaseActionsService
): HandlerGroup<
  | 'casefile:get'
  | 'journal:list'
  | 'journal:correct'
  | 'case:add-note'
  | 'case:change-phase'
  | 'case:assign'
  | 'case:suspend'
  | 'case:resume'
  | 'case:close'
  | 'case:set-next-action'
> {
  return {
    'casefile:get': (input) => caseFile.get(input.caseId),
    'journal:list': (input) => journal.timeline(input),
    'journal:correct': (input, ctx) => actions.correctEntry(input, ctx.user),
    'case:add-note': (input, ctx) => actions.addNote(input, ctx.user),
    'case:change-phase': (input, ctx) => actions.changePhase(input, ctx.user),
    'case:assign': (input, ctx) => actions.assign(input, ctx.user),
    'case:suspend': (input, ctx) => actions.suspend(input, ctx.user),
    'case:resume': (input, ctx) => actions.resume(input, ctx.user),
    'case:close': (input, ctx) => actions.close(input, ctx.user),
    'case:set-next-action': (input, ctx) => actions.setNextAction(input, ctx.user)
  }
}
