import type { SessionUser } from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { log } from '../../platform/log'
import type { PlansService } from '../plans/plans.service'
import type { PaymentDocumentsWorker } from './payment-documents'
import type { PromisesService } from '../plans/promises.service'
import type { EntityManager } from 'typeorm'
import type { DailyChecksStatus } from '@shared/contract'
import { suspendRowAudit } from '../audit/audit-trail'
import { authorOf } from '../journal/journal.service'
import { detectDefaultsSlice } from '../plans/plans.service'
import { evaluatePromiseSlice } from '../plans/promises.service'
import { SettingEntity } from '../settings/setting.entity'
import { rollCasePrescriptionSlice, rollCasePrescriptions } from './case-prescription'

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

/** Cases (roll, promises) and plans per write transaction of the app's daily run. */
export const DAILY_CHECK_SLICES = { roll: 1000, promises: 200, plans: 100 }

/** Where the daily run keeps its progress (app_setting): resumed after a restart the same day. */
export const DAILY_CHECKS_PROGRESS_KEY = 'money-checks.progress'

type Phase = 'roll' | 'promises' | 'plans' | 'done'

interface Progress {
  day: CalendarDate
  phase: Phase
  /** The last case (roll, promises) or plan id done in the phase. */
  after: string
  casesRolled: number
  promisesChanged: number
  plansInDefault: number
  finishedAt: string | null
}

/**
 * The daily checks as the app runs them itself: after the first screen, slice by slice (a
 * bounded number of cases or plans per write transaction, the connection left to the user
 * between slices, as the dunning badge count does), each slice recording its progress in the
 * same transaction. A run stopped mid-way (app closed) resumes where it stopped; once done, the
 * day is not checked again (by this process or, in agency mode, any other workstation: the
 * progress is read again in each slice, under the write lock). Each slice is idempotent, so
 * the final state is the one-shot runMoneyChecks' state.
 */
export class DailyMoneyChecks {
  private result: MoneyChecksResult | null = null
  private finishedAt: string | null = null
  private failedOn: CalendarDate | null = null
  private running: Promise<MoneyChecksResult | null> | null = null
  private stopping = false

  constructor(
    private readonly deps: Pick<MoneyChecksDeps, 'db' | 'clock'>,
    private readonly options: { slices?: Partial<typeof DAILY_CHECK_SLICES>; pauseMs?: number } = {}
  ) {}

  /** Today's state, for the screens (they refresh once the checks are done). */
  status(): DailyChecksStatus {
    const day = this.deps.clock.today()
    if (this.result?.day === day) return { day, state: 'done', finishedAt: this.finishedAt, result: { ...this.result } }
    const state = this.running ? 'running' : this.failedOn === day ? 'failed' : 'waiting'
    return { day, state, finishedAt: null, result: null }
  }

  /**
   * Today's checks, from where they stopped (at once if already done today). Resolves with the
   * day's figures, or null if stop() interrupted the run.
   */
  run(): Promise<MoneyChecksResult | null> {
    if (this.running) return this.running
    if (this.result?.day === this.deps.clock.today()) return Promise.resolve({ ...this.result })
    if (this.stopping) return Promise.resolve(null) // the app is closing: the next start resumes
    this.running = this.slices()
      .catch((error: unknown) => {
        this.failedOn = this.deps.clock.today()
        throw error
      })
      .finally(() => {
        this.running = null
      })
    return this.running
  }

  /** For good (the app closes): stops after the slice in progress (its transaction commits). */
  async stop(): Promise<void> {
    this.stopping = true
    await this.running?.catch(() => undefined)
  }

  private async slices(): Promise<MoneyChecksResult | null> {
    const slices = { ...DAILY_CHECK_SLICES, ...this.options.slices }
    const pauseMs = this.options.pauseMs ?? 5
    for (;;) {
      if (this.stopping) return null
      const day = this.deps.clock.today()
      const progress = await this.deps.db.write(async (manager) => {
        const stored = await readProgress(manager)
        const current: Progress = stored?.day === day ? stored : { ...FRESH, day }
        if (current.phase === 'done') return current
        const next = await runSlice(manager, current, slices, this.deps.clock)
        await writeProgress(manager, next, this.deps.clock)
        return next
      })
      if (progress.phase === 'done') {
        const { casesRolled, promisesChanged, plansInDefault } = progress
        this.result = { day, casesRolled, promisesChanged, plansInDefault }
        this.finishedAt = progress.finishedAt
        return { ...this.result }
      }
      // The user's requests queued meanwhile go first (the queue is FIFO), then the next slice.
      await new Promise((resolve) => setTimeout(resolve, pauseMs))
    }
  }
}

const FRESH: Omit<Progress, 'day'> = {
  phase: 'roll',
  after: '',
  casesRolled: 0,
  promisesChanged: 0,
  plansInDefault: 0,
  finishedAt: null
}

/** One slice of the current phase; the progress after it (the next phase once one is exhausted). */
async function runSlice(
  manager: EntityManager,
  progress: Progress,
  slices: typeof DAILY_CHECK_SLICES,
  clock: Clock
): Promise<Progress> {
  const { day, after } = progress
  const author = authorOf(AUTOMATIC_CHECKS_USER, clock)
  const advance = (last: string | null, counts: Partial<Progress>, then: Phase): Progress => ({
    ...progress,
    ...counts,
    phase: last === null ? then : progress.phase,
    after: last ?? '',
    finishedAt: last === null && then === 'done' ? clock.now().toISOString() : null
  })
  switch (progress.phase) {
    case 'roll': {
      const slice = await rollCasePrescriptionSlice(manager, day, after, slices.roll)
      return advance(slice.last, { casesRolled: progress.casesRolled + slice.rolled }, 'promises')
    }
    case 'promises': {
      const slice = await evaluatePromiseSlice(manager, day, author, after, slices.promises)
      return advance(slice.last, { promisesChanged: progress.promisesChanged + slice.changed.length }, 'plans')
    }
    case 'plans': {
      const slice = await detectDefaultsSlice(manager, day, author, after, slices.plans)
      return advance(slice.last, { plansInDefault: progress.plansInDefault + slice.candidates.length }, 'done')
    }
    case 'done':
      return progress
  }
}

async function readProgress(manager: EntityManager): Promise<Progress | null> {
  const row = await manager.findOne(SettingEntity, { where: { key: DAILY_CHECKS_PROGRESS_KEY } })
  if (!row) return null
  try {
    return JSON.parse(row.value) as Progress
  } catch {
    return null // unreadable: today's checks run again from the start (each slice is idempotent)
  }
}

async function writeProgress(manager: EntityManager, progress: Progress, clock: Clock): Promise<void> {
  // Bookkeeping of a derived job, not a change anyone made: kept out of the audit trail.
  await suspendRowAudit(manager, 1)
  try {
    await manager.save(SettingEntity, {
      key: DAILY_CHECKS_PROGRESS_KEY,
      value: JSON.stringify(progress),
      updatedAt: clock.now().toISOString(),
      updatedBy: null
    })
  } finally {
    await suspendRowAudit(manager, -1)
  }
}

/**
 * For the long-running processes (desktop app, `npm run serve`), like scheduleDailyBackups:
 * the daily checks once the first screen is shown (`startAfterMs`, or when `started` resolves),
 * then each hour (a new day starts a new run; a finished day is skipped); and the payment
 * documents worker's poll (receipts queued while the app was closed, retries come due).
 */
export function scheduleMoneyChecks(
  checks: DailyMoneyChecks,
  options: {
    paymentDocuments?: PaymentDocumentsWorker | null
    /** Resolves when the first screen is shown (desktop app: the window's ready-to-show). */
    started?: Promise<unknown>
    /** Then waits this long (the first screen's own requests go first). */
    startAfterMs?: number
    everyMs?: number
  } = {}
): () => void {
  let stopped = false
  const run = () => {
    if (stopped) return
    checks
      .run()
      .then((result) => {
        if (result) log.info(`Money checks ${JSON.stringify(result)}`)
      })
      .catch((error: unknown) => log.error('Money checks failed', error))
  }
  let first: NodeJS.Timeout | null = null
  void (options.started ?? Promise.resolve()).then(() => {
    if (stopped) return
    first = setTimeout(run, options.startAfterMs ?? 3000)
    first.unref()
  })
  const timer = setInterval(run, options.everyMs ?? 60 * 60 * 1000)
  timer.unref()
  options.paymentDocuments?.start()
  return () => {
    stopped = true
    if (first) clearTimeout(first)
    clearInterval(timer)
    void checks.stop()
    void options.paymentDocuments?.stop()
  }
}
