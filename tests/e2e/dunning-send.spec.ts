import type { AddressInfo } from 'node:net'
import { expect, test } from '@playwright/test'
import { SMTPServer } from 'smtp-server'
import type { DunningBatchSummary, DunningOutbox } from '../../src-shared/contract'
import { openApp } from './app'
import { TEST_AGENCY, nav } from './test-agency'
import { ARTIFACTS } from './paths'
import { api, e2eState } from './state'

// Before dunning.spec.ts's date, in the shipped rate table.
const RUN_DATE = '2026-06-20'

test('a manager sends a batch’s e-mails through SMTP: progress, a refused recipient, retry of the failure', async ({
  page
}) => {
  test.setTimeout(240_000)
  const { demoUrl } = e2eState()
  const call = api(demoUrl)
  // A real SMTP server on loopback; `refuse` is refused at RCPT TO.
  let refuse: string | null = null
  const received: string[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      if (auth.password !== 'secret-e2e') return callback(new Error('Mot de passe refusé'))
      callback(null, { user: auth.username })
    },
    onRcptTo(address, _session, callback) {
      if (address.address === refuse) {
        const error = new Error('Boîte aux lettres inconnue') as Error & { responseCode: number }
        error.responseCode = 550
        return callback(error)
      }
      callback()
    },
    onData(stream, session, callback) {
      stream.resume()
      stream.on('end', () => {
        received.push(...session.envelope.rcptTo.map((r) => r.address))
        callback()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await call('documents:agency-save', TEST_AGENCY)
    await call('documents:smtp-save', {
      host: '127.0.0.1',
      port: (server.server.address() as AddressInfo).port,
      secure: false,
      user: 'agence',
      password: 'secret-e2e',
      from: 'relances@cabinet-test.invalid'
    })
    // The shipped scenario e-mails only before the due date; a mandate gets a scenario with an
    // e-mail step at the due date (non-default: the other specs keep the shipped one).
    await call('dunning:save-scenario', {
      id: null,
      version: null,
      code: 'e2e-email',
      name: 'Test e-mails (e2e)',
      isDefault: false,
      steps: [
        { name: 'E-mail à l’échéance', delayDays: 0, delayFrom: 'due_date', channel: 'email', templateCode: 'reminder' }
      ]
    })
    const mandates = await call<Array<{ id: string }>>('dunning:mandates', {})
    await call('dunning:set-mandate-scenario', { mandateId: mandates[0]!.id, scenarioCode: 'e2e-email' })
    const errors = await openApp(page, demoUrl)

    // Paramètres: the password is "défini", never shown.
    await nav(page, /Paramètres/).click()
    const password = page.getByTestId('smtp-password')
    await expect(page.getByText('Mot de passe : défini')).toBeVisible()
    await expect(password).toHaveValue('')
    await password.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/dunning-send-smtp-settings.png` })

    // Relances: confirm three e-mail steps only.
    await nav(page, /Relances/).click()
    await page.getByTestId('dunning-date').fill(RUN_DATE)
    await page.getByTestId('dunning-preview').click()
    const preview = page.getByTestId('dunning-preview-card')
    await expect(preview).toContainText('Aperçu au 20/06/2026', { timeout: 60_000 })
    await preview.getByRole('checkbox', { name: 'Tout sélectionner' }).click()
    const emailRows = page.getByTestId('dunning-item').filter({ has: page.getByTitle('E-mail', { exact: true }) })
    const available = await emailRows.count()
    test.skip(available < 2, `only ${available} e-mail step(s) due on ${RUN_DATE} in the demo portfolio`)
    const count = Math.min(3, available)
    for (let i = 0; i < count; i++) await emailRows.nth(i).getByRole('checkbox').check()
    await page.getByTestId('dunning-confirm').click()
    const batch = page.getByTestId('dunning-batch')
    await expect(batch).toBeVisible({ timeout: 120_000 })
    const outboxCard = batch.getByTestId('dunning-outbox')
    await expect(outboxCard).toContainText(`E-mails : ${count} à envoyer sur ${count}`)

    // The second recipient will be refused by the server.
    const [latest] = await call<DunningBatchSummary[]>('dunning:batches', { limit: 1 })
    const outbox = await call<DunningOutbox>('dunning:outbox', { batchId: latest!.id })
    refuse = outbox.emails[1]!.recipient
    await outboxCard.getByTestId('dunning-send-emails').click()
    const job = outboxCard.getByTestId('dunning-send-job')
    await expect(job).toContainText(`Envoi terminé : ${count - 1} envoyé(s), 1 échec(s)`, { timeout: 60_000 })
    await expect(job.getByTestId('dunning-send-failures')).toContainText(refuse!)
    await expect(job.getByTestId('dunning-send-failures')).toContainText(
      'adresse du destinataire refusée par le serveur'
    )
    await outboxCard.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/dunning-send-failure.png`, fullPage: true })

    // The address fixed at the provider: retry the failure only.
    refuse = null
    await job.getByTestId('dunning-retry-failures').click()
    await expect(job).toContainText('Envoi terminé : 1 envoyé(s), 0 échec(s)', { timeout: 60_000 })
    await expect(outboxCard).toContainText(`E-mails : 0 à envoyer sur ${count}`)
    await expect(outboxCard.getByTestId('dunning-outbox-email').filter({ hasText: 'Envoyé le' })).toHaveCount(count)
    expect([...received].sort()).toEqual(outbox.emails.map((e) => e.recipient!).sort())
    await page.screenshot({ path: `${ARTIFACTS}/dunning-send-done.png`, fullPage: true })
    expect(errors).toEqual([])
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})
