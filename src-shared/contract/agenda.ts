import { z } from 'zod'
import { channel } from './define'
import { uuidSchema } from './schemas'
import type { CasePriority, CaseStatus, DeadlineKind } from '../domain/enums'
import type { CalendarDate } from '../dates/calendar-date'

export const AGENDA_ITEM_KINDS = [
  'deadline',
  'next_action',
  'promise',
  'installment',
  'dunning',
  'prescription'
] as const
export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number]

export const AGENDA_ITEM_LABELS: Record<AgendaItemKind, string> = {
  deadline: 'Échéance légale',
  next_action: 'Action prévue',
  promise: 'Promesse à vérifier',
  installment: 'Échéance de plan',
  dunning: 'Relance à faire',
  prescription: 'Prescription proche'
}

/** A case shows on the agenda when its earliest prescription falls within this many days… */
export const PRESCRIPTION_ALERT_DAYS = 90
/** …and is urgent (ranked with legal deadlines) within this many. */
export const PRESCRIPTION_URGENT_DAYS = 30

/** Legal deadlines show this many days ahead: a claim declaration is prepared, not improvised. */
export const DEADLINE_LOOKAHEAD_DAYS = 15

/** One reason a case is on the agenda today. */
export interface AgendaReason {
  kind: AgendaItemKind
  /** The deadline, promise or installment behind it (the case itself for a next action). */
  refId: string
  dueOn: CalendarDate
  /** Days past the due date (negative: still ahead, for legal deadlines). */
  daysLate: number
  /** Promise or installment amount left; the case balance for the others. */
  amountCents: number
  /** French, one line: what to do. */
  label: string
  deadlineKind: DeadlineKind | null
  /** A prescription within PRESCRIPTION_URGENT_DAYS: act now (interrupt or sue). */
  urgent?: boolean
}

/** A case to work today, with every reason it is there. */
export interface AgendaRow {
  caseId: string
  caseReference: string
  caseStatus: CaseStatus
  debtorName: string
  clientName: string
  collectorId: string | null
  collectorName: string | null
  priority: CasePriority
  balanceCents: number
  /** Earliest due date among the reasons. */
  dueOn: CalendarDate
  daysLate: number
  reasons: AgendaReason[]
}

export interface AgendaCounts {
  /** Cases on the agenda (the navigation badge). */
  cases: number
  /** Cases with at least one reason past its date. */
  overdueCases: number
  /** Reasons per kind. */
  byKind: Record<AgendaItemKind, number>
}

/** Rows are ordered: legal deadlines first, then priority, then balance, then the oldest date. */
export interface AgendaPage {
  rows: AgendaRow[]
  /** Cases matching the kind filter (all the agenda's cases without one). */
  total: number
  counts: AgendaCounts
  offset: number
  today: CalendarDate
  collectorId: string | null
}

export const AGENDA_PAGE_MAX = 200

const scope = {
  /** A collector's agenda; null: the whole team (managers). Default: the session user. */
  collectorId: uuidSchema.nullable().optional()
}

export const agendaChannels = {
  'agenda:list': channel<AgendaPage>()(
    z
      .object({
        ...scope,
        /** Only cases with a reason of these kinds. */
        kinds: z.array(z.enum(AGENDA_ITEM_KINDS)).max(AGENDA_ITEM_KINDS.length).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(AGENDA_PAGE_MAX).default(100)
      })
      .strict(),
    'Today’s and overdue work of a collector: legal deadlines, next actions, promises and plan installments due, by priority then amount.'
  ),
  'agenda:counts': channel<AgendaCounts>()(
    z.object(scope).strict(),
    'How many agenda items a collector has today (the navigation badge).'
  )
}
