/**
 * "Intérêts gelés": a payment plan agreed with interest frozen fixes the balance on the day of
 * the agreement. Interest stops from that day while the plan runs (and for good once it is
 * completed); a déchéance du terme (acceleration) ends the freeze, interest runs again from the
 * acceleration date on what is left. A plan with running interest, or one only proposed or
 * cancelled, freezes nothing.
 */
import type { CalendarDate } from '../dates/calendar-date'
import type { InterestSuspension } from './interest'

export interface PlanFreezeInput {
  /** 'frozen' | 'running' (PLAN_INTEREST_MODES). */
  interestMode: string
  /** 'proposed' | 'active' | 'completed' | 'defaulted' | 'cancelled' (PLAN_STATUSES). */
  status: string
  agreedOn: CalendarDate | null
  /** Acceleration date for a defaulted plan. */
  endedOn: CalendarDate | null
}

export function planInterestSuspensions(plans: readonly PlanFreezeInput[]): InterestSuspension[] {
  const windows: InterestSuspension[] = []
  for (const plan of plans) {
    if (plan.interestMode !== 'frozen' || plan.agreedOn === null) continue
    if (plan.status === 'active' || plan.status === 'completed') {
      windows.push({ from: plan.agreedOn, to: null })
    } else if (plan.status === 'defaulted') {
      const to = plan.endedOn ?? plan.agreedOn
      if (to > plan.agreedOn) windows.push({ from: plan.agreedOn, to })
    }
  }
  return windows.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
}
