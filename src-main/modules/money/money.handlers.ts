import type { HandlerGroup } from '../../ipc/handlers'
import type { LegalEventsService } from './legal-events.service'
import type { PaymentsService } from './payments.service'
import type { RatesService } from './rates.service'
import type { RemittancesService } from './remittances.service'
import type { StatementService } from './statement.service'

export function moneyHandlers(services: {
  rates: RatesService
  statements: StatementService
  payments: PaymentsService
  remittances: RemittancesService
  legalEvents: LegalEventsService
}): HandlerGroup<
  | 'rates:list'
  | 'rates:add-semester'
  | 'money:statement'
  | 'money:record-payment'
  | 'money:reverse-payment'
  | 'money:list-payments'
  | 'money:retry-payment-documents'
  | 'money:record-legal-event'
  | 'money:list-legal-events'
  | 'remittances:preview'
  | 'remittances:create'
  | 'remittances:mark-paid'
  | 'remittances:list'
> {
  const { rates, statements, payments, remittances, legalEvents } = services
  return {
    'rates:list': () => rates.list(),
    // Any user for now: roles and permissions come with the trust issue.
    'rates:add-semester': (input, ctx) => rates.addSemester(input, ctx.user.id),
    'money:statement': (input) => statements.statement(input.caseId, input.at),
    'money:record-payment': (input, ctx) => payments.record(input, ctx.user),
    'money:reverse-payment': (input, ctx) => payments.reverse(input, ctx.user),
    'money:list-payments': (input) => payments.list(input.caseId),
    'money:retry-payment-documents': (input, ctx) => payments.retryDocuments(input.paymentId, ctx.user),
    'money:record-legal-event': (input, ctx) => legalEvents.record(input, ctx.user),
    'money:list-legal-events': (input) => legalEvents.list(input.caseId),
    'remittances:preview': (input) => remittances.preview(input),
    'remittances:create': (input, ctx) => remittances.create(input, ctx.user),
    'remittances:mark-paid': (input, ctx) => remittances.markPaid(input, ctx.user),
    'remittances:list': (input) => remittances.list(input)
  }
}
