import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { EntityManager } from 'typeorm'
import { AppError } from '@shared/contract'
import { uuid7 } from '@shared/ids/uuid7'
import { openTempApp, TEST_NOW } from '../helpers/temp-app'
import { CONSUMER, countRows, seedCase, type SeededCase } from '../money/fixtures'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { DebtorAddressEntity } from '../../../src-main/modules/debtors/debtor-contact.entity'
import { DocumentEntity } from '../../../src-main/modules/documents/document.entity'
import type { LetterPort } from '../../../src-main/modules/dunning/dunning.service'
import { appendJournalEntry } from '../../../src-main/modules/journal/journal.service'

/**
 * The daily engine on a real database. Letters come from a stand-in for the documents module
 * (a one-page PDF per case; a chosen case refused as a legal rule would refuse it), so these
 * tests check the engine's decisions and records, not the letters' wording.
 */
class FakeLetters implements LetterPort {
  refuse = new Set<string>()
  rendered = 0
  async renderLetter(_manager: EntityManager, req: { caseId: string; templateCode: string; at: string }) {
    if (this.refuse.has(req.caseId)) {
      throw new AppError('BUSINESS_RULE', 'Créance prescrite : ce courrier ne peut pas la réclamer.', 'time-barred')
    }
    this.rendered++
    const doc = await PDFDocument.create()
    const page = doc.addPage([595, 842])
    page.drawText(`${req.templateCode} ${req.caseId} ${req.at}`, {
      x: 40,
      y: 800,
      size: 8,
      font: await doc.embedFont(StandardFonts.Helvetica)
    })
    const pdf = Buffer.from(await doc.save())
    return { pdf, templateVersion: 1, text: req.templateCode }
  }
  async storeGenerated(
    manager: EntityManager,
    req: { caseId: string; templateCode: string; templateVersion: number; pdf: Buffer; title: string }
  ) {
    const sha256 = createHash('sha256').update(req.pdf).digest('hex')
    const documentId = uuid7()
    await manager.insert(DocumentEntity, {
      id: documentId,
      createdAt: TEST_NOW,
      createdBy: null,
      caseId: req.caseId,
      claimId: null,
      kind: 'letter',
      title: req.title,
      fileName: `${documentId}.pdf`,
      mimeType: 'application/pdf',
      sizeBytes: req.pdf.length,
      sha256,
      storagePath: `documents/${sha256}.pdf`,
      templateCode: req.templateCode,
      templateVersion: req.templateVersion
    })
    return { documentId, sha256 }
  }
}

async function addAddress(app: RecouvraApp, debtorId: string, postalCode: string): Promise<void> {
  await app.db.write((manager) =>
    manager.insert(DebtorAddressEntity, {
      id: uuid7(),
      createdAt: TEST_NOW,
      createdBy: null,
      updatedAt: TEST_NOW,
      updatedBy: null,
      version: 1,
      debtorId,
      line1: '1 rue de la Paix',
      line2: null,
      postalCode,
      city: 'Ville',
      country: 'FR',
      validFrom: '2020-01-01',
      validTo: null,
      source: null
    })
  )
}

describe('the daily dunning engine', () => {
  let app: RecouvraApp
  let dispose: () => Promise<void>
  let letters: FakeLetters
  const cases: Record<string, SeededCase> = {}
  const admin = () => app.services.users.sessionUser()

  beforeAll(async () => {
    ;({ app, dispose } = await openTempApp())
    letters = new FakeLetters()
    app.services.dunning.letters = letters
    // Due 2026-05-01: at 2026-05-15 the firm reminder (J+14) is due.
    cases.fresh = await seedCase(app, { claims: [{ principalCents: 50_000, dueOn: '2026-05-01' }], debtor: CONSUMER })
    cases.other = await seedCase(app, { claims: [{ principalCents: 80_000, dueOn: '2026-05-01' }] })
    cases.suspended = await seedCase(app, { claims: [{ principalCents: 10_000, dueOn: '2026-05-01' }] })
    cases.disputed = await seedCase(app, { claims: [{ principalCents: 10_000, dueOn: '2026-05-01' }] })
    cases.plan = await seedCase(app, { claims: [{ principalCents: 10_000, dueOn: '2026-05-01' }] })
    cases.noAddress = await seedCase(app, { claims: [{ principalCents: 10_000, dueOn: '2026-05-01' }] })
    cases.refused = await seedCase(app, { claims: [{ principalCents: 10_000, dueOn: '2026-05-01' }] })
    cases.late = await seedCase(app, { claims: [{ principalCents: 30_000, dueOn: '2026-01-10' }] })
    const postcodes: Record<string, string> = {
      fresh: '75011',
      other: '13001',
      suspended: '69001',
      disputed: '69002',
      plan: '69003',
      refused: '33000',
      late: '06000'
    }
    for (const [name, code] of Object.entries(postcodes)) await addAddress(app, cases[name]!.debtorId, code)
    letters.refuse.add(cases.refused!.caseId)
    await app.db.write(async (manager) => {
      await manager.query(
        `UPDATE collection_case SET status = 'suspended', suspension_reason = 'dispute' WHERE id = ?`,
        [cases.suspended!.caseId]
      )
      await manager.query(`UPDATE claim SET disputed = TRUE WHERE case_id = ?`, [cases.disputed!.caseId])
      const planId = uuid7()
      const stamp = [TEST_NOW, TEST_NOW, 1]
      await manager.query(
        `INSERT INTO payment_plan (id, created_at, updated_at, version, case_id, status, total_cents, down_payment_cents,
           installment_count, frequency, first_due_on, interest_mode, agreed_on)
         VALUES (?, ?, ?, ?, ?, 'active', 10000, 0, 2, 'monthly', '2026-06-01', 'frozen', '2026-05-05')`,
        [planId, ...stamp, cases.plan!.caseId]
      )
    })
  })
  afterAll(() => dispose())

  it('previews the steps due, the skips with their reasons and the cases it cannot work', async () => {
    const preview = await app.call('dunning:preview', { at: '2026-05-15' })
    const byRef = new Map(preview.items.map((i) => [i.caseReference, i]))
    expect(byRef.get(cases.fresh!.reference)).toMatchObject({
      stepName: 'Relance ferme (J+14)',
      channel: 'letter',
      templateCode: 'firm-reminder',
      dueOn: '2026-05-15',
      postalCode: '75011',
      caughtUp: ['Rappel courtois avant échéance', 'Relance à l’échéance']
    })
    expect(byRef.get(cases.late!.reference)).toMatchObject({ stepName: 'Dernière relance amiable (J+60)' })
    expect(byRef.has(cases.suspended!.reference)).toBe(false)
    expect(byRef.has(cases.disputed!.reference)).toBe(false)
    expect(byRef.has(cases.plan!.reference)).toBe(false)
    expect(preview.skipped).toMatchObject({ suspended: 1, disputed: 1, plan_on_track: 1 })
    expect(preview.errors).toEqual([
      expect.objectContaining({
        caseReference: cases.noAddress!.reference,
        reason: 'Aucune adresse postale connue pour le débiteur'
      })
    ])
  })

  it('a cancelled run leaves nothing: no batch, action, document, journal entry or print file', async () => {
    const before = await Promise.all(
      ['journal_entry', 'document', 'dunning_action', 'dunning_batch'].map((t) => countRows(app, t))
    )
    let calls = 0
    const result = await app.services.dunning.run('2026-05-15', await admin(), {
      isCancelled: () => ++calls > 3
    })
    expect(result.cancelled).toBe(true)
    const after = await Promise.all(
      ['journal_entry', 'document', 'dunning_action', 'dunning_batch'].map((t) => countRows(app, t))
    )
    expect(after).toEqual(before)
    const printDir = join(app.db.dataDir, 'dunning', 'print')
    expect(existsSync(printDir) ? readdirSync(printDir) : []).toEqual([])
  })

  it('a run cancelled while its rows are being written rolls back: nothing of it stays', async () => {
    const tables = ['journal_entry', 'document', 'dunning_action', 'dunning_batch', 'letter']
    const before = await Promise.all(tables.map((t) => countRows(app, t)))
    const preview = await app.call('dunning:preview', { at: '2026-05-15' })
    // isCancelled is asked once per line, after rendering, after the print file, then once more
    // inside the transaction, after every row is written: answer yes only then.
    let asked = 0
    const result = await app.services.dunning.run('2026-05-15', await admin(), {
      isCancelled: () => ++asked > preview.totalItems + 2
    })
    expect(asked).toBe(preview.totalItems + 3)
    expect(result).toMatchObject({ cancelled: true, batchId: null, actions: 0 })
    expect(await Promise.all(tables.map((t) => countRows(app, t)))).toEqual(before)
    const printDir = join(app.db.dataDir, 'dunning', 'print')
    expect(existsSync(printDir) ? readdirSync(printDir) : []).toEqual([])
  })

  it('does exactly what the preview showed, once: the same day again does nothing new', async () => {
    const preview = await app.call('dunning:preview', { at: '2026-05-15' })
    const confirmed = preview.items.filter((i) => i.caseId !== cases.other!.caseId)
    const result = await app.services.dunning.run('2026-05-15', await admin(), {
      confirm: new Set(confirmed.map((i) => `${i.caseId}:${i.stepId}`))
    })
    // The unconfirmed case is not touched; the refused letter is reported, not recorded.
    expect(result.failures).toEqual([
      expect.objectContaining({ caseReference: cases.refused!.reference, reason: expect.stringContaining('prescrite') })
    ])
    expect(result.actions).toBe(confirmed.length - 1)
    const batch = await app.call('dunning:batch', { batchId: result.batchId! })
    expect(batch.actions.map((a) => a.caseReference).sort()).toEqual(
      confirmed
        .filter((i) => i.caseId !== cases.refused!.caseId)
        .map((i) => i.caseReference)
        .sort()
    )
    // Print order: postcodes.
    expect(batch.actions.map((a) => a.postalCode)).toEqual([...batch.actions.map((a) => a.postalCode)].sort())
    expect(batch.hasPrintFile).toBe(true)
    const file = await app.call('dunning:print-file', { batchId: result.batchId! })
    const merged = await PDFDocument.load(Buffer.from(file.base64, 'base64'))
    expect(merged.getPageCount()).toBe(1 + batch.letterCount) // cover + one page per letter

    const timeline = await app.call('journal:list', { caseId: cases.fresh!.caseId })
    expect(timeline.entries.map((e) => e.summary)).toContainEqual(
      expect.stringContaining('Relance « Relance ferme (J+14) » : courrier simple généré')
    )

    const counts = await Promise.all(['journal_entry', 'document', 'dunning_action'].map((t) => countRows(app, t)))
    const again = await app.services.dunning.run('2026-05-15', await admin(), {
      confirm: new Set(confirmed.map((i) => `${i.caseId}:${i.stepId}`))
    })
    expect(again.actions).toBe(0)
    expect(await Promise.all(['journal_entry', 'document', 'dunning_action'].map((t) => countRows(app, t)))).toEqual(
      counts
    )
    const next = await app.call('dunning:preview', { at: '2026-05-15' })
    expect(next.items.map((i) => i.caseReference).sort()).toEqual(
      [cases.other!.reference, cases.refused!.reference].sort()
    )
  })

  it('the database refuses a step taken twice on a case', async () => {
    const action: Array<Record<string, unknown>> = await app.db.read((m) =>
      m.query(`SELECT * FROM dunning_action LIMIT 1`)
    )
    const a = action[0]!
    await expect(
      app.db.write((m) =>
        m.query(
          `INSERT INTO dunning_action (id, created_at, updated_at, version, case_id, step_id, taken_on, channel, step_name)
           VALUES (?, ?, ?, 1, ?, ?, '2026-05-16', 'letter', 'x')`,
          [uuid7(), TEST_NOW, TEST_NOW, a.case_id, a.step_id]
        )
      )
    ).rejects.toThrow(/UNIQUE|duplicate key/)
  })

  it('letters are marked sent; registered letters need their tracking number; call tasks show in the agenda', async () => {
    const [batch] = await app.call('dunning:batches', {})
    expect(batch!.unsentLetters).toBeGreaterThan(0)
    await app.call('dunning:mark-sent', { batchId: batch!.id, sentOn: '2026-05-16' })
    const detail = await app.call('dunning:batch', { batchId: batch!.id })
    expect(detail.unsentLetters).toBe(0)
    expect(detail.actions.every((a) => a.sentOn === '2026-05-16')).toBe(true)

    // Run on: the formal notice (registered letter) for the late case, 15 days after its last reminder.
    const run = await app.services.dunning.run('2026-05-30', await admin(), {})
    const notice = (await app.call('dunning:batch', { batchId: run.batchId! })).actions.find(
      (a) => a.caseReference === cases.late!.reference
    )!
    expect(notice).toMatchObject({ channel: 'registered_letter', stepName: 'Mise en demeure (LRAR)' })
    await expect(app.call('dunning:mark-sent', { batchId: run.batchId!, sentOn: '2026-05-30' })).rejects.toThrow(
      /Numéro de suivi manquant/
    )
    await app.call('dunning:mark-sent', {
      batchId: run.batchId!,
      sentOn: '2026-05-30',
      tracking: { [notice.id]: '1A12345678901' }
    })
    const state = await app.call('casefile:get', { caseId: cases.late!.caseId })
    expect(state.case.phase).toBe('formal_notice')

    // The call task of the fresh case (J+21, balance ≥ 150 €) is on the team's agenda until done.
    const call = (await app.call('dunning:batch', { batchId: run.batchId! })).actions.find(
      (a) => a.caseReference === cases.fresh!.reference
    )!
    expect(call).toMatchObject({ channel: 'call', stepName: 'Appel de relance (J+21)' })
    const agenda = await app.call('agenda:list', { collectorId: null, kinds: ['dunning'] })
    expect(agenda.rows.map((r) => r.caseReference)).toContain(cases.fresh!.reference)
    expect(agenda.rows.find((r) => r.caseReference === cases.fresh!.reference)!.reasons[0]!.label).toContain(
      'Relance : Appel de relance (J+21)'
    )
    // A call logged on the case since the task was made settles it (one logged before does not).
    const logCall = (now: string) =>
      app.db.write((manager) =>
        appendJournalEntry(
          manager,
          { caseId: cases.fresh!.caseId, kind: 'call', summary: 'Appel sortant : message laissé' },
          { userId: call.id, now }
        )
      )
    await logCall('2026-11-23T08:00:00.000Z')
    const still = await app.call('agenda:list', { collectorId: null, kinds: ['dunning'] })
    expect(still.rows.map((r) => r.caseReference)).toContain(cases.fresh!.reference)
    await logCall('2026-11-23T10:00:00.000Z')
    const after = await app.call('agenda:list', { collectorId: null, kinds: ['dunning'] })
    expect(after.rows.map((r) => r.caseReference)).not.toContain(cases.fresh!.reference)
    await expect(app.call('dunning:complete-task', { actionId: call.id })).resolves.toMatchObject({
      actionId: call.id
    })
  })

  it('a confirmation runs in the background on the preview seen; a preview that changed since is refused', async () => {
    const at = '2026-06-30'
    const preview = await app.call('dunning:preview', { at })
    expect(preview.totalItems).toBe(preview.items.length)
    const fresh = preview.items.find((i) => i.caseId === cases.fresh!.caseId)!
    expect(fresh).toBeDefined()
    await expect(
      app.call('dunning:start', { at, fingerprint: '0'.repeat(64), selection: 'all_except', keys: [] })
    ).rejects.toThrow(/ont changé depuis l’aperçu/)
    let status = await app.call('dunning:start', {
      at,
      fingerprint: preview.fingerprint,
      selection: 'only',
      keys: [`${fresh.caseId}:${fresh.stepId}`]
    })
    while (status.state === 'running' || status.state === 'writing') {
      await new Promise((resolve) => setTimeout(resolve, 50))
      status = await app.call('dunning:job', { jobId: status.jobId })
    }
    expect(status).toMatchObject({ state: 'done', total: 1, done: 1 })
    const batch = await app.call('dunning:batch', { batchId: status.batchId! })
    expect(batch.actions.map((a) => [a.caseReference, a.stepName])).toEqual([[cases.fresh!.reference, fresh.stepName]])
    // That step is taken: the same preview can no longer be confirmed.
    await expect(
      app.call('dunning:start', { at, fingerprint: preview.fingerprint, selection: 'all_except', keys: [] })
    ).rejects.toThrow(/ont changé depuis l’aperçu/)
  })

  it('a run past the rate table reports the cases whose statement cannot be computed, in French', async () => {
    await app.db.write((m) =>
      m.query(`UPDATE claim SET interest_basis = 'b2b_penalty' WHERE case_id = ?`, [cases.other!.caseId])
    )
    const preview = await app.call('dunning:preview', { at: '2026-08-10' })
    expect(preview.errors).toContainEqual(
      expect.objectContaining({
        caseReference: cases.other!.reference,
        reason: expect.stringContaining('2e semestre 2026')
      })
    )
  })
})
