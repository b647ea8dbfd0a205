import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, uuidSchema } from './schemas'
import { caseListFiltersSchema, caseSortSchema, type CaseAgeBucket } from './cases'
import type { CasePhase, PromiseStatus } from '../domain/enums'
import type { CalendarDate } from '../dates/calendar-date'

/** The manager reports, each an Excel workbook (and, but for the remittance and cases ones, a dashboard panel). */
export const REPORT_KINDS = ['aging', 'recovery', 'activity', 'remittance', 'cases'] as const
export type ReportKind = (typeof REPORT_KINDS)[number]

export const REPORT_KIND_LABELS: Readonly<Record<ReportKind, string>> = {
  aging: 'Balance âgée',
  recovery: 'Performance de recouvrement',
  activity: 'Activité des chargés de recouvrement',
  remittance: 'Relevés de reversement',
  cases: 'Portefeuille (vue filtrée)'
}

/**
 * What every report and the dashboard are filtered by. The period [from, to] (days included)
 * selects cases by their opening day (recovery), calls, promises and plans by their day
 * (activity), payments by their receipt (collections) or collection day (remittance); the aging
 * balance is a picture at `asOf` and ignores it.
 */
export const reportScopeSchema = z
  .object({
    clientIds: z.array(uuidSchema).max(1000).optional(),
    collectorIds: z.array(uuidSchema).max(1000).optional(),
    from: calendarDateSchema.optional(),
    to: calendarDateSchema.optional(),
    /** The day ages are counted to; today in France when absent. */
    asOf: calendarDateSchema.optional()
  })
  .strict()
  .refine((s) => s.from === undefined || s.to === undefined || s.from <= s.to, {
    message: 'La fin de la période précède son début',
    path: ['to']
  })
export type ReportScopeInput = z.input<typeof reportScopeSchema>

/** The scope once defaults are applied: what a report's cover sheet shows. */
export interface ReportScope {
  clientIds: string[]
  collectorIds: string[]
  from: CalendarDate
  to: CalendarDate
  asOf: CalendarDate
}

export const reportExportInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('aging'), scope: reportScopeSchema.default({}) }).strict(),
  z.object({ kind: z.literal('recovery'), scope: reportScopeSchema.default({}) }).strict(),
  z.object({ kind: z.literal('activity'), scope: reportScopeSchema.default({}) }).strict(),
  z.object({ kind: z.literal('remittance'), scope: reportScopeSchema.default({}) }).strict(),
  z
    .object({
      kind: z.literal('cases'),
      /** Exactly what cases:list receives from the portfolio screen. */
      sort: caseSortSchema.default({ field: 'reference', direction: 'asc' }),
      filters: caseListFiltersSchema.default({}),
      asOf: calendarDateSchema.optional()
    })
    .strict()
])
export type ReportExportInput = z.input<typeof reportExportInput>

/** A report written by the main process in the data folder (exports/), and its bytes for a download. */
export interface ReportFile {
  kind: ReportKind
  fileName: string
  /** Where the main process wrote it. */
  path: string
  sizeBytes: number
  /** Data rows written (all sheets but the cover and totals). */
  rowCount: number
  /** The workbook itself, base64, for the renderer to offer as a download (browser mode). */
  base64: string
  durationMs: number
}

/* ----------------------------------------------------------------- figures */

export interface AgingBucketFigure {
  bucket: CaseAgeBucket
  count: number
  balanceCents: number
}

/** One line of the aging balance: a client, a collector, or the whole scope. */
export interface AgingRow {
  key: string | null
  label: string
  count: number
  balanceCents: number
  buckets: AgingBucketFigure[]
}

/** Cases placed in a cohort and what they recovered (stored case summary: principal and paid). */
export interface RecoveryRow {
  key: string | null
  label: string
  caseCount: number
  placedCents: number
  recoveredCents: number
  balanceCents: number
  /** recovered / placed, 0 when nothing placed. */
  rate: number
  /** Cases with nothing left to pay (balance 0, something paid). */
  settledCount: number
  /** Average days from opening to the last payment of the settled cases; null when none. */
  averageDaysToRecover: number | null
}

/** Money received in a month (net of reversals), whichever month the case was placed. */
export interface CollectionMonth {
  month: CalendarDate
  collectedCents: number
  paymentCount: number
}

export interface ActivityRow {
  collectorId: string | null
  collectorName: string
  /** Monday of the week, or null in a per-collector total. */
  week: CalendarDate | null
  calls: number
  /** Calls where someone answered for the debtor (see CONTACT_OUTCOMES). */
  contacts: number
  contactRate: number
  promisesMade: number
  promisesKept: number
  /** Promises made in the period and since found broken or only partly kept. */
  promisesFailed: number
  /** kept / (kept + failed): promises still pending or cancelled are not judged yet. */
  promisesKeptRate: number
  plansNegotiated: number
  collectedCents: number
}

export interface PipelineRow {
  phase: CasePhase
  count: number
  balanceCents: number
}

export interface PromiseStatusFigure {
  status: PromiseStatus
  count: number
  amountCents: number
}

export interface DashboardData {
  scope: ReportScope
  totals: {
    openCount: number
    openBalanceCents: number
    placedCents: number
    recoveredCents: number
    rate: number
    averageDaysToRecover: number | null
    collectedCents: number
  }
  /** Per month of the period: placed (cases opened), recovered on them, and cash collected. */
  months: Array<{
    month: CalendarDate
    placedCents: number
    recoveredCents: number
    rate: number
    collectedCents: number
  }>
  aging: AgingBucketFigure[]
  pipeline: PipelineRow[]
  collectors: ActivityRow[]
  promises: { byStatus: PromiseStatusFigure[]; keptRate: number }
}

export const reportChannels = {
  'reports:dashboard': channel<DashboardData>()(
    reportScopeSchema,
    'Dashboard figures (recovery by month, aging, pipeline, collectors, promises), computed by the same functions as the Excel reports.'
  ),
  'reports:export': channel<ReportFile>()(
    reportExportInput,
    'Writes an Excel report (streamed) in the data folder exports/ and returns its path and bytes (base64).'
  )
}
