import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import {
  DAILY_CHECKS_PROGRESS_KEY,
  DailyMoneyChecks,
  runMoneyChecks,
  scheduleMoneyChecks
} from '../../../src-main/modules/money/money-checks'
import { fixedClock } from '../../../src-main/platform/clock'
import { TEST_NOW, tempDir } from '../helpers/temp-app'
import { tempPostgresDatabase, testingOnPostgres } from '../helpers/temp-pg'

// The app's own daily checks (prescription roll, promises, plans in default) run after the
// first screen, slice by slice, resumable: a generated portfolio is generated on 2026-11-23 and
// opened again on 2027-02-15, when many promises are broken, installments missed and claims
// time-barred.
const LATER = '2027-02-15T09:00:00.000Z'
const CASES = 600
const SEED = 5

interface Portfolio {
  open: (instant: string) => Promise<RecouvraApp>
  dispose: () => Promise<void>
}

/** A generated portfolio in its own folder (and database on PostgreSQL), opened again at will. */
async function portfolio(): Promise<Portfolio> {
  const dir = tempDir()
  const database = testingOnPostgres() ? await tempPostgresDatabase() : null
  const open = (instant: string) =>
    createApp({ dataDir: dir.path, clock: fixedClock(instant), databaseUrl: database?.url ?? null })
  const first = await open(TEST_NOW)
  await first.services.demo.generate({ cases: CASES, seed: SEED })
  await first.close()
  return {
    open,
    dispose: async () => {
      await database?.drop()
      dir.remove()
    }
  }
}

/** What the checks decide, keyed by case reference (ids differ between two generations). */
async function state(app: RecouvraApp) {
  return app.db.read(async (m) => ({
    cases: await m.query(
      'SELECT reference, prescription_on, prescribed_claims FROM collection_case ORDER BY reference'
    ),
    promises: await m.query(
      `SELECT c.reference, p.due_on, p.amount_cents, p.status FROM payment_promise p
         JOIN collection_case c ON c.id = p.case_id ORDER BY c.reference, p.due_on, p.amount_cents, p.status`
    ),
    installments: await m.query(
      `SELECT c.reference, pl.status AS plan_status, pl.ended_on, i.sequence, i.status, i.paid_cents FROM installment i
         JOIN payment_plan pl ON pl.id = i.plan_id JOIN collection_case c ON c.id = pl.case_id
        ORDER BY c.reference, pl.agreed_on, i.sequence`
    )
  }))
}

const progressOf = async (app: RecouvraApp) => {
  const rows: Array<{ value: string }> = await app.db.read((m) =>
    m.query('SELECT value FROM app_setting WHERE key = ?', [DAILY_CHECKS_PROGRESS_KEY])
  )
  return rows[0] ? (JSON.parse(rows[0].value) as { day: string; phase: string; after: string }) : null
}

let oneShot: Portfolio
let sliced: Portfolio
let expected: { result: Awaited<ReturnType<typeof runMoneyChecks>>; state: Awaited<ReturnType<typeof state>> }

beforeAll(async () => {
  oneShot = await portfolio()
  sliced = await portfolio()
  const app = await oneShot.open(LATER)
  try {
    const result = await runMoneyChecks({
      db: app.db,
      clock: app.clock,
      promises: app.services.promises,
      plans: app.services.plans
    })
    expected = { result, state: await state(app) }
  } finally {
    await app.close()
  }
})
afterAll(async () => {
  await oneShot?.dispose()
  await sliced?.dispose()
})

describe('daily checks after start-up, in slices', () => {
  it('the generated portfolio gives the checks work to do (or the comparison below proves nothing)', () => {
    expect(expected.result.day).toBe('2027-02-15')
    expect(expected.result.casesRolled).toBeGreaterThan(0)
    expect(expected.result.promisesChanged).toBeGreaterThan(0)
    expect(expected.result.plansInDefault).toBeGreaterThan(0)
  })

  it('answers a portfolio page while the checks wait and while they run; closed mid-way, they resume to the one-shot state', async () => {
    let app = await sliced.open(LATER)
    try {
      // Start-up: the checks are scheduled, not run; the first screen is answered at once.
      const stop = scheduleMoneyChecks(app.services.dailyChecks, { startAfterMs: 60_000 })
      const page = await app.call('cases:page', { limit: 50 })
      expect(page.rows.length).toBe(50)
      expect(await app.call('app:daily-checks', {})).toMatchObject({ day: '2027-02-15', state: 'waiting' })
      stop()

      // Running in small slices: pages are answered between two slices, before the end.
      const checks = new DailyMoneyChecks(
        { db: app.db, clock: app.clock },
        { slices: { roll: 5, promises: 5, plans: 5 }, pauseMs: 2 }
      )
      let finished = false
      const running = checks.run().then((r) => {
        finished = true
        return r
      })
      for (let i = 0; i < 3; i++) {
        const answered = await app.call('cases:page', { limit: 50, sort: { field: 'balance', direction: 'desc' } })
        expect(answered.rows.length).toBe(50)
        expect(finished).toBe(false)
        expect(checks.status().state).toBe('running')
      }
      // The app closes mid-way: close() stops the app's own run after its slice, without error.
      await checks.stop()
      expect(await running).toBeNull()
      const stopped = await progressOf(app)
      expect(stopped).toMatchObject({ day: '2027-02-15' })
      expect(stopped!.phase).not.toBe('done')
      await app.close()

      // Next start the same day: the run resumes where it stopped and ends in the one-shot state.
      app = await sliced.open(LATER)
      const resumed = await new DailyMoneyChecks(
        { db: app.db, clock: app.clock },
        { slices: { roll: 50, promises: 40, plans: 40 }, pauseMs: 0 }
      ).run()
      expect(resumed).toEqual(expected.result)
      expect(await state(app)).toEqual(expected.state)
      expect(await progressOf(app)).toMatchObject({ day: '2027-02-15', phase: 'done' })

      // Done for the day: the app's own run (and any other workstation's) does nothing more.
      const before = await state(app)
      expect(await app.services.dailyChecks.run()).toEqual(expected.result)
      expect(await app.call('app:daily-checks', {})).toMatchObject({ state: 'done', result: expected.result })
      expect(await state(app)).toEqual(before)
    } finally {
      await app.close()
    }
  })

  it('close() while the app’s own run is in progress stops it cleanly; it resumes at the next start', async () => {
    const app = await sliced.open('2027-03-20T09:00:00.000Z')
    const run = app.services.dailyChecks.run()
    await app.close()
    await expect(run).resolves.toBeNull()
    const again = await sliced.open('2027-03-20T09:00:00.000Z')
    try {
      expect(await progressOf(again)).toMatchObject({ day: '2027-03-20' })
      const result = await again.services.dailyChecks.run()
      expect(result).toMatchObject({ day: '2027-03-20' })
      expect(await progressOf(again)).toMatchObject({ day: '2027-03-20', phase: 'done' })
    } finally {
      await again.close()
    }
  })
})
