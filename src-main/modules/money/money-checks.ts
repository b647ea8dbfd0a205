import type { SessionUser } from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { log } from '../../platform/log'
import type { PlansService } from '../plans/plans.service'
import type { PaymentDocumentsWorker } from './payment-documents'
import type { PromisesService } from '../plans/promises.service'
import { rollCasePrescriptions } from './case-prescription'

/** The author of what the app does by itself (journal entries of the daily checks). */
export const AUTOMATIC_CHECKS_USER: SessionUser = {
  id: '00000000-0000-0000-0000-000000000000',
  displayName: 'Contrôle automatique',
  role: 'admin'
}

export interface MoneyChecksDeps {
  db: Database
  clock: Clock
  promises: PromisesService
  plans: PlansService
  /** Polled for the receipts whose retry came due (scheduleMoneyChecks starts and stops it). */
  paymentDocuments?: PaymentDocumentsWorker | null
}

export interface MoneyChecksResult {
  day: CalendarDate
  /** Cases whose next prescription moved past a claim that expired since the last roll. */
  casesRolled: number
  /** Promises that became kept, partly kept or broken. */
  promisesChanged: number
  /** Active plans holding a missed installment (the acceleration can be offered). */
  plansInDefault: number
}

/**
 * The money engine's daily checks, without anyone asking: the case prescription figures roll
 * past the claims that expired (agenda and portfolio stay right), promises are evaluated against
 * the payments (broken after the grace days) and plans' unpaid installments are marked missed.
 */
export async function runMoneyChecks(deps: MoneyChecksDeps): Promise<MoneyChecksResult> {
  const day = deps.clock.today()
  const casesRolled = await deps.db.write((manager) => rollCasePrescriptions(manager, day))
  const promises = await deps.promises.evaluate(day, AUTOMATIC_CHECKS_USER)
  const plans = await deps.plans.detectDefaults(day, AUTOMATIC_CHECKS_USER)
  return { day, casesRolled, promisesChanged: promises.changed.length, plansInDefault: plans.candidates.length }
}

/**
 * For the long-running processes (desktop app, `npm run serve`), like scheduleDailyBackups: the
 * checks at start-up, then each hour once the day has changed (one run a day); and the payment
 * documents worker's poll (receipts queued while the app was closed, retries come due).
 */
export function scheduleMoneyChecks(deps: MoneyChecksDeps, everyMs = 60 * 60 * 1000): () => void {
  let lastDay: CalendarDate | null = null
  let running = false
  const run = () => {
    const today = deps.clock.today()
    if (running || today === lastDay) return
    running = true
    runMoneyChecks(deps)
      .then((result) => {
        lastDay = result.day
        log.info(`Money checks ${JSON.stringify(result)}`)
      })
      .catch((error: unknown) => log.error('Money checks failed', error))
      .finally(() => {
        running = false
      })
  }
  run()
  const timer = setInterval(run, everyMs)
  timer.unref()
  deps.paymentDocuments?.start()
  return () => {
    clearInterval(timer)
    void deps.paymentDocuments?.stop()
  }
}
