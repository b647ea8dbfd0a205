/**
 * Portfolio benchmark (issue 3): on a 200,000-case demo database, p50/p95 of the main-process
 * query behind the portfolio (first page + totals: `cases:list` through the dispatcher, as the
 * renderer calls it) for a fixed set of filters, sorts and searches; the same statements
 * replayed as raw SQL on a second connection to the same file, and the ratio between the two;
 * search-as-you-type (every keystroke of a few searches); opening a case (`cases:get-summary`).
 *
 *   npm run bench
 *
 * Environment (all optional):
 *   RECOUVRA_BENCH_CASES=200000  RECOUVRA_BENCH_SEED=1   size and seed of the demo portfolio
 *   RECOUVRA_BENCH_HISTORY=busy                          busy (default: ~3 claims, ~10 journal entries a case) or standard
 *   RECOUVRA_BENCH_DIR=/tmp/recouvra-bench               where databases are kept, one per size and seed
 *   RECOUVRA_BENCH_SOURCE=/tmp/demo200k                  copy this data folder instead of generating
 *   RECOUVRA_BENCH_RUNS=40                               measured runs per scenario (after 5 warm-ups)
 *   RECOUVRA_BENCH_ONLY=search                           only the scenarios whose name contains this
 *
 * The database is generated once (in process, like `cli demo`) and reused; an older one is
 * migrated when opened. Figures go to the console and to <dir>/results-<seed>-<cases>.json.
 * The machine is shared: compare ratios, and re-run noisy figures.
 */
import 'reflect-metadata'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Database as Sqlite, OPEN_READONLY } from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseListQuery } from '@shared/contract'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { DATABASE_FILE_NAME } from '../../../src-main/db/database'
import { fixedClock, systemClock, type Clock } from '../../../src-main/platform/clock'
import { log } from '../../../src-main/platform/log'
import { BUILT_IN_VIEWS } from '../../../src-main/modules/portfolio/portfolio-views.service'
import { BENCH_CASES, BENCH_HISTORY, BENCH_ROOT, BENCH_SEED, benchDataDir } from '../bench-database'

const CASES = BENCH_CASES
const SEED = BENCH_SEED
const ROOT = BENCH_ROOT
const RUNS = Number(process.env.RECOUVRA_BENCH_RUNS ?? 40)
const ONLY = process.env.RECOUVRA_BENCH_ONLY ?? ''
const WARM_UPS = 5
const PAGE = 100

const dataDir = benchDataDir()
const metaFile = join(dataDir, 'bench-meta.json')

let app: RecouvraApp
let raw: Sqlite
const results: Result[] = []

interface Result {
  group: string
  name: string
  runs: number
  p50: number
  p95: number
  rawP50: number | null
  rawP95: number | null
}

interface Statement {
  sql: string
  params: unknown[]
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

/** Runs `call` with TypeORM's logger tapped: the statements it sent to SQLite, in order. */
async function captured<T>(call: () => Promise<T>): Promise<{ value: T; statements: Statement[] }> {
  const logger = app.db.dataSource.logger
  const original = logger.logQuery.bind(logger)
  const statements: Statement[] = []
  logger.logQuery = (query, parameters, runner) => {
    if (!/^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(query))
      statements.push({ sql: query, params: parameters ?? [] })
    return original(query, parameters, runner)
  }
  try {
    return { value: await call(), statements }
  } finally {
    logger.logQuery = original
  }
}

function rawAll(sql: string, params: unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) =>
    raw.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)))
  )
}

async function replay(statements: readonly Statement[]): Promise<number> {
  const started = performance.now()
  for (const s of statements) await rawAll(s.sql, s.params)
  return performance.now() - started
}

/**
 * Measures `inputs` (cycled) through the main process, each call followed by the raw replay of
 * the statements it ran, so that both see the same machine load.
 */
async function measure(
  group: string,
  name: string,
  inputs: ReadonlyArray<() => Promise<unknown>>,
  runs = RUNS,
  withRaw = true,
  cold = true
): Promise<Result | null> {
  if (ONLY && !`${group} ${name}`.includes(ONLY)) return null
  for (let i = 0; i < WARM_UPS; i++) await inputs[i % inputs.length]!()
  const main: number[] = []
  const rawTimes: number[] = []
  for (let i = 0; i < runs; i++) {
    const input = inputs[i % inputs.length]!
    // Cold: a list as it is first shown (the service keeps totals until the next write).
    if (cold) app.services.cases.clearCache()
    const started = performance.now()
    const { statements } = await captured(input)
    main.push(performance.now() - started)
    if (withRaw) rawTimes.push(await replay(statements))
  }
  main.sort((a, b) => a - b)
  rawTimes.sort((a, b) => a - b)
  const result: Result = {
    group,
    name,
    runs,
    p50: round(percentile(main, 50)),
    p95: round(percentile(main, 95)),
    rawP50: withRaw ? round(percentile(rawTimes, 50)) : null,
    rawP95: withRaw ? round(percentile(rawTimes, 95)) : null
  }
  results.push(result)
  console.log(formatRow(result))
  return result
}

const round = (ms: number) => Math.round(ms * 100) / 100

function formatRow(r: Result): string {
  const ratio = (a: number, b: number | null) => (b ? (a / b).toFixed(2) : '—')
  return `| ${r.group} | ${r.name} | ${r.p50} | ${r.p95} | ${r.rawP50 ?? '—'} | ${r.rawP95 ?? '—'} | ${ratio(r.p50, r.rawP50)} | ${ratio(r.p95, r.rawP95)} |`
}

/** The demo database for this size and seed: reused, copied from RECOUVRA_BENCH_SOURCE, or generated. */
async function openDatabase(): Promise<void> {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, DATABASE_FILE_NAME)
  let clock: Clock = systemClock
  if (existsSync(metaFile)) {
    clock = fixedClock(JSON.parse(readFileSync(metaFile, 'utf8')).now)
  } else if (process.env.RECOUVRA_BENCH_SOURCE) {
    const source = join(process.env.RECOUVRA_BENCH_SOURCE, DATABASE_FILE_NAME)
    console.log(`copying ${source} to ${file}`)
    copyFileSync(source, file)
    writeFileSync(metaFile, JSON.stringify({ now: new Date().toISOString(), source }))
  }
  const started = performance.now()
  app = await createApp({ dataDir, clock })
  console.log(`opened ${file} (migrated if needed) in ${Math.round(performance.now() - started)} ms`)
  const [count] = await app.db.read((m) => m.query('SELECT COUNT(*) AS n FROM collection_case'))
  if (Number(count.n) === 0) {
    console.log(`generating ${CASES} demo cases, seed ${SEED}…`)
    const result = await app.services.demo.generate({ cases: CASES, seed: SEED, history: BENCH_HISTORY })
    console.log(`generated in ${(result.durationMs / 1000).toFixed(1)} s`)
    writeFileSync(metaFile, JSON.stringify({ now: new Date().toISOString(), generationMs: result.durationMs }))
  }
  raw = new Sqlite(file, OPEN_READONLY)
  // The same page cache and memory map as the app's connection (src-main/db/database.ts).
  await rawAll('PRAGMA cache_size = -65536', [])
  await rawAll('PRAGMA mmap_size = 1073741824', [])
}

describe('portfolio at 200,000 cases', () => {
  beforeAll(async () => {
    log.setLevel('warn')
    await openDatabase()
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => (raw ? raw.close(() => resolve()) : resolve()))
    await app?.close()
  })

  it('reports p50/p95 of the portfolio queries and their raw-SQL ratio', async () => {
    const q = <T>(sql: string, params: unknown[] = []) => app.db.read((m) => m.query(sql, params) as Promise<T>)
    const [cases] = await q<Array<{ n: number }>>('SELECT COUNT(*) AS n FROM collection_case')
    console.log(`${cases!.n} cases; ${RUNS} runs per scenario after ${WARM_UPS} warm-ups; times in ms`)
    const [bigClient] = await q<Array<{ id: string }>>(
      'SELECT client_id AS id FROM collection_case GROUP BY client_id ORDER BY COUNT(*) DESC, client_id LIMIT 1'
    )
    const [collector] = await q<Array<{ id: string }>>(
      'SELECT collector_id AS id FROM collection_case WHERE collector_id IS NOT NULL GROUP BY collector_id ORDER BY COUNT(*) DESC, collector_id LIMIT 1'
    )
    const samples = await q<
      Array<{ reference: string; name: string; invoice: string; phone: string; email: string; siren: string }>
    >(
      `SELECT c.reference, d.display_name AS name,
          (SELECT invoice_number FROM claim WHERE case_id = c.id ORDER BY invoice_number LIMIT 1) AS invoice,
          (SELECT number FROM debtor_phone WHERE debtor_id = d.id AND number LIKE '+336%' ORDER BY number LIMIT 1) AS phone,
          (SELECT address FROM debtor_email WHERE debtor_id = d.id ORDER BY address LIMIT 1) AS email,
          d.siren
        FROM collection_case c JOIN debtor d ON d.id = c.debtor_id
        WHERE d.siren IS NOT NULL AND EXISTS (SELECT 1 FROM debtor_email WHERE debtor_id = d.id)
          AND EXISTS (SELECT 1 FROM debtor_phone WHERE debtor_id = d.id AND number LIKE '+336%')
        ORDER BY c.reference LIMIT 20`
    )
    const list = (query: CaseListQuery) => () => app.call('cases:list', { limit: PAGE, ...query })
    const open = { statuses: ['open', 'suspended'] as Array<'open' | 'suspended'> }
    const national = (e164: string) => `0${e164.slice(3)}`

    // 1. First page + totals, for filters and sorts.
    await measure('page', 'default view: open+suspended, days past due ↓', [
      list({ filters: open, sort: { field: 'daysPastDue', direction: 'desc' } })
    ])
    await measure('page', 'whole portfolio, reference ↑', [list({})])
    const sorts = [
      ['debtorName', 'asc'],
      ['clientName', 'asc'],
      ['collectorName', 'asc'],
      ['balance', 'desc'],
      ['phase', 'asc'],
      ['status', 'desc'],
      ['priority', 'desc'],
      ['lastContactAt', 'desc'],
      ['nextActionOn', 'asc'],
      ['openedOn', 'desc'],
      ['daysPastDue', 'asc'],
      ['reference', 'desc']
    ] as const
    for (const [field, direction] of sorts) {
      await measure('page', `open+suspended, sort ${field} ${direction === 'asc' ? '↑' : '↓'}`, [
        list({ filters: open, sort: { field, direction } })
      ])
    }
    const filters: Array<[string, CaseListQuery['filters']]> = [
      ['phase judicial', { ...open, phases: ['judicial'] }],
      ['largest client', { clientIds: [bigClient!.id] }],
      ['busiest collector, open', { statuses: ['open'], collectorIds: [collector!.id] }],
      ['balance 1 000–5 000 €', { ...open, balanceMinCents: 100_000, balanceMaxCents: 500_000 }],
      ['balance ≥ 20 000 €', { balanceMinCents: 2_000_000 }],
      ['age 0–30 d', { ...open, ageBuckets: ['0-30'] }],
      ['age 91–180 d + >180 d', { ...open, ageBuckets: ['91-180', '181+'] }],
      ['broken promise', { ...open, brokenPromise: true }],
      ['plan in default', { planInDefault: true }],
      ['next action due today', { statuses: ['open'], nextActionDue: true }],
      [
        'combined: open, amiable, ≥ 500 €, 31–60 d',
        { statuses: ['open'], phases: ['amicable'], balanceMinCents: 50_000, ageBuckets: ['31-60'] }
      ]
    ]
    for (const [name, filter] of filters) {
      await measure('page', `${name}, days past due ↓`, [
        list({ filters: filter, sort: { field: 'daysPastDue', direction: 'desc' } })
      ])
    }
    await measure('page', 'combined filters, sort debtor ↑', [
      list({
        filters: { statuses: ['open'], balanceMinCents: 50_000, ageBuckets: ['31-60', '61-90'] },
        sort: { field: 'debtorName', direction: 'asc' }
      })
    ])
    // Saved views as the renderer sends them (mine = the session user, the administrator here:
    // use the busiest collector instead so that the view is not empty).
    for (const view of BUILT_IN_VIEWS) {
      const filters = view.filters.mine
        ? { ...view.filters, mine: undefined, collectorIds: [collector!.id] }
        : view.filters
      await measure('view', view.name, [list({ filters, sort: view.sort })])
    }
    // Scrolling down a list already shown: the next pages reuse its totals.
    await measure(
      'scroll',
      'default view, pages 2–5 (totals kept)',
      [1, 2, 3, 4].map((page) =>
        list({ offset: page * PAGE, filters: open, sort: { field: 'daysPastDue', direction: 'desc' } })
      ),
      RUNS,
      true,
      false
    )
    // Deep pages (scrolling far down: no target, for the record).
    await measure('deep', 'default view, offset 50 000', [
      list({ offset: 50_000, filters: open, sort: { field: 'daysPastDue', direction: 'desc' } })
    ])
    await measure('deep', 'sort by client ↑, offset 80 000', [
      list({ offset: 80_000, filters: open, sort: { field: 'clientName', direction: 'asc' } })
    ])

    // 2. Searches (default view's filters and sort, as typed in the box).
    const searchInputs = (texts: readonly string[]) =>
      texts.map((text) => list({ filters: { ...open, text }, sort: { field: 'daysPastDue', direction: 'desc' } }))
    const firstWords = samples.map((s) => s.name.split(' ')[0]!)
    await measure(
      'search',
      'name beginning (4 letters)',
      searchInputs(firstWords.map((w) => w.slice(0, 4).toLowerCase()))
    )
    await measure('search', 'full name (two words)', searchInputs(samples.map((s) => s.name)))
    await measure('search', 'case reference', searchInputs(samples.map((s) => s.reference)))
    await measure('search', 'invoice number', searchInputs(samples.map((s) => s.invoice)))
    await measure(
      'search',
      'phone "06 12 34 56 78"',
      searchInputs(samples.map((s) => national(s.phone).replace(/(\d{2})(?=\d)/g, '$1 ')))
    )
    await measure(
      'search',
      'phone "+33 6…" begun',
      searchInputs(samples.map((s) => `+33 ${s.phone.slice(3, 4)} ${s.phone.slice(4, 8)}`))
    )
    await measure('search', 'email', searchInputs(samples.map((s) => s.email)))
    await measure(
      'search',
      'SIREN "123 456 789"',
      searchInputs(samples.map((s) => s.siren.replace(/(\d{3})(?=\d)/g, '$1 ')))
    )
    await measure('search', 'broad: 2 letters', searchInputs(['ma', 'le', 'be', 'ro', 'ch', 'de', 'la', 'sa']))

    // 3. Search as you type: every keystroke of a few searches, each a first page + totals.
    const typed = [
      'lefebvre',
      'martin',
      samples[0]!.name.split(' ')[0]!.toLowerCase(),
      samples[1]!.email,
      national(samples[2]!.phone).replace(/(\d{2})(?=\d)/g, '$1 '),
      samples[3]!.invoice,
      samples[4]!.reference
    ]
    const keystrokes = typed.flatMap((text) => [...text].map((_, i) => text.slice(0, i + 1)))
    await measure(
      'typing',
      `every keystroke of ${typed.length} searches (${keystrokes.length} calls)`,
      searchInputs(keystrokes),
      Math.max(RUNS, keystrokes.length * 2)
    )
    const longer = keystrokes.filter((k) => k.replace(/[^\p{L}\p{N}]/gu, '').length >= 3)
    await measure(
      'typing',
      `the keystrokes from the 3rd letter or digit on (${longer.length} calls)`,
      searchInputs(longer),
      Math.max(RUNS, longer.length * 2)
    )

    // 3b. The same keystrokes as the renderer sends them now: `cases:page` (the first page,
    // without waiting for the totals of a broad search), then — when it came without them —
    // `cases:totals` for the same input. Timed apart: the first is what the collector waits for
    // to see rows, the second when the count and balance appear (both cold, as first shown).
    const pageInputs = (texts: readonly string[]) =>
      texts.map((text): CaseListQuery => ({
        limit: PAGE,
        filters: { ...open, text },
        sort: { field: 'daysPastDue', direction: 'desc' }
      }))
    app.services.cases.clearCache()
    const broad: CaseListQuery[] = []
    for (const input of pageInputs(keystrokes)) {
      app.services.cases.clearCache()
      if ((await app.call('cases:page', input)).totals === null) broad.push(input)
    }
    console.log(`${broad.length} of ${keystrokes.length} keystrokes came back without their totals`)
    await measure(
      'typing',
      `first page (cases:page), every keystroke (${keystrokes.length} calls)`,
      pageInputs(keystrokes).map((input) => () => app.call('cases:page', input)),
      Math.max(RUNS, keystrokes.length * 2)
    )
    await measure(
      'typing',
      `first page (cases:page), from the 3rd letter or digit (${longer.length} calls)`,
      pageInputs(longer).map((input) => () => app.call('cases:page', input)),
      Math.max(RUNS, longer.length * 2)
    )
    if (broad.length) {
      await measure(
        'typing',
        `first page (cases:page) of the ${broad.length} broad keystrokes`,
        broad.map((input) => () => app.call('cases:page', input)),
        Math.max(RUNS, broad.length * 4)
      )
      await measure(
        'typing',
        `their totals (cases:totals, after the page)`,
        broad.map((input) => () => app.call('cases:totals', input)),
        Math.max(RUNS, broad.length * 4)
      )
    }

    // 3d. As a collector types: the portfolio is on screen (its view shown, so its totals are
    // known until the next write), then one keystroke after another, each first page timed as the
    // renderer asks it (`cases:page`), nothing cleared in between — the service keeps what a
    // session keeps. Each run starts from a cleared cache and the view shown again.
    const asTypedName = `first page as typed after the view is shown (${keystrokes.length} keystrokes × 3)`
    if (!ONLY || `typing ${asTypedName}`.includes(ONLY)) {
      const view: CaseListQuery = {
        limit: PAGE,
        filters: { ...open },
        sort: { field: 'daysPastDue', direction: 'desc' }
      }
      const main: number[] = []
      const rawTimes: number[] = []
      for (let run = 0; run < 3; run++) {
        for (const text of typed) {
          app.services.cases.clearCache()
          await app.call('cases:page', view)
          for (const input of pageInputs([...text].map((_, i) => text.slice(0, i + 1)))) {
            const started = performance.now()
            const { statements } = await captured(() => app.call('cases:page', input))
            main.push(performance.now() - started)
            rawTimes.push(await replay(statements))
          }
        }
      }
      main.sort((a, b) => a - b)
      rawTimes.sort((a, b) => a - b)
      const result: Result = {
        group: 'typing',
        name: asTypedName,
        runs: main.length,
        p50: round(percentile(main, 50)),
        p95: round(percentile(main, 95)),
        rawP50: round(percentile(rawTimes, 50)),
        rawP95: round(percentile(rawTimes, 95))
      }
      results.push(result)
      console.log(formatRow(result))
    }

    // 3c. The agenda: the whole team's (a manager's view) and the busiest collector's, first page
    // of 50 cases with the counts of every kind; the counts alone (the navigation badge).
    await measure(
      'agenda',
      'team agenda (agenda:list, 50 cases + counts)',
      [() => app.call('agenda:list', { collectorId: null, limit: 50 })],
      Math.min(RUNS, 20)
    )
    await measure(
      'agenda',
      'busiest collector (agenda:list)',
      [() => app.call('agenda:list', { collectorId: collector!.id, limit: 50 })],
      Math.min(RUNS, 20)
    )
    await measure(
      'agenda',
      'team counts (agenda:counts)',
      [() => app.call('agenda:counts', { collectorId: null })],
      Math.min(RUNS, 20)
    )

    // 4. Opening a case from the list.
    const ids = (
      await q<Array<{ id: string }>>('SELECT id FROM collection_case ORDER BY reference LIMIT 500 OFFSET 1000')
    ).map((r) => r.id)
    await measure(
      'open',
      'cases:get-summary',
      ids.map((id) => () => app.call('cases:get-summary', { id }))
    )

    console.log(
      '\n| group | scenario | p50 | p95 | raw p50 | raw p95 | ratio p50 | ratio p95 |\n|---|---|---|---|---|---|---|---|'
    )
    for (const r of results) console.log(formatRow(r))
    writeFileSync(
      join(ROOT, `results-${SEED}-${CASES}-${BENCH_HISTORY}.json`),
      JSON.stringify({ at: new Date().toISOString(), runs: RUNS, results }, null, 2)
    )
    expect(results.length).toBeGreaterThan(0)
  })
})
