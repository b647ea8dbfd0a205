/**
 * Payments entered in a row while their receipts and client notices are made in the background.
 *   npx vitest run -c tests/bench/money/vitest.config.mts
 * A 1,000-case demo in a temp folder, the agency identity complete; 40 payments recorded one after
 * the other (as a collector keying a bank statement): time per payment with the worker running,
 * then without it (documents left queued), and how long until every receipt is made.
 */
import { it } from 'vitest'
import { openTempApp } from '../../integration/helpers/temp-app'
import { AGENCY } from '../../integration/documents/fixtures'

const PAYMENTS = 40

it('records payments in a row while their documents are made in the background', async () => {
  const { app, dispose } = await openTempApp({ demoCases: 1_000, seed: 5 })
  try {
    await app.call('documents:agency-save', AGENCY)
    const rows = (
      await app.call('cases:list', {
        limit: 200,
        filters: { statuses: ['open'], balanceMinCents: 50_000 },
        sort: { field: 'balance', direction: 'desc' }
      })
    ).rows
    const ok: string[] = []
    for (const row of rows) {
      const statement = await app.call('money:statement', { caseId: row.id, at: '2026-06-30' }).catch(() => null)
      if (statement) ok.push(row.id)
      if (ok.length >= PAYMENTS * 2) break
    }
    const pay = (caseId: string) =>
      app.call('money:record-payment', {
        caseId,
        receivedOn: '2026-06-30',
        amountCents: 1_000,
        method: 'transfer',
        receivedBy: 'agency'
      })
    const worker = app.services.payments.documents!
    for (const mode of ['worker on', 'worker off'] as const) {
      if (mode === 'worker off') app.services.payments.documents = null
      const cases = mode === 'worker on' ? ok.slice(0, PAYMENTS) : ok.slice(PAYMENTS, PAYMENTS * 2)
      const times: number[] = []
      const t0 = performance.now()
      for (const caseId of cases) {
        const t = performance.now()
        await pay(caseId)
        times.push(performance.now() - t)
      }
      const entered = performance.now() - t0
      await worker.idle()
      const all = performance.now() - t0
      times.sort((a, b) => a - b)
      console.log(
        mode,
        `${cases.length} payments entered in ${Math.round(entered)} ms`,
        `p50 ${Math.round(times[Math.floor(times.length / 2)]!)} ms`,
        `p95 ${Math.round(times[Math.floor(times.length * 0.95)]!)} ms`,
        `max ${Math.round(times.at(-1)!)} ms`,
        mode === 'worker on' ? `every receipt and notice made after ${Math.round(all)} ms` : ''
      )
    }
    app.services.payments.documents = worker
    const states: Array<{ status: string; n: number }> = await app.db.read((m) =>
      m.query('SELECT status, COUNT(*) AS n FROM payment_document_job GROUP BY status')
    )
    console.log('jobs', JSON.stringify(states))
  } finally {
    await dispose()
  }
})
