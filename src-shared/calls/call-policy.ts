/**
 * The agency's call policy (domain convention 12, modelled on C. consom. D223-9): outbound
 * calls Monday to Friday, 10:00–13:00 and 14:00–20:00 in the debtor's time zone, never on a
 * public holiday, at most 4 a debtor in 30 days unless the debtor asked to be called back.
 * Outside it the app warns and the collector gives a reason, which is logged.
 *
 * Also the defaults that make logging a call quick: who answered, and the next action date
 * suggested from the outcome. Pure: every function takes the instant and the place.
 */
import { addDays, fromParts, isoWeekday, type CalendarDate } from '../dates/calendar-date'
import {
  SUSPENSION_REASONS,
  type CallAnswerer,
  type CallDirection,
  type CallOutcome,
  type CaseStatus,
  type SuspensionReason
} from '../domain/enums'
import {
  PARIS_LOCALE,
  addBusinessDays,
  businessDayOnOrAfter,
  isBusinessDay,
  publicHolidayOn,
  type DebtorLocale
} from './holidays'

/** Minutes after midnight, local time: [start, end) of each allowed slot. */
export const CALL_SLOTS: ReadonlyArray<readonly [number, number]> = [
  [10 * 60, 13 * 60],
  [14 * 60, 20 * 60]
]
export const MAX_OUTBOUND_CALLS = 4
export const CALL_COUNT_WINDOW_DAYS = 30

export type CallWarningCode = 'weekend' | 'public_holiday' | 'outside_hours' | 'too_many_calls' | 'dunning_stopped'

export interface CallWarning {
  code: CallWarningCode
  /** French, shown above the reason field and stored with the call. */
  message: string
}

export interface LocalTime {
  date: CalendarDate
  /** 1 = Monday … 7 = Sunday. */
  weekday: number
  /** Minutes after local midnight. */
  minutes: number
  /** "21:05". */
  hhmm: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23'
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** The wall-clock date and time of an instant in a time zone. */
export function localTime(instant: Date | string, timeZone: string): LocalTime {
  const at = typeof instant === 'string' ? new Date(instant) : instant
  const values: Record<string, number> = {}
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value)
  }
  const date = fromParts(values.year!, values.month!, values.day!)
  const hour = values.hour! % 24
  const minute = values.minute!
  return {
    date,
    weekday: isoWeekday(date),
    minutes: hour * 60 + minute,
    hhmm: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
  }
}

/** The instant at which the wall clock of `timeZone` shows `date` at `minutes` after midnight. */
export function zonedInstant(date: CalendarDate, minutes: number, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60)
  let guess = wall
  // Two passes settle the offset, including across a DST change.
  for (let i = 0; i < 2; i++) {
    const seen = localTime(new Date(guess), timeZone)
    const [y, m, d] = seen.date.split('-').map(Number) as [number, number, number]
    const seenWall = Date.UTC(y, m - 1, d, Math.floor(seen.minutes / 60), seen.minutes % 60)
    guess += wall - seenWall
  }
  return new Date(guess)
}

const WEEKDAY_NAMES = ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche']

function dateLabel(date: CalendarDate): string {
  const [year, month, day] = date.split('-')
  return `${day}/${month}/${year}`
}

function inSlot(minutes: number): boolean {
  return CALL_SLOTS.some(([start, end]) => minutes >= start && minutes < end)
}

/** Warnings for a call placed at `instant` to a debtor living at `locale` (window and holidays). */
export function callWindowWarnings(instant: Date | string, locale: DebtorLocale = PARIS_LOCALE): CallWarning[] {
  const local = localTime(instant, locale.timeZone)
  const warnings: CallWarning[] = []
  if (local.weekday >= 6) {
    warnings.push({
      code: 'weekend',
      message: `Appel un ${WEEKDAY_NAMES[local.weekday]} (${dateLabel(local.date)}) : les appels se passent du lundi au vendredi.`
    })
  }
  const holiday = publicHolidayOn(local.date, locale.region)
  if (holiday) {
    warnings.push({
      code: 'public_holiday',
      message: `Appel un jour férié : ${holiday.name} (${dateLabel(local.date)}).`
    })
  }
  if (!inSlot(local.minutes)) {
    warnings.push({
      code: 'outside_hours',
      message: `Appel à ${local.hhmm} (${locale.label}), hors des plages 10 h – 13 h et 14 h – 20 h.`
    })
  }
  return warnings
}

/** The warning when this call would exceed 4 outbound calls in 30 days, unless a call-back was asked for. */
export function frequencyWarning(previousOutboundCalls: number, callBackRequested: boolean): CallWarning | null {
  if (callBackRequested || previousOutboundCalls < MAX_OUTBOUND_CALLS) return null
  return {
    code: 'too_many_calls',
    message: `Déjà ${previousOutboundCalls} appels sortants vers ce débiteur sur les ${CALL_COUNT_WINDOW_DAYS} derniers jours (au plus ${MAX_OUTBOUND_CALLS}, sauf rappel demandé par le débiteur).`
  }
}

/** An outbound call on a suspended or closed case: dunning is stopped there. */
export function dunningStoppedWarning(status: CaseStatus, reason: SuspensionReason | null): CallWarning | null {
  if (status === 'open') return null
  if (status === 'closed') {
    return { code: 'dunning_stopped', message: 'Dossier clôturé : il ne fait plus l’objet de relances.' }
  }
  const why = reason ? SUSPENSION_REASONS.labels[reason] : 'suspendu'
  const law =
    reason === 'collective_proceedings'
      ? ' Le débiteur est en procédure collective : il ne peut pas payer une créance antérieure au jugement (C. com. L622-7).'
      : reason === 'over_indebtedness'
        ? ' Le dossier de surendettement est recevable : le débiteur ne peut pas payer ses dettes antérieures (C. consom. L722-5).'
        : ''
  return { code: 'dunning_stopped', message: `Dossier suspendu (${why}) : les relances sont arrêtées.${law}` }
}

export interface CallContext {
  at: Date | string
  direction: CallDirection
  locale: DebtorLocale
  /** Outbound calls to this debtor (all cases) in the 30 days before `at`. */
  previousOutboundCalls: number
  /** The debtor's last call asked to be called back. */
  callBackRequested: boolean
  /** The case's status, when known: outbound calls on a stopped case warn. */
  caseStatus?: { status: CaseStatus; suspensionReason: SuspensionReason | null }
}

/** Every warning for a call; an inbound call (the debtor called) never needs one. */
export function callWarnings(context: CallContext): CallWarning[] {
  if (context.direction === 'inbound') return []
  const warnings = callWindowWarnings(context.at, context.locale)
  const frequency = frequencyWarning(context.previousOutboundCalls, context.callBackRequested)
  if (frequency) warnings.push(frequency)
  const stopped = context.caseStatus
    ? dunningStoppedWarning(context.caseStatus.status, context.caseStatus.suspensionReason)
    : null
  if (stopped) warnings.push(stopped)
  return warnings
}

/** The next instant calls are allowed (the instant itself when it is inside the window). */
export function nextCallSlot(instant: Date | string, locale: DebtorLocale = PARIS_LOCALE): Date {
  const at = typeof instant === 'string' ? new Date(instant) : instant
  const local = localTime(at, locale.timeZone)
  if (isBusinessDay(local.date, locale.region)) {
    if (inSlot(local.minutes)) return at
    const later = CALL_SLOTS.find(([start]) => start > local.minutes)
    if (later) return zonedInstant(local.date, later[0], locale.timeZone)
  }
  const day = businessDayOnOrAfter(addDays(local.date, 1), locale.region)
  return zonedInstant(day, CALL_SLOTS[0]![0], locale.timeZone)
}

/** Who most likely answered, from the outcome: the form's default, one less choice to make. */
export function defaultAnswerer(outcome: CallOutcome): CallAnswerer {
  switch (outcome) {
    case 'no_answer':
      return 'no_answer'
    case 'message_left':
      return 'voicemail'
    case 'wrong_number':
      return 'wrong_number'
    default:
      return 'debtor'
  }
}

/** Outcomes that need someone to have answered. */
export function outcomeNeedsConversation(outcome: CallOutcome): boolean {
  return !['no_answer', 'message_left', 'wrong_number'].includes(outcome)
}

/**
 * The next action date suggested by an outcome (a business day in the debtor's region):
 * check a promise the day after it falls due, chase an unanswered call the next business day,
 * give a dispute or a claimed payment a week to be documented.
 */
export function suggestNextAction(
  outcome: CallOutcome,
  today: CalendarDate,
  options: { promiseDueOn?: CalendarDate | null; region?: DebtorLocale['region'] } = {}
): CalendarDate {
  const region = options.region ?? 'metropole'
  switch (outcome) {
    case 'promise_to_pay':
      return options.promiseDueOn
        ? businessDayOnOrAfter(addDays(options.promiseDueOn, 1), region)
        : addBusinessDays(today, 7, region)
    case 'asks_payment_plan':
      return addBusinessDays(today, 2, region)
    case 'disputes_debt':
    case 'says_already_paid':
      return addBusinessDays(today, 5, region)
    case 'refuses':
      return addBusinessDays(today, 3, region)
    case 'call_back_requested':
    case 'no_answer':
    case 'wrong_number':
      return addBusinessDays(today, 1, region)
    case 'message_left':
      return addBusinessDays(today, 2, region)
  }
}

/** ISO weekday helper re-exported for the UI ("lundi 24/11"). */
export function weekdayName(date: CalendarDate): string {
  return WEEKDAY_NAMES[isoWeekday(date)]!
}
