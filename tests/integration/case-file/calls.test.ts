import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelInput } from '@shared/contract'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { TEST_NOW, TEST_TODAY, openTempApp } from '../helpers/temp-app'
import { COMPANY, countRows, refusal } from '../money/fixtures'
import { journalRows, seedWorkspaceCase, type WorkspaceCase } from './helpers'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

// The test clock: Monday 23 November 2026, 10:00 in Paris (09:00 UTC), inside the call window.
const call = (c: WorkspaceCase, overrides: Partial<ChannelInput<'calls:log'>> = {}): ChannelInput<'calls:log'> => ({
  caseId: c.caseId,
  phoneId: c.phoneIds[0]!,
  direction: 'outbound',
  answeredBy: 'no_answer',
  outcome: 'no_answer',
  startedAt: TEST_NOW,
  durationSeconds: 25,
  nextActionOn: '2026-11-24',
  ...overrides
})

describe('logging a call', () => {
  it('writes the call entry and keeps last contact and next action in step, in one transaction', async () => {
    const c = await seedWorkspaceCase(app)
    const logged = await app.call('calls:log', call(c, { note: 'Sonnerie dans le vide.' }))
    expect(logged.warnings).toEqual([])
    expect(logged.case).toMatchObject({
      lastContactAt: TEST_NOW,
      lastContactOutcome: 'no_answer',
      nextActionOn: '2026-11-24',
      version: 2
    })
    const [entry] = await journalRows(app, c.caseId)
    expect(entry).toMatchObject({ id: logged.entryId, kind: 'call' })
    expect(entry!.summary).toMatch(
      /^Appel sortant au 06 \d\d \d\d \d\d \d\d — Personne : Pas de réponse — Sonnerie dans le vide\.$/
    )
    expect(JSON.parse(entry!.details!)).toMatchObject({
      direction: 'outbound',
      answeredBy: 'no_answer',
      outcome: 'no_answer',
      phoneId: c.phoneIds[0],
      durationSeconds: 25
    })
  })

  it('creates the promise from a "promise to pay" call, linked to the call, through the money engine’s records', async () => {
    const c = await seedWorkspaceCase(app)
    const logged = await app.call(
      'calls:log',
      call(c, {
        answeredBy: 'debtor',
        outcome: 'promise_to_pay',
        promise: { amountCents: 25_000, dueOn: '2026-11-30' },
        nextActionOn: '2026-12-01',
        durationSeconds: 240
      })
    )
    expect(logged.promise).toMatchObject({
      amountCents: 25_000,
      dueOn: '2026-11-30',
      madeOn: TEST_TODAY,
      status: 'pending',
      journalEntryId: logged.entryId
    })
    expect(await app.call('promises:list', { caseId: c.caseId })).toEqual([
      expect.objectContaining({ id: logged.promise!.id, journalEntryId: logged.entryId })
    ])
    // One entry: the call records the promise (no separate "promise" entry).
    const rows = await journalRows(app, c.caseId)
    expect(rows.map((r) => r.kind)).toEqual(['call'])
    expect(rows[0]!.summary).toContain('Promesse de paiement (250,00\u00a0€ au plus tard le 30/11/2026)')
    // Someone answered on an unverified number: it is now known valid.
    expect(logged.phoneStatusChanged).toEqual({ phoneId: c.phoneIds[0], status: 'valid' })
  })

  it('marks a wrong number invalid', async () => {
    const c = await seedWorkspaceCase(app)
    const logged = await app.call(
      'calls:log',
      call(c, { phoneId: c.phoneIds[1]!, answeredBy: 'wrong_number', outcome: 'wrong_number' })
    )
    expect(logged.phoneStatusChanged).toEqual({ phoneId: c.phoneIds[1], status: 'invalid' })
    const file = await app.call('casefile:get', { caseId: c.caseId })
    const phone = file.debtor.phones.find((p) => p.id === c.phoneIds[1])!
    expect(phone).toMatchObject({ status: 'invalid', statusChangedAt: TEST_NOW })
    // Invalid numbers are listed last.
    expect(file.debtor.phones.at(-1)!.id).toBe(c.phoneIds[1])
  })

  it('refuses a promise without amount, a wrong number that does not say so, and a phone of another debtor', async () => {
    const c = await seedWorkspaceCase(app)
    const other = await seedWorkspaceCase(app)
    const missing = await refusal(app, 'calls:log', call(c, { answeredBy: 'debtor', outcome: 'promise_to_pay' }))
    expect(missing).toMatchObject({ code: 'VALIDATION' })
    expect(missing.message).toContain('Une promesse de paiement demande un montant et une date')
    const mismatch = await refusal(app, 'calls:log', call(c, { answeredBy: 'debtor', outcome: 'wrong_number' }))
    expect(mismatch.message).toContain('Faux numéro')
    const foreign = await refusal(app, 'calls:log', call(c, { phoneId: other.phoneIds[0]! }))
    expect(foreign.message).toBe('Ce numéro n’appartient pas au débiteur du dossier.')
  })
})

describe('the call policy', () => {
  it('needs a reason outside Mon–Fri 10–13 / 14–20 Paris time, and logs it', async () => {
    const c = await seedWorkspaceCase(app)
    const before = await countRows(app, 'journal_entry')
    const evening = '2026-11-20T20:30:00.000Z' // Friday 21:30 in Paris
    const refused = await refusal(app, 'calls:log', call(c, { startedAt: evening }))
    expect(refused.code).toBe('BUSINESS_RULE')
    expect(refused.message).toContain('Appel à 21:30 (heure de Paris), hors des plages 10 h – 13 h et 14 h – 20 h.')
    expect(await countRows(app, 'journal_entry')).toBe(before)

    const logged = await app.call(
      'calls:log',
      call(c, { startedAt: evening, warningReason: 'Rappel demandé par le débiteur pour ce créneau' })
    )
    expect(logged.warnings.map((w) => w.code)).toEqual(['outside_hours'])
    const details = JSON.parse((await journalRows(app, c.caseId))[0]!.details!)
    expect(details).toMatchObject({
      warnings: [expect.objectContaining({ code: 'outside_hours' })],
      warningReason: 'Rappel demandé par le débiteur pour ce créneau'
    })
  })

  it('warns on public holidays computed from Easter (Whit Monday) and on Sundays', async () => {
    const c = await seedWorkspaceCase(app)
    const whitMonday = await app.call('calls:check', {
      caseId: c.caseId,
      startedAt: '2026-05-25T09:00:00.000Z',
      direction: 'outbound'
    })
    expect(whitMonday.warnings).toEqual([
      { code: 'public_holiday', message: 'Appel un jour férié : Lundi de Pentecôte (25/05/2026).' }
    ])
    const sunday = await app.call('calls:check', {
      caseId: c.caseId,
      startedAt: '2026-11-22T10:00:00.000Z',
      direction: 'outbound'
    })
    expect(sunday.warnings.map((w) => w.code)).toEqual(['weekend'])
    // The debtor calling in is never a breach.
    const inbound = await app.call('calls:check', {
      caseId: c.caseId,
      startedAt: '2026-11-22T10:00:00.000Z',
      direction: 'inbound'
    })
    expect(inbound.warnings).toEqual([])
  })

  it('reads the window in the debtor’s time zone (La Réunion)', async () => {
    const c = await seedWorkspaceCase(app, { postalCode: '97400' })
    // 09:00 UTC = 13:00 in La Réunion: the lunch break.
    const check = await app.call('calls:check', { caseId: c.caseId, startedAt: TEST_NOW, direction: 'outbound' })
    expect(check.warnings).toEqual([
      expect.objectContaining({
        code: 'outside_hours',
        message: expect.stringContaining('13:00 (heure de la Réunion)')
      })
    ])
  })

  it('caps outbound calls at 4 a debtor in 30 days, every case counted, unless a call-back was requested', async () => {
    const c = await seedWorkspaceCase(app)
    const days = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-19']
    for (const day of days) {
      await app.call('calls:log', call(c, { startedAt: `${day}T10:00:00.000Z`, nextActionOn: null }))
    }
    // An inbound call does not count.
    await app.call(
      'calls:log',
      call(c, {
        direction: 'inbound',
        answeredBy: 'debtor',
        outcome: 'refuses',
        startedAt: '2026-11-20T10:00:00.000Z',
        nextActionOn: null
      })
    )
    const fifth = await refusal(app, 'calls:log', call(c))
    expect(fifth.message).toContain('Déjà 4 appels sortants vers ce débiteur sur les 30 derniers jours')
    const file = await app.call('casefile:get', { caseId: c.caseId })
    expect(file.calls).toMatchObject({ outboundLast30Days: 4, callBackRequested: false })

    // The debtor asks to be called back: the next call is not capped.
    await app.call(
      'calls:log',
      call(c, {
        answeredBy: 'debtor',
        outcome: 'call_back_requested',
        startedAt: '2026-11-23T08:30:00.000Z',
        warningReason: 'Le débiteur a appelé ce matin, rappel convenu',
        nextActionOn: null
      })
    )
    const check = await app.call('calls:check', { caseId: c.caseId, startedAt: TEST_NOW, direction: 'outbound' })
    expect(check).toMatchObject({ callBackRequested: true, warnings: [] })
  })

  it('warns on a suspended case and refuses a promise from a debtor in collective proceedings (L622-7)', async () => {
    const c = await seedWorkspaceCase(app, { debtor: COMPANY })
    await app.call('proceedings:record', {
      caseId: c.caseId,
      expectedVersion: 1,
      kind: 'liquidation',
      judgmentOn: '2026-11-10'
    })
    const check = await app.call('calls:check', { caseId: c.caseId, startedAt: TEST_NOW, direction: 'outbound' })
    expect(check.warnings).toEqual([expect.objectContaining({ code: 'dunning_stopped' })])
    const promise = await refusal(
      app,
      'calls:log',
      call(c, {
        answeredBy: 'debtor',
        outcome: 'promise_to_pay',
        promise: { amountCents: 10_000, dueOn: '2026-11-30' },
        warningReason: 'Le liquidateur a demandé un point'
      })
    )
    expect(promise.message).toContain('L622-7')
  })

  it('refuses a call in the future and screens the note and the reason', async () => {
    const c = await seedWorkspaceCase(app)
    const future = await refusal(app, 'calls:log', call(c, { startedAt: '2026-11-23T12:00:00.000Z' }))
    expect(future.message).toBe('Un appel ne peut pas être daté dans le futur.')
    const note = await refusal(app, 'calls:log', call(c, { note: 'Il sort de prison' }))
    expect(note.message).toContain('« prison »')
  })
})
