import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openTempApp } from '../helpers/temp-app'
import { CONSUMER, seedCase } from '../money/fixtures'
import { AGENCY, addAddress } from '../documents/fixtures'
import type { RecouvraApp } from '../../../src-main/app/create-app'

/** A SQLITE_BUSY error as the sqlite3 driver throws it (another process holds the file). */
function busyError(): Error {
  return Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY', errno: 5 })
}

/** Background jobs turn a database driver error into the dispatcher's French message. */
describe('dunning preparation: a database error in a case', () => {
  let app: RecouvraApp
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ app, dispose } = await openTempApp())
    await app.call('documents:agency-save', AGENCY)
    const seeded = await seedCase(app, { claims: [{ principalCents: 123_456, dueOn: '2026-03-01' }], debtor: CONSUMER })
    await addAddress(app, seeded.debtorId)
  })
  afterAll(() => dispose())

  it('is reported with the French database message, not "Erreur inattendue"', async () => {
    const port = app.services.dunning.letters!
    const spy = port.prepareLetter
      ? vi.spyOn(port, 'prepareLetter').mockRejectedValueOnce(busyError())
      : vi.spyOn(port, 'renderLetter').mockRejectedValueOnce(busyError())
    const preview = await app.call('dunning:preview', { at: '2026-05-02' })
    expect(preview.items).toHaveLength(1)
    const run = await app.services.dunning.run('2026-05-02', await app.services.users.sessionUser(), {
      confirm: new Set(preview.items.map((i) => `${i.caseId}:${i.stepId}`))
    })
    spy.mockRestore()
    expect(run.failures).toHaveLength(1)
    expect(run.failures[0]!.reason).toMatch(/^La base de données est occupée par une autre opération/)
    expect(run.failures[0]!.reason).not.toMatch(/inattendue/)
  })
})
