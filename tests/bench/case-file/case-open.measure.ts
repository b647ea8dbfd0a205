/**
 * Opening a case file on a large database: p50/p95 of the main-process reads the case file page
 * makes when it opens (case file, first timeline page, solvency, promises, plans), and of the
 * agenda. Not a timed test: it prints the figures.
 *
 *   node out/main/cli.js demo --cases 200000 --seed 1 --data-dir /tmp/demo200k
 *   cp -r /tmp/demo200k /tmp/demo200k-copy    # opening migrates the database
 *   RECOUVRA_BENCH_DATA_DIR=/tmp/demo200k-copy npx vitest run --config tests/bench/case-file/vitest.config.mts
 */
import 'reflect-metadata'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { log } from '../../../src-main/platform/log'

const dataDir = process.env.RECOUVRA_BENCH_DATA_DIR
const RUNS = Number(process.env.RECOUVRA_BENCH_RUNS ?? 300)

let app: RecouvraApp
let caseIds: string[] = []
let collectorId = ''

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function measure(name: string, runs: number, work: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await work(i) // warm-up
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await work(i)
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  const row = {
    name,
    runs,
    p50: +percentile(times, 50).toFixed(2),
    p95: +percentile(times, 95).toFixed(2),
    max: +times.at(-1)!.toFixed(2)
  }
  console.log(
    `${name.padEnd(62)} p50 ${String(row.p50).padStart(7)} ms   p95 ${String(row.p95).padStart(7)} ms   max ${String(row.max).padStart(7)} ms`
  )
  return row
}

describe.skipIf(!dataDir)('case file on a large database', () => {
  beforeAll(async () => {
    log.setLevel('warn')
    const started = performance.now()
    app = await createApp({ dataDir: dataDir! })
    console.log(`opened (and migrated if needed) in ${Math.round(performance.now() - started)} ms`)
    const rows: Array<{ id: string }> = await app.db.read((m) =>
      m.query('SELECT id FROM collection_case ORDER BY random() LIMIT 1000')
    )
    caseIds = rows.map((r) => r.id)
    const [collector] = (await app.db.read((m) =>
      m.query(
        'SELECT collector_id AS id FROM collection_case WHERE collector_id IS NOT NULL GROUP BY collector_id ORDER BY COUNT(*) DESC LIMIT 1'
      )
    )) as Array<{ id: string }>
    collectorId = collector!.id
    const [count] = (await app.db.read((m) => m.query('SELECT COUNT(*) AS n FROM collection_case'))) as Array<{
      n: number
    }>
    console.log(`${count!.n} cases`)
  })
  afterAll(() => app?.close())

  it('prints p50/p95', async () => {
    const pick = (i: number) => caseIds[i % caseIds.length]!
    const caseFile = await measure('casefile:get', RUNS, (i) => app.call('casefile:get', { caseId: pick(i) }))
    await measure('journal:list (first page of 50)', RUNS, (i) => app.call('journal:list', { caseId: pick(i + 7) }))
    await measure('solvency:get', RUNS, (i) => app.call('solvency:get', { caseId: pick(i + 13) }))
    const open = await measure('open a case: casefile + timeline + solvency + promises + plans', RUNS, (i) => {
      const caseId = pick(i + 29)
      return Promise.all([
        app.call('casefile:get', { caseId }),
        app.call('journal:list', { caseId }),
        app.call('solvency:get', { caseId }),
        app.call('promises:list', { caseId }),
        app.call('plans:list', { caseId })
      ])
    })
    // The money engine's statement, for reference (a missing rate semester refuses: counted too).
    await measure('money:statement (money engine, for reference)', 100, (i) =>
      app.call('money:statement', { caseId: pick(i + 31), at: app.clock.today() }).catch(() => null)
    )
    await measure('agenda:counts (busiest collector)', 50, () => app.call('agenda:counts', { collectorId }))
    await measure('agenda:list (busiest collector, first page)', 50, () => app.call('agenda:list', { collectorId }))
    await measure('agenda:list (whole team, first page)', 10, () => app.call('agenda:list', { collectorId: null }))
    expect(caseFile.p95).toBeGreaterThan(0)
    expect(open.p95).toBeGreaterThan(0)
  })
})
