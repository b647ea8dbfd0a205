import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTempApp } from '../helpers/temp-app'
import { CONSUMER, seedCase, type SeededCase } from '../money/fixtures'
import { AGENCY, addAddress } from '../documents/fixtures'
import { addContacts } from './smtp-fixtures'
import type { RecouvraApp } from '../../../src-main/app/create-app'

/**
 * An uncertain sending (left "sending" by a crash while handed to the SMTP server) the user
 * checked DID leave: recorded sent without sending it again, the attempt, letter and dunning
 * step sent, and the journal's e-mail entry quoting the verification note and the Message-ID.
 */
describe('letters:email-confirm-sent', () => {
  let app: RecouvraApp
  let dispose: () => Promise<void>
  let seeded: SeededCase
  let batchId: string

  const run = async (at: string) => {
    const preview = await app.call('dunning:preview', { at })
    const result = await app.services.dunning.run(at, await app.services.users.sessionUser(), {
      confirm: new Set(preview.items.map((i) => `${i.caseId}:${i.stepId}`))
    })
    expect(result.failures).toEqual([])
    return result.batchId!
  }

  beforeAll(async () => {
    ;({ app, dispose } = await openTempApp())
    await app.call('documents:agency-save', AGENCY)
    await app.call('dunning:save-scenario', {
      id: null,
      version: null,
      code: 'test-verified',
      name: 'Test e-mail',
      isDefault: true,
      steps: [
        { name: 'Lettre', delayDays: 0, delayFrom: 'due_date', channel: 'letter', templateCode: 'reminder' },
        { name: 'E-mail', delayDays: 10, delayFrom: 'due_date', channel: 'email', templateCode: 'firm-reminder' }
      ]
    } as never)
    seeded = await seedCase(app, { claims: [{ principalCents: 40_000, dueOn: '2026-03-02' }], debtor: CONSUMER })
    await addAddress(app, seeded.debtorId)
    await addContacts(app, seeded.debtorId, 'debiteur@example.org', '+33612345670')
    const first = await run('2026-03-02')
    await app.call('dunning:mark-sent', { batchId: first, sentOn: '2026-03-03' })
    batchId = await run('2026-03-12')
  })
  afterAll(() => dispose())

  it('records an uncertain sending checked by the user as sent, once, without resending it', async () => {
    const [email] = (await app.call('dunning:outbox', { batchId })).emails
    expect(email).toMatchObject({ status: 'generated', attempt: null })
    // Nothing uncertain yet: refused.
    await expect(
      app.call('letters:email-confirm-sent', { letterId: email!.letterId, verification: 'Vu dans les envoyés' })
    ).rejects.toThrow(/n’a pas d’envoi incertain/)

    // The app died while handing it to the server: its attempt stays "sending" (uncertain).
    const messageId = '<verified-1@recouvra.test>'
    const user = await app.services.users.sessionUser()
    const attemptId = await app.services.letters.beginEmailAttempt(
      { letterId: email!.letterId, to: 'debiteur@example.org', messageId },
      user
    )
    const uncertain = (await app.call('dunning:outbox', { batchId })).emails[0]!
    expect(uncertain.attempt).toMatchObject({ status: 'uncertain', messageId })

    // The note is required.
    await expect(
      app.call('letters:email-confirm-sent', { letterId: email!.letterId, verification: ' ' })
    ).rejects.toThrow(/Indiquez comment l’envoi a été vérifié/)

    const note = 'Présent dans les éléments envoyés de la messagerie du cabinet'
    // A collector not assigned to the case is refused (the letter names its case).
    const collector = await app.call('users:create', {
      login: 'collector1',
      displayName: 'Test collector',
      role: 'collector',
      password: 'correct horse battery'
    })
    app.services.users.bind('http:collector-session1', collector.id)
    const refused = await app.dispatcher.dispatch(
      'letters:email-confirm-sent',
      { letterId: email!.letterId, verification: note },
      'http',
      'http:collector-session1'
    )
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    if (!refused.ok) expect(refused.error.message).toMatch(/pas dans votre portefeuille/)

    const letter = await app.call('letters:email-confirm-sent', { letterId: email!.letterId, verification: note })
    expect(letter).toMatchObject({ status: 'sent', sentOn: '2026-11-23', recipient: 'debiteur@example.org' })

    // The letter and the dunning step as after a normal sending.
    const after = (await app.call('dunning:outbox', { batchId })).emails[0]!
    expect(after).toMatchObject({ status: 'sent', attempt: null })
    const detail = await app.call('dunning:batch', { batchId })
    expect(detail.actions.filter((a) => a.caseId === seeded.caseId).every((a) => a.sentOn === '2026-11-23')).toBe(true)
    const rows = (await app.db.read((m) =>
      m.query('SELECT status, message_id FROM email_attempt WHERE id = ?', [attemptId])
    )) as Array<{ status: string; message_id: string }>
    expect(rows).toEqual([{ status: 'sent', message_id: messageId }])

    // One journal entry: an e-mail sent, with the verification note quoting the Message-ID.
    const journal = await app.call('journal:list', { caseId: seeded.caseId, offset: 0, limit: 50, kinds: ['email'] })
    const sent = journal.entries.filter((e) => e.summary.startsWith('E-mail envoyé à debiteur@example.org'))
    expect(sent).toHaveLength(1)
    expect(sent[0]!.summary).toContain('vérifié parti par l’utilisateur, sans renvoi')
    expect(sent[0]!.summary).toContain(`Message-ID ${messageId}`)
    expect(sent[0]!.summary).toContain(`« ${note} »`)
    expect(sent[0]!.details).toMatchObject({
      letterId: email!.letterId,
      messageId,
      verifiedSent: { attemptId, note },
      attempts: [{ id: attemptId, status: 'sent', messageId }]
    })

    // Once only.
    await expect(
      app.call('letters:email-confirm-sent', { letterId: email!.letterId, verification: note })
    ).rejects.toThrow(/déjà enregistré envoyé/)
  })
})
