import type { EntityManager } from 'typeorm'
import { notFound, type CaseStatement, type StatementPaymentDto } from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { type RateTable, computeStatement } from '@shared/money'
import type { Database } from '../../db/database'
import { CaseEntity } from '../cases/case.entity'
import { type CaseMoneyContext, loadCaseMoney, partyKind, prescriptions, statementInput } from './money-context'
import { withRates } from './money-errors'
import type { RatesService } from './rates.service'

/**
 * The statement of account of a case, computed by the single statement function of the money
 * engine from the stored claims, payments and allocations: the case file, letters, exports and
 * the CLI all read it from here.
 */
export class StatementService {
  constructor(
    private readonly db: Database,
    private readonly rates: RatesService
  ) {}

  statement(caseId: string, at: CalendarDate): Promise<CaseStatement> {
    return this.db.read((manager) => this.compute(manager, caseId, at))
  }

  async compute(manager: EntityManager, caseId: string, at: CalendarDate): Promise<CaseStatement> {
    const ctx = await loadCaseMoney(manager, caseId)
    return buildCaseStatement(ctx, at, await this.rates.table(manager))
  }

  /** For the CLI and imports: a case by its reference (REC-…). */
  async caseIdByReference(reference: string): Promise<string> {
    const row = await this.db.read((manager) =>
      manager.findOne(CaseEntity, { where: { reference }, select: { id: true } })
    )
    if (!row) throw notFound('Case', reference, 'Dossier')
    return row.id
  }
}

export function buildCaseStatement(ctx: CaseMoneyContext, at: CalendarDate, rates: RateTable): CaseStatement {
  const expiries = prescriptions(ctx)
  const statement = withRates(() => computeStatement(statementInput(ctx, at, rates, expiries)))
  const claims = new Map(ctx.claims.map((c) => [c.id, c]))
  const payments = new Map(ctx.payments.map((p) => [p.id, p]))
  const reversedBy = new Map(
    ctx.payments.filter((p) => p.reversesPaymentId !== null).map((p) => [p.reversesPaymentId!, p.id])
  )

  const claimLines = statement.claims.map((line) => {
    const claim = claims.get(line.claimId)!
    const prescription = expiries.get(line.claimId)!
    return {
      ...line,
      invoiceNumber: claim.invoiceNumber,
      issuedOn: claim.issuedOn,
      disputed: claim.disputed,
      prescription: {
        regime: prescription.regime,
        years: prescription.years,
        article: prescription.article,
        runningFrom: prescription.runningFrom,
        expiresOn: prescription.expiresOn
      }
    }
  })
  const paymentLines: StatementPaymentDto[] = statement.payments.map((line) => {
    const payment = payments.get(line.paymentId)!
    const stored = ctx.allocations.get(line.paymentId) ?? []
    return {
      ...line,
      receivedOn: payment.receivedOn,
      method: payment.method,
      receivedBy: payment.receivedBy,
      reference: payment.reference,
      reversesPaymentId: payment.reversesPaymentId,
      reversedByPaymentId: reversedBy.get(payment.id) ?? null,
      manual: stored.some((row) => row.manual),
      manualReason: stored.find((row) => row.manual)?.reason ?? null
    }
  })
  const timeBarredBalanceCents = claimLines.filter((c) => c.timeBarred).reduce((s, c) => s + c.balance.totalCents, 0)
  return {
    caseId: ctx.caseRow.id,
    caseReference: ctx.caseRow.reference,
    at: statement.at,
    creditor: { name: ctx.client.legalName, partyKind: partyKind(ctx.client) },
    debtor: { name: ctx.debtor.displayName, partyKind: partyKind(ctx.debtor) },
    claims: claimLines,
    payments: paymentLines,
    totals: statement.totals,
    demandableBalanceCents: statement.totals.balanceCents - timeBarredBalanceCents,
    timeBarredBalanceCents,
    warnings: statement.warnings
  }
}
