import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { TEST_TODAY, openTempApp } from '../helpers/temp-app'
import { COMPANY, countRows, refusal } from '../money/fixtures'
import { journalRows, seedUser, seedWorkspaceCase } from './helpers'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

describe('the case file', () => {
  it('gathers the case, the debtor and every contact, the client, the mandate and the claims', async () => {
    const seeded = await seedWorkspaceCase(app)
    const file = await app.call('casefile:get', { caseId: seeded.caseId })
    expect(file.case).toMatchObject({ id: seeded.caseId, reference: seeded.reference, version: 1, status: 'open' })
    expect(file.debtor.phones).toHaveLength(2)
    expect(file.debtor.addresses[0]).toMatchObject({ city: 'Paris', current: true })
    expect(file.debtor.locale).toMatchObject({ timeZone: 'Europe/Paris', region: 'metropole' })
    expect(file.claims).toEqual([expect.objectContaining({ principalCents: 100_000, dueOn: '2026-03-15' })])
    expect(file.mandate.commissionRateBp).toBe(1500)
    expect(file.calls).toEqual({ outboundLast30Days: 0, callBackRequested: false, lastCallAt: null })
    expect(file.today).toBe(TEST_TODAY)
  })

  it('is refused for an unknown case, in French', async () => {
    const error = await refusal(app, 'casefile:get', { caseId: '0192f000-0000-7000-8000-00000000abcd' })
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'Dossier introuvable.' })
  })
})

describe('every action writes its change and its journal entry together', () => {
  it('adds a note', async () => {
    const seeded = await seedWorkspaceCase(app)
    const result = await app.call('case:add-note', {
      caseId: seeded.caseId,
      text: 'Courrier retourné : adresse à vérifier.'
    })
    const rows = await journalRows(app, seeded.caseId)
    expect(rows).toEqual([
      expect.objectContaining({ id: result.entryId, kind: 'note', summary: 'Courrier retourné : adresse à vérifier.' })
    ])
    // A note changes nothing on the case: nobody else's form goes stale.
    expect(result.case.version).toBe(1)
  })

  it('changes the phase with a reason and bumps the version', async () => {
    const seeded = await seedWorkspaceCase(app)
    const result = await app.call('case:change-phase', {
      caseId: seeded.caseId,
      expectedVersion: 1,
      phase: 'formal_notice',
      reason: 'Trois relances sans réponse'
    })
    expect(result.case).toMatchObject({ phase: 'formal_notice', version: 2 })
    const [entry] = await journalRows(app, seeded.caseId)
    expect(entry).toMatchObject({ id: result.entryId, kind: 'phase_change' })
    expect(entry!.summary).toBe('Phase : Amiable → Mise en demeure — Trois relances sans réponse')
    expect(JSON.parse(entry!.details!)).toEqual({
      from: 'amicable',
      to: 'formal_notice',
      reason: 'Trois relances sans réponse'
    })
  })

  it('assigns a collector, suspends, resumes, sets the next action and closes', async () => {
    const collector = await seedUser(app)
    const seeded = await seedWorkspaceCase(app)
    let version = 1
    const assigned = await app.call('case:assign', {
      caseId: seeded.caseId,
      expectedVersion: version,
      collectorId: collector
    })
    expect(assigned.case).toMatchObject({ collectorId: collector, collectorName: expect.stringMatching(/^Chargé/) })
    version = assigned.case.version

    const suspended = await app.call('case:suspend', {
      caseId: seeded.caseId,
      expectedVersion: version,
      reason: 'dispute',
      comment: 'Conteste la qualité de la livraison',
      reviewOn: '2026-12-07'
    })
    expect(suspended.case).toMatchObject({
      status: 'suspended',
      suspensionReason: 'dispute',
      nextActionOn: '2026-12-07'
    })
    version = suspended.case.version

    const resumed = await app.call('case:resume', {
      caseId: seeded.caseId,
      expectedVersion: version,
      comment: 'Le client a produit le bon de livraison signé'
    })
    expect(resumed.case).toMatchObject({ status: 'open', suspensionReason: null })
    version = resumed.case.version

    const next = await app.call('case:set-next-action', {
      caseId: seeded.caseId,
      expectedVersion: version,
      nextActionOn: '2026-11-30'
    })
    expect(next.case.nextActionOn).toBe('2026-11-30')
    version = next.case.version

    const closed = await app.call('case:close', {
      caseId: seeded.caseId,
      expectedVersion: version,
      reason: 'returned_to_client',
      comment: 'Fin du mandat'
    })
    expect(closed.case).toMatchObject({
      status: 'closed',
      phase: 'closed',
      closureReason: 'returned_to_client',
      closedOn: TEST_TODAY,
      nextActionOn: null
    })
    const kinds = (await journalRows(app, seeded.caseId)).map((r) => r.kind)
    expect(kinds).toEqual(['assignment', 'status_change', 'status_change', 'next_action', 'status_change'])
  })
})

describe('stale edits', () => {
  it('are refused with CONFLICT and the current value, and nothing is written', async () => {
    const seeded = await seedWorkspaceCase(app)
    await app.call('case:change-phase', {
      caseId: seeded.caseId,
      expectedVersion: 1,
      phase: 'formal_notice',
      reason: 'Relances sans effet'
    })
    const before = await countRows(app, 'journal_entry')
    // A colleague's screen still shows version 1.
    const error = await refusal(app, 'case:change-phase', {
      caseId: seeded.caseId,
      expectedVersion: 1,
      phase: 'judicial',
      reason: 'Injonction de payer'
    })
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toContain(`Le dossier ${seeded.reference} a été modifié par Administrateur`)
    expect(error.message).toContain('Situation actuelle : phase « Mise en demeure »')
    const stale = await refusal(app, 'case:set-next-action', {
      caseId: seeded.caseId,
      expectedVersion: 1,
      nextActionOn: '2026-12-01'
    })
    expect(stale.message).toContain('Situation actuelle : prochaine action : aucune')
    expect(await countRows(app, 'journal_entry')).toBe(before)
  })
})

describe('business rules', () => {
  it('refuses closing as paid while principal is due, and a phase equal to the current one', async () => {
    const seeded = await seedWorkspaceCase(app)
    const paid = await refusal(app, 'case:close', { caseId: seeded.caseId, expectedVersion: 1, reason: 'paid' })
    expect(paid.message).toContain('1\u202f000,00\u00a0€ restent dus')
    const partial = await refusal(app, 'case:close', {
      caseId: seeded.caseId,
      expectedVersion: 1,
      reason: 'partially_paid'
    })
    expect(partial.message).toContain('Aucun paiement')
    const same = await refusal(app, 'case:change-phase', {
      caseId: seeded.caseId,
      expectedVersion: 1,
      phase: 'amicable',
      reason: 'Retour en amiable'
    })
    expect(same.message).toBe('Le dossier est déjà en phase « Amiable ».')
  })

  it('closes as paid once the balance is settled', async () => {
    const seeded = await seedWorkspaceCase(app, { principalCents: 5_000 })
    await app.call('money:record-payment', {
      caseId: seeded.caseId,
      receivedOn: TEST_TODAY,
      amountCents: 5_000,
      method: 'transfer',
      receivedBy: 'agency'
    })
    const file = await app.call('casefile:get', { caseId: seeded.caseId })
    const closed = await app.call('case:close', {
      caseId: seeded.caseId,
      expectedVersion: file.case.version,
      reason: 'paid'
    })
    expect(closed.case.closureReason).toBe('paid')
  })

  it('refuses court or enforcement phases while the debtor is in collective proceedings', async () => {
    const seeded = await seedWorkspaceCase(app, { debtor: COMPANY })
    const recorded = await app.call('proceedings:record', {
      caseId: seeded.caseId,
      expectedVersion: 1,
      kind: 'receivership',
      judgmentOn: '2026-11-02',
      bodaccPublishedOn: '2026-11-12'
    })
    const error = await refusal(app, 'case:change-phase', {
      caseId: seeded.caseId,
      expectedVersion: recorded.case.version,
      phase: 'judicial',
      reason: 'Assignation'
    })
    expect(error.message).toContain('L622-21')
  })
})

describe('the journal is append-only', () => {
  it('refuses UPDATE and DELETE at the database level', async () => {
    const seeded = await seedWorkspaceCase(app)
    const { entryId } = await app.call('case:add-note', { caseId: seeded.caseId, text: 'Premier contact.' })
    await expect(
      app.db.write((m) => m.query("UPDATE journal_entry SET summary = 'effacé' WHERE id = ?", [entryId]))
    ).rejects.toThrow(/append-only/)
    await expect(app.db.write((m) => m.query('DELETE FROM journal_entry WHERE id = ?', [entryId]))).rejects.toThrow(
      /append-only/
    )
  })

  it('shows a correction next to the entry it corrects, which stays as it was', async () => {
    const seeded = await seedWorkspaceCase(app)
    const note = await app.call('case:add-note', { caseId: seeded.caseId, text: 'Rappeler le 30/11.' })
    await app.call('case:add-note', { caseId: seeded.caseId, text: 'Autre note.' })
    const correction = await app.call('journal:correct', {
      entryId: note.entryId,
      text: 'Rappeler le 3/12.',
      reason: 'Erreur de date'
    })
    const page = await app.call('journal:list', { caseId: seeded.caseId })
    expect(page.total).toBe(2) // corrections are not counted as entries of their own
    const corrected = page.entries.find((e) => e.id === note.entryId)!
    expect(corrected.summary).toBe('Rappeler le 30/11.')
    expect(corrected.corrections).toEqual([
      expect.objectContaining({
        id: correction.entryId,
        kind: 'correction',
        summary: 'Rappeler le 3/12.',
        correctsEntryId: note.entryId,
        details: expect.objectContaining({ reason: 'Erreur de date', correctedSummary: 'Rappeler le 30/11.' })
      })
    ])
    const again = await refusal(app, 'journal:correct', { entryId: correction.entryId, text: 'x', reason: 'Encore' })
    expect(again.message).toContain('rectifiez l’entrée d’origine')
  })

  it('pages the timeline newest first and filters it by kind', async () => {
    const seeded = await seedWorkspaceCase(app)
    for (let i = 1; i <= 5; i++) await app.call('case:add-note', { caseId: seeded.caseId, text: `Note ${i}` })
    await app.call('case:set-next-action', { caseId: seeded.caseId, expectedVersion: 1, nextActionOn: '2026-12-01' })
    const first = await app.call('journal:list', { caseId: seeded.caseId, limit: 4 })
    expect(first.total).toBe(6)
    expect(first.entries).toHaveLength(4)
    const second = await app.call('journal:list', { caseId: seeded.caseId, limit: 4, offset: 4 })
    expect(second.entries).toHaveLength(2)
    const notes = await app.call('journal:list', { caseId: seeded.caseId, kinds: ['note'] })
    expect(notes.total).toBe(5)
    expect(notes.entries.every((e) => e.kind === 'note')).toBe(true)
    const file = await app.call('casefile:get', { caseId: seeded.caseId })
    expect(file.journalCounts).toEqual({ note: 5, next_action: 1 })
  })
})

describe('CNIL screening', () => {
  it('refuses a note with forbidden words, naming them and why, and writes nothing', async () => {
    const seeded = await seedWorkspaceCase(app)
    const before = await countRows(app, 'journal_entry')
    const error = await app
      .call('case:add-note', { caseId: seeded.caseId, text: 'Très malade, et menteur' })
      .catch((e) => e)
    expect(error.code).toBe('BUSINESS_RULE')
    expect(error.message).toContain('« malade »')
    expect(error.message).toContain('Donnée de santé')
    expect(error.message).toContain('« menteur »')
    expect(error.issues).toEqual([
      { path: 'text', message: expect.stringContaining('« malade »') },
      { path: 'text', message: expect.stringContaining('« menteur »') }
    ])
    expect(await countRows(app, 'journal_entry')).toBe(before)
  })

  it('screens reasons and corrections too', async () => {
    const seeded = await seedWorkspaceCase(app)
    const phase = await refusal(app, 'case:change-phase', {
      caseId: seeded.caseId,
      expectedVersion: 1,
      phase: 'formal_notice',
      reason: 'Débiteur de mauvaise foi'
    })
    expect(phase.message).toContain('« de mauvaise foi »')
    const note = await app.call('case:add-note', { caseId: seeded.caseId, text: 'Rendez-vous manqué.' })
    const correction = await refusal(app, 'journal:correct', {
      entryId: note.entryId,
      text: 'Rendez-vous manqué : hospitalisé.',
      reason: 'Précision'
    })
    expect(correction.message).toContain('« hospitalisé »')
  })
})
