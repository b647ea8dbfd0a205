import { todayInParis, type CalendarDate } from '@shared/dates/calendar-date'

/** Time as the services see it; tests and the demo generator pass a fixed one. */
export interface Clock {
  now(): Date
  /** Today in France, for legal dates and "days past due". */
  today(): CalendarDate
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => todayInParis()
}

export function fixedClock(instant: string): Clock {
  const at = new Date(instant)
  return { now: () => new Date(at), today: () => todayInParis(at) }
}
