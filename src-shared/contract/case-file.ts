import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, uuidSchema } from './schemas'
import {
  CASE_PHASES,
  CLOSURE_REASONS,
  JOURNAL_KINDS,
  type CallOutcome,
  type CasePhase,
  type CasePriority,
  type CaseStatus,
  type ClosureReason,
  type ContactStatus,
  type DeadlineKind,
  type DocumentKind,
  type InterestBasis,
  type JournalKind,
  type PartyKind,
  type PhoneKind,
  type ProceedingKind,
  type SolvencyAssessment,
  type SuspensionReason
} from '../domain/enums'
import type { CalendarDate } from '../dates/calendar-date'
import type { DebtorLocale } from '../calls/holidays'

/* ------------------------------------------------------------- case file */

/** The case's own fields, with the version every action must be based on. */
export interface CaseState {
  id: string
  reference: string
  /** Optimistic lock: an action based on another version is refused (CONFLICT). */
  version: number
  phase: CasePhase
  status: CaseStatus
  suspensionReason: SuspensionReason | null
  closureReason: ClosureReason | null
  priority: CasePriority
  openedOn: CalendarDate
  closedOn: CalendarDate | null
  nextActionOn: CalendarDate | null
  lastContactAt: string | null
  lastContactOutcome: CallOutcome | null
  collectorId: string | null
  collectorName: string | null
  principalCents: number
  paidCents: number
  balanceCents: number
  claimCount: number
  oldestDueOn: CalendarDate | null
  updatedAt: string
  updatedByName: string | null
}

export interface AddressDto {
  id: string
  line1: string
  line2: string | null
  postalCode: string
  city: string
  country: string
  validFrom: CalendarDate
  validTo: CalendarDate | null
  current: boolean
  source: string | null
}

export interface PhoneDto {
  id: string
  /** E.164. */
  number: string
  kind: PhoneKind
  status: ContactStatus
  statusChangedAt: string | null
  source: string | null
}

export interface EmailDto {
  id: string
  address: string
  status: ContactStatus
  source: string | null
}

export interface DebtorDto {
  id: string
  kind: PartyKind
  civility: string | null
  firstName: string | null
  lastName: string | null
  legalName: string | null
  displayName: string
  siren: string | null
  siret: string | null
  birthDate: CalendarDate | null
  actsProfessionally: boolean
  /** Current addresses first, then the former ones, most recent first. */
  addresses: AddressDto[]
  /** Valid and unverified numbers first, invalid ones last. */
  phones: PhoneDto[]
  emails: EmailDto[]
  /** Time zone and holidays the call window is read in (from the current address). */
  locale: DebtorLocale
}

export interface ClaimDto {
  id: string
  invoiceNumber: string
  issuedOn: CalendarDate
  dueOn: CalendarDate
  principalCents: number
  interestBasis: InterestBasis
  disputed: boolean
  description: string | null
}

export interface DocumentDto {
  id: string
  kind: DocumentKind
  title: string
  fileName: string
  mimeType: string
  sizeBytes: number
  claimId: string | null
  createdAt: string
}

export interface RelatedCaseDto {
  id: string
  reference: string
  clientName: string
  phase: CasePhase
  status: CaseStatus
  balanceCents: number
}

export interface DeadlineDto {
  id: string
  caseId: string
  proceedingId: string | null
  kind: DeadlineKind
  dueOn: CalendarDate
  basis: string
  completedOn: CalendarDate | null
  note: string | null
}

export interface ProceedingDto {
  id: string
  version: number
  debtorId: string
  kind: ProceedingKind
  /** Judgment opening the proceedings, or the commission's decision of admissibility. */
  judgmentOn: CalendarDate
  bodaccPublishedOn: CalendarDate | null
  /** Over-indebtedness: the day the commission's état du passif was received. */
  noticeReceivedOn: CalendarDate | null
  court: string | null
  reference: string | null
  administrator: string | null
  comment: string | null
  createdAt: string
}

export interface CallStats {
  /** Outbound calls to this debtor, every case, over the last 30 days. */
  outboundLast30Days: number
  /** The debtor's last call ended with a call-back request. */
  callBackRequested: boolean
  lastCallAt: string | null
}

export interface CaseFile {
  case: CaseState
  debtor: DebtorDto
  client: {
    id: string
    code: string
    legalName: string
    kind: PartyKind
    postalCode: string
    city: string
    country: string
    contactName: string | null
    contactEmail: string | null
    contactPhone: string | null
  }
  mandate: { id: string; reference: string; signedOn: CalendarDate; status: string; commissionRateBp: number }
  claims: ClaimDto[]
  documents: DocumentDto[]
  /** The same debtor's other cases (other clients, closed ones). */
  relatedCases: RelatedCaseDto[]
  /** Journal entries per kind (corrections not counted), for the timeline filter. */
  journalCounts: Partial<Record<JournalKind, number>>
  calls: CallStats
  proceedings: ProceedingDto[]
  deadlines: DeadlineDto[]
  assessment: { assessment: SolvencyAssessment; monthlyCapacityCents: number | null; assessedOn: CalendarDate } | null
  /** The main process's today (Paris): what "overdue" is measured against. */
  today: CalendarDate
  now: string
}

/* ---------------------------------------------------------------- journal */

export interface TimelineEntry {
  id: string
  kind: JournalKind
  occurredAt: string
  createdAt: string
  authorId: string | null
  authorName: string | null
  summary: string
  /** Kind-specific facts (call outcome, phase before/after…). */
  details: Record<string, unknown> | null
  relatedId: string | null
  correctsEntryId: string | null
  /** Later entries correcting this one, oldest first; the last one is what stands. */
  corrections: TimelineEntry[]
}

export interface TimelinePage {
  entries: TimelineEntry[]
  total: number
  offset: number
}

export const TIMELINE_PAGE_MAX = 200

export const timelineInput = z
  .object({
    caseId: uuidSchema,
    kinds: z.array(z.enum(JOURNAL_KINDS.values)).max(JOURNAL_KINDS.values.length).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(TIMELINE_PAGE_MAX).default(50)
  })
  .strict()

/* ---------------------------------------------------------------- actions */

/** What every case action returns: the journal entry written and the case as it now stands. */
export interface CaseActionResult {
  entryId: string
  case: CaseState
}

/** A free-text comment: screened for CNIL-forbidden content before it is saved. */
export const commentSchema = (max: number, required = 'Saisissez un texte') =>
  z.string().trim().min(1, required).max(max, `Texte trop long (${max} caractères au plus)`)

export const reasonSchema = z
  .string()
  .trim()
  .min(3, 'Indiquez le motif (3 caractères au moins)')
  .max(500, 'Motif trop long (500 caractères au plus)')

const versionSchema = z.number().int().min(1)

/** Phases a collector moves a case to; "closed" comes only with closing the case. */
export const WORKING_PHASES = CASE_PHASES.values.filter((p) => p !== 'closed') as Exclude<CasePhase, 'closed'>[]

export const addNoteInput = z.object({ caseId: uuidSchema, text: commentSchema(4000) }).strict()

export const changePhaseInput = z
  .object({
    caseId: uuidSchema,
    expectedVersion: versionSchema,
    phase: z.enum(WORKING_PHASES as [Exclude<CasePhase, 'closed'>, ...Exclude<CasePhase, 'closed'>[]]),
    reason: reasonSchema
  })
  .strict()

export const assignInput = z
  .object({
    caseId: uuidSchema,
    expectedVersion: versionSchema,
    collectorId: uuidSchema.nullable(),
    reason: reasonSchema.optional()
  })
  .strict()

/** Suspensions a collector decides; proceedings come with their dates through proceedings:record. */
export const MANUAL_SUSPENSION_REASONS = ['dispute', 'client_request'] as const

export const suspendInput = z
  .object({
    caseId: uuidSchema,
    expectedVersion: versionSchema,
    reason: z.enum(MANUAL_SUSPENSION_REASONS),
    comment: reasonSchema,
    /** Day the suspension is reviewed: the case's next action. */
    reviewOn: calendarDateSchema.nullish()
  })
  .strict()

export const resumeInput = z
  .object({ caseId: uuidSchema, expectedVersion: versionSchema, comment: reasonSchema })
  .strict()

export const closeInput = z
  .object({
    caseId: uuidSchema,
    expectedVersion: versionSchema,
    reason: z.enum(CLOSURE_REASONS.values),
    comment: reasonSchema.optional()
  })
  .strict()

export const setNextActionInput = z
  .object({
    caseId: uuidSchema,
    expectedVersion: versionSchema,
    nextActionOn: calendarDateSchema.nullable(),
    comment: commentSchema(500).optional()
  })
  .strict()

export const correctEntryInput = z
  .object({
    entryId: uuidSchema,
    /** The corrected text, as it should have read. */
    text: commentSchema(4000),
    reason: reasonSchema
  })
  .strict()

export const caseFileChannels = {
  'casefile:get': channel<CaseFile>()(
    z.object({ caseId: uuidSchema }).strict(),
    'The case file: case, debtor and all contacts, client, mandate, claims, documents, related cases, proceedings, deadlines, call stats; indexed lookups only.'
  ),
  'journal:list': channel<TimelinePage>()(
    timelineInput,
    'One page of a case journal, newest first, filtered by kind, each entry with the corrections that point at it.'
  ),
  'journal:correct': channel<CaseActionResult>()(
    correctEntryInput,
    'Corrects a journal entry by appending a correction that points at it (the journal is never edited); screened text.'
  ),
  'case:add-note': channel<CaseActionResult>()(
    addNoteInput,
    'Adds a note to the case journal after CNIL screening of its text.'
  ),
  'case:change-phase': channel<CaseActionResult>()(
    changePhaseInput,
    'Moves an open case to another phase with a reason; refused on a stale version or, under proceedings, towards court or enforcement.'
  ),
  'case:assign': channel<CaseActionResult>()(assignInput, 'Assigns the case to a collector (or nobody), journaled.'),
  'case:suspend': channel<CaseActionResult>()(
    suspendInput,
    'Suspends an open case for a dispute or at the client’s request (dunning stops), with a review date.'
  ),
  'case:resume': channel<CaseActionResult>()(resumeInput, 'Resumes a suspended case, with the reason, journaled.'),
  'case:close': channel<CaseActionResult>()(
    closeInput,
    'Closes a case (paid, partly paid, irrecoverable, returned to the client); paid needs a zero balance.'
  ),
  'case:set-next-action': channel<CaseActionResult>()(
    setNextActionInput,
    'Sets or clears the date of the case’s next action (the agenda), journaled.'
  )
}
