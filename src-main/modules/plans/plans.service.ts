import { In, type EntityManager } from 'typeorm'
import {
  notFound,
  type ChannelParsedInput,
  type DefaultCandidate,
  type DefaultDetection,
  type PlanSimulation,
  type PlanSummary,
  type SessionUser
} from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { PLAN_FREQUENCIES, PLAN_INTEREST_MODES, PLAN_STATUSES, type PlanFrequency } from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import { MAX_INSTALLMENTS, buildSchedule, divRoundHalfUp } from '@shared/money'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { CaseEntity } from '../cases/case.entity'
import { appendJournalEntry, authorOf, type Author } from '../journal/journal.service'
import { refreshCasePrescriptions } from '../money/case-prescription'
import { loadCaseMoney, standingPayments } from '../money/money-context'
import { businessRule } from '../money/money-errors'
import type { PaymentEntity } from '../money/payment.entity'
import type { RatesService } from '../money/rates.service'
import { buildCaseStatement } from '../money/statement.service'
import {
  DEFAULT_PLAN_GRACE_DAYS,
  PLAN_GRACE_DAYS_SETTING,
  applyPlanOutcome,
  countedPaymentsByCase,
  installmentSummary,
  planOutcome,
  planSummary,
  readDaysSetting
} from './evaluation'
import { InstallmentEntity, PaymentPlanEntity } from './plan.entities'

type PlanTerms = ChannelParsedInput<'plans:simulate'>

const PERIODS_PER_YEAR: Record<PlanFrequency, number> = { weekly: 52, biweekly: 26, monthly: 12, quarterly: 4 }

/** Plans checked per batch by the daily default detection. */
const BATCH = 500

/** Payment plans (échéanciers): simulation, agreement, follow-up and acceleration. */
export class PlansService {
  constructor(
    private readonly db: Database,
    private readonly rates: RatesService,
    private readonly clock: Clock
  ) {}

  simulate(input: PlanTerms): Promise<PlanSimulation> {
    return this.db.read(async (manager) => (await this.simulationWithPayments(manager, input)).simulation)
  }

  accept(input: PlanTerms, user: SessionUser): Promise<{ plan: PlanSummary; simulation: PlanSimulation }> {
    if (input.at && input.at > this.clock.today()) {
      throw businessRule('Un échéancier ne peut pas être accepté à une date future.', 'Plan agreed in the future')
    }
    return this.db.write(async (manager) => {
      const author = authorOf(user, this.clock)
      const active = await manager.findOne(PaymentPlanEntity, { where: { caseId: input.caseId, status: 'active' } })
      if (active) {
        throw businessRule(
          `Un échéancier est déjà en cours sur ce dossier (accepté le ${formatDate(active.agreedOn ?? active.firstDueOn)}) : ` +
            'il doit être terminé ou sa déchéance prononcée avant d’en accepter un autre.',
          `Case ${input.caseId} already has active plan ${active.id}`
        )
      }
      const { simulation, payments } = await this.simulationWithPayments(manager, input)
      const { schedule } = simulation
      const planId = uuid7()
      const plan: PaymentPlanEntity = {
        id: planId,
        createdAt: author.now,
        createdBy: author.userId,
        updatedAt: author.now,
        updatedBy: author.userId,
        version: 1,
        caseId: input.caseId,
        status: 'active',
        totalCents: schedule.totalCents,
        downPaymentCents: schedule.downPayment?.amountCents ?? 0,
        installmentCount: schedule.installments.length,
        frequency: input.frequency,
        firstDueOn: input.firstDueDate,
        interestMode: input.interestMode,
        agreedOn: simulation.at,
        endedOn: null
      }
      await manager.insert(PaymentPlanEntity, plan)
      const installments: InstallmentEntity[] = schedule.installments.map((i) => ({
        id: uuid7(),
        createdAt: author.now,
        createdBy: author.userId,
        updatedAt: author.now,
        updatedBy: author.userId,
        version: 1,
        planId,
        sequence: i.index,
        dueOn: i.dueDate,
        amountCents: i.amountCents,
        paidCents: 0,
        status: 'due'
      }))
      for (let start = 0; start < installments.length; start += 100) {
        await manager.insert(InstallmentEntity, installments.slice(start, start + 100))
      }
      const first = schedule.installments[0]
      await appendJournalEntry(
        manager,
        {
          caseId: input.caseId,
          kind: 'plan',
          summary:
            `Échéancier accepté : ${formatCents(schedule.totalCents)} en ` +
            (schedule.downPayment ? `un acompte de ${formatCents(schedule.downPayment.amountCents)} et ` : '') +
            `${schedule.installments.length} échéance(s) ${PLAN_FREQUENCIES.labels[input.frequency].toLowerCase()}(s)` +
            (first
              ? ` de ${formatCents(first.amountCents)} du ${formatDate(first.dueDate)} au ${formatDate(schedule.endDate)}`
              : '') +
            ` — ${PLAN_INTEREST_MODES.labels[input.interestMode].toLowerCase()}`,
          details: {
            planId,
            agreedOn: simulation.at,
            interestMode: input.interestMode,
            balanceCents: simulation.balanceCents,
            timeBarredExcludedCents: simulation.timeBarredExcludedCents,
            schedule,
            capacity: simulation.capacity,
            warnings: simulation.warnings.map((w) => w.code)
          },
          relatedId: planId
        },
        author
      )
      // A down payment received before the agreement was signed, on the same day, already counts.
      const grace = await readDaysSetting(manager, PLAN_GRACE_DAYS_SETTING, DEFAULT_PLAN_GRACE_DAYS)
      const outcome = planOutcome(plan, installments, standingPayments(payments), this.clock.today(), grace)
      const applied = await applyPlanOutcome(manager, plan, installments, outcome, author)
      // The signed plan interrupts prescription (C. civ. 2240).
      await refreshCasePrescriptions(manager, [input.caseId], this.clock.today())
      return { plan: applied.plan, simulation }
    })
  }

  list(caseId: string): Promise<PlanSummary[]> {
    return this.db.read(async (manager) => {
      const ctx = await loadCaseMoney(manager, caseId)
      const grace = await readDaysSetting(manager, PLAN_GRACE_DAYS_SETTING, DEFAULT_PLAN_GRACE_DAYS)
      const counted = standingPayments(ctx.payments)
      const today = this.clock.today()
      const result: PlanSummary[] = []
      for (const plan of [...ctx.plans].reverse()) {
        const installments = await manager.find(InstallmentEntity, {
          where: { planId: plan.id },
          order: { sequence: 'ASC' }
        })
        result.push(planSummary(plan, installments, planOutcome(plan, installments, counted, today, grace)))
      }
      return result
    })
  }

  /**
   * The daily check: every active plan is re-evaluated at `at`; installments unpaid more than
   * the grace days after their date become 'missed' (or 'partial'), and the plans holding one
   * are listed for the acceleration decision. One write (the channel, the CLI); the app's own
   * daily run goes slice by slice (DailyMoneyChecks).
   */
  detectDefaults(at: CalendarDate | undefined, user: SessionUser): Promise<DefaultDetection> {
    const day = at ?? this.clock.today()
    return this.db.write(async (manager) => {
      const author = authorOf(user, this.clock)
      const grace = await readDaysSetting(manager, PLAN_GRACE_DAYS_SETTING, DEFAULT_PLAN_GRACE_DAYS)
      const candidates: DefaultCandidate[] = []
      let changedInstallments = 0
      let afterId = ''
      for (;;) {
        const slice = await detectDefaultsSlice(manager, day, author, afterId, BATCH)
        candidates.push(...slice.candidates)
        changedInstallments += slice.changedInstallments
        if (slice.last === null) break
        afterId = slice.last
      }
      candidates.sort((a, b) =>
        a.oldestOverdueOn < b.oldestOverdueOn ? -1 : a.oldestOverdueOn > b.oldestOverdueOn ? 1 : 0
      )
      return { at: day, graceDays: grace, candidates, changedInstallments }
    })
  }

  /** Déchéance du terme: only on an active plan in default; the remaining balance becomes due. */
  accelerate(input: ChannelParsedInput<'plans:accelerate'>, user: SessionUser): Promise<PlanSummary> {
    const today = this.clock.today()
    const at = input.at ?? today
    if (at > today)
      throw businessRule('La date de déchéance ne peut pas être postérieure à aujourd’hui.', 'Future acceleration')
    return this.db.write(async (manager) => {
      const author = authorOf(user, this.clock)
      const plan = await manager.findOne(PaymentPlanEntity, { where: { id: input.planId } })
      if (!plan) throw notFound('Plan', input.planId, 'Échéancier')
      if (plan.status !== 'active') {
        throw businessRule(
          `Seul un échéancier en cours peut faire l’objet d’une déchéance du terme (statut : ${PLAN_STATUSES.labels[plan.status].toLowerCase()}).`,
          `Plan ${plan.id} is ${plan.status}`
        )
      }
      if (plan.agreedOn && at < plan.agreedOn) {
        throw businessRule(
          `La déchéance ne peut pas précéder l’accord de l’échéancier (${formatDate(plan.agreedOn)}).`,
          'Acceleration before agreement'
        )
      }
      const grace = await readDaysSetting(manager, PLAN_GRACE_DAYS_SETTING, DEFAULT_PLAN_GRACE_DAYS)
      const installments = await manager.find(InstallmentEntity, {
        where: { planId: plan.id },
        order: { sequence: 'ASC' }
      })
      const counted = (await countedPaymentsByCase(manager, [plan.caseId])).get(plan.caseId) ?? []
      const outcome = planOutcome(plan, installments, counted, at, grace)
      const overdue = installments.filter((i) => outcome.installments.get(i.id)!.overdue)
      if (overdue.length === 0) {
        throw businessRule(
          `Aucune échéance n’est impayée depuis plus de ${grace} jours au ${formatDate(at)} : ` +
            'la déchéance du terme ne peut pas être prononcée.',
          `Plan ${plan.id} is not in default at ${at}`
        )
      }
      await applyPlanOutcome(manager, plan, installments, outcome, author)
      await manager.update(
        PaymentPlanEntity,
        { id: plan.id },
        { status: 'defaulted', endedOn: at, updatedAt: author.now, updatedBy: author.userId, version: plan.version + 1 }
      )
      plan.status = 'defaulted'
      plan.endedOn = at
      plan.version += 1
      const remainingCents = plan.totalCents - outcome.paidCents
      await appendJournalEntry(
        manager,
        {
          caseId: plan.caseId,
          kind: 'plan',
          summary:
            `Déchéance du terme prononcée le ${formatDate(at)} : ${overdue.length} échéance(s) impayée(s), ` +
            `solde de l’échéancier de ${formatCents(remainingCents)} exigible immédiatement. Motif : ${input.reason}`,
          details: {
            planId: plan.id,
            action: 'acceleration',
            at,
            reason: input.reason,
            graceDays: grace,
            overdueInstallments: overdue.map((i) => ({
              sequence: i.sequence,
              dueOn: i.dueOn,
              unpaidCents: i.amountCents - i.paidCents
            })),
            paidCents: outcome.paidCents,
            remainingCents
          },
          relatedId: plan.id
        },
        author
      )
      return planSummary(plan, installments, outcome)
    })
  }

  /** The balance the plan settles and its schedule, with the checks the simulator shows. */
  private async simulationWithPayments(
    manager: EntityManager,
    input: PlanTerms
  ): Promise<{ simulation: PlanSimulation; payments: PaymentEntity[] }> {
    const at = input.at ?? this.clock.today()
    const ctx = await loadCaseMoney(manager, input.caseId)
    const statement = buildCaseStatement(ctx, at, await this.rates.table(manager))
    const balance = statement.demandableBalanceCents
    if (balance <= 0) {
      throw businessRule('Le solde exigible de ce dossier est nul : il n’y a rien à échelonner.', 'Nothing to schedule')
    }
    const down = input.downPaymentCents
    if (down > balance) {
      throw businessRule(
        `L’acompte (${formatCents(down)}) dépasse le solde à régler (${formatCents(balance)}).`,
        'Down payment above balance'
      )
    }
    if (input.firstDueDate < at) {
      throw businessRule(
        `La première échéance (${formatDate(input.firstDueDate)}) ne peut pas précéder la date de l’accord (${formatDate(at)}).`,
        'First due date before agreement'
      )
    }
    if (input.downPaymentDate && input.downPaymentDate < at) {
      throw businessRule('L’acompte ne peut pas être dû avant la date de l’accord.', 'Down payment before agreement')
    }
    const rest = balance - down
    if ('installmentCount' in input.sizing && rest > 0 && input.sizing.installmentCount > rest) {
      throw businessRule(
        `Trop d’échéances pour ${formatCents(rest)} : chaque échéance serait inférieure à 0,01 €.`,
        'Installments would be zero'
      )
    }
    if (
      'installmentAmountCents' in input.sizing &&
      Math.ceil(rest / input.sizing.installmentAmountCents) > MAX_INSTALLMENTS
    ) {
      throw businessRule(
        `Avec des échéances de ${formatCents(input.sizing.installmentAmountCents)}, il en faudrait plus de ${MAX_INSTALLMENTS}.`,
        'Too many installments'
      )
    }
    const schedule = buildSchedule({
      balanceCents: balance,
      downPaymentCents: down,
      ...(input.downPaymentDate && { downPaymentDate: input.downPaymentDate }),
      sizing: input.sizing,
      frequency: input.frequency,
      firstDueDate: input.firstDueDate,
      startDate: at
    })

    const warnings: PlanSimulation['warnings'] = []
    if (schedule.exceeds24Months) {
      warnings.push({
        code: 'exceeds_24_months',
        message: `L’échéancier se termine le ${formatDate(schedule.endDate)}, plus de 24 mois après l’accord : au-delà, le juge ne pourrait pas l’accorder (C. civ. 1343-5).`
      })
    }
    let capacity: PlanSimulation['capacity'] = null
    if (input.capacityCents !== null) {
      const largest = Math.max(0, ...schedule.installments.map((i) => i.amountCents))
      const monthlyEquivalentCents = Number(
        divRoundHalfUp(BigInt(largest) * BigInt(PERIODS_PER_YEAR[input.frequency]), 12n)
      )
      capacity = {
        capacityCents: input.capacityCents,
        monthlyEquivalentCents,
        withinCapacity: monthlyEquivalentCents <= input.capacityCents
      }
      if (!capacity.withinCapacity) {
        warnings.push({
          code: 'above_capacity',
          message: `L’échéance représente ${formatCents(monthlyEquivalentCents)} par mois, au-delà de la capacité de remboursement du débiteur (${formatCents(input.capacityCents)} par mois).`
        })
      }
    }
    if (input.interestMode === 'running') {
      warnings.push({
        code: 'running_interest',
        message:
          'Les intérêts continuent de courir sur le principal restant dû : un solde d’intérêts restera dû après la dernière échéance.'
      })
    }
    if (statement.timeBarredBalanceCents > 0) {
      warnings.push({
        code: 'time_barred_excluded',
        message: `${formatCents(statement.timeBarredBalanceCents)} de créances prescrites ne peuvent pas être réclamés et sont exclus de l’échéancier.`
      })
    }
    const simulation: PlanSimulation = {
      caseId: input.caseId,
      at,
      interestMode: input.interestMode,
      statementBalanceCents: statement.totals.balanceCents,
      timeBarredExcludedCents: statement.timeBarredBalanceCents,
      balanceCents: balance,
      schedule,
      capacity,
      warnings
    }
    return { simulation, payments: ctx.payments }
  }
}

/**
 * One slice of the daily default detection, in the caller's transaction: the next `limit`
 * active plans (by id, after `afterId`) re-evaluated at `day`. Idempotent: a plan evaluated
 * twice the same day changes nothing the second time. `last` is the slice's last plan id, null
 * once no plan is left.
 */
export async function detectDefaultsSlice(
  manager: EntityManager,
  day: CalendarDate,
  author: Author,
  afterId: string,
  limit: number
): Promise<{ last: string | null; candidates: DefaultCandidate[]; changedInstallments: number }> {
  const grace = await readDaysSetting(manager, PLAN_GRACE_DAYS_SETTING, DEFAULT_PLAN_GRACE_DAYS)
  const plans = await manager
    .createQueryBuilder(PaymentPlanEntity, 'plan')
    .where('plan.status = :status', { status: 'active' })
    .andWhere('plan.id > :afterId', { afterId })
    .orderBy('plan.id', 'ASC')
    .take(limit)
    .getMany()
  if (plans.length === 0) return { last: null, candidates: [], changedInstallments: 0 }
  const caseIds = [...new Set(plans.map((p) => p.caseId))]
  const installments = await manager.find(InstallmentEntity, {
    where: { planId: In(plans.map((p) => p.id)) },
    order: { sequence: 'ASC' }
  })
  const payments = await countedPaymentsByCase(manager, caseIds)
  const cases = await manager.find(CaseEntity, {
    where: { id: In(caseIds) },
    select: { id: true, reference: true }
  })
  const reference = new Map(cases.map((c) => [c.id, c.reference]))
  const candidates: DefaultCandidate[] = []
  let changedInstallments = 0
  for (const plan of plans) {
    const own = installments.filter((i) => i.planId === plan.id)
    const outcome = planOutcome(plan, own, payments.get(plan.caseId) ?? [], day, grace)
    const applied = await applyPlanOutcome(manager, plan, own, outcome, author)
    changedInstallments += applied.changed.length
    const overdue = own.filter((i) => outcome.installments.get(i.id)!.overdue)
    if (applied.plan.status === 'active' && overdue.length > 0) {
      candidates.push({
        planId: plan.id,
        caseId: plan.caseId,
        caseReference: reference.get(plan.caseId) ?? '',
        overdueInstallments: overdue.map(installmentSummary),
        overdueCents: overdue.reduce((s, i) => s + i.amountCents - i.paidCents, 0),
        oldestOverdueOn: overdue[0]!.dueOn
      })
    }
  }
  return { last: plans.length < limit ? null : plans[plans.length - 1]!.id, candidates, changedInstallments }
}
