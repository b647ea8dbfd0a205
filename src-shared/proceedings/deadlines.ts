/**
 * Deadlines a debtor's collective proceedings or over-indebtedness open for the creditor
 * (legal-facts.md §7), computed the way the Code de procédure civile counts:
 * - a period in months ends on the day of the last month bearing the same number as the
 *   starting day, or the month's last day when there is none (CPC 641);
 * - a period in days does not count the starting day (CPC 641);
 * - a period that would end on a Saturday, Sunday or public holiday runs to the next
 *   business day (CPC 642).
 *
 * Pure: dates only.
 */
import { addDays, addMonths, daysBetween, type CalendarDate } from '../dates/calendar-date'
import type { DeadlineKind, ProceedingKind } from '../domain/enums'
import { businessDayOnOrAfter } from '../calls/holidays'

/** L622-24 / R622-24: 2 months after the BODACC publication, 4 for a creditor outside metropolitan France. */
export const CLAIM_DECLARATION_MONTHS = 2
export const CLAIM_DECLARATION_MONTHS_ABROAD = 4
/** L622-26: a late creditor may ask to be relieved of forclusion within 6 months. */
export const FORCLUSION_RELIEF_MONTHS = 6
/** R723-3: 30 days to contest the état du passif notified by the commission. */
export const LIABILITIES_CONTEST_DAYS = 30

export function isCollective(kind: ProceedingKind): boolean {
  return kind !== 'over_indebtedness'
}

/** CPC 642: a deadline falling on a non-business day runs to the next business day. */
export function extendToBusinessDay(date: CalendarDate): CalendarDate {
  return businessDayOnOrAfter(date, 'metropole')
}

/**
 * A creditor (the agency's client) domiciled outside metropolitan France: a foreign country,
 * or an overseas department or territory (postal codes 97xxx and 98xxx).
 */
export function isCreditorOutsideMetropole(creditor: { country: string; postalCode: string }): boolean {
  if (creditor.country.toUpperCase() !== 'FR') return true
  return /^9[78]/.test(creditor.postalCode.replace(/\s/g, ''))
}

export function claimDeclarationDeadline(bodaccPublishedOn: CalendarDate, creditorAbroad: boolean): CalendarDate {
  return extendToBusinessDay(
    addMonths(bodaccPublishedOn, creditorAbroad ? CLAIM_DECLARATION_MONTHS_ABROAD : CLAIM_DECLARATION_MONTHS)
  )
}

export function forclusionReliefDeadline(bodaccPublishedOn: CalendarDate): CalendarDate {
  return extendToBusinessDay(addMonths(bodaccPublishedOn, FORCLUSION_RELIEF_MONTHS))
}

export function liabilitiesContestDeadline(noticeReceivedOn: CalendarDate): CalendarDate {
  return extendToBusinessDay(addDays(noticeReceivedOn, LIABILITIES_CONTEST_DAYS))
}

export interface ProceedingDates {
  kind: ProceedingKind
  bodaccPublishedOn: CalendarDate | null
  noticeReceivedOn: CalendarDate | null
}

export interface ComputedDeadline {
  kind: DeadlineKind
  dueOn: CalendarDate
  /** French: how the date was computed, shown next to it. */
  basis: string
}

function fr(date: CalendarDate): string {
  const [y, m, d] = date.split('-')
  return `${d}/${m}/${y}`
}

/** The deadline a proceeding opens for one creditor, or null while the starting date is unknown. */
export function proceedingDeadline(proceeding: ProceedingDates, creditorAbroad: boolean): ComputedDeadline | null {
  if (isCollective(proceeding.kind)) {
    if (!proceeding.bodaccPublishedOn) return null
    const months = creditorAbroad ? CLAIM_DECLARATION_MONTHS_ABROAD : CLAIM_DECLARATION_MONTHS
    return {
      kind: 'claim_declaration',
      dueOn: claimDeclarationDeadline(proceeding.bodaccPublishedOn, creditorAbroad),
      basis:
        `Publication au BODACC le ${fr(proceeding.bodaccPublishedOn)} + ${months} mois` +
        (creditorAbroad ? ' (créancier hors de France métropolitaine)' : '') +
        ' (C. com. L622-24, R622-24)'
    }
  }
  if (!proceeding.noticeReceivedOn) return null
  return {
    kind: 'liabilities_contest',
    dueOn: liabilitiesContestDeadline(proceeding.noticeReceivedOn),
    basis: `Notification de l’état du passif le ${fr(proceeding.noticeReceivedOn)} + ${LIABILITIES_CONTEST_DAYS} jours (C. consom. R723-3)`
  }
}

/** "dans 12 jours", "aujourd’hui", "dépassé de 3 jours". */
export function deadlineCountdown(dueOn: CalendarDate, today: CalendarDate): string {
  const days = daysBetween(today, dueOn)
  if (days === 0) return 'aujourd’hui'
  if (days > 0) return `dans ${days} jour${days > 1 ? 's' : ''}`
  return `dépassé de ${-days} jour${days < -1 ? 's' : ''}`
}
