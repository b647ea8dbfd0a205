/**
 * Start-up on the first day of use with the daily checks to do: time to the first screen's data,
 * before (the checks' three one-shot writes started at start-up, as until session 4) and after
 * (the checks in slices, started after the first screen; and, worst case, started at once).
 *   RECOUVRA_STARTUP_BENCH_CASES=20000 npx vitest run -c tests/bench/money/vitest.config.mts startup-checks
 * A busy demo portfolio generated on 2026-11-23 (kept in /tmp/recouvra-startup-bench), copied
 * for each run and opened on 2027-02-15: promises broken, installments missed, claims barred.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { it } from 'vitest'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { runMoneyChecks, scheduleMoneyChecks } from '../../../src-main/modules/money/money-checks'
import { fixedClock } from '../../../src-main/platform/clock'

const CASES = Number(process.env.RECOUVRA_STARTUP_BENCH_CASES ?? 20_000)
const ROOT = '/tmp/recouvra-startup-bench'
const BASE = join(ROOT, `base-${CASES}`)
const LATER = '2027-02-15T09:00:00.000Z'

/** What the portfolio screen asks for when it first shows (navigation badges included). */
async function firstScreen(app: RecouvraApp): Promise<void> {
  await Promise.all([
    app.call('app:info', {}),
    app.call('portfolio:list-views', {}),
    app.call('clients:list', {}),
    app.call('users:list', {}),
    app.call('cases:page', { limit: 50 }),
    app.call('agenda:counts', { collectorId: null }),
    app.call('dunning:pending', {})
  ])
}

async function measure(mode: 'before' | 'after (at once)' | 'after'): Promise<void> {
  const dir = join(ROOT, 'run')
  rmSync(dir, { recursive: true, force: true })
  cpSync(BASE, dir, { recursive: true })
  const t0 = performance.now()
  const app = await createApp({ dataDir: dir, clock: fixedClock(LATER) })
  const opened = performance.now() - t0
  let checksDone: Promise<unknown>
  let stop = () => undefined as void
  if (mode === 'before') {
    checksDone = runMoneyChecks({
      db: app.db,
      clock: app.clock,
      promises: app.services.promises,
      plans: app.services.plans
    })
  } else {
    stop = scheduleMoneyChecks(app.services.dailyChecks, { startAfterMs: mode === 'after' ? 3000 : 0 })
    checksDone = (async () => {
      while (app.services.dailyChecks.status().state !== 'done') await new Promise((r) => setTimeout(r, 20))
    })()
  }
  await new Promise((r) => setImmediate(r))
  const t1 = performance.now()
  await firstScreen(app)
  const screen = performance.now() - t1
  // Pages asked while the checks run (a collector already at work).
  const pages: number[] = []
  let finished = false
  void checksDone.then(() => (finished = true))
  while (!finished) {
    const t = performance.now()
    await app.call('cases:page', { limit: 50, sort: { field: 'balance', direction: 'desc' } })
    pages.push(performance.now() - t)
    await new Promise((r) => setTimeout(r, 50))
  }
  await checksDone
  const total = performance.now() - t1
  stop()
  await app.close()
  pages.sort((a, b) => a - b)
  const ms = (v: number | undefined) => (v === undefined ? '-' : `${Math.round(v)} ms`)
  console.log(
    `${CASES} cases, ${mode}: open ${ms(opened)}, first screen ${ms(screen)} (open + first screen ${ms(opened + screen)}), ` +
      `checks done after ${ms(total)}; pages during the checks: ${pages.length}, p50 ${ms(pages[Math.floor(pages.length / 2)])}, ` +
      `max ${ms(pages[pages.length - 1])}; result ${JSON.stringify(app.services.dailyChecks.status().result)}`
  )
}

it('first screen on the first day with daily checks to do: before and after', async () => {
  if (!existsSync(BASE)) {
    mkdirSync(BASE, { recursive: true })
    const app = await createApp({ dataDir: BASE, clock: fixedClock('2026-11-23T09:00:00.000Z') })
    await app.services.demo.generate({ cases: CASES, seed: 1, history: 'busy' })
    await app.close()
  }
  for (const mode of ['before', 'after (at once)', 'after', 'before', 'after (at once)', 'after'] as const)
    await measure(mode)
})
