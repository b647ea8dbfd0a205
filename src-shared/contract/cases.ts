import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, uuidSchema } from './schemas'
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
  'priority'
] as const
export type CaseSortField = (typeof CASE_SORT_FIELDS)[number]

export const CASE_PAGE_MAX = 500

export const caseListQuerySchema = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(CASE_PAGE_MAX, `Au plus ${CASE_PAGE_MAX} lignes par page`).default(100),
    sort: z
      .object({ field: z.enum(CASE_SORT_FIELDS), direction: z.enum(['asc', 'desc']) })
      .strict()
      .default({ field: 'reference', direction: 'asc' }),
    filters: z
      .object({
        phases: z.array(z.enum(CASE_PHASES.values)).max(CASE_PHASES.values.length).optional(),
        statuses: z.array(z.enum(CASE_STATUSES.values)).max(CASE_STATUSES.values.length).optional(),
        priorities: z.array(z.enum(CASE_PRIORITIES.values)).max(CASE_PRIORITIES.values.length).optional(),
        clientIds: z.array(uuidSchema).max(1000).optional(),
        collectorIds: z.array(uuidSchema).max(1000).optional(),
        /** Cases whose next action falls on or before this day (the agenda). */
        nextActionDueBy: calendarDateSchema.optional(),
        /** Reference prefix or part of the debtor's name; full-text search comes with the workspace. */
        text: z.string().trim().max(200, 'Recherche trop longue (200 caractères au plus)').optional()
      })
      .strict()
      .default({}),
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
}

export const caseChannels = {
  'cases:list': channel<CasePage>()(
    caseListQuerySchema,
    'One page of the portfolio, filtered and sorted in the main process, with the totals of the filtered set.'
  ),
  'cases:get-summary': channel<CaseSummary>()(z.object({ id: uuidSchema }).strict(), 'The portfolio row of one case.')
}
