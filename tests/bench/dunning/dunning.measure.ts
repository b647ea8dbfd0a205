/**
 * A batch of mise en demeure letters through the dunning engine, as a manager's confirmed run
 * does it: every letter rendered by the documents module (@react-pdf, statement of account,
 * legal checks), stored once hashed with its document row and journal entries, the merged
 * print file (cover list + letters in postcode order), all rows written in one transaction.
 * Prints letters per second and peak memory. Not a timed test.
 *
 *   npx vitest run --config tests/bench/dunning/vitest.config.mts
 *   RECOUVRA_BENCH_LETTERS=1000 (default)   RECOUVRA_BENCH_DIR=/tmp/recouvra-bench-dunning
 */
import 'reflect-metadata'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DunningPreviewItem } from '@shared/contract'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { log } from '../../../src-main/platform/log'
import { configurePdfPool, pdfWorkerCount } from '../../../src-main/modules/documents/pdf-pool'
import { AGENCY } from '../../integration/documents/fixtures'
import { bundlePdfWorker } from '../../integration/helpers/pdf-worker-bundle'

const LETTERS = Number(process.env.RECOUVRA_BENCH_LETTERS ?? 1000)
const DIR = process.env.RECOUVRA_BENCH_DIR ?? '/tmp/recouvra-bench-dunning'
const AT = '2026-11-23'

let app: RecouvraApp
let removeWorker: (() => void) | undefined

describe('dunning batch of formal notices', () => {
  beforeAll(async () => {
    log.setLevel('warn')
    // The sources have no bundled PDF worker: bundle it as electron-vite does, so the letters
    // render in worker threads as in the app (RECOUVRA_PDF_WORKERS=0: all in this thread).
    const worker = await bundlePdfWorker()
    removeWorker = worker.remove
    await configurePdfPool(worker.file)
    console.log(`PDF workers: ${pdfWorkerCount()}`)
    rmSync(DIR, { recursive: true, force: true })
    mkdirSync(DIR, { recursive: true })
    app = await createApp({ dataDir: DIR, clock: fixedClock('2026-11-23T09:00:00.000Z') })
    // TEST DATA, not official figures: the shipped rate table stops at 2026-S1.
    await app.call('rates:add-semester', { kind: 'ecb_refinancing', semester: '2026-S2', ratePercent: '2,15' })
    await app.call('rates:add-semester', {
      kind: 'legal_interest',
      semester: '2026-S2',
      creditorIndividualPercent: '6,50',
      otherCasesPercent: '3,00'
    })
    await app.call('documents:agency-save', AGENCY)
    const started = performance.now()
    await app.services.demo.generate({ cases: Math.ceil(LETTERS * 5), seed: 1 })
    console.log(`demo portfolio: ${Math.round(performance.now() - started)} ms`)
  })
  afterAll(async () => {
    await app?.close()
    await configurePdfPool(null)
    removeWorker?.()
  })

  it(`renders, stores and merges ${LETTERS} mise en demeure letters`, async () => {
    const user = await app.services.users.sessionUser()
    const stepRows: Array<{ id: string; name: string }> = await app.db.read((m) =>
      m.query(
        `SELECT s.id, s.name FROM dunning_step s JOIN dunning_scenario sc ON sc.id = s.scenario_id
          WHERE sc.is_default = 1 AND s.template_code = 'formal-notice'`
      )
    )
    const step = stepRows[0]!
    // Open cases in the amicable phase with an address, no disputed claim: the engine's candidates.
    const rows: Array<Record<string, unknown>> = await app.db.read((m) =>
      m.query(
        `SELECT c.id, c.reference, c.balance_cents, d.display_name,
                (SELECT a.postal_code FROM debtor_address a WHERE a.debtor_id = c.debtor_id AND a.valid_to IS NULL LIMIT 1) AS pc,
                (SELECT a.city FROM debtor_address a WHERE a.debtor_id = c.debtor_id AND a.valid_to IS NULL LIMIT 1) AS city
           FROM collection_case c JOIN debtor d ON d.id = c.debtor_id
          WHERE c.status = 'open' AND c.phase = 'amicable' AND c.balance_cents > 0
            AND NOT EXISTS (SELECT 1 FROM claim cl WHERE cl.case_id = c.id AND cl.disputed = 1)
          ORDER BY c.reference`
      )
    )
    const candidates = rows.filter((r) => r.pc !== null)
    const items: DunningPreviewItem[] = []
    const cities = new Map<string, { city: string | null }>()
    for (const r of candidates) {
      if (items.length >= LETTERS) break
      // Something to demand (not time-barred, not paid): what the engine's preview checks too.
      const statement = await app.db.read((m) => app.services.statements.compute(m, String(r.id), AT))
      if (statement.demandableBalanceCents <= 0) continue
      items.push({
        caseId: String(r.id),
        caseReference: String(r.reference),
        debtorName: String(r.display_name),
        clientName: '',
        postalCode: String(r.pc),
        balanceCents: Number(r.balance_cents),
        scenarioCode: 'bench',
        stepId: step.id,
        stepName: step.name,
        channel: 'registered_letter',
        templateCode: 'formal-notice',
        phaseChange: 'formal_notice',
        dueOn: AT,
        caughtUp: []
      })
      cities.set(String(r.id), { city: r.city === null ? null : String(r.city) })
    }
    console.log(`${items.length} candidate cases`)

    let peakRss = 0
    let peakHeap = 0
    const sample = () => {
      const m = process.memoryUsage()
      peakRss = Math.max(peakRss, m.rss)
      peakHeap = Math.max(peakHeap, m.heapUsed)
    }
    global.gc?.()
    const loadBefore = loadavg().map((l) => +l.toFixed(2))
    const baseRss = process.memoryUsage().rss
    const timer = setInterval(sample, 25)
    const cpuStart = process.cpuUsage()
    const started = performance.now()
    let renderedAt = 0
    let cpuRendered = null as NodeJS.CpuUsage | null
    const result = await app.services.dunning.execute(AT, items, cities, user, {
      onProgress: (done, total) => {
        sample()
        if (done === total) {
          renderedAt = performance.now()
          cpuRendered = process.cpuUsage(cpuStart)
        }
      }
    })
    const total = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpuStart)
    const cpuSeconds = (cpu.user + cpu.system) / 1e6
    const rendered = cpuRendered as NodeJS.CpuUsage | null
    const cpuRenderSeconds = rendered ? (rendered.user + rendered.system) / 1e6 : 0
    clearInterval(timer)
    sample()

    const letters = result.actions
    const renderSeconds = (renderedAt - started) / 1000
    const printSize = result.printFile ? statSync(join(DIR, result.printFile)).size : 0
    const reasons = new Map<string, number>()
    for (const f of result.failures) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1)
    const figures = {
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadavg().map((l) => +l.toFixed(2)),
      letters,
      refused: result.failures.length,
      seconds: +total.toFixed(2),
      lettersPerSecond: +(letters / total).toFixed(1),
      renderSeconds: +renderSeconds.toFixed(2),
      cpuSeconds: +cpuSeconds.toFixed(2),
      cpuRenderSeconds: +cpuRenderSeconds.toFixed(2),
      // Letters per second of this process's own CPU time: what a machine not shared with other
      // jobs gives per core (process.cpuUsage counts every thread: main, PDF workers, sqlite3).
      lettersPerCpuSecond: +(letters / cpuSeconds).toFixed(1),
      mergeAndWriteSeconds: +(total - renderSeconds).toFixed(2),
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      rssGrowthMiB: Math.round((peakRss - baseRss) / 2 ** 20),
      peakHeapMiB: Math.round(peakHeap / 2 ** 20),
      printFileMiB: +(printSize / 2 ** 20).toFixed(1)
    }
    console.log(JSON.stringify(figures, null, 2))
    for (const [reason, n] of reasons) console.log(`refused ×${n}: ${reason}`)
    expect(result.batchId).not.toBeNull()
  })
})
