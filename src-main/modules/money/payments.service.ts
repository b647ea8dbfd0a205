import { In, type EntityManager } from 'typeorm'
import {
  AppError,
  notFound,
  type ChannelParsedInput,
  type PaymentDocumentsState,
  type PaymentDto,
  type PaymentRecorded,
  type PaymentReversed,
  type SessionUser
} from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { ALLOCATION_COMPONENTS, PAYMENT_METHODS, PAYMENT_RECEIVERS } from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import {
  type AllocationLine,
  type DesignationOutcome,
  type ManualAllocationError,
  type Statement,
  type StatementPaymentLine,
  computeStatement,
  validateManualAllocation
} from '@shared/money'
import type { Database } from '../../db/database'
import { lockCasesForWrite } from '../../db/row-locks'
import type { Clock } from '../../platform/clock'
import type { ClaimEntity } from '../cases/claim.entity'
import { evaluateCasePlan, evaluatePromises } from '../plans/evaluation'
import { refreshCaseSummary } from './case-summary'
import { type Author, appendJournalEntry, authorOf } from '../journal/journal.service'
import { type CaseMoneyContext, loadCaseMoney, prescriptions, standingPayments, statementInput } from './money-context'
import { businessRule, withRates } from './money-errors'
import { AllocationEntity, PaymentEntity } from './payment.entity'
import { PaymentDocumentJobEntity } from './payment-document-job.entity'
import {
  type PaymentDocumentsWorker,
  cancelPaymentDocuments,
  paymentDocumentsState,
  queuePaymentDocuments
} from './payment-documents'
import type { RatesService } from './rates.service'
import { RemittanceEntity, RemittanceLineEntity } from './remittance.entities'

type RecordInput = ChannelParsedInput<'money:record-payment'>
type ReverseInput = ChannelParsedInput<'money:reverse-payment'>

/**
 * Payments and their allocation. Every write does all of its work in ONE transaction: the
 * payment, its allocation lines, the case summary, promises, plan installments and the journal
 * entry are stored together or not at all.
 */
export class PaymentsService {
  constructor(
    private readonly db: Database,
    private readonly rates: RatesService,
    private readonly clock: Clock
  ) {}

  /** Makes the queued receipts and client notices (create-app sets it; none: they stay queued). */
  documents: PaymentDocumentsWorker | null = null

  async record(input: RecordInput, user: SessionUser): Promise<PaymentRecorded> {
    const recorded = await this.recordPayment(input, user)
    this.documents?.kick()
    return recorded
  }

  /** The retry action of a payment whose receipt failed (or predates the automatic receipts). */
  retryDocuments(paymentId: string, user: SessionUser): Promise<PaymentDocumentsState> {
    if (!this.documents) throw new AppError('BUSINESS_RULE', 'Génération des reçus indisponible.', 'No worker')
    return this.documents.retry(paymentId, user)
  }

  private recordPayment(input: RecordInput, user: SessionUser): Promise<PaymentRecorded> {
    const today = this.clock.today()
    if (input.receivedOn > today) {
      throw businessRule('La date de réception ne peut pas être postérieure à aujourd’hui.', 'Payment in the future')
    }
    if (input.collectedOn && input.collectedOn > today) {
      throw businessRule(
        'La date d’encaissement ne peut pas être postérieure à aujourd’hui.',
        'Collection in the future'
      )
    }
    return this.db.write(
      async (manager) => {
        const author = authorOf(user, this.clock)
        // Agency mode: the case locked before its money is read, so that two payments recorded at
        // once are allocated and summed one after the other; other cases' payments run meanwhile.
        await lockCasesForWrite(manager, [input.caseId])
        const ctx = await loadCaseMoney(manager, input.caseId)
        if (ctx.claims.length === 0) {
          throw businessRule(
            'Ce dossier n’a aucune créance : le paiement ne peut être imputé sur rien.',
            `Case ${input.caseId} has no claim`
          )
        }
        const claimIds = new Set(ctx.claims.map((c) => c.id))
        if (input.designatedClaimId && !claimIds.has(input.designatedClaimId)) {
          throw businessRule('La créance désignée n’appartient pas à ce dossier.', 'Designated claim not in case')
        }
        const rates = await this.rates.table(manager)
        const expiries = prescriptions(ctx)
        const paymentId = uuid7()

        let lines: AllocationLine[]
        let designation: DesignationOutcome | null = null
        let statement: Statement
        if (input.manualAllocation) {
          const manual = input.manualAllocation
          // Outstanding just before this payment: the statement at its date without it.
          statement = withRates(() => computeStatement(statementInput(ctx, input.receivedOn, rates, expiries)))
          lines = mergeLines(manual.lines)
          checkManualAllocation(input.amountCents, lines, statement, ctx.claims, input.receivedOn)
        } else {
          statement = withRates(() =>
            computeStatement(
              statementInput(ctx, input.receivedOn, rates, expiries, [
                {
                  paymentId,
                  paidOn: input.receivedOn,
                  amountCents: input.amountCents,
                  designatedClaimId: input.designatedClaimId ?? null
                }
              ])
            )
          )
          const own = statement.payments.find((p) => p.paymentId === paymentId)!
          lines = own.lines
          designation = own.designation
        }

        // Older payments without stored lines get the legal allocation the statement gave them.
        const backfill = statement.payments.filter(
          (p) => p.allocationSource === 'computed' && p.paymentId !== paymentId
        )
        await this.storeComputedAllocations(manager, backfill, ctx.claims[0]!.id, author)

        const payment: PaymentEntity = {
          id: paymentId,
          createdAt: author.now,
          createdBy: author.userId,
          caseId: input.caseId,
          receivedOn: input.receivedOn,
          amountCents: input.amountCents,
          method: input.method,
          reference: input.reference || null,
          receivedBy: input.receivedBy,
          collectedOn: input.collectedOn ?? input.receivedOn,
          reversesPaymentId: null,
          note: input.note || null
        }
        await manager.insert(PaymentEntity, payment)
        // Its receipt and client notice: queued with the payment, made right after it commits.
        await queuePaymentDocuments(manager, payment, author)
        const manualReason = input.manualAllocation?.reason ?? null
        await this.insertAllocations(manager, paymentId, lines, author, manualReason, ctx.claims[0]!.id)

        const caseSummary = await refreshCaseSummary(manager, input.caseId, author)
        const followUp = await this.followUp(manager, ctx, [...ctx.payments, payment], author)

        const allocated = lines.reduce((s, l) => s + l.amountCents, 0)
        const unallocatedCents = input.amountCents - allocated
        const invoice = new Map(ctx.claims.map((c) => [c.id, c.invoiceNumber]))
        await appendJournalEntry(
          manager,
          {
            caseId: input.caseId,
            kind: 'payment',
            summary:
              `Paiement reçu le ${formatDate(input.receivedOn)} : ${formatCents(input.amountCents)} ` +
              `(${PAYMENT_METHODS.labels[input.method]}, ${PAYMENT_RECEIVERS.labels[input.receivedBy].toLowerCase()})` +
              (manualReason ? ` — imputation manuelle : ${manualReason}` : '') +
              (unallocatedCents > 0 ? ` — ${formatCents(unallocatedCents)} non imputés (crédit du débiteur)` : ''),
            details: {
              paymentId,
              amountCents: input.amountCents,
              receivedOn: input.receivedOn,
              collectedOn: payment.collectedOn,
              method: input.method,
              receivedBy: input.receivedBy,
              reference: payment.reference,
              allocation: lines.map((l) => ({ ...l, invoiceNumber: invoice.get(l.claimId) })),
              unallocatedCents,
              manual: manualReason !== null,
              reason: manualReason,
              designation,
              backfilledPaymentIds: backfill.map((p) => p.paymentId)
            },
            relatedId: paymentId
          },
          author
        )

        const [dto] = await paymentDtos(manager, [payment], ctx.claims)
        return {
          payment: dto!,
          designation,
          backfilledPaymentIds: backfill.map((p) => p.paymentId),
          caseSummary,
          ...followUp,
          warnings: statement.warnings
        }
      },
      { rowLocks: true }
    )
  }

  reverse(input: ReverseInput, user: SessionUser): Promise<PaymentReversed> {
    if (input.reversedOn > this.clock.today()) {
      throw businessRule('La date d’annulation ne peut pas être postérieure à aujourd’hui.', 'Reversal in the future')
    }
    return this.db.write(async (manager) => {
      const author = authorOf(user, this.clock)
      const original = await manager.findOne(PaymentEntity, { where: { id: input.paymentId } })
      if (!original) throw notFound('Payment', input.paymentId, 'Paiement')
      if (original.reversesPaymentId !== null || original.amountCents <= 0) {
        throw businessRule(
          'Cette ligne est déjà une annulation : elle ne peut pas être annulée à son tour.',
          `Payment ${original.id} is a reversal`
        )
      }
      const previous = await manager.findOne(PaymentEntity, {
        where: { caseId: original.caseId, reversesPaymentId: original.id }
      })
      if (!previous) await cancelPaymentDocuments(manager, original.id, author)
      if (previous) {
        throw new AppError(
          'CONFLICT',
          `Ce paiement a déjà été annulé le ${formatDate(previous.receivedOn)}.`,
          `Payment ${original.id} already reversed by ${previous.id}`
        )
      }
      if (input.reversedOn < original.receivedOn) {
        throw businessRule(
          `L’annulation ne peut pas précéder la réception du paiement (${formatDate(original.receivedOn)}).`,
          'Reversal before the payment'
        )
      }
      const ctx = await loadCaseMoney(manager, original.caseId)
      let originalRows = ctx.allocations.get(original.id) ?? []
      if (originalRows.length === 0) {
        // Allocated by law but never stored: store it first, so the reversal mirrors real lines.
        const rates = await this.rates.table(manager)
        const statement = withRates(() =>
          computeStatement(statementInput(ctx, original.receivedOn, rates, prescriptions(ctx)))
        )
        await this.storeComputedAllocations(
          manager,
          statement.payments.filter((p) => p.allocationSource === 'computed'),
          ctx.claims[0]?.id ?? null,
          author
        )
        originalRows = await manager.find(AllocationEntity, { where: { paymentId: original.id } })
      }

      const reversal: PaymentEntity = {
        id: uuid7(),
        createdAt: author.now,
        createdBy: author.userId,
        caseId: original.caseId,
        receivedOn: input.reversedOn,
        amountCents: -original.amountCents,
        method: original.method,
        reference: original.reference,
        receivedBy: original.receivedBy,
        // The funds leave on that day: a later remittance deducts them.
        collectedOn: input.reversedOn,
        reversesPaymentId: original.id,
        note: input.reason
      }
      await manager.insert(PaymentEntity, reversal)
      await this.insertAllocations(
        manager,
        reversal.id,
        originalRows.map((row) => ({
          claimId: row.claimId,
          component: row.component as AllocationLine['component'],
          amountCents: -row.amountCents
        })),
        author,
        null,
        null
      )

      const caseSummary = await refreshCaseSummary(manager, original.caseId, author)
      const followUp = await this.followUp(manager, ctx, [...ctx.payments, reversal], author)
      await appendJournalEntry(
        manager,
        {
          caseId: original.caseId,
          kind: 'payment',
          summary:
            `Paiement du ${formatDate(original.receivedOn)} de ${formatCents(original.amountCents)} annulé ` +
            `le ${formatDate(input.reversedOn)} : ${input.reason}`,
          details: {
            paymentId: reversal.id,
            reversesPaymentId: original.id,
            amountCents: reversal.amountCents,
            reversedOn: input.reversedOn,
            reason: input.reason,
            allocation: originalRows.map((row) => ({
              claimId: row.claimId,
              component: row.component,
              amountCents: -row.amountCents
            }))
          },
          relatedId: reversal.id
        },
        author
      )
      const [dto] = await paymentDtos(manager, [reversal], ctx.claims)
      return { reversal: dto!, caseSummary, ...followUp }
    })
  }

  list(caseId: string): Promise<PaymentDto[]> {
    return this.db.read(async (manager) => {
      const ctx = await loadCaseMoney(manager, caseId)
      return paymentDtos(manager, ctx.payments, ctx.claims)
    })
  }

  /** Promises and the plan follow the standing payments, judged as of today. */
  private async followUp(
    manager: EntityManager,
    ctx: CaseMoneyContext,
    payments: PaymentEntity[],
    author: Author
  ): Promise<Pick<PaymentRecorded, 'promises' | 'plan' | 'changedInstallments'>> {
    const caseId = ctx.caseRow.id
    const today = this.clock.today()
    const counted = standingPayments(payments)
    const promises = await evaluatePromises(manager, [caseId], new Map([[caseId, counted]]), today, author)
    const plan = await evaluateCasePlan(manager, caseId, counted, today, author)
    return { promises: promises.summaries, plan: plan.plan, changedInstallments: plan.changed }
  }

  private async storeComputedAllocations(
    manager: EntityManager,
    payments: readonly StatementPaymentLine[],
    markerClaimId: string | null,
    author: Author
  ): Promise<void> {
    for (const payment of payments) {
      await this.insertAllocations(manager, payment.paymentId, payment.lines, author, null, markerClaimId)
    }
  }

  /**
   * Stores a payment's lines. A payment that found nothing owed (all of it a credit) stores one
   * zero line on `markerClaimId`: it then reads as allocated and is never re-allocated later,
   * even if a claim is added to the case afterwards.
   */
  private async insertAllocations(
    manager: EntityManager,
    paymentId: string,
    lines: readonly AllocationLine[],
    author: Author,
    manualReason: string | null,
    markerClaimId: string | null
  ): Promise<void> {
    const placed = lines.filter((line) => line.amountCents !== 0)
    const stored =
      placed.length === 0 && markerClaimId !== null
        ? [{ claimId: markerClaimId, component: 'principal' as const, amountCents: 0 }]
        : placed
    const rows = stored.map((line) => ({
      id: uuid7(),
      createdAt: author.now,
      createdBy: author.userId,
      paymentId,
      claimId: line.claimId,
      component: line.component,
      amountCents: line.amountCents,
      manual: manualReason !== null,
      reason: manualReason
    }))
    if (rows.length) await manager.insert(AllocationEntity, rows)
  }
}

/** Adds up lines that name the same claim and component, keeping the first one's place. */
function mergeLines(lines: readonly AllocationLine[]): AllocationLine[] {
  const merged = new Map<string, AllocationLine>()
  for (const line of lines) {
    const key = `${line.claimId}|${line.component}`
    const existing = merged.get(key)
    if (existing) existing.amountCents += line.amountCents
    else merged.set(key, { ...line })
  }
  return [...merged.values()]
}

/**
 * A manual allocation places every cent of the payment, on components still owed on the
 * payment date; a credit is only possible once everything owed is paid.
 */
function checkManualAllocation(
  amountCents: number,
  lines: AllocationLine[],
  before: Statement,
  claims: readonly ClaimEntity[],
  paidOn: CalendarDate
): void {
  const outstanding = before.claims.map((c) => ({
    claimId: c.claimId,
    dueDate: c.dueDate,
    rateBp: 0,
    interestCents: Math.max(0, c.balance.interestCents),
    indemnityCents: Math.max(0, c.balance.indemnityCents),
    principalCents: Math.max(0, c.balance.principalCents)
  }))
  const allocated = lines.reduce((s, l) => s + l.amountCents, 0)
  const result = validateManualAllocation({
    amountCents,
    claims: outstanding,
    lines,
    unallocatedCents: Math.max(0, amountCents - allocated)
  })
  if (!result.ok) {
    const invoice = new Map(claims.map((c) => [c.id, c.invoiceNumber]))
    throw new AppError(
      'BUSINESS_RULE',
      'Imputation manuelle refusée : ' +
        result.errors.map((e) => manualErrorMessage(e, invoice, amountCents, paidOn)).join(' ; '),
      `Manual allocation refused: ${JSON.stringify(result.errors)}`
    )
  }
  const owed = outstanding.reduce((s, c) => s + c.interestCents + c.indemnityCents + c.principalCents, 0)
  if (allocated < amountCents && owed > allocated) {
    throw businessRule(
      `Imputation manuelle refusée : ${formatCents(amountCents - allocated)} ne sont pas imputés alors qu’il reste ` +
        `${formatCents(owed - allocated)} dus. Répartissez tout le paiement.`,
      'Manual allocation leaves a credit while something is owed'
    )
  }
}

function manualErrorMessage(
  error: ManualAllocationError,
  invoice: Map<string, string>,
  amountCents: number,
  paidOn: CalendarDate
): string {
  switch (error.code) {
    case 'invalid_amount':
      return `la ligne ${error.index + 1} a un montant invalide`
    case 'unknown_claim':
      return `la ligne ${error.index + 1} vise une créance qui n’appartient pas à ce dossier`
    case 'over_outstanding':
      return (
        `${formatCents(error.allocatedCents)} sur « ${ALLOCATION_COMPONENTS.labels[error.component]} » de la facture ` +
        `${invoice.get(error.claimId) ?? error.claimId}, alors que ${formatCents(error.outstandingCents)} seulement ` +
        `restent dus au ${formatDate(paidOn)}`
      )
    case 'sum_mismatch':
      return `les lignes totalisent ${formatCents(error.allocatedCents)} pour un paiement de ${formatCents(amountCents)}`
  }
}

/** Payments as the case file shows them, with their stored lines, reversal and remittance. */
export async function paymentDtos(
  manager: EntityManager,
  payments: readonly PaymentEntity[],
  claims: readonly ClaimEntity[]
): Promise<PaymentDto[]> {
  if (payments.length === 0) return []
  const ids = payments.map((p) => p.id)
  const allocations = await manager.find(AllocationEntity, {
    where: { paymentId: In(ids) },
    order: { createdAt: 'ASC', id: 'ASC' }
  })
  // A reversal is always on its payment's case: found through ix_payment_case (there is no index
  // on reverses_payment_id; without the case, 200,000 cases' payments were read, 13 ms each time).
  const reversals = await manager.find(PaymentEntity, {
    where: { caseId: In([...new Set(payments.map((p) => p.caseId))]), reversesPaymentId: In(ids) }
  })
  const remitted: Array<{ payment_id: string; id: string; reference: string }> = await manager
    .createQueryBuilder()
    .select(['rl.payment_id AS payment_id', 'r.id AS id', 'r.reference AS reference'])
    .from(RemittanceLineEntity, 'rl')
    .innerJoin(RemittanceEntity, 'r', 'r.id = rl.remittance_id')
    .where('rl.payment_id IN (:...ids)', { ids })
    .getRawMany()
  const jobs = await manager.find(PaymentDocumentJobEntity, { where: { paymentId: In(ids) } })
  const invoice = new Map(claims.map((c) => [c.id, c.invoiceNumber]))
  return payments.map((payment) => {
    const lines = allocations.filter((a) => a.paymentId === payment.id && a.amountCents !== 0)
    const remittance = remitted.find((r) => r.payment_id === payment.id)
    return {
      id: payment.id,
      caseId: payment.caseId,
      receivedOn: payment.receivedOn,
      amountCents: payment.amountCents,
      method: payment.method,
      reference: payment.reference,
      receivedBy: payment.receivedBy,
      collectedOn: payment.collectedOn,
      reversesPaymentId: payment.reversesPaymentId,
      reversedByPaymentId: reversals.find((r) => r.reversesPaymentId === payment.id)?.id ?? null,
      note: payment.note,
      createdAt: payment.createdAt,
      createdBy: payment.createdBy,
      allocations: lines.map((a) => ({
        claimId: a.claimId,
        invoiceNumber: invoice.get(a.claimId) ?? '',
        component: a.component,
        amountCents: a.amountCents,
        manual: a.manual,
        reason: a.reason
      })),
      unallocatedCents: payment.amountCents - lines.reduce((s, a) => s + a.amountCents, 0),
      remittance: remittance ? { id: remittance.id, reference: remittance.reference } : null,
      documents: paymentDocumentsState(jobs.find((j) => j.paymentId === payment.id))
    }
  })
}
