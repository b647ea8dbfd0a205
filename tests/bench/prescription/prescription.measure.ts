/**
 * Prescription per claim on a COPY of the 200,000-case busy benchmark database (never the shared
 * one: the migrations write). Run:
 *   mkdir -p /tmp/presc-bench && cp /tmp/recouvra-bench/demo-200000-seed-1-busy/recouvra.sqlite /tmp/presc-bench/
 *   RECOUVRA_PRESCRIPTION_BENCH_DIR=/tmp/presc-bench npx vitest run -c tests/bench/prescription/vitest.config.mts
 * Measures: the migration filling claim.prescription_on (frozen rules) and the case figures, the
 * writers' function over every case (nothing left to change), the daily roll, the portfolio's
 * prescription filter and sort, and the team agenda (all kinds, and prescription only).
 */
import { it } from 'vitest'
import { Database } from '../../../src-main/db/database'
import { suspendRowAudit } from '../../../src-main/modules/audit/audit-trail'
import { refreshCasePrescriptions, rollCasePrescriptions } from '../../../src-main/modules/money/case-prescription'

const DIR = process.env.RECOUVRA_PRESCRIPTION_BENCH_DIR ?? '/tmp/presc-bench'
const TODAY = '2026-11-23'

it('fills the claims’ expiries at 200,000 cases; refresh and roll find nothing left to do', async () => {
  let t = performance.now()
  const db = await Database.open(DIR)
  console.log('open + migrations (ms)', Math.round(performance.now() - t))
  const q = (sql: string) => db.dataSource.query(sql)
  console.log(
    await q(`SELECT COUNT(*) AS cases, COUNT(prescription_on) AS with_next, SUM(prescribed_claims > 0) AS with_prescribed,
       SUM(prescribed_claims > 0 AND prescription_on IS NOT NULL) AS prescribed_and_running FROM collection_case`),
    await q(
      `SELECT COUNT(*) AS claims, COUNT(prescription_on) AS dated, SUM(prescription_on < '${TODAY}') AS barred FROM claim`
    )
  )
  t = performance.now()
  const changed = await db.write((m) => refreshCasePrescriptions(m, 'all', TODAY))
  console.log('refreshCasePrescriptions(all) (ms)', Math.round(performance.now() - t), 'changed', changed)
  t = performance.now()
  const rolled = await db.write((m) => rollCasePrescriptions(m, TODAY))
  console.log('roll (ms)', Math.round(performance.now() - t), 'rolled', rolled)
  t = performance.now()
  const rolledNextMonth = await db.write((m) => rollCasePrescriptions(m, '2026-12-23'))
  console.log('roll 30 days later (ms)', Math.round(performance.now() - t), 'rolled', rolledNextMonth)
  await db.close()
})

it('portfolio prescription filter and sort, team agenda, at 200,000 cases', async () => {
  const { createApp } = await import('../../../src-main/app/create-app')
  const { fixedClock } = await import('../../../src-main/platform/clock')
  const app = await createApp({ dataDir: DIR, clock: fixedClock(`${TODAY}T09:00:00Z`) })
  try {
    const runs: Array<Record<string, unknown>> = [
      { filters: { prescriptionWithin: '30' } },
      { filters: { prescriptionWithin: '90' } },
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
      const page = await app.call('cases:list', { limit: 100, ...input, asOf: TODAY })
      console.log(JSON.stringify(input), 'total', page.total, Math.round(performance.now() - t), 'ms')
    }
    for (const input of [
      { collectorId: null },
      { collectorId: null, kinds: ['prescription'] },
      { collectorId: null, kinds: ['promise'] }
    ]) {
      for (let i = 0; i < 2; i++) {
        const t = performance.now()
        const agenda = await app.call('agenda:list', { ...input, limit: 50 } as never)
        console.log(
          'agenda',
          JSON.stringify(input),
          'cases',
          agenda.total,
          'prescription items',
          agenda.counts.byKind.prescription,
          Math.round(performance.now() - t),
          'ms'
        )
      }
    }
    const t = performance.now()
    const counts = await app.call('agenda:counts', { collectorId: null })
    console.log('agenda:counts team', JSON.stringify(counts), Math.round(performance.now() - t), 'ms')
  } finally {
    await app.close()
  }
})

it('the daily money checks at 200,000 cases (roll, promises, plan defaults), each one write', async () => {
  const { createApp } = await import('../../../src-main/app/create-app')
  const { fixedClock } = await import('../../../src-main/platform/clock')
  const { runMoneyChecks } = await import('../../../src-main/modules/money/money-checks')
  const app = await createApp({ dataDir: DIR, clock: fixedClock(`${TODAY}T09:00:00Z`) })
  try {
    for (let i = 0; i < 2; i++) {
      const t = performance.now()
      const result = await runMoneyChecks({
        db: app.db,
        clock: app.clock,
        promises: app.services.promises,
        plans: app.services.plans
      })
      console.log('daily checks', JSON.stringify(result), Math.round(performance.now() - t), 'ms')
    }
  } finally {
    await app.close()
  }
})

it('migration 1763858412000: its fill alone at 200,000 cases (claims reset, then refilled)', async () => {
  const { ClaimPrescription1763858412000 } =
    await import('../../../src-main/db/migrations/1763858412000-claim-prescription')
  const db = await Database.open(DIR)
  const runner = db.dataSource.createQueryRunner()
  try {
    const t = performance.now()
    await runner.startTransaction()
    // As during the migration, which runs before the audit trail's triggers exist.
    await suspendRowAudit(runner.manager, 1)
    await new ClaimPrescription1763858412000().fill(runner)
    await suspendRowAudit(runner.manager, -1)
    await runner.commitTransaction()
    console.log('migration fill (ms)', Math.round(performance.now() - t))
  } finally {
    await runner.release()
    await db.close()
  }
})
