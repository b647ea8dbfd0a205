/**
 * Reports benchmark (issue 6): on a 200,000-case demo database, each Excel report written by
 * the main-process service (the code behind `reports:export` and `cli report`), with its time
 * and the process's memory sampled every 50 ms from /proc/self/status:
 * - VmRSS: everything resident, including the pages of the database file that SQLite maps
 *   (mmap_size, see db/database.ts): they grow with what was read, belong to the page cache and
 *   are given back under pressure;
 * - RssAnon: the process's own memory (JS heap, buffers, SQLite's page cache): what the export
 *   costs, and what the 500 MB limit is about.
 *
 *   npx vitest run --config tests/bench/reports/vitest.config.mts
 *
 * Environment (all optional):
 *   RECOUVRA_BENCH_SOURCE=/tmp/reports-bench/db200k   data folder to copy once (e.g. a `cli demo --cases 200000 --seed 1`)
 *   RECOUVRA_BENCH_CASES=200000 RECOUVRA_BENCH_SEED=1  otherwise generated in /tmp/reports-bench/demo-<cases>-seed-<seed>
 *   RECOUVRA_BENCH_ONLY=cases                          only these reports (comma-separated kinds)
 */
import 'reflect-metadata'
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelParsedInput, ReportKind } from '@shared/contract'
import { reportExportInput } from '@shared/contract'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { DATABASE_FILE_NAME } from '../../../src-main/db/database'
import { fixedClock } from '../../../src-main/platform/clock'

const CASES = Number(process.env.RECOUVRA_BENCH_CASES ?? 200_000)
const SEED = Number(process.env.RECOUVRA_BENCH_SEED ?? 1)
const ROOT = '/tmp/reports-bench'
const SOURCE = process.env.RECOUVRA_BENCH_SOURCE
const ONLY = (process.env.RECOUVRA_BENCH_ONLY ?? '').split(',').filter(Boolean)
const dataDir = join(ROOT, SOURCE ? `copy-${SOURCE.replace(/\W+/g, '_')}` : `demo-${CASES}-seed-${SEED}`)
/** The demo portfolio is generated for this day: its ages and periods stay the same. */
const NOW = '2026-11-23T09:00:00.000Z'

interface Memory {
  rss: number
  anon: number
}

function memory(): Memory {
  const status = readFileSync('/proc/self/status', 'utf8')
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0)
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024 }
}

async function measured<T>(
  work: () => Promise<T>
): Promise<{ value: T; ms: number; cpuMs: number; peak: Memory; before: Memory }> {
  global.gc?.()
  const before = memory()
  const peak = { ...before }
  const timer = setInterval(() => {
    const m = memory()
    peak.rss = Math.max(peak.rss, m.rss)
    peak.anon = Math.max(peak.anon, m.anon)
  }, 50)
  const started = performance.now()
  const cpu = process.cpuUsage()
  try {
    const value = await work()
    const m = memory()
    peak.rss = Math.max(peak.rss, m.rss)
    peak.anon = Math.max(peak.anon, m.anon)
    const used = process.cpuUsage(cpu)
    return { value, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, peak, before }
  } finally {
    clearInterval(timer)
  }
}

let app: RecouvraApp
const results: Array<{
  kind: ReportKind
  rows: number
  seconds: number
  mb: number
  rssMb: number
  cpuSeconds: number
  anonMb: number
  startAnonMb: number
}> = []

beforeAll(async () => {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, DATABASE_FILE_NAME)
  if (!existsSync(file)) {
    if (SOURCE) copyFileSync(join(SOURCE, DATABASE_FILE_NAME), file)
    else {
      const generator = await createApp({ dataDir, clock: fixedClock(NOW) })
      await generator.services.demo.generate({ cases: CASES, seed: SEED })
      await generator.close()
    }
  }
  app = await createApp({ dataDir, clock: fixedClock(NOW) })
})

afterAll(async () => {
  await app?.close()
  if (results.length) {
    console.log(
      [
        '| report | data rows | time (s) | CPU (s) | file (MB) | peak VmRSS (MB) | peak RssAnon (MB) | RssAnon before (MB) |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...results.map(
          (r) =>
            `| ${r.kind} | ${r.rows.toLocaleString('en')} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${r.mb.toFixed(1)} | ${r.rssMb.toFixed(0)} | ${r.anonMb.toFixed(0)} | ${r.startAnonMb.toFixed(0)} |`
        )
      ].join('\n')
    )
    writeFileSync(join(ROOT, 'results-reports.json'), JSON.stringify(results, null, 2))
  }
})

const REPORTS: Array<{ kind: ReportKind; input: unknown; limitSeconds?: number }> = [
  {
    kind: 'cases',
    input: { kind: 'cases', sort: { field: 'reference', direction: 'asc' }, filters: {} },
    limitSeconds: 30
  },
  { kind: 'aging', input: { kind: 'aging' } },
  { kind: 'recovery', input: { kind: 'recovery' } },
  { kind: 'activity', input: { kind: 'activity' } },
  { kind: 'remittance', input: { kind: 'remittance' } }
]

describe(`reports on ${dataDir}`, () => {
  it.skipIf(ONLY.length > 0 && !ONLY.includes('dashboard'))('dashboard (reports:dashboard, 12 months)', async () => {
    const { ms, peak } = await measured(() => app.call('reports:dashboard', {}))
    console.log(`dashboard: ${(ms / 1000).toFixed(2)} s, peak RssAnon ${peak.anon.toFixed(0)} MB`)
    const { ms: oneClient } = await measured(async () => {
      const [client] = await app.db.read((m) =>
        m.query('SELECT client_id AS id FROM collection_case GROUP BY client_id ORDER BY COUNT(*) DESC LIMIT 1')
      )
      return app.call('reports:dashboard', { clientIds: [client.id] })
    })
    console.log(`dashboard, largest client: ${(oneClient / 1000).toFixed(2)} s`)
  })

  for (const report of REPORTS) {
    it.skipIf(ONLY.length > 0 && !ONLY.includes(report.kind))(report.kind, async () => {
      const out = join(ROOT, `bench-${report.kind}.xlsx`)
      const input = reportExportInput.parse(report.input) as ChannelParsedInput<'reports:export'>
      const user = await app.services.users.sessionUser()
      const { value, ms, cpuMs, peak, before } = await measured(() => app.services.reports.write(input, out, user))
      results.push({
        kind: report.kind,
        rows: value.rowCount,
        seconds: ms / 1000,
        cpuSeconds: cpuMs / 1000,
        mb: statSync(out).size / 1024 / 1024,
        rssMb: peak.rss,
        anonMb: peak.anon,
        startAnonMb: before.anon
      })
      if (report.kind === 'cases') {
        // The file is complete: as many rows as cases (header, blank line and totals aside).
        const reader = new ExcelJS.stream.xlsx.WorkbookReader(out, {})
        let rows = 0
        for await (const sheet of reader) {
          for await (const _row of sheet) rows += 1
        }
        expect(value.rowCount).toBe(CASES)
        expect(rows).toBeGreaterThanOrEqual(CASES + 2)
      }
      if (report.limitSeconds) {
        expect(ms / 1000).toBeLessThan(report.limitSeconds)
        expect(peak.anon).toBeLessThan(500)
      }
    })
  }
})
