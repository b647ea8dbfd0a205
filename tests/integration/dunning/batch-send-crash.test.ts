import { spawn } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { TEST_NOW, tempDir } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'
import { CONSUMER, seedCase, type SeededCase } from '../money/fixtures'
import { AGENCY, addAddress } from '../documents/fixtures'
import { addContacts, smtpServer, smtpSettings } from './smtp-fixtures'

/**
 * Batch e-mails across a crash: the process dies (SIGKILL) while the SMTP server holds a message
 * it has received. After restart the message is neither recorded sent nor sent again silently:
 * it is listed as an uncertain sending, resent only when the user confirms, and the journal
 * quotes both attempts. A failure's reason survives a restart.
 */

let dir: { path: string; remove: () => void }
let app: RecouvraApp
let cases: SeededCase[]
const cleanup: Array<() => Promise<void>> = []

const open = () => createApp({ dataDir: dir.path, clock: fixedClock(TEST_NOW) })

async function run(at: string): Promise<string> {
  const preview = await app.call('dunning:preview', { at })
  const result = await app.services.dunning.run(at, await app.services.users.sessionUser(), {
    confirm: new Set(preview.items.map((i) => `${i.caseId}:${i.stepId}`))
  })
  expect(result.failures).toEqual([])
  return result.batchId!
}

beforeEach(async () => {
  dir = tempDir()
  app = await open()
  await app.call('documents:agency-save', AGENCY)
  await app.call('dunning:save-scenario', {
    id: null,
    version: null,
    code: 'test-crash',
    name: 'Test e-mail',
    isDefault: true,
    steps: [
      { name: 'Lettre', delayDays: 0, delayFrom: 'due_date', channel: 'letter', templateCode: 'reminder' },
      { name: 'E-mail', delayDays: 10, delayFrom: 'due_date', channel: 'email', templateCode: 'firm-reminder' }
    ]
  } as never)
  cases = []
  for (let i = 0; i < 3; i++) {
    const c = await seedCase(app, { claims: [{ principalCents: 40_000 + i, dueOn: '2026-03-02' }], debtor: CONSUMER })
    await addAddress(app, c.debtorId)
    await addContacts(app, c.debtorId, `debiteur${i}@example.org`, `+3361234567${i}`)
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

/** Spawns the child sending the batch (vitest, own process group); resolves once it is gone. */
function sendInChild(batchId: string): { pid: () => number; exited: Promise<{ lines: string[]; stderr: string }> } {
  const child = spawn(
    'npx',
    ['vitest', 'run', '--project', 'integration', 'tests/integration/dunning/batch-send-crash-child.test.ts'],
    {
      cwd: process.cwd(),
      env: { ...process.env, RECOUVRA_SEND_CRASH_DIR: dir.path, RECOUVRA_SEND_CRASH_BATCH: batchId },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  const lines: string[] = []
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    for (const raw of chunk.toString().split('\n')) {
      const at = raw.indexOf('SENDCRASH:')
      if (at >= 0) lines.push(raw.slice(at + 10).trim())
    }
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return { pid: () => child.pid!, exited: new Promise((resolve) => child.on('exit', () => resolve({ lines, stderr }))) }
}

describe.skipIf(testingOnPostgres())('batch e-mails across a crash', () => {
  it('a message the server received when the app died is listed as uncertain, resent only once confirmed, the journal quoting both attempts', async () => {
    const batchId = await run('2026-03-12')
    let child: ReturnType<typeof sendInChild> | null = null
    let killed = false
    // The server has the whole message for debiteur1 and is about to accept it: the app dies.
    const first = await smtpServer({
      onMessage: (m) => {
        if (!m.to.includes('debiteur1@example.org')) return true
        killed = true
        process.kill(-child!.pid(), 'SIGKILL')
        return false
      }
    })
    cleanup.push(first.close)
    await smtpSettings(app, first.port)
    await app.close()
    child = sendInChild(batchId)
    const { lines, stderr } = await child.exited
    expect(killed, `child output: ${lines.join(' | ')}\n${stderr.slice(-2000)}`).toBe(true)
    expect(lines).toContain('started 3')
    expect(lines.some((l) => l.startsWith('done'))).toBe(false)
    expect(first.received.map((r) => r.to[0])).toEqual(['debiteur0@example.org', 'debiteur1@example.org'])
    const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(first.received[1]!.data)![1]!

    app = await open()
    const outbox = await app.call('dunning:outbox', { batchId })
    const by = (to: string) => outbox.emails.find((e) => e.recipient === to)!
    expect(by('debiteur0@example.org').status).toBe('sent')
    const uncertain = by('debiteur1@example.org')
    expect(uncertain.status).toBe('generated')
    expect(uncertain.attempt).toMatchObject({ status: 'uncertain', messageId, to: 'debiteur1@example.org' })
    expect(uncertain.attempt!.reason).toContain('Envoi incertain — vérifier avant de renvoyer')
    expect(by('debiteur2@example.org').attempt).toBeNull()

    // Sending the batch again sends the untried one only; the uncertain one is listed, not sent.
    const second = await smtpServer()
    cleanup.push(second.close)
    await smtpSettings(app, second.port)
    const again = await app.services.batchSend.waitFor((await app.call('dunning:send-emails', { batchId })).jobId)
    expect(again).toMatchObject({ total: 2, sent: 1, failed: 0 })
    expect(again.results.find((r) => r.letterId === uncertain.letterId)).toMatchObject({ outcome: 'not_sent' })
    expect(again.results.find((r) => r.letterId === uncertain.letterId)!.reason).toContain('Envoi incertain')
    expect(second.received.map((r) => r.to[0])).toEqual(['debiteur2@example.org'])
    // Nor from the case's Documents tab without confirming.
    await expect(
      app.call('letters:email', { letterId: uncertain.letterId, to: 'debiteur1@example.org', mode: 'smtp' })
    ).rejects.toThrow(/Envoi incertain — vérifier avant de renvoyer/)
    expect(second.received).toHaveLength(1)

    // The user checked and confirms: sent once more, and the journal quotes both attempts.
    const resent = await app.services.batchSend.waitFor(
      (await app.call('dunning:send-emails', { batchId, resendUncertain: [uncertain.letterId] })).jobId
    )
    expect(resent).toMatchObject({ total: 1, sent: 1, failed: 0 })
    expect(second.received.map((r) => r.to[0])).toEqual(['debiteur2@example.org', 'debiteur1@example.org'])
    expect((await app.call('dunning:outbox', { batchId })).emails.every((e) => e.status === 'sent' && !e.attempt)).toBe(
      true
    )
    const journal = await app.call('journal:list', { caseId: cases[1]!.caseId, offset: 0, limit: 50, kinds: ['email'] })
    const sent = journal.entries.filter((e) => e.summary.startsWith('E-mail envoyé à debiteur1@example.org'))
    expect(sent).toHaveLength(1)
    expect(sent[0]!.summary).toContain('renvoi confirmé par l’utilisateur après l’envoi incertain du 23/11/2026')
    expect(sent[0]!.summary).toContain(messageId)
    const attempts = (sent[0]!.details as { attempts: Array<{ status: string; messageId: string }> }).attempts
    expect(attempts.map((a) => a.status)).toEqual(['uncertain', 'sent'])
    expect(attempts.map((a) => a.messageId)).toEqual([messageId, messageId])
  })

  it('a refusal’s reason is kept: after a restart the e-mail shows it, not a bare "À envoyer"', async () => {
    const smtp = await smtpServer({ refuse: 'debiteur1@example.org' })
    cleanup.push(smtp.close)
    await smtpSettings(app, smtp.port)
    const batchId = await run('2026-03-12')
    const done = await app.services.batchSend.waitFor((await app.call('dunning:send-emails', { batchId })).jobId)
    expect(done).toMatchObject({ sent: 2, failed: 1 })
    await app.close()
    app = await open()
    const failed = (await app.call('dunning:outbox', { batchId })).emails.find(
      (e) => e.recipient === 'debiteur1@example.org'
    )!
    expect(failed.status).toBe('generated')
    expect(failed.attempt).toMatchObject({ status: 'failed', to: 'debiteur1@example.org' })
    expect(failed.attempt!.reason).toContain('adresse du destinataire refusée par le serveur')
    expect(failed.attempt!.reason).toContain('550')
  })

  it('an unreachable server: every e-mail keeps the reason after a restart', async () => {
    await smtpSettings(app, 1)
    const batchId = await run('2026-03-12')
    await app.services.batchSend.waitFor((await app.call('dunning:send-emails', { batchId })).jobId)
    await app.close()
    app = await open()
    const emails = (await app.call('dunning:outbox', { batchId })).emails
    expect(emails).toHaveLength(3)
    for (const e of emails) expect(e.attempt?.reason).toContain('serveur SMTP injoignable')
  })
})
