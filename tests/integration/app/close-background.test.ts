import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { log } from '../../../src-main/platform/log'
import { TEST_NOW, tempDir } from '../helpers/temp-app'
import { tempPostgresDatabase, testingOnPostgres } from '../helpers/temp-pg'
import { AGENCY, addAddress } from '../documents/fixtures'
import { COMPANY, CONSUMER, seedCase } from '../money/fixtures'

// The app's close() ends its background work before the database closes: nothing fails on a
// closed connection (no error logged), and what was cut short is done at the next start.

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  vi.restoreAllMocks()
  for (const step of cleanup.splice(0).reverse()) await step()
})

/** An app on a folder (and PostgreSQL database) that outlives it: opened again at will. */
async function reopenable(): Promise<() => Promise<RecouvraApp>> {
  const dir = tempDir()
  const database = testingOnPostgres() ? await tempPostgresDatabase() : null
  cleanup.push(async () => {
    await database?.drop()
    dir.remove()
  })
  return () => createApp({ dataDir: dir.path, clock: fixedClock(TEST_NOW), databaseUrl: database?.url ?? null })
}

describe('close() with background work running', () => {
  it('the dunning badge count and the daily checks stop after their slice: no error', async () => {
    const open = await reopenable()
    const app = await open()
    await app.services.demo.generate({ cases: 400, seed: 3 })
    const errors = vi.spyOn(log, 'error')
    const counting = app.services.dunning.refreshPending({ slice: 10, force: true })
    const checking = app.services.dailyChecks.run()
    await app.close()
    await expect(counting).resolves.toBeUndefined()
    await expect(checking).resolves.toBeNull()
    expect(errors).not.toHaveBeenCalled()

    // Next start: the count is made again, the checks resume and finish.
    const again = await open()
    try {
      await again.services.dunning.refreshPending()
      expect(again.services.dunning.pendingSummary().steps).not.toBeNull()
      expect(await again.services.dailyChecks.run()).toMatchObject({ day: '2026-11-23' })
    } finally {
      await again.close()
    }
    expect(errors).not.toHaveBeenCalled()
  })

  it('receipts queued by a payment just before close are made at the next start', async () => {
    const open = await reopenable()
    const app = await open()
    await app.call('documents:agency-save', AGENCY)
    const s = await seedCase(app, {
      creditor: COMPANY,
      debtor: CONSUMER,
      claims: [{ invoiceNumber: 'R-CLOSE-1', principalCents: 80_000, dueOn: '2025-09-01' }]
    })
    await addAddress(app, s.debtorId)
    const errors = vi.spyOn(log, 'error')
    const recorded = await app.call('money:record-payment', {
      caseId: s.caseId,
      receivedOn: '2026-11-20',
      amountCents: 25_000,
      method: 'transfer',
      receivedBy: 'agency'
    })
    expect(recorded.payment.documents).toMatchObject({ status: 'pending' })
    await app.close() // the worker was waiting for the payments to pause: it stops, the job stays queued
    expect(errors).not.toHaveBeenCalled()

    const again = await open()
    try {
      const list = async () =>
        (await again.call('money:list-payments', { caseId: s.caseId })).find((p) => p.id === recorded.payment.id)!
      expect((await list()).documents).toMatchObject({ status: 'pending' })
      // The long-running processes start the worker (scheduleMoneyChecks): the queue is drained.
      again.services.payments.documents!.start()
      await new Promise((resolve) => setTimeout(resolve, 50))
      await again.services.payments.documents!.idle()
      expect((await list()).documents).toMatchObject({ status: 'done', error: null })
    } finally {
      await again.close()
    }
    expect(errors).not.toHaveBeenCalled()
  })
})
