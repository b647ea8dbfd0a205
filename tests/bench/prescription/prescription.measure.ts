/**
 * The prescription migration and the portfolio's prescription filter on a COPY of the 200,000-case
 * benchmark database (never the shared one: the migration writes). Run:
 *   cp /tmp/recouvra-bench/demo-200000-seed-1/recouvra.sqlite* /tmp/presc-bench/
 *   RECOUVRA_PRESCRIPTION_BENCH_DIR=/tmp/presc-bench npx vitest run -c tests/bench/prescription/vitest.config.mts
 */
import { it } from 'vitest'
import { Database } from '../../../src-main/db/database'
import { refreshCasePrescriptions } from '../../../src-main/modules/money/case-prescription'

const DIR = process.env.RECOUVRA_PRESCRIPTION_BENCH_DIR ?? '/tmp/presc-bench'

it('fills prescription_on for 200,000 cases and filters on it from its index', async () => {
  let t = performance.now()
  const db = await Database.open(DIR)
  console.log('open + migrations (ms)', Math.round(performance.now() - t))
  const q = (sql: string) => db.dataSource.query(sql)
  console.log(
    await q(`SELECT COUNT(*) AS n, COUNT(prescription_on) AS filled, SUM(prescription_on < '2026-11-23') AS expired,
       SUM(prescription_on BETWEEN '2026-11-23' AND '2026-12-23') AS d30,
       SUM(prescription_on BETWEEN '2026-11-23' AND '2027-02-21') AS d90,
       SUM(prescription_on BETWEEN '2026-11-23' AND '2027-05-22') AS d180 FROM collection_case`)
  )
  t = performance.now()
  const changed = await db.write((m) => refreshCasePrescriptions(m, 'all'))
  console.log('refresh all again (ms)', Math.round(performance.now() - t), 'changed', changed)
  for (const sql of [
    `SELECT COUNT(*) FROM collection_case c WHERE c.prescription_on BETWEEN '2026-11-23' AND '2026-12-23'`,
    `SELECT COUNT(*) FROM collection_case c WHERE c.prescription_on < '2026-11-23'`
  ]) {
    t = performance.now()
    await q(sql)
    console.log(
      sql.slice(60),
      Math.round(performance.now() - t),
      'ms',
      JSON.stringify(await q(`EXPLAIN QUERY PLAN ${sql}`))
    )
  }
  await db.close()
})

it('portfolio pages with the prescription filter and sort at 200,000 cases', async () => {
  const { createApp } = await import('../../../src-main/app/create-app')
  const app = await createApp({ dataDir: DIR })
  try {
    const runs: Array<Record<string, unknown>> = [
      { filters: { prescriptionWithin: '30' } },
      { filters: { prescriptionWithin: '180' } },
      { filters: { prescriptionWithin: 'expired' } },
      { filters: { prescriptionWithin: '90', statuses: ['open'] } },
      { filters: { statuses: ['open'] }, sort: { field: 'prescriptionOn', direction: 'asc' } },
      { filters: { prescriptionWithin: 'expired' }, sort: { field: 'prescriptionOn', direction: 'desc' } },
      { filters: { prescriptionWithin: '90' }, sort: { field: 'balance', direction: 'desc' }, offset: 2_000 }
    ]
    for (const input of runs) {
      app.services.cases.clearCache()
      const t = performance.now()
      const page = await app.call('cases:list', { limit: 100, ...input, asOf: '2026-11-23' })
      console.log(JSON.stringify(input), 'total', page.total, Math.round(performance.now() - t), 'ms')
    }
    for (const input of [{ collectorId: null }, { collectorId: null, kinds: ['prescription'] }]) {
      const t = performance.now()
      const agenda = await app.call('agenda:list', { ...input, limit: 50 } as never)
      console.log('agenda', JSON.stringify(input), 'cases', agenda.total, Math.round(performance.now() - t), 'ms')
    }
  } finally {
    await app.close()
  }
})
