/**
 * Payment-plan (échéancier) simulator: equal installments, the last one absorbing the
 * remainder, so the plan always sums exactly to the balance.
 */
import { type CalendarDate, addDays, addMonths, assertCalendarDate } from '../dates/calendar-date'
import { type Cents, assertNonNegativeCents } from './arith'

export type ScheduleFrequency = 'weekly' | 'biweekly' | 'monthly' | 'quarterly'

export type ScheduleSizing = { installmentCount: number } | { installmentAmountCents: Cents }

export interface ScheduleInput {
  balanceCents: Cents
  downPaymentCents?: Cents
  /** Due date of the down payment; defaults to `startDate`. */
  downPaymentDate?: CalendarDate
  sizing: ScheduleSizing
  frequency: ScheduleFrequency
  firstDueDate: CalendarDate
  /** Date the plan is agreed, for the 24-month check; defaults to the first due date. */
  startDate?: CalendarDate
}

export interface ScheduleInstallment {
  /** 1-based. */
  index: number
  dueDate: CalendarDate
  amountCents: Cents
}

export interface Schedule {
  downPayment: { dueDate: CalendarDate; amountCents: Cents } | null
  installments: ScheduleInstallment[]
  /** Down payment + installments; always equals the balance. */
  totalCents: Cents
  /** Last due date (down payment date when there is no installment). */
  endDate: CalendarDate
  /** The last due date is more than 24 months after the start date (issue 4: warn). */
  exceeds24Months: boolean
}

/** Refuse absurd plans (a 1-cent installment on a large balance) rather than loop forever. */
export const MAX_INSTALLMENTS = 1000

/**
 * n-th due date, computed from the first date (not chained), so a plan starting on the 31st
 * falls on each month's last day and comes back to the 31st when the month allows.
 */
export function installmentDueDate(firstDueDate: CalendarDate, frequency: ScheduleFrequency, n: number): CalendarDate {
  switch (frequency) {
    case 'weekly':
      return addDays(firstDueDate, 7 * n)
    case 'biweekly':
      return addDays(firstDueDate, 14 * n)
    case 'monthly':
      return addMonths(firstDueDate, n)
    case 'quarterly':
      return addMonths(firstDueDate, 3 * n)
  }
}

export function buildSchedule(input: ScheduleInput): Schedule {
  const balance = assertNonNegativeCents(input.balanceCents, 'balance')
  const down = assertNonNegativeCents(input.downPaymentCents ?? 0, 'down payment')
  if (down > balance) throw new RangeError('The down payment exceeds the balance')
  const firstDueDate = assertCalendarDate(input.firstDueDate, 'first due date')
  const startDate = assertCalendarDate(input.startDate ?? firstDueDate, 'plan start date')
  const downPaymentDate = assertCalendarDate(input.downPaymentDate ?? startDate, 'down payment date')
  if (!['weekly', 'biweekly', 'monthly', 'quarterly'].includes(input.frequency)) {
    throw new RangeError(`Unknown frequency: ${String(input.frequency)}`)
  }

  const rest = balance - down
  let count: number
  let regular: Cents
  if ('installmentCount' in input.sizing) {
    count = input.sizing.installmentCount
    if (!Number.isSafeInteger(count) || count < 1)
      throw new RangeError('The number of installments must be a positive integer')
    if (rest === 0) count = 0
    regular = count > 0 ? Math.floor(rest / count) : 0
    if (count > 0 && regular === 0)
      throw new RangeError('Too many installments for the balance: installments would be 0,00 €')
  } else {
    regular = assertNonNegativeCents(input.sizing.installmentAmountCents, 'installment amount')
    if (regular === 0) throw new RangeError('The installment amount must be positive')
    count = Math.ceil(rest / regular)
  }
  if (count > MAX_INSTALLMENTS) throw new RangeError(`A plan cannot have more than ${MAX_INSTALLMENTS} installments`)

  const installments: ScheduleInstallment[] = []
  for (let i = 0; i < count; i++) {
    const isLast = i === count - 1
    installments.push({
      index: i + 1,
      dueDate: installmentDueDate(firstDueDate, input.frequency, i),
      amountCents: isLast ? rest - regular * (count - 1) : regular
    })
  }

  const downPayment = down > 0 ? { dueDate: downPaymentDate, amountCents: down } : null
  const lastInstallment = installments[installments.length - 1]
  const endDate = lastInstallment?.dueDate ?? downPayment?.dueDate ?? startDate
  const totalCents = down + installments.reduce((s, i) => s + i.amountCents, 0)
  return { downPayment, installments, totalCents, endDate, exceeds24Months: endDate > addMonths(startDate, 24) }
}
