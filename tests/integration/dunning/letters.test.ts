import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTempApp } from '../helpers/temp-app'
import { CONSUMER, COMPANY, countRows, seedCase, type SeededCase } from '../money/fixtures'
import { AGENCY, addAddress, norm, pdfText } from '../documents/fixtures'
import type { RecouvraApp } from '../../../src-main/app/create-app'

/** The engine with the real documents module: letters rendered, stored, registered, printed. */
describe('dunning runs with the documents module', () => {
  let app: RecouvraApp
  let dispose: () => Promise<void>
  const cases: SeededCase[] = []

  beforeAll(async () => {
    ;({ app, dispose } = await openTempApp())
    await app.call('documents:agency-save', AGENCY)
    cases.push(await seedCase(app, { claims: [{ principalCents: 123_456, dueOn: '2026-03-01' }], debtor: CONSUMER }))
    cases.push(await seedCase(app, { claims: [{ principalCents: 50_000, dueOn: '2026-04-01' }], debtor: COMPANY }))
    for (const c of cases) await addAddress(app, c.debtorId)
  })
  afterAll(() => dispose())

  it('does what the preview shows: one letter per case, stored, registered, journalled and printed', async () => {
    const preview = await app.call('dunning:preview', { at: '2026-05-02' })
    expect(preview.items.map((i) => [i.caseReference, i.stepName])).toEqual([
      [cases[0]!.reference, 'Dernière relance amiable (J+60)'],
      [cases[1]!.reference, 'Seconde relance ferme (J+30)']
    ])
    const documentsBefore = await countRows(app, 'document')
    const run = await app.services.dunning.run('2026-05-02', await app.services.users.sessionUser(), {
      confirm: new Set(preview.items.map((i) => `${i.caseId}:${i.stepId}`))
    })
    expect(run.failures).toEqual([])
    expect(run.actions).toBe(2)
    expect(await countRows(app, 'document')).toBe(documentsBefore + 2)
    const letters = await app.call('letters:list', { caseId: cases[0]!.caseId })
    expect(letters).toHaveLength(1)
    expect(letters[0]).toMatchObject({ templateCode: 'last-reminder', channel: 'letter' })

    const print = await app.call('dunning:print-file', { batchId: run.batchId! })
    const text = norm(pdfText(Buffer.from(print.base64, 'base64')))
    expect(text).toContain("bordereau d'impression")
    expect(text).toContain(cases[0]!.reference)
    expect(text).toContain('1 234,56 €') // the letter itself, after the cover

    // One journal entry for the step and its letter: the step's wording, the document's evidence.
    const journal = await app.call('journal:list', { caseId: cases[0]!.caseId, offset: 0, limit: 50 })
    const generated = journal.entries.filter((e) => e.relatedId === letters[0]!.documentId)
    expect(generated).toHaveLength(1)
    expect(generated[0]!.summary).toMatch(
      /^Relance « Dernière relance amiable \(J\+60\) » : courrier simple généré, à poster/
    )
    expect(generated[0]!.summary).toContain(`(réf. ${letters[0]!.reference})`)
    expect(generated[0]!.details).toMatchObject({
      dunning: true,
      batchId: run.batchId,
      letterId: letters[0]!.id,
      sha256: letters[0]!.sha256,
      templateVersion: 1
    })
    const action = (await app.call('dunning:batch', { batchId: run.batchId! })).actions.find(
      (a) => a.caseId === cases[0]!.caseId
    )!
    expect(action.journalEntryId).toBe(generated[0]!.id)

    await app.call('dunning:mark-sent', { batchId: run.batchId!, sentOn: '2026-05-04' })
    const sent = await app.call('letters:list', { caseId: cases[0]!.caseId })
    expect(sent[0]).toMatchObject({ sentOn: '2026-05-04' })
  })
})
