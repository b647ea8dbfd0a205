import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, centsSchema, uuidSchema } from './schemas'
import {
  PLAN_FREQUENCIES,
  PLAN_INTEREST_MODES,
  type InstallmentStatus,
  type PlanFrequency,
  type PlanInterestMode,
  type PlanStatus,
  type PromiseStatus
} from '../domain/enums'
import type { CalendarDate } from '../dates/calendar-date'
import { MAX_INSTALLMENTS, type Schedule } from '../money/schedule'

/* --------------------------------------------------------------- promises */

export interface PromiseSummary {
  id: string
  caseId: string
  amountCents: number
  dueOn: CalendarDate
  madeOn: CalendarDate
  status: PromiseStatus
  /** Payments received between madeOn and the due date (plus grace) counted towards it. */
  paidCents: number
  journalEntryId: string | null
  createdAt: string
}

export interface PromiseEvaluationResult {
  at: CalendarDate
  graceDays: number
  /** Promises looked at (pending ones and the other promises of their cases). */
  evaluated: number
  changed: Array<PromiseSummary & { caseReference: string; previousStatus: PromiseStatus }>
}

export const createPromiseInput = z
  .object({
    caseId: uuidSchema,
    amountCents: centsSchema.positive('Le montant promis doit être supérieur à 0'),
    dueOn: calendarDateSchema,
    /** Day the debtor made the promise; today when absent. */
    madeOn: calendarDateSchema.optional(),
    /** The journal entry (a call) where it was made; a 'promise' entry is written when absent. */
    journalEntryId: uuidSchema.optional()
  })
  .strict()
  .refine((v) => !v.madeOn || v.dueOn >= v.madeOn, {
    message: 'L’échéance de la promesse précède le jour où elle a été faite',
    path: ['dueOn']
  })

/* ------------------------------------------------------------------ plans */

export interface InstallmentSummary {
  id: string
  planId: string
  sequence: number
  dueOn: CalendarDate
  amountCents: number
  paidCents: number
  status: InstallmentStatus
}

export interface PlanSummary {
  id: string
  caseId: string
  status: PlanStatus
  totalCents: number
  downPaymentCents: number
  installmentCount: number
  frequency: PlanFrequency
  firstDueOn: CalendarDate
  interestMode: PlanInterestMode
  agreedOn: CalendarDate | null
  endedOn: CalendarDate | null
  /** Payments received since the agreement counted towards the plan (down payment first). */
  paidCents: number
  remainingCents: number
  installments: InstallmentSummary[]
  /** Installments still unpaid more than the grace days after their due date. */
  overdueCount: number
  /** Active plan in default: the acceleration (déchéance du terme) may be pronounced. */
  defaultCandidate: boolean
}

export const planTermsInput = z
  .object({
    caseId: uuidSchema,
    /** Day the plan is agreed and the balance is taken; today when absent. */
    at: calendarDateSchema.optional(),
    interestMode: z.enum(PLAN_INTEREST_MODES.values),
    downPaymentCents: centsSchema.min(0, 'L’acompte ne peut pas être négatif').default(0),
    /** Due date of the down payment; the agreement day when absent. */
    downPaymentDate: calendarDateSchema.optional(),
    sizing: z.union([
      z
        .object({
          installmentCount: z
            .number()
            .int()
            .min(1, 'Au moins une échéance')
            .max(MAX_INSTALLMENTS, `Au plus ${MAX_INSTALLMENTS} échéances`)
        })
        .strict(),
      z
        .object({ installmentAmountCents: centsSchema.positive('Le montant d’échéance doit être supérieur à 0') })
        .strict()
    ]),
    frequency: z.enum(PLAN_FREQUENCIES.values),
    firstDueDate: calendarDateSchema,
    /** Monthly repayment capacity from the solvency panel, when known. */
    capacityCents: centsSchema.min(0).nullable().default(null)
  })
  .strict()

export type PlanWarningCode = 'exceeds_24_months' | 'above_capacity' | 'running_interest' | 'time_barred_excluded'

export interface PlanSimulation {
  caseId: string
  at: CalendarDate
  interestMode: PlanInterestMode
  /** Statement balance at `at`, every claim. */
  statementBalanceCents: number
  /** Balance of time-barred claims, left out of the plan (it may not be demanded). */
  timeBarredExcludedCents: number
  /** What the plan settles. */
  balanceCents: number
  schedule: Schedule
  capacity: {
    capacityCents: number
    /** The largest installment, brought to a month (weekly × 52 / 12…). */
    monthlyEquivalentCents: number
    withinCapacity: boolean
  } | null
  warnings: Array<{ code: PlanWarningCode; message: string }>
}

export interface DefaultCandidate {
  planId: string
  caseId: string
  caseReference: string
  overdueInstallments: InstallmentSummary[]
  overdueCents: number
  oldestOverdueOn: CalendarDate
}

export interface DefaultDetection {
  at: CalendarDate
  graceDays: number
  candidates: DefaultCandidate[]
  /** Installments whose status changed (paid, partial, missed). */
  changedInstallments: number
}

export const planChannels = {
  'plans:simulate': channel<PlanSimulation>()(
    planTermsInput,
    'Simulates a payment plan on the case balance (frozen or running interest), compares it with the debtor’s capacity.'
  ),
  'plans:accept': channel<{ plan: PlanSummary; simulation: PlanSimulation }>()(
    planTermsInput,
    'Creates the plan, its installments and a journal entry; refused while another plan is active.'
  ),
  'plans:list': channel<PlanSummary[]>()(
    z.object({ caseId: uuidSchema }).strict(),
    'Plans of a case with their installments, payments counted and default status.'
  ),
  'plans:detect-defaults': channel<DefaultDetection>()(
    z.object({ at: calendarDateSchema.optional() }).strict(),
    'Daily check: marks installments unpaid N days (setting) after their due date as missed and lists plans in default.'
  ),
  'plans:accelerate': channel<PlanSummary>()(
    z
      .object({
        planId: uuidSchema,
        at: calendarDateSchema.optional(),
        reason: z.string().trim().min(3, 'Indiquez le motif').max(500, 'Motif trop long (500 caractères au plus)')
      })
      .strict(),
    'Déchéance du terme on a plan in default: plan defaulted, the remaining balance becomes due, journal entry.'
  ),
  'promises:list': channel<PromiseSummary[]>()(
    z.object({ caseId: uuidSchema }).strict(),
    'Promises to pay of a case with the amount counted towards each.'
  ),
  'promises:create': channel<PromiseSummary>()(
    createPromiseInput,
    'Records a promise to pay (amount, date) and evaluates it against the payments already received.'
  ),
  'promises:evaluate': channel<PromiseEvaluationResult>()(
    z.object({ at: calendarDateSchema.optional() }).strict(),
    'Daily check: promises kept, partly kept or broken according to the payments received.'
  )
}
