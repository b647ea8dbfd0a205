import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { PassThrough } from 'node:stream'
import { join } from 'node:path'
import os from 'node:os'
import ExcelJS from 'exceljs'
import { expect, it } from 'vitest'
import { PortfolioGenerator } from '../../../src-main/modules/demo/portfolio-generator'
import { openTempApp, TEST_TODAY } from '../../integration/helpers/temp-app'

/**
 * 100,000 invoice rows of a client's .xlsx imported through the same service calls as the
 * wizard: analyze (streamed read), preview, commit (one transaction, search index included).
 * Rows come from the seeded demo generator (French names, addresses, phones, invoices).
 * Figures: wall time of each step, and peak RSS sampled every 20 ms during the import.
 *
 *   npx vitest run --config tests/bench/imports/vitest.config.mts
 *   RECOUVRA_BENCH_ROWS=20000 … for a shorter run
 */

const ROWS = Number(process.env.RECOUVRA_BENCH_ROWS ?? 100_000)
const DIR = process.env.RECOUVRA_BENCH_DIR ?? '/tmp/recouvra-bench'
const HEADERS = [
  'Raison sociale',
  'Nom',
  'Prénom',
  'SIREN',
  'Adresse',
  'CP',
  'Ville',
  'Téléphone',
  'Email',
  'N° facture',
  'Date facture',
  'Échéance',
  'Montant TTC'
]

async function writeFile(path: string): Promise<void> {
  const generator = new PortfolioGenerator({ cases: ROWS, seed: 3, today: TEST_TODAY })
  const output = new PassThrough()
  const chunks: Buffer[] = []
  output.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise((resolve) => output.on('end', resolve))
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false })
  const sheet = workbook.addWorksheet('Impayés')
  sheet.addRow(HEADERS).commit()
  const date = (iso: string) => new Date(`${iso}T00:00:00Z`)
  let written = 0
  for (let batch = generator.nextBatch(500); batch && written < ROWS; batch = generator.nextBatch(500)) {
    const debtors = new Map(batch.debtors.map((d) => [d.id, d]))
    const addresses = new Map(batch.debtorAddresses.map((a) => [a.debtorId, a]))
    const phones = new Map(batch.debtorPhones.map((p) => [p.debtorId, p]))
    const emails = new Map(batch.debtorEmails.map((e) => [e.debtorId, e]))
    const cases = new Map(batch.cases.map((c) => [c.id, c]))
    for (const claim of batch.claims) {
      if (written >= ROWS) break
      const debtor = debtors.get(cases.get(claim.caseId)!.debtorId)
      if (!debtor) continue
      const address = addresses.get(debtor.id)
      const phone = phones.get(debtor.id)
      const row = sheet.addRow([
        debtor.legalName,
        debtor.lastName,
        debtor.firstName,
        debtor.siren,
        address?.line1 ?? null,
        address ? Number(address.postalCode) : null,
        address?.city ?? null,
        phone ? phone.number.replace('+33', '0').replace(/(\d{2})(?=\d)/g, '$1 ') : null,
        emails.get(debtor.id)?.address ?? null,
        // The generator numbers invoices per client; one client's file needs them unique.
        `${claim.invoiceNumber}-${written + 1}`,
        date(claim.issuedOn),
        date(claim.dueOn),
        claim.principalCents / 100
      ])
      row.getCell(11).numFmt = 'dd/mm/yyyy'
      row.getCell(12).numFmt = 'dd/mm/yyyy'
      row.commit()
      written++
    }
  }
  sheet.commit()
  await workbook.commit()
  await done
  writeFileSync(path, Buffer.concat(chunks))
}

/** Resets the kernel's peak RSS of this process (VmHWM), if the kernel allows it. */
function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}

/** VmHWM: the process's peak resident set since the last reset, in bytes. */
function highWaterMark(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  return match ? Number(match[1]) * 1024 : 0
}

it(`imports ${ROWS} rows`, async () => {
  mkdirSync(DIR, { recursive: true })
  const file = join(DIR, `import-${ROWS}.xlsx`)
  if (!existsSync(file)) await writeFile(file)
  const { app, dispose } = await openTempApp({ demoCases: 200, seed: 11 })
  try {
    const [client] = await app.call('clients:list', {})
    const setup = await app.call('imports:setup', { clientId: client!.id })
    const mandateId = setup.mandates.find((m) => m.status === 'active')!.id
    const bytes = readFileSync(file)
    global.gc?.()
    // Peak RSS of the import alone: the kernel's high-water mark is reset after the set-up
    // (writing the workbook, the demo) and read again at the end.
    const resetPeak = resetHighWaterMark()
    const baseline = process.memoryUsage().rss
    let peak = baseline
    const parts = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }
    // RssAnon is the process's own memory; RssFile adds the database pages SQLite reads through its
    // memory map (mmap_size): OS page cache, shared and given back under pressure.
    const anonAtStart = Number(/RssAnon:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024
    const own = { anon: 0, file: 0 }
    const sampler = setInterval(() => {
      const status = readFileSync('/proc/self/status', 'utf8')
      own.anon = Math.max(own.anon, Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024)
      own.file = Math.max(own.file, Number(/RssFile:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024)
      const usage = process.memoryUsage()
      peak = Math.max(peak, usage.rss)
      for (const key of Object.keys(parts) as Array<keyof typeof parts>) parts[key] = Math.max(parts[key], usage[key])
    }, 20)
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const analysis = await app.services.imports.analyzeBytes(bytes, 'portefeuille.xlsx', client!.id)
    const t1 = performance.now()
    const peakAnalyze = peak
    const preview = await app.call('imports:preview', {
      uploadId: analysis.uploadId,
      clientId: client!.id,
      mandateId,
      mapping: analysis.mapping
    })
    const t2 = performance.now()
    const peakPreview = peak
    const batch = await app.call('imports:commit', {
      uploadId: analysis.uploadId,
      clientId: client!.id,
      mandateId,
      mapping: analysis.mapping,
      skipErrorRows: true
    })
    const t3 = performance.now()
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)
    const result = {
      rows: analysis.rowCount,
      fileMB: +(statSync(file).size / 1024 / 1024).toFixed(1),
      analyzeS: +((t1 - t0) / 1000).toFixed(1),
      previewS: +((t2 - t1) / 1000).toFixed(1),
      commitS: +((t3 - t2) / 1000).toFixed(1),
      totalS: +((t3 - t0) / 1000).toFixed(1),
      // CPU time of the whole process (SQLite's and zlib's threads included): what the import
      // costs whatever the machine's load, where wall time follows the load.
      cpuS: +((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6).toFixed(1),
      loadAverage: +os.loadavg()[0]!.toFixed(1),
      baselineRssMB: mb(baseline),
      peakRssMB: mb(peak),
      peakRssByStepMB: { analyze: mb(peakAnalyze), preview: mb(peakPreview), commit: mb(peak) },
      baselineRssAnonMB: mb(anonAtStart),
      peakRssAnonMB: mb(own.anon),
      peakRssFileMB: mb(own.file),
      peakPartsMB: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, mb(v)])),
      vmHwmMB: resetPeak ? mb(highWaterMark()) : null,
      processMaxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      counts: batch.counts,
      problems: preview.problemCount
    }
    console.log(JSON.stringify(result, null, 2))
    writeFileSync(join(DIR, `import-results-${ROWS}.json`), JSON.stringify(result, null, 2))
    expect(batch.counts.importedRows).toBeGreaterThan(ROWS * 0.9)
    expect(t3 - t0).toBeLessThan(60_000)
  } finally {
    await dispose()
  }
})
