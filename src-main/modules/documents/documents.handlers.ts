import type { HandlerGroup } from '../../ipc/handlers'
import type { DocumentsService } from './documents.service'
import type { LetterDispatchService } from './letter-dispatch.service'

export type DocumentChannel =
  | 'documents:agency-get'
  | 'documents:agency-save'
  | 'documents:logo-upload'
  | 'documents:logo-get'
  | 'documents:smtp-get'
  | 'documents:smtp-save'
  | 'templates:list'
  | 'templates:get'
  | 'templates:save'
  | 'templates:restore'
  | 'templates:preview'
  | 'letters:preview'
  | 'letters:generate'
  | 'letters:mark-sent'
  | 'letters:list'
  | 'letters:cancel'
  | 'letters:email'
  | 'letters:email-confirm-sent'
  | 'letters:sms'
  | 'documents:list'
  | 'documents:open'
  | 'documents:injunction-file'
  | 'documents:payment-documents'
  | 'documents:reversal-notice'
  | 'documents:remittance-statement'

export function documentsHandlers(
  documents: DocumentsService,
  dispatch: LetterDispatchService
): HandlerGroup<DocumentChannel> {
  return {
    'documents:agency-get': () => documents.getAgency(),
    'documents:agency-save': (input, ctx) => documents.saveAgency(input, ctx.user),
    'documents:logo-upload': (input, ctx) => documents.uploadLogo(input, ctx.user),
    'documents:logo-get': () => documents.getLogo(),
    'documents:smtp-get': () => documents.getSmtp(),
    'documents:smtp-save': (input, ctx) => documents.saveSmtp(input, ctx.user),
    'templates:list': () => documents.listTemplates(),
    'templates:get': (input) => documents.getTemplate(input.code, input.version),
    'templates:save': (input, ctx) => documents.saveTemplate(input, ctx.user),
    'templates:restore': (input, ctx) => documents.restoreTemplate(input, ctx.user),
    'templates:preview': (input) => documents.previewTemplate(input),
    'letters:preview': (input) => documents.preview(input),
    'letters:generate': (input, ctx) => documents.generate(input, ctx.user),
    'letters:mark-sent': (input, ctx) => documents.markSent(input, ctx.user),
    'letters:list': (input) => documents.listLetters(input.caseId),
    'letters:cancel': (input, ctx) => documents.cancel(input, ctx.user),
    'letters:email': (input, ctx) => dispatch.email(input, ctx.user),
    'letters:email-confirm-sent': (input, ctx) => dispatch.confirmEmailSent(input, ctx.user),
    'letters:sms': (input, ctx) => dispatch.sms(input, ctx.user),
    'documents:list': (input) => documents.listDocuments(input.caseId),
    'documents:open': (input) => documents.openDocument(input.documentId),
    'documents:injunction-file': (input, ctx) => dispatch.injunctionFile(input, ctx.user),
    'documents:payment-documents': (input, ctx) => dispatch.paymentDocuments(input.paymentId, ctx.user),
    'documents:reversal-notice': (input, ctx) => dispatch.reversalNotice(input.paymentId, ctx.user),
    'documents:remittance-statement': (input, ctx) => dispatch.remittanceStatement(input.remittanceId, ctx.user)
  }
}
