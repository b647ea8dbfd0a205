import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, centsSchema, uuidSchema } from './schemas'
import {
  EMPLOYMENT_STATUSES,
  HOUSING_TENURES,
  INCOME_RANGES,
  PROCEEDING_KINDS,
  SOLVENCY_ASSESSMENTS,
  type SolvencyAssessment,
  type SolvencyCategory
} from '../domain/enums'
import type { CalendarDate } from '../dates/calendar-date'
import type { CaseState, DeadlineDto, ProceedingDto } from './case-file'

/* ------------------------------------------------------------------ facts */

const shortText = (label: string, max = 200) =>
  z.string().trim().min(1, `Indiquez ${label}`).max(max, `Texte trop long (${max} caractères au plus)`)
const amount = centsSchema.min(0, 'Le montant ne peut pas être négatif')

/** The structured part of a fact, by category. */
export const solvencyFactFields = z.discriminatedUnion('category', [
  z
    .object({
      category: z.literal('employment'),
      status: z.enum(EMPLOYMENT_STATUSES.values),
      employer: shortText('l’employeur').optional()
    })
    .strict(),
  z
    .object({
      category: z.literal('income'),
      range: z.enum(INCOME_RANGES.values).optional(),
      monthlyCents: amount.optional()
    })
    .strict()
    .refine((v) => v.range !== undefined || v.monthlyCents !== undefined, {
      message: 'Indiquez un montant mensuel ou une tranche de revenus',
      path: ['range']
    }),
  z.object({ category: z.literal('charges'), monthlyCents: amount }).strict(),
  z
    .object({
      category: z.literal('household'),
      dependants: z.number().int().min(0).max(20),
      livesInCouple: z.boolean().optional()
    })
    .strict(),
  z
    .object({
      category: z.literal('real_estate'),
      tenure: z.enum(HOUSING_TENURES.values),
      estimatedValueCents: amount.optional()
    })
    .strict(),
  z
    .object({
      category: z.literal('vehicle'),
      description: shortText('le véhicule'),
      estimatedValueCents: amount.optional()
    })
    .strict(),
  z.object({ category: z.literal('bank_account'), bank: shortText('la banque') }).strict(),
  z
    .object({
      category: z.literal('assets'),
      description: shortText('le bien'),
      estimatedValueCents: amount.optional()
    })
    .strict(),
  z
    .object({
      category: z.literal('other_debts'),
      creditor: shortText('le créancier').optional(),
      amountCents: amount.optional()
    })
    .strict(),
  z.object({ category: z.literal('company_health') }).strict(),
  z.object({ category: z.literal('other') }).strict()
])
export type SolvencyFactFields = z.infer<typeof solvencyFactFields>
/** Categories entered through the fact form (proceedings have their own form). */
export type FactCategory = SolvencyFactFields['category']

export const addFactInput = z
  .object({
    caseId: uuidSchema,
    fields: solvencyFactFields,
    observedOn: calendarDateSchema,
    source: shortText('la source', 100),
    /** Free text, screened (CNIL). Required for categories without structured fields. */
    comment: z.string().trim().max(1000, 'Commentaire trop long (1 000 caractères au plus)').optional(),
    /** The fact this one replaces (a new employer, a sold car). */
    supersedesNoteId: uuidSchema.optional()
  })
  .strict()
  .refine(
    (v) => !['company_health', 'other'].includes(v.fields.category) || (v.comment !== undefined && v.comment !== ''),
    { message: 'Décrivez le fait dans le commentaire', path: ['comment'] }
  )

export interface SolvencyFactDto {
  id: string
  category: SolvencyCategory
  summary: string
  amountCents: number | null
  observedOn: CalendarDate
  source: string | null
  /** Structured fields when entered with the form (older notes have only the summary). */
  fields: SolvencyFactFields | null
  comment: string | null
  caseId: string | null
  supersedesNoteId: string | null
  /** A later fact replaces this one. */
  superseded: boolean
  createdAt: string
  createdByName: string | null
}

/* ------------------------------------------------------------- assessment */

export interface AssessmentDto {
  id: string
  assessment: SolvencyAssessment
  monthlyCapacityCents: number | null
  comment: string | null
  assessedOn: CalendarDate
  createdAt: string
  createdByName: string | null
}

export const assessInput = z
  .object({
    caseId: uuidSchema,
    assessment: z.enum(SOLVENCY_ASSESSMENTS.values),
    monthlyCapacityCents: amount.nullable(),
    comment: z.string().trim().max(1000, 'Commentaire trop long (1 000 caractères au plus)').optional()
  })
  .strict()
  .refine((v) => v.assessment !== 'insolvent' || !v.monthlyCapacityCents, {
    message: 'Un débiteur insolvable n’a pas de capacité de remboursement',
    path: ['monthlyCapacityCents']
  })

export interface SolvencyView {
  debtorId: string
  /** Every fact, newest first (superseded ones flagged). */
  facts: SolvencyFactDto[]
  assessment: AssessmentDto | null
  history: AssessmentDto[]
  suggestion: { capacityCents: number | null; explanation: string }
  proceedings: ProceedingDto[]
}

export interface RepaymentCapacity {
  debtorId: string
  assessment: SolvencyAssessment | null
  /** The capacity confirmed in the latest assessment, else the suggestion from the facts. */
  monthlyCapacityCents: number | null
  source: 'assessment' | 'suggestion' | null
  assessedOn: CalendarDate | null
  explanation: string
}

/* ------------------------------------------------------------ proceedings */

export const recordProceedingInput = z
  .object({
    caseId: uuidSchema,
    /** Present to complete a proceeding already recorded (BODACC date, notice received). */
    proceedingId: uuidSchema.optional(),
    expectedVersion: z.number().int().min(1),
    kind: z.enum(PROCEEDING_KINDS.values),
    judgmentOn: calendarDateSchema,
    bodaccPublishedOn: calendarDateSchema.nullish(),
    noticeReceivedOn: calendarDateSchema.nullish(),
    court: z.string().trim().max(200, 'Texte trop long (200 caractères au plus)').nullish(),
    reference: z.string().trim().max(100, 'Texte trop long (100 caractères au plus)').nullish(),
    /** Mandataire judiciaire, liquidator or commission secretariat, with contact details. */
    administrator: z.string().trim().max(300, 'Texte trop long (300 caractères au plus)').nullish(),
    comment: z.string().trim().max(1000, 'Commentaire trop long (1 000 caractères au plus)').optional()
  })
  .strict()
  .refine((v) => !v.bodaccPublishedOn || v.bodaccPublishedOn >= v.judgmentOn, {
    message: 'La publication au BODACC ne peut pas précéder le jugement',
    path: ['bodaccPublishedOn']
  })
  .refine((v) => !v.noticeReceivedOn || v.noticeReceivedOn >= v.judgmentOn, {
    message: 'La notification ne peut pas précéder la décision de recevabilité',
    path: ['noticeReceivedOn']
  })

export interface ProceedingRecorded {
  proceeding: ProceedingDto
  /** Cases of the debtor suspended by this record (the current one first). */
  suspendedCaseIds: string[]
  deadlines: DeadlineDto[]
  case: CaseState
}

export const completeDeadlineInput = z
  .object({
    deadlineId: uuidSchema,
    completedOn: calendarDateSchema,
    note: z.string().trim().max(500, 'Texte trop long (500 caractères au plus)').optional()
  })
  .strict()

export const solvencyChannels = {
  'solvency:get': channel<SolvencyView>()(
    z.object({ caseId: uuidSchema }).strict(),
    'The debtor’s solvency facts (sourced, dated), assessments, suggested capacity and proceedings.'
  ),
  'solvency:add-fact': channel<SolvencyFactDto>()(
    addFactInput,
    'Records a structured solvency fact with its source and date (append-only; supersedes an older one if given); screened comment.'
  ),
  'solvency:assess': channel<AssessmentDto>()(
    assessInput,
    'Records the solvency assessment and the monthly repayment capacity the plan negotiation uses; screened comment.'
  ),
  'solvency:capacity': channel<RepaymentCapacity>()(
    z.object({ caseId: uuidSchema }).strict(),
    'Monthly repayment capacity of the case’s debtor for the plan simulator: the assessed one, else the suggestion.'
  ),
  'proceedings:record': channel<ProceedingRecorded>()(
    recordProceedingInput,
    'Records collective proceedings or over-indebtedness: suspends every open case of the debtor and sets the claim-declaration or contest deadline.'
  ),
  'deadlines:complete': channel<DeadlineDto>()(
    completeDeadlineInput,
    'Marks a legal deadline done (claim declared, liabilities contested), journaled; it leaves the agenda.'
  )
}
