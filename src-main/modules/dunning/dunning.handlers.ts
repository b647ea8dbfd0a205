import type { HandlerGroup } from '../../ipc/handlers'
import type { BatchSendService } from './batch-send.service'
import type { DunningService } from './dunning.service'

export function dunningHandlers(
  dunning: DunningService,
  sending: BatchSendService
): HandlerGroup<
  | 'dunning:scenarios'
  | 'dunning:save-scenario'
  | 'dunning:set-mandate-scenario'
  | 'dunning:mandates'
  | 'dunning:preview'
  | 'dunning:pending'
  | 'dunning:start'
  | 'dunning:job'
  | 'dunning:cancel'
  | 'dunning:batches'
  | 'dunning:batch'
  | 'dunning:print-file'
  | 'dunning:mark-sent'
  | 'dunning:complete-task'
  | 'dunning:outbox'
  | 'dunning:send-emails'
  | 'dunning:send-job'
  | 'dunning:send-cancel'
  | 'dunning:eml-archive'
  | 'dunning:sms-export'
  | 'dunning:sms-mark-sent'
> {
  return {
    'dunning:scenarios': () => dunning.scenarios(),
    'dunning:save-scenario': (input, ctx) => dunning.saveScenario(input, ctx.user),
    'dunning:set-mandate-scenario': (input, ctx) => dunning.setMandateScenario(input, ctx.user),
    'dunning:mandates': () => dunning.mandates(),
    'dunning:preview': (input) => dunning.preview(input),
    'dunning:pending': () => Promise.resolve(dunning.pendingSummary()),
    'dunning:start': (input, ctx) => dunning.start(input, ctx.user),
    'dunning:job': (input) => Promise.resolve(dunning.job(input.jobId)),
    'dunning:cancel': (input, ctx) => Promise.resolve(dunning.cancel(input.jobId, ctx.user)),
    'dunning:batches': (input) => dunning.batches(input.limit),
    'dunning:batch': (input) => dunning.batch(input.batchId),
    'dunning:print-file': async (input) => {
      const { fileName, base64 } = await dunning.printFile(input.batchId)
      return { fileName, base64 }
    },
    'dunning:mark-sent': (input, ctx) => dunning.markSent(input, ctx.user),
    'dunning:complete-task': (input, ctx) => dunning.completeTask(input.actionId, ctx.user),
    'dunning:outbox': (input) => sending.outbox(input.batchId),
    'dunning:send-emails': (input, ctx) => sending.sendEmails(input, ctx.user),
    'dunning:send-job': (input) => Promise.resolve(sending.job(input.jobId)),
    'dunning:send-cancel': (input) => Promise.resolve(sending.cancel(input.jobId)),
    'dunning:eml-archive': (input, ctx) => sending.emlArchive(input.batchId, ctx.user),
    'dunning:sms-export': (input, ctx) => sending.smsExport(input.batchId, ctx.user),
    'dunning:sms-mark-sent': (input, ctx) => sending.smsMarkSent(input, ctx.user)
  }
}
