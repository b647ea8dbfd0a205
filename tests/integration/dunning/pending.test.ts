import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp, TEST_NOW } from '../helpers/temp-app'
import { CONSUMER, COMPANY, countRows, seedCase } from '../money/fixtures'
import { AGENCY, addAddress } from '../documents/fixtures'

/** Start-up count of today's steps awaiting confirmation (the « Relances » badge). */
describe('dunning steps awaiting confirmation', () => {
  let app: RecouvraApp
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ app, dispose } = await openTempApp())
    await app.call('documents:agency-save', AGENCY)
    for (const debtor of [CONSUMER, COMPANY]) {
      const seeded = await seedCase(app, { claims: [{ principalCents: 90_000, dueOn: '2026-09-01' }], debtor })
      await addAddress(app, seeded.debtorId)
    }
  })
  afterAll(() => dispose())

  it('counts today’s preview in the background, generates nothing, and counts again after a run', async () => {
    const today = TEST_NOW.slice(0, 10)
    const documents = await countRows(app, 'document')
    await app.services.dunning.refreshPending()
    const pending = await app.call('dunning:pending', {})
    const preview = await app.call('dunning:preview', {})
    expect(preview.totalItems).toBeGreaterThan(0)
    expect(pending).toMatchObject({ at: today, steps: preview.totalItems })
    expect(await countRows(app, 'document')).toBe(documents)
    expect(await countRows(app, 'dunning_action')).toBe(0)

    const run = await app.services.dunning.run(today, await app.services.users.sessionUser())
    expect(run.actions).toBe(preview.totalItems)
    // The run counts again in the background; refreshPending waits for that count.
    await app.services.dunning.refreshPending()
    const after = await app.call('dunning:pending', {})
    expect(after.steps).toBe((await app.call('dunning:preview', {})).totalItems)
    expect(after.steps).toBe(0)
  }, 120_000)

  it('counts slice by slice, each in its own read, to the same total as one pass', async () => {
    const demo = await openTempApp({ demoCases: 600, seed: 7 })
    try {
      const service = demo.app.services.dunning
      await service.refreshPending({ force: true, slice: 100_000 })
      const whole = (await demo.app.call('dunning:pending', {})).steps
      let reads = 0
      const read = demo.app.db.read.bind(demo.app.db)
      demo.app.db.read = (work) => {
        reads++
        return read(work)
      }
      await service.refreshPending({ force: true, slice: 50 })
      demo.app.db.read = read
      expect((await demo.app.call('dunning:pending', {})).steps).toBe(whole)
      expect(whole).toBeGreaterThan(0)
      // ~600 cases not closed / 50 per slice: a dozen short reads, not one long one.
      expect(reads).toBeGreaterThanOrEqual(8)
    } finally {
      await demo.dispose()
    }
  }, 180_000)
})
