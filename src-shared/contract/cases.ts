import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, noInput, uuidSchema } from './schemas'
import {
  CASE_PHASES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  type CallOutcome,
  type CasePhase,
  type CasePriority,
  type CaseStatus,
  type ClosureReason,
  type PartyKind,
  type SuspensionReason
} from '../domain/enums'
import type { CalendarDate } from '../dates/calendar-date'

/** One row of the portfolio: everything the table shows, nothing more. */
export interface CaseSummary {
  id: string
  reference: string
  debtorId: string
  debtorName: string
  debtorKind: PartyKind
  clientId: string
  clientName: string
  phase: CasePhase
  status: CaseStatus
  suspensionReason: SuspensionReason | null
  closureReason: ClosureReason | null
  priority: CasePriority
  collectorId: string | null
  collectorName: string | null
  principalCents: number
  paidCents: number
  balanceCents: number
  oldestDueOn: CalendarDate | null
  /** Days between the oldest unpaid due date and the query's `asOf` date (0 if not yet due). */
  daysPastDue: number
  lastContactAt: string | null
  lastContactOutcome: CallOutcome | null
  nextActionOn: CalendarDate | null
  openedOn: CalendarDate
  /** Next prescription date among the claims still demandable (time-barred ones ignored); null: none. */
  prescriptionOn: CalendarDate | null
  /** Open claims already time-barred. */
  prescribedClaims: number
}

export const CASE_SORT_FIELDS = [
  'reference',
  'debtorName',
  'clientName',
  'phase',
  'status',
  'balance',
  'daysPastDue',
  'lastContactAt',
  'nextActionOn',
  'collectorName',
  'openedOn',
  'priority',
  'prescriptionOn'
] as const
export type CaseSortField = (typeof CASE_SORT_FIELDS)[number]

export const CASE_PAGE_MAX = 500

/**
 * Days past the oldest unpaid due date at the query's `asOf` day. A case with nothing left to
 * pay has no age and falls in no bucket; a claim not yet due counts as 0 days.
 */
export const CASE_AGE_BUCKETS = ['0-30', '31-60', '61-90', '91-180', '181+'] as const
export type CaseAgeBucket = (typeof CASE_AGE_BUCKETS)[number]
export const CASE_AGE_BUCKET_LABELS: Readonly<Record<CaseAgeBucket, string>> = {
  '0-30': '0 à 30 jours',
  '31-60': '31 à 60 jours',
  '61-90': '61 à 90 jours',
  '91-180': '91 à 180 jours',
  '181+': 'Plus de 180 jours'
}
/** Inclusive day bounds of each bucket (max null: no upper bound). */
export const CASE_AGE_BUCKET_DAYS: Readonly<Record<CaseAgeBucket, { min: number; max: number | null }>> = {
  '0-30': { min: 0, max: 30 },
  '31-60': { min: 31, max: 60 },
  '61-90': { min: 61, max: 90 },
  '91-180': { min: 91, max: 180 },
  '181+': { min: 181, max: null }
}

/**
 * The portfolio's prescription filter, per claim: a claim already time-barred at `asOf`, or a
 * claim whose prescription falls within N days of it.
 */
export const CASE_PRESCRIPTION_WINDOWS = ['expired', '30', '90', '180'] as const
export type CasePrescriptionWindow = (typeof CASE_PRESCRIPTION_WINDOWS)[number]
export const CASE_PRESCRIPTION_WINDOW_LABELS: Readonly<Record<CasePrescriptionWindow, string>> = {
  expired: 'Déjà prescrite',
  '30': 'Dans moins de 30 jours',
  '90': 'Dans moins de 90 jours',
  '180': 'Dans moins de 180 jours'
}

/** Searches shorter than this (letters and digits) do not filter: they would match most cases. */
export const CASE_SEARCH_MIN_CHARS = 2

const balanceSchema = z
  .number()
  .int('Montant invalide (centimes entiers attendus)')
  .min(0, 'Le solde ne peut pas être négatif')
  .max(Number.MAX_SAFE_INTEGER)

export const caseListFiltersSchema = z
  .object({
    phases: z.array(z.enum(CASE_PHASES.values)).max(CASE_PHASES.values.length).optional(),
    statuses: z.array(z.enum(CASE_STATUSES.values)).max(CASE_STATUSES.values.length).optional(),
    priorities: z.array(z.enum(CASE_PRIORITIES.values)).max(CASE_PRIORITIES.values.length).optional(),
    clientIds: z.array(uuidSchema).max(1000).optional(),
    collectorIds: z.array(uuidSchema).max(1000).optional(),
    /** Cases assigned to the user making the call ("mes dossiers"), whoever that is. */
    mine: z.boolean().optional(),
    /** Balance due between these amounts, in cents, bounds included. */
    balanceMinCents: balanceSchema.optional(),
    balanceMaxCents: balanceSchema.optional(),
    /** Days past due at `asOf`, in any of these buckets. */
    ageBuckets: z.array(z.enum(CASE_AGE_BUCKETS)).max(CASE_AGE_BUCKETS.length).optional(),
    /** A promise broken and not followed by a kept or pending one made later. */
    brokenPromise: z.boolean().optional(),
    /** The last payment plan was declared in default, or an active plan has a missed installment. */
    planInDefault: z.boolean().optional(),
    /** Cases whose next action falls on or before this day (the agenda). */
    nextActionDueBy: calendarDateSchema.optional(),
    /** Cases whose next action falls on or before `asOf` (today by default): what saved views store. */
    nextActionDue: z.boolean().optional(),
    /** Earliest prescription already past `asOf`, or within 30/90/180 days of it (not yet past). */
    prescriptionWithin: z.enum(CASE_PRESCRIPTION_WINDOWS).optional(),
    /**
     * One search box: debtor or company name (accents and case ignored, beginnings of words),
     * case reference, invoice number, phone in any French format, email, SIREN or SIRET.
     * Fewer than CASE_SEARCH_MIN_CHARS letters or digits (3 digits for a number) do not filter.
     */
    text: z.string().trim().max(200, 'Recherche trop longue (200 caractères au plus)').optional()
  })
  .strict()
  .refine(
    (f) => f.balanceMinCents === undefined || f.balanceMaxCents === undefined || f.balanceMinCents <= f.balanceMaxCents,
    { message: 'Le solde minimum dépasse le solde maximum', path: ['balanceMaxCents'] }
  )

export type CaseListFilters = z.input<typeof caseListFiltersSchema>

export const caseSortSchema = z.object({ field: z.enum(CASE_SORT_FIELDS), direction: z.enum(['asc', 'desc']) }).strict()
export type CaseSort = z.output<typeof caseSortSchema>

export const caseListQuerySchema = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(CASE_PAGE_MAX, `Au plus ${CASE_PAGE_MAX} lignes par page`).default(100),
    /**
     * Ties are broken by reference in the direction the key is read (days past due is read by
     * due date: references ascending when the most overdue come first); empty values come last
     * both ways. Names sort without regard to case or accents.
     */
    sort: caseSortSchema.default({ field: 'reference', direction: 'asc' }),
    filters: caseListFiltersSchema.default({}),
    /** The day "days past due" is counted to; today in France when absent. */
    asOf: calendarDateSchema.optional()
  })
  .strict()

export type CaseListQuery = z.input<typeof caseListQuerySchema>

export interface CasePage {
  rows: CaseSummary[]
  /** Size of the filtered set, and the sum of its balances: always shown under the table. */
  total: number
  totalBalanceCents: number
  offset: number
  asOf: CalendarDate
  /** The search text was too short to filter (see CASE_SEARCH_MIN_CHARS): the list ignores it. */
  searchIgnored: boolean
}

/** A saved view of the portfolio: filters and sort under a name, for one user. */
export interface PortfolioView {
  id: string
  name: string
  filters: z.output<typeof caseListFiltersSchema>
  sort: CaseSort
}

export const PORTFOLIO_VIEWS_MAX = 50

const viewNameSchema = z
  .string()
  .trim()
  .min(1, 'Donnez un nom à la vue')
  .max(60, 'Nom trop long (60 caractères au plus)')

export const portfolioViewCreateInput = z
  .object({ name: viewNameSchema, filters: caseListFiltersSchema, sort: caseSortSchema })
  .strict()

export const portfolioViewUpdateInput = z
  .object({
    id: uuidSchema,
    name: viewNameSchema.optional(),
    filters: caseListFiltersSchema.optional(),
    sort: caseSortSchema.optional()
  })
  .strict()

export const caseChannels = {
  'cases:list': channel<CasePage>()(
    caseListQuerySchema,
    'One page of the portfolio, filtered and sorted in the main process, with the totals of the filtered set.'
  ),
  'cases:get-summary': channel<CaseSummary>()(z.object({ id: uuidSchema }).strict(), 'The portfolio row of one case.'),
  'portfolio:list-views': channel<PortfolioView[]>()(
    noInput,
    "The session user's saved portfolio views, in their order; the built-in ones until they change them."
  ),
  'portfolio:create-view': channel<PortfolioView>()(
    portfolioViewCreateInput,
    'Saves filters and sort as a new view of the session user; names are unique per user.'
  ),
  'portfolio:update-view': channel<PortfolioView>()(
    portfolioViewUpdateInput,
    'Renames a view of the session user, or replaces its filters or sort.'
  ),
  'portfolio:delete-view': channel<PortfolioView[]>()(
    z.object({ id: uuidSchema }).strict(),
    'Deletes a view of the session user; returns the views left.'
  )
}
