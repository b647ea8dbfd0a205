import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, it } from 'vitest'
import pg from 'pg'
import { createApp } from '../../../src-main/app/create-app'
import type { LoadTestResult } from '../../../src-main/db/load-test'

/**
 * Agency mode under load: COLLECTORS processes (the built CLI's `db load-test`, each its own app
 * and connection pool) log calls and payments and browse the portfolio for SECONDS against one
 * PostgreSQL database holding CASES demo cases; then every write they reported is looked up.
 *
 *   RECOUVRA_TEST_PG_URL=postgres://postgres@127.0.0.1:54329/postgres \
 *   RECOUVRA_BENCH_CASES=20000 RECOUVRA_BENCH_COLLECTORS=20 RECOUVRA_BENCH_SECONDS=120 \
 *   npx vitest run --config tests/bench/agency/vitest.config.mts tests/bench/agency/agency.measure.ts
 *
 * or against a database loaded once (RECOUVRA_BENCH_DATABASE_URL=postgres://…/agency200k).
 */
const ADMIN_URL = process.env.RECOUVRA_TEST_PG_URL
/**
 * An existing, loaded database to reuse (e.g. the 200,000-case one, built once by `demo` or
 * `db copy`): nothing is generated, nothing is dropped. Unset: a database of CASES demo cases is
 * created on the RECOUVRA_TEST_PG_URL server and dropped after.
 */
const REUSE_URL = process.env.RECOUVRA_BENCH_DATABASE_URL
const CASES = Number(process.env.RECOUVRA_BENCH_CASES ?? 5_000)
const COLLECTORS = Number(process.env.RECOUVRA_BENCH_COLLECTORS ?? 20)
const SECONDS = Number(process.env.RECOUVRA_BENCH_SECONDS ?? 30)
const ROOT = resolve(import.meta.dirname, '../../..')
const BUILD = join(ROOT, '.e2e', 'agency-bench', 'out')

function percentile(sorted: number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

it.skipIf(!ADMIN_URL && !REUSE_URL)(`${COLLECTORS} collectors on one PostgreSQL database`, async () => {
  const name = `recouvra_bench_${Date.now()}`
  const admin = REUSE_URL ? null : new pg.Client({ connectionString: ADMIN_URL })
  let databaseUrl = REUSE_URL ?? ''
  const dirs: string[] = []
  try {
    // The portfolio: the loaded database given, or one generated now through the app (opening it
    // applies any pending migration either way).
    const dataDir = mkdtempSync(join(tmpdir(), 'recouvra-agency-bench-'))
    dirs.push(dataDir)
    const started = performance.now()
    if (admin) {
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`)
      const url = new URL(ADMIN_URL!)
      url.pathname = `/${name}`
      databaseUrl = url.toString()
    }
    const app = await createApp({ dataDir, databaseUrl })
    if (admin) await app.services.demo.generate({ cases: CASES, seed: 42 })
    const [{ n: cases }] = await app.db.read((m) => m.query('SELECT COUNT(*) AS n FROM collection_case'))
    await app.close()
    const generationSeconds = admin ? (performance.now() - started) / 1000 : null

    // The CLI the collectors run, built into a folder of its own.
    const build = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, RECOUVRA_BUILD_OUT: join(ROOT, '.e2e', 'agency-bench', 'out') },
      stdio: 'inherit'
    })
    expect(build.status).toBe(0)

    // All collectors open their app first, then start together (RECOUVRA_LOAD_START_AT).
    const startAt = Date.now() + Number(process.env.RECOUVRA_BENCH_SETUP_SECONDS ?? 20 + 2 * COLLECTORS) * 1000
    const runs = await Promise.all(
      Array.from({ length: COLLECTORS }, (_, i) => {
        const dir = mkdtempSync(join(tmpdir(), `recouvra-collector-${i}-`))
        dirs.push(dir)
        return new Promise<LoadTestResult>((done, fail) => {
          const child = spawn(
            process.execPath,
            [
              join(BUILD, 'main', 'cli.js'),
              'db',
              'load-test',
              '--database',
              databaseUrl,
              '--data-dir',
              dir,
              '--seconds',
              String(SECONDS),
              '--seed',
              String(i + 1),
              '--json'
            ],
            {
              stdio: ['ignore', 'pipe', 'pipe'],
              env: { ...process.env, RECOUVRA_DATABASE_URL: '', RECOUVRA_LOAD_START_AT: String(startAt) }
            }
          )
          let out = ''
          let err = ''
          child.stdout.on('data', (c: Buffer) => (out += c.toString()))
          child.stderr.on('data', (c: Buffer) => (err += c.toString()))
          child.on('exit', (code) =>
            code === 0
              ? done(JSON.parse(out) as LoadTestResult)
              : fail(new Error(`collector ${i} exited ${code}: ${err.slice(-2000)}`))
          )
        })
      })
    )

    const journalIds = runs.flatMap((r) => r.journalIds)
    const paymentIds = runs.flatMap((r) => r.paymentIds)
    const check = new pg.Client({ connectionString: databaseUrl })
    await check.connect()
    const { rows } = await check.query<{ journal: string; payments: string }>(
      `SELECT (SELECT COUNT(*) FROM journal_entry WHERE id = ANY($1)) AS journal,
              (SELECT COUNT(*) FROM payment WHERE id = ANY($2)) AS payments`,
      [journalIds, paymentIds]
    )
    await check.end()

    const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b)
    const operations = runs.reduce((n, r) => n + r.operations, 0)
    const kinds = [...new Set(runs.flatMap((r) => Object.keys(r.byKind)))]
    const byKind = Object.fromEntries(
      kinds.map((kind) => {
        const all = runs.flatMap((r) => r.kinds?.[kind] ?? []).sort((a, b) => a - b)
        return [
          kind,
          {
            count: runs.reduce((n, r) => n + (r.byKind[kind]?.count ?? 0), 0),
            p50Ms: percentile(all, 0.5),
            p95Ms: percentile(all, 0.95),
            worstP95Ms: Math.max(...runs.map((r) => r.byKind[kind]?.p95Ms ?? 0))
          }
        ]
      })
    )
    const load = loadavg().map((x) => Math.round(x * 100) / 100)
    const report = {
      at: new Date().toISOString(),
      cases: Number(cases),
      reused: REUSE_URL ? true : false,
      collectors: COLLECTORS,
      seconds: SECONDS,
      generationSeconds: generationSeconds === null ? null : Math.round(generationSeconds),
      loadAverageAfter: load,
      cpus: cpus().length,
      operations,
      operationsPerSecond: Math.round((operations / SECONDS) * 10) / 10,
      p50Ms: percentile(all, 0.5),
      p95Ms: percentile(all, 0.95),
      byKind,
      refused: runs.reduce((n, r) => n + r.refused, 0),
      errors: runs.flatMap((r) => r.errors),
      writes: { calls: journalIds.length, payments: paymentIds.length },
      found: { calls: Number(rows[0]!.journal), payments: Number(rows[0]!.payments) }
    }
    console.log(JSON.stringify(report, null, 2))
    writeFileSync(join(import.meta.dirname, 'agency-results.json'), JSON.stringify(report, null, 2) + '\n')
    expect(report.errors).toEqual([])
    expect(report.found).toEqual(report.writes)
  } finally {
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined)
      await admin.end()
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
})
