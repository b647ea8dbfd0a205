/**
 * How payments meet promises and plan installments. The functions at the top are pure (they
 * decide statuses from records and a date); the ones below apply them to a case inside the
 * caller's transaction, so recording a payment, reversing one and the daily checks share them.
 */
import { In, type EntityManager } from 'typeorm'
import type { InstallmentSummary, PlanSummary, PromiseSummary } from '@shared/contract'
import { addDays, type CalendarDate } from '@shared/dates/calendar-date'
import type { InstallmentStatus, PlanInterestMode, PromiseStatus } from '@shared/domain/enums'
import type { Author } from '../journal/journal.service'
import { standingPayments } from '../money/money-context'
import { PaymentEntity } from '../money/payment.entity'
import { SettingEntity } from '../settings/setting.entity'
import { InstallmentEntity, PaymentPlanEntity, PromiseEntity } from './plan.entities'

/** Days after its due date an installment may stay unpaid before the plan is in default. */
export const PLAN_GRACE_DAYS_SETTING = 'plans.defaultGraceDays'
export const DEFAULT_PLAN_GRACE_DAYS = 15
/** Days after a promise's date a payment still counts towards it. */
export const PROMISE_GRACE_DAYS_SETTING = 'promises.graceDays'
export const DEFAULT_PROMISE_GRACE_DAYS = 0

/** A payment as promises and plans see it: only standing payments (no reversal, not reversed). */
export interface CountedPayment {
  receivedOn: CalendarDate
  amountCents: number
}

export async function readDaysSetting(manager: EntityManager, key: string, fallback: number): Promise<number> {
  const row = await manager.findOne(SettingEntity, { where: { key } })
  if (!row) return fallback
  let value: unknown
  try {
    value = JSON.parse(row.value)
  } catch {
    return fallback // a hand-edited setting that is not JSON: keep the safe default
  }
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fallback
}

/* ------------------------------------------------------------------ pure */

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1
  return 0
}

export interface PromiseOutcome {
  paidCents: number
  status: PromiseStatus
}

/**
 * Each payment made between the day of a promise and its date (plus grace) counts towards it,
 * earliest promise first, a cent never counted twice. Kept once fully paid; after the date,
 * partly kept when something came, broken when nothing did.
 */
export function promiseOutcomes(
  promises: readonly PromiseEntity[],
  payments: readonly CountedPayment[],
  at: CalendarDate,
  graceDays: number
): Map<string, PromiseOutcome> {
  const pool = [...payments]
    .sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : 0))
    .map((p) => ({ ...p, left: p.amountCents }))
  const ordered = promises
    .filter((p) => p.status !== 'cancelled')
    .sort((a, b) => compareKeys([a.dueOn, a.createdAt, a.id], [b.dueOn, b.createdAt, b.id]))
  const outcomes = new Map<string, PromiseOutcome>()
  for (const promise of ordered) {
    const lastDay = addDays(promise.dueOn, graceDays)
    let paid = 0
    for (const payment of pool) {
      if (paid >= promise.amountCents) break
      if (payment.left <= 0 || payment.receivedOn < promise.madeOn || payment.receivedOn > lastDay) continue
      const used = Math.min(payment.left, promise.amountCents - paid)
      payment.left -= used
      paid += used
    }
    const status: PromiseStatus =
      paid >= promise.amountCents ? 'kept' : at > lastDay ? (paid > 0 ? 'partially_kept' : 'broken') : 'pending'
    outcomes.set(promise.id, { paidCents: paid, status })
  }
  return outcomes
}

export interface PlanOutcome {
  /** Down payment covered + installments paid. */
  paidCents: number
  installments: Map<string, { paidCents: number; status: InstallmentStatus; overdue: boolean }>
  /** Day of the payment that paid the last cent, when the plan is fully paid. */
  completedOn: CalendarDate | null
}

/**
 * Payments since the agreement (up to its end, for a plan that ended) pay the down payment,
 * then the installments in order; an overpayment runs on to the next installment. An
 * installment unpaid `graceDays` after its date is overdue: 'missed' when nothing came,
 * 'partial' when part did.
 */
export function planOutcome(
  plan: PaymentPlanEntity,
  installments: readonly InstallmentEntity[],
  payments: readonly CountedPayment[],
  at: CalendarDate,
  graceDays: number
): PlanOutcome {
  const counted = plan.agreedOn
    ? payments
        .filter(
          (p) =>
            p.receivedOn >= plan.agreedOn! &&
            (plan.status !== 'defaulted' || !plan.endedOn || p.receivedOn <= plan.endedOn)
        )
        .sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : 0))
    : []
  const targets = [
    { id: null as string | null, amountCents: plan.downPaymentCents, paid: 0 },
    ...[...installments]
      .sort((a, b) => a.sequence - b.sequence)
      .map((i) => ({ id: i.id as string | null, amountCents: i.amountCents, paid: 0 }))
  ]
  let index = 0
  let completedOn: CalendarDate | null = null
  for (const payment of counted) {
    let left = payment.amountCents
    while (left > 0 && index < targets.length) {
      const target = targets[index]!
      const used = Math.min(left, target.amountCents - target.paid)
      target.paid += used
      left -= used
      if (target.paid >= target.amountCents) index++
    }
    if (index >= targets.length && completedOn === null) completedOn = payment.receivedOn
    if (index >= targets.length) break
  }

  const result = new Map<string, { paidCents: number; status: InstallmentStatus; overdue: boolean }>()
  for (const installment of installments) {
    const paid = targets.find((t) => t.id === installment.id)!.paid
    const overdue = paid < installment.amountCents && at > addDays(installment.dueOn, graceDays)
    const status: InstallmentStatus =
      paid >= installment.amountCents
        ? 'paid'
        : overdue
          ? paid > 0
            ? 'partial'
            : 'missed'
          : paid > 0
            ? 'partial'
            : 'due'
    result.set(installment.id, { paidCents: paid, status, overdue })
  }
  return {
    paidCents: targets.reduce((sum, t) => sum + t.paid, 0),
    installments: result,
    completedOn
  }
}

/* -------------------------------------------------------------- summaries */

export function promiseSummary(promise: PromiseEntity, paidCents: number): PromiseSummary {
  return {
    id: promise.id,
    caseId: promise.caseId,
    amountCents: promise.amountCents,
    dueOn: promise.dueOn,
    madeOn: promise.madeOn,
    status: promise.status,
    paidCents,
    journalEntryId: promise.journalEntryId,
    createdAt: promise.createdAt
  }
}

export function installmentSummary(installment: InstallmentEntity): InstallmentSummary {
  return {
    id: installment.id,
    planId: installment.planId,
    sequence: installment.sequence,
    dueOn: installment.dueOn,
    amountCents: installment.amountCents,
    paidCents: installment.paidCents,
    status: installment.status
  }
}

export function planSummary(
  plan: PaymentPlanEntity,
  installments: readonly InstallmentEntity[],
  outcome: PlanOutcome
): PlanSummary {
  const overdueCount = [...outcome.installments.values()].filter((i) => i.overdue).length
  return {
    id: plan.id,
    caseId: plan.caseId,
    status: plan.status,
    totalCents: plan.totalCents,
    downPaymentCents: plan.downPaymentCents,
    installmentCount: plan.installmentCount,
    frequency: plan.frequency,
    firstDueOn: plan.firstDueOn,
    interestMode: plan.interestMode as PlanInterestMode,
    agreedOn: plan.agreedOn,
    endedOn: plan.endedOn,
    paidCents: outcome.paidCents,
    remainingCents: plan.totalCents - outcome.paidCents,
    installments: [...installments].sort((a, b) => a.sequence - b.sequence).map(installmentSummary),
    overdueCount,
    defaultCandidate: plan.status === 'active' && overdueCount > 0
  }
}

/* ------------------------------------------------------------ persistence */

/**
 * Re-evaluates every promise of the given cases and stores the statuses that changed.
 * `payments` holds each case's standing payments.
 */
export async function evaluatePromises(
  manager: EntityManager,
  caseIds: readonly string[],
  payments: ReadonlyMap<string, readonly CountedPayment[]>,
  at: CalendarDate,
  author: Author
): Promise<{ summaries: PromiseSummary[]; changed: Array<{ summary: PromiseSummary; previous: PromiseStatus }> }> {
  if (caseIds.length === 0) return { summaries: [], changed: [] }
  const graceDays = await readDaysSetting(manager, PROMISE_GRACE_DAYS_SETTING, DEFAULT_PROMISE_GRACE_DAYS)
  const promises = await manager.find(PromiseEntity, {
    where: { caseId: In([...caseIds]) },
    order: { dueOn: 'ASC', createdAt: 'ASC', id: 'ASC' }
  })
  const byCase = new Map<string, PromiseEntity[]>()
  for (const p of promises) byCase.set(p.caseId, [...(byCase.get(p.caseId) ?? []), p])
  const summaries: PromiseSummary[] = []
  const changed: Array<{ summary: PromiseSummary; previous: PromiseStatus }> = []
  for (const [caseId, list] of byCase) {
    const outcomes = promiseOutcomes(list, payments.get(caseId) ?? [], at, graceDays)
    for (const promise of list) {
      const outcome = outcomes.get(promise.id)
      if (!outcome) {
        summaries.push(promiseSummary(promise, 0)) // cancelled
        continue
      }
      const previous = promise.status
      if (outcome.status !== previous) {
        await manager.update(
          PromiseEntity,
          { id: promise.id },
          { status: outcome.status, updatedAt: author.now, updatedBy: author.userId, version: promise.version + 1 }
        )
        promise.status = outcome.status
        changed.push({ summary: promiseSummary(promise, outcome.paidCents), previous })
      }
      summaries.push(promiseSummary(promise, outcome.paidCents))
    }
  }
  return { summaries, changed }
}

/**
 * Re-evaluates the case's current plan (the latest active or completed one): installment
 * paid amounts and statuses, and completion (or re-opening after a reversal).
 */
export async function evaluateCasePlan(
  manager: EntityManager,
  caseId: string,
  payments: readonly CountedPayment[],
  at: CalendarDate,
  author: Author,
  graceDays?: number
): Promise<{ plan: PlanSummary | null; changed: InstallmentSummary[] }> {
  const plan = await manager.findOne(PaymentPlanEntity, {
    where: { caseId, status: In(['active', 'completed']) },
    order: { agreedOn: 'DESC', createdAt: 'DESC', id: 'DESC' }
  })
  if (!plan) return { plan: null, changed: [] }
  const installments = await manager.find(InstallmentEntity, { where: { planId: plan.id }, order: { sequence: 'ASC' } })
  const grace = graceDays ?? (await readDaysSetting(manager, PLAN_GRACE_DAYS_SETTING, DEFAULT_PLAN_GRACE_DAYS))
  return applyPlanOutcome(manager, plan, installments, planOutcome(plan, installments, payments, at, grace), author)
}

/**
 * Stores what an evaluation decided: installments whose paid amount or status changed, and the
 * plan's completion (or its re-opening when a reversal undid the last payment). Plans that are
 * not active or completed keep their status.
 */
export async function applyPlanOutcome(
  manager: EntityManager,
  plan: PaymentPlanEntity,
  installments: InstallmentEntity[],
  outcome: PlanOutcome,
  author: Author
): Promise<{ plan: PlanSummary; changed: InstallmentSummary[] }> {
  const changed: InstallmentSummary[] = []
  for (const installment of installments) {
    const next = outcome.installments.get(installment.id)!
    if (next.paidCents === installment.paidCents && next.status === installment.status) continue
    await manager.update(
      InstallmentEntity,
      { id: installment.id },
      {
        paidCents: next.paidCents,
        status: next.status,
        updatedAt: author.now,
        updatedBy: author.userId,
        version: installment.version + 1
      }
    )
    installment.paidCents = next.paidCents
    installment.status = next.status
    installment.version += 1
    changed.push(installmentSummary(installment))
  }
  const status = outcome.completedOn ? 'completed' : 'active'
  if ((plan.status === 'active' || plan.status === 'completed') && status !== plan.status) {
    const endedOn = outcome.completedOn
    await manager.update(
      PaymentPlanEntity,
      { id: plan.id },
      { status, endedOn, updatedAt: author.now, updatedBy: author.userId, version: plan.version + 1 }
    )
    plan.status = status
    plan.endedOn = endedOn
    plan.version += 1
  }
  return { plan: planSummary(plan, installments, outcome), changed }
}

/** Standing payments of many cases, grouped by case (for the daily checks). */
export async function countedPaymentsByCase(
  manager: EntityManager,
  caseIds: readonly string[]
): Promise<Map<string, CountedPayment[]>> {
  const result = new Map<string, CountedPayment[]>()
  if (caseIds.length === 0) return result
  const payments = await manager.find(PaymentEntity, {
    where: { caseId: In([...caseIds]) },
    order: { receivedOn: 'ASC', createdAt: 'ASC', id: 'ASC' }
  })
  const byCase = new Map<string, PaymentEntity[]>()
  for (const p of payments) byCase.set(p.caseId, [...(byCase.get(p.caseId) ?? []), p])
  for (const [caseId, list] of byCase) result.set(caseId, standingPayments(list))
  return result
}
