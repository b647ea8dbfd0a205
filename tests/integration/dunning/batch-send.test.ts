import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { RpcCallError } from '@shared/contract'
import { uuid7 } from '@shared/ids/uuid7'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { formatDunningCli, runDunningCli } from '../../../src-main/modules/dunning/dunning-cli'
import { DebtorEmailEntity, DebtorPhoneEntity } from '../../../src-main/modules/debtors/debtor-contact.entity'
import { fixedClock } from '../../../src-main/platform/clock'
import { log } from '../../../src-main/platform/log'
import { TEST_NOW, tempDir } from '../helpers/temp-app'
import { CONSUMER, seedCase, type SeededCase } from '../money/fixtures'
import { AGENCY, addAddress } from '../documents/fixtures'

/**
 * Sending a batch's e-mails through a real SMTP server on loopback (one recipient refused), the
 * offline .eml archive, the SMS provider file; never twice, even across a crash.
 */

interface Received {
  to: string[]
  data: string
}

/** A loopback SMTP server refusing `refuse` at RCPT TO; `hang` holds a message's DATA forever. */
async function smtpServer(options: { refuse?: string; hang?: string } = {}) {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    closeTimeout: 200,
    onRcptTo(address, _session, callback) {
      if (address.address === options.refuse) {
        const error = new Error('Boîte aux lettres inconnue') as Error & { responseCode: number }
        error.responseCode = 550
        return callback(error)
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address)
        if (options.hang && to.includes(options.hang)) return // never answers: the sender waits
        received.push({ to, data: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    received,
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

let dir: { path: string; remove: () => void }
let app: RecouvraApp
let cases: SeededCase[]
const cleanup: Array<() => Promise<void>> = []

async function open(): Promise<RecouvraApp> {
  return createApp({ dataDir: dir.path, clock: fixedClock(TEST_NOW) })
}

async function addContacts(debtorId: string, email: string, mobile: string) {
  const stamp = { createdAt: TEST_NOW, createdBy: null, updatedAt: TEST_NOW, updatedBy: null, version: 1 }
  await app.db.write(async (m) => {
    await m.insert(DebtorEmailEntity, {
      id: uuid7(),
      ...stamp,
      debtorId,
      address: email,
      status: 'valid',
      source: 'test'
    })
    await m.insert(DebtorPhoneEntity, {
      id: uuid7(),
      ...stamp,
      debtorId,
      number: mobile,
      kind: 'mobile',
      status: 'valid',
      statusChangedAt: null,
      source: 'test'
    })
  })
}

/** Runs the engine at a date, every step due confirmed. */
async function run(at: string): Promise<string> {
  const preview = await app.call('dunning:preview', { at })
  const result = await app.services.dunning.run(at, await app.services.users.sessionUser(), {
    confirm: new Set(preview.items.map((i) => `${i.caseId}:${i.stepId}`))
  })
  expect(result.failures).toEqual([])
  return result.batchId!
}

async function smtpSettings(port: number) {
  await app.call('documents:smtp-save', {
    host: '127.0.0.1',
    port,
    secure: false,
    user: '',
    password: '',
    from: 'relances@lumiere-recouvrement.fr'
  })
}

beforeEach(async () => {
  dir = tempDir()
  app = await open()
  await app.call('documents:agency-save', AGENCY)
  // A scenario: a first letter at the due date, an e-mail at +10, an SMS at +11.
  await app.call('dunning:save-scenario', {
    id: null,
    version: null,
    code: 'test-canaux',
    name: 'Test e-mail et SMS',
    isDefault: true,
    steps: [
      { name: 'Lettre', delayDays: 0, delayFrom: 'due_date', channel: 'letter', templateCode: 'reminder' },
      { name: 'E-mail', delayDays: 10, delayFrom: 'due_date', channel: 'email', templateCode: 'firm-reminder' },
      { name: 'SMS', delayDays: 11, delayFrom: 'due_date', channel: 'sms', templateCode: 'last-reminder' }
    ]
  } as never)
  cases = []
  for (let i = 0; i < 3; i++) {
    const c = await seedCase(app, { claims: [{ principalCents: 40_000 + i, dueOn: '2026-03-02' }], debtor: CONSUMER })
    await addAddress(app, c.debtorId)
    await addContacts(c.debtorId, `debiteur${i}@example.org`, `+3361234567${i}`)
    cases.push(c)
  }
  await run('2026-03-02')
  const first = await app.call('dunning:batches', { limit: 1 })
  await app.call('dunning:mark-sent', { batchId: first[0]!.id, sentOn: '2026-03-03' })
})

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
  await app.close()
  dir.remove()
})

async function emailLetters(caseId: string) {
  return (await app.call('letters:list', { caseId })).filter((l) => l.channel === 'email')
}

describe('batch e-mails through SMTP', () => {
  it('sends every e-mail of the batch with progress, reports the refused recipient in French, retries only the failure', async () => {
    const smtp = await smtpServer({ refuse: 'debiteur1@example.org' })
    cleanup.push(smtp.close)
    await smtpSettings(smtp.port)
    const batchId = await run('2026-03-12')
    const outbox = await app.call('dunning:outbox', { batchId })
    expect(outbox.emails).toHaveLength(3)
    expect(outbox.emails.every((e) => e.status === 'generated' && e.recipient?.endsWith('@example.org'))).toBe(true)
    expect((await app.call('dunning:batches', { limit: 1 }))[0]!.unsentMessages).toBe(3)

    const job = await app.call('dunning:send-emails', { batchId })
    expect(job.total).toBe(3)
    const done = await app.services.batchSend.waitFor(job.jobId)
    expect(done).toMatchObject({ state: 'done', done: 3, sent: 2, failed: 1 })
    const failure = done.results.find((r) => r.outcome === 'failed')!
    expect(failure.to).toBe('debiteur1@example.org')
    expect(failure.reason).toContain('adresse du destinataire refusée par le serveur')
    expect(failure.reason).toContain('550')
    expect(smtp.received.map((r) => r.to[0]).sort()).toEqual(['debiteur0@example.org', 'debiteur2@example.org'])
    // The PDF is attached and the Message-ID is the letter's.
    const sentLetter = (await emailLetters(cases[0]!.caseId))[0]!
    expect(sentLetter).toMatchObject({ status: 'sent', sentOn: '2026-11-23' })
    const message = smtp.received.find((r) => r.to[0] === 'debiteur0@example.org')!.data
    expect(message).toContain('application/pdf')
    expect(message).toContain(`courrier-${sentLetter.id}@lumiere-recouvrement.fr`)
    // The dunning step is sent too, and the journal says so once.
    const detail = await app.call('dunning:batch', { batchId })
    expect(detail.actions.filter((a) => a.sentOn !== null)).toHaveLength(2)
    const journal = await app.call('journal:list', { caseId: cases[0]!.caseId, offset: 0, limit: 50, kinds: ['email'] })
    expect(journal.entries.filter((e) => e.summary.startsWith('E-mail envoyé à debiteur0@example.org'))).toHaveLength(1)

    // Sending the whole batch again sends nothing twice: only the failure is tried (refused again).
    const again = await app.services.batchSend.waitFor((await app.call('dunning:send-emails', { batchId })).jobId)
    expect(again).toMatchObject({ total: 1, sent: 0, failed: 1 })
    expect(smtp.received).toHaveLength(2)

    // The address corrected at the server: the retry of the failures sends it.
    const ok = await smtpServer()
    cleanup.push(ok.close)
    await smtpSettings(ok.port)
    const retry = await app.services.batchSend.waitFor(
      (await app.call('dunning:send-emails', { batchId, letterIds: [failure.letterId] })).jobId
    )
    expect(retry).toMatchObject({ total: 1, sent: 1, failed: 0 })
    expect(ok.received.map((r) => r.to[0])).toEqual(['debiteur1@example.org'])
    expect((await app.call('dunning:outbox', { batchId })).emails.every((e) => e.status === 'sent')).toBe(true)
    expect((await app.call('dunning:batches', { limit: 1 }))[0]!.unsentMessages).toBe(0)
  })

  it('an unreachable server stops the sending with the reason; nothing is marked sent', async () => {
    await smtpSettings(1)
    const batchId = await run('2026-03-12')
    const done = await app.services.batchSend.waitFor((await app.call('dunning:send-emails', { batchId })).jobId)
    expect(done).toMatchObject({ total: 3, sent: 0, failed: 3 })
    expect(done.message).toContain('serveur SMTP injoignable')
    expect((await app.call('dunning:outbox', { batchId })).emails.every((e) => e.status === 'generated')).toBe(true)
  })

  it('a crash mid-batch: what the server accepted was recorded and is not sent again after restart; the one in flight waits for the user', async () => {
    const smtp = await smtpServer({ hang: 'debiteur1@example.org' })
    cleanup.push(smtp.close)
    await smtpSettings(smtp.port)
    const batchId = await run('2026-03-12')
    const job = await app.call('dunning:send-emails', { batchId })
    // The first message accepted and recorded, the second stuck at the server: the app dies.
    for (let i = 0; i < 200 && app.services.batchSend.job(job.jobId).sent < 1; i++)
      await new Promise((resolve) => setTimeout(resolve, 25))
    expect(app.services.batchSend.job(job.jobId).sent).toBe(1)
    // The message stuck at the server cannot be sent a second time from the Documents tab meanwhile.
    const stuck = (await app.call('dunning:outbox', { batchId })).emails.find(
      (e) => e.recipient === 'debiteur1@example.org'
    )!
    for (let i = 0; i < 200 && !app.services.letters.sending.has(stuck.letterId); i++)
      await new Promise((resolve) => setTimeout(resolve, 25))
    await expect(
      app.call('letters:email', { letterId: stuck.letterId, to: 'debiteur1@example.org', mode: 'smtp' })
    ).rejects.toThrow(/en cours d’envoi/)
    await app.close().catch(() => undefined)
    app = await open()
    const ok = await smtpServer()
    cleanup.push(ok.close)
    await smtpSettings(ok.port)
    // The message handed to the server when the app stopped may have left: listed as uncertain,
    // not sent again until the user confirms (batch-send-crash.test.ts kills a real process).
    const after = await app.services.batchSend.waitFor((await app.call('dunning:send-emails', { batchId })).jobId)
    expect(after).toMatchObject({ total: 2, sent: 1 })
    expect(after.results.find((r) => r.letterId === stuck.letterId)?.reason).toContain('Envoi incertain')
    expect(ok.received.map((r) => r.to[0])).toEqual(['debiteur2@example.org'])
    const confirmed = await app.services.batchSend.waitFor(
      (await app.call('dunning:send-emails', { batchId, resendUncertain: [stuck.letterId] })).jobId
    )
    expect(confirmed).toMatchObject({ total: 1, sent: 1 })
    expect(ok.received.map((r) => r.to[0])).toEqual(['debiteur2@example.org', 'debiteur1@example.org'])
    expect(smtp.received.map((r) => r.to[0])).toEqual(['debiteur0@example.org'])
  })

  it('close() during a sending stops it (no error logged); the unsent e-mails go at the next start', async () => {
    const smtp = await smtpServer({ hang: 'debiteur1@example.org' })
    cleanup.push(smtp.close)
    await smtpSettings(smtp.port)
    const batchId = await run('2026-03-12')
    const job = await app.call('dunning:send-emails', { batchId })
    for (let i = 0; i < 200 && app.services.batchSend.job(job.jobId).sent < 1; i++)
      await new Promise((resolve) => setTimeout(resolve, 25))
    const errors = vi.spyOn(log, 'error')
    // The message in flight is never answered: close() stops the sending before the next one,
    // waits its grace for the answer, then closes (that one stays "sending": uncertain).
    await app.close()
    expect(errors).not.toHaveBeenCalled()
    app = await open()
    const outbox = await app.call('dunning:outbox', { batchId })
    expect(
      outbox.emails
        .filter((e) => e.status === 'generated')
        .map((e) => e.recipient)
        .sort()
    ).toEqual(['debiteur1@example.org', 'debiteur2@example.org'])
    const ok = await smtpServer()
    cleanup.push(ok.close)
    await smtpSettings(ok.port)
    const after = await app.services.batchSend.waitFor((await app.call('dunning:send-emails', { batchId })).jobId)
    expect(after).toMatchObject({ total: 2, sent: 1 })
    expect(ok.received.map((r) => r.to[0])).toEqual(['debiteur2@example.org'])
    expect(errors).not.toHaveBeenCalled()
    errors.mockRestore()
  })

  it('without a server: one zip of .eml files (each stored), and batch sending is refused in French', async () => {
    const batchId = await run('2026-03-12')
    const refused = await app.call('dunning:send-emails', { batchId }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(RpcCallError)
    expect((refused as RpcCallError).message).toContain('Aucun serveur SMTP')
    const archive = await app.call('dunning:eml-archive', { batchId })
    expect(archive.count).toBe(3)
    const entries = unzip(Buffer.from(archive.base64, 'base64'))
    expect(entries.map((e) => e.name)).toHaveLength(3)
    for (const e of entries) {
      expect(e.name).toMatch(/\.eml$/)
      expect(e.content.toString('utf8')).toMatch(/^To: debiteur\d@example\.org/m)
      expect(e.content.toString('utf8')).toContain('application/pdf')
    }
    const docs = await app.call('documents:list', { caseId: cases[0]!.caseId })
    expect(docs.some((d) => d.mimeType === 'message/rfc822')).toBe(true)
  })
})

describe('batch e-mails from the command line', () => {
  it('dunning send --batch ID --eml-dir DIR writes one .eml per e-mail; with SMTP it sends them', async () => {
    const batchId = await run('2026-03-12')
    const out = tempDir()
    cleanup.push(async () => out.remove())
    const written = await runDunningCli(app, { action: 'send', batch: batchId, 'eml-dir': out.path })
    expect(readdirSync(out.path).sort()).toEqual(('files' in written ? written.files : []).slice().sort())
    expect(readdirSync(out.path)).toHaveLength(3)
    expect(readFileSync(join(out.path, readdirSync(out.path)[0]!), 'utf8')).toContain('application/pdf')
    expect(formatDunningCli(written)).toContain('3 fichier(s) .eml')
    const smtp = await smtpServer()
    cleanup.push(smtp.close)
    await smtpSettings(smtp.port)
    const sent = await runDunningCli(app, { action: 'send', batch: batchId })
    expect(formatDunningCli(sent)).toContain('3 envoyé(s), 0 échec(s) sur 3')
    expect(smtp.received).toHaveLength(3)
  })
})

describe('batch SMS through the provider file', () => {
  it('exports number and text (first letter quoted), then marks them sent with the text in the journal', async () => {
    await run('2026-03-12')
    const batchId = await run('2026-03-13')
    const outbox = await app.call('dunning:outbox', { batchId })
    expect(outbox.sms).toHaveLength(3)
    const file = await app.call('dunning:sms-export', { batchId })
    expect(file.count).toBe(3)
    const csv = Buffer.from(file.base64, 'base64')
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = csv.toString('utf8').slice(1).trim().split('\r\n')
    expect(rows[0]).toBe('numero;message;reference')
    expect(rows).toHaveLength(4)
    expect(rows[1]).toMatch(
      /^\+33612345670;Cabinet Lumière Recouvrement pour .*Réf\. 1er courrier REC-T-\d+\/C1 du 02\/03\/2026\./
    )
    const marked = await app.call('dunning:sms-mark-sent', { batchId, sentOn: '2026-03-13' })
    expect(marked.updated).toBe(3)
    const journal = await app.call('journal:list', { caseId: cases[0]!.caseId, offset: 0, limit: 50, kinds: ['sms'] })
    expect(rows[1]).toContain('Tél. 04 72 10 20 30. Réf. 1er courrier')
    const entry = journal.entries.find((e) => e.summary.startsWith('SMS envoyé au +33612345670'))
    expect(entry?.summary).toContain('Réf. 1er courrier')
    // The provider file is stored once, hashed, and quoted by the entry.
    expect(entry?.details).toMatchObject({ phone: '+33612345670', batchId })
    expect((entry?.details as { providerFileSha256: string }).providerFileSha256).toMatch(/^[0-9a-f]{64}$/)
    expect((await app.call('dunning:outbox', { batchId })).sms.every((s) => s.status === 'sent')).toBe(true)
    // Nothing left: a second marking is refused, nothing journalled twice.
    await expect(app.call('dunning:sms-mark-sent', { batchId, sentOn: '2026-03-13' })).rejects.toThrow(/Aucun SMS/)
  })
})

/** Reads the zip the app wrote (deflate entries), through its central directory. */
function unzip(zip: Buffer): Array<{ name: string; content: Buffer }> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const out: Array<{ name: string; content: Buffer }> = []
  for (let i = 0; i < count; i++) {
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    out.push({ name, content: inflateRawSync(zip.subarray(start, start + size)) })
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
  }
  return out
}
