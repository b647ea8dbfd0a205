import { In, type EntityManager } from 'typeorm'
import { notFound } from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import {
  type AllocationLine,
  type CasePrescriptionInput,
  type PartyKind,
  type PrescriptionResult,
  type RateTable,
  type StatementInput,
  type StatementPaymentInput,
  claimPrescriptions,
  planInterestSuspensions
} from '@shared/money'
import { CaseEntity } from '../cases/case.entity'
import { ClaimEntity } from '../cases/claim.entity'
import { ClientEntity } from '../clients/client.entity'
import { MandateEntity } from '../clients/mandate.entity'
import { DebtorEntity } from '../debtors/debtor.entity'
import { PaymentPlanEntity } from '../plans/plan.entities'
import { LegalEventEntity } from './legal-event.entity'
import { AllocationEntity, PaymentEntity } from './payment.entity'

/** Everything the money engine needs about one case, read in one unit of work. */
export interface CaseMoneyContext {
  caseRow: CaseEntity
  client: ClientEntity
  debtor: DebtorEntity
  mandate: MandateEntity
  /** By due date, then invoice number. */
  claims: ClaimEntity[]
  /** By date received, then creation (uuid7 ids sort by time). */
  payments: PaymentEntity[]
  /** Stored allocation lines by payment id. */
  allocations: Map<string, AllocationEntity[]>
  plans: PaymentPlanEntity[]
  /** Judgments, signed acknowledgements, court claims and enforcement acts, oldest first. */
  legalEvents: LegalEventEntity[]
}

export async function loadCaseMoney(manager: EntityManager, caseId: string): Promise<CaseMoneyContext> {
  const caseRow = await manager.findOne(CaseEntity, { where: { id: caseId } })
  if (!caseRow) throw notFound('Case', caseId, 'Dossier')
  const client = await manager.findOneOrFail(ClientEntity, { where: { id: caseRow.clientId } })
  const debtor = await manager.findOneOrFail(DebtorEntity, { where: { id: caseRow.debtorId } })
  const mandate = await manager.findOneOrFail(MandateEntity, { where: { id: caseRow.mandateId } })
  const claims = await manager.find(ClaimEntity, { where: { caseId }, order: { dueOn: 'ASC', invoiceNumber: 'ASC' } })
  const payments = await manager.find(PaymentEntity, {
    where: { caseId },
    order: { receivedOn: 'ASC', createdAt: 'ASC', id: 'ASC' }
  })
  const rows = payments.length
    ? await manager.find(AllocationEntity, {
        where: { paymentId: In(payments.map((p) => p.id)) },
        order: { createdAt: 'ASC', id: 'ASC' }
      })
    : []
  const allocations = new Map<string, AllocationEntity[]>()
  for (const row of rows) allocations.set(row.paymentId, [...(allocations.get(row.paymentId) ?? []), row])
  const plans = await manager.find(PaymentPlanEntity, { where: { caseId }, order: { createdAt: 'ASC', id: 'ASC' } })
  const legalEvents = await manager.find(LegalEventEntity, {
    where: { caseId },
    order: { occurredOn: 'ASC', createdAt: 'ASC', id: 'ASC' }
  })
  return { caseRow, client, debtor, mandate, claims, payments, allocations, plans, legalEvents }
}

/**
 * The money engine's view of a party: a natural person outside any profession is a consumer;
 * a legal person outside its profession (association, co-ownership) is not (convention 13).
 */
export function partyKind(party: { kind: 'individual' | 'company'; actsProfessionally: boolean }): PartyKind {
  if (party.actsProfessionally) return 'professional'
  return party.kind === 'individual' ? 'consumer' : 'non_professional'
}

/** Payments that stand: neither reversed nor reversals. */
export function standingPayments(payments: readonly PaymentEntity[]): PaymentEntity[] {
  const reversed = new Set(payments.map((p) => p.reversesPaymentId).filter((id): id is string => id !== null))
  return payments.filter((p) => p.reversesPaymentId === null && !reversed.has(p.id))
}

export function allocationLines(rows: readonly AllocationEntity[] | undefined): AllocationLine[] {
  return (rows ?? []).map((row) => ({
    claimId: row.claimId,
    component: row.component as AllocationLine['component'],
    amountCents: row.amountCents
  }))
}

/**
 * Date the first judgment covering the claim (recorded for it or for the whole case) became
 * enforceable: the +5 points run two months later and the prescription becomes 10 years.
 */
export function judgmentEnforceableOn(ctx: CaseMoneyContext, claimId: string): CalendarDate | null {
  let earliest: CalendarDate | null = null
  for (const event of ctx.legalEvents) {
    if (event.kind !== 'judgment' || event.enforceableOn === null) continue
    if (event.claimId !== null && event.claimId !== claimId) continue
    if (earliest === null || event.enforceableOn < earliest) earliest = event.enforceableOn
  }
  return earliest
}

/** The prescription engine's view of a case (see claimPrescriptions, the one mapping). */
export function prescriptionInput(ctx: CaseMoneyContext): CasePrescriptionInput {
  const principalPaid = new Map<string, number>()
  for (const rows of ctx.allocations.values()) {
    for (const row of rows) {
      if (row.component === 'principal') {
        principalPaid.set(row.claimId, (principalPaid.get(row.claimId) ?? 0) + row.amountCents)
      }
    }
  }
  return {
    creditor: partyKind(ctx.client),
    debtor: partyKind(ctx.debtor),
    claims: ctx.claims.map((claim) => ({
      id: claim.id,
      dueOn: claim.dueOn,
      principalCents: claim.principalCents,
      principalPaidCents: principalPaid.get(claim.id) ?? 0
    })),
    payments: standingPayments(ctx.payments).map((payment) => ({
      on: payment.receivedOn,
      claimIds: (ctx.allocations.get(payment.id) ?? []).filter((r) => r.amountCents > 0).map((r) => r.claimId)
    })),
    plansAgreedOn: ctx.plans.filter((plan) => isAgreedPlan(plan)).map((plan) => plan.agreedOn!),
    legalEvents: ctx.legalEvents.map((e) => ({
      kind: e.kind,
      claimId: e.claimId,
      occurredOn: e.occurredOn,
      enforceableOn: e.enforceableOn
    }))
  }
}

/** A plan the debtor signed: it interrupted prescription (C. civ. 2240) whatever became of it. */
export function isAgreedPlan(plan: { agreedOn: string | null; status: string }): boolean {
  return plan.agreedOn !== null && ['active', 'completed', 'defaulted'].includes(plan.status)
}

/**
 * Expiry of each claim (convention 13), restarted by payments, signed plans, acknowledgements,
 * court claims and enforcement acts; 10 years from an enforceable judgment.
 */
export function prescriptions(ctx: CaseMoneyContext): Map<string, PrescriptionResult> {
  return claimPrescriptions(prescriptionInput(ctx))
}

/**
 * The one mapping from stored records to the statement function. A reversal takes effect on
 * its original's date: a bounced cheque never paid anything, so interest runs as if it had not
 * been received. A payment without stored lines is allocated by law by the statement (and
 * stored by the next write that meets it).
 */
export function statementInput(
  ctx: CaseMoneyContext,
  at: CalendarDate,
  rates: RateTable,
  expiries: Map<string, PrescriptionResult>,
  extraPayments: readonly StatementPaymentInput[] = []
): StatementInput {
  const byId = new Map(ctx.payments.map((p) => [p.id, p]))
  const payments: StatementPaymentInput[] = ctx.payments.map((payment) => {
    const rows = ctx.allocations.get(payment.id)
    const original = payment.reversesPaymentId ? byId.get(payment.reversesPaymentId) : undefined
    return {
      paymentId: payment.id,
      paidOn: original ? original.receivedOn : payment.receivedOn,
      amountCents: payment.amountCents,
      // Any stored row (even the zero line of an all-credit payment) means "allocated".
      allocation:
        payment.amountCents < 0 || rows?.length ? allocationLines(rows).filter((l) => l.amountCents !== 0) : null
    }
  })
  return {
    at,
    creditor: partyKind(ctx.client),
    debtor: partyKind(ctx.debtor),
    claims: ctx.claims.map((claim) => ({
      claimId: claim.id,
      reference: claim.invoiceNumber,
      principalCents: claim.principalCents,
      dueDate: claim.dueOn,
      interest: {
        basis: claim.interestBasis,
        from: claim.interestFrom,
        ...(claim.contractualRateBp !== null && { contractualRateBp: claim.contractualRateBp }),
        judgmentEnforceableOn: judgmentEnforceableOn(ctx, claim.id),
        capitalisation: null
      },
      flatIndemnity: claim.indemnityApplies,
      expiresOn: expiries.get(claim.id)?.expiresOn ?? null
    })),
    payments: [...payments, ...extraPayments],
    // A plan agreed with interest frozen stops interest from its agreement (until an acceleration).
    interestSuspensions: planInterestSuspensions(ctx.plans),
    rates
  }
}
