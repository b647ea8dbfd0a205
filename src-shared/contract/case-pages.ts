import { channel } from './define'
import { caseListQuerySchema, type CaseSummary } from './cases'
import type { CalendarDate } from '../dates/calendar-date'

/** Size of a filtered portfolio and the sum of its balances (what `cases:list` carries with its page). */
export interface CaseTotals {
  total: number
  totalBalanceCents: number
  asOf: CalendarDate
  /** The search text was too short to filter (see CASE_SEARCH_MIN_CHARS): the list ignores it. */
  searchIgnored: boolean
}

/**
 * A page of the portfolio that did not wait for the totals of its filtered set: search as you
 * type shows the first rows of a broad search ("REC-2025", two letters: tens of thousands of
 * cases) at once, and its totals when `cases:totals` answers.
 */
export interface CaseRowsPage {
  rows: CaseSummary[]
  offset: number
  asOf: CalendarDate
  searchIgnored: boolean
  /**
   * The totals, whenever they came at no extra cost (already known, a small set, anything but
   * the first page of a broad search); null: ask `cases:totals` with the same input.
   */
  totals: CaseTotals | null
}

export const casePageChannels = {
  'cases:page': channel<CaseRowsPage>()(
    caseListQuerySchema,
    'One page of the portfolio like cases:list, returned before its totals when they would delay it (the first page of a broad search): totals null, ask cases:totals.'
  ),
  'cases:totals': channel<CaseTotals>()(
    caseListQuerySchema,
    'The totals of the filtered portfolio (count and balance), for the same input as cases:page; kept until the next write, so the next pages reuse them.'
  )
}
