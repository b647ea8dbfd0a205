import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import type { CaseFile, ClientSummary, PaymentDto, SyncStatus } from '../../src-shared/contract'
import { E2E_ADMIN, openApp } from './app'
import { ARTIFACTS } from './paths'
import { startServe } from './serve-process'
import { api, e2eState } from './state'

/**
 * Field work through the UI: on the office (demo server) the Terrain page checks a client's
 * portfolio out into a folder; a second server opened on that folder is the laptop: its Terrain
 * page shows the copy, a payment made there and a next action changed on both sides; sync,
 * the conflict with both values, "keep mine", sync again, and the office has the field's work;
 * then « Rendre les dossiers » closes the copy and the office lists the checkout as returned.
 */
test('Terrain: check out at the office, work on the laptop copy, sync, resolve a conflict', async ({ page }) => {
  test.setTimeout(180_000)
  const officeUrl = e2eState().demoUrl
  const office = api(officeUrl)
  const clients = await office<ClientSummary[]>('clients:list', {})
  const client = clients.filter((c) => c.openCaseCount > 0).sort((a, b) => a.openCaseCount - b.openCaseCount)[0]!
  const folder = mkdtempSync(join(tmpdir(), 'recouvra-e2e-field-'))
  const target = join(folder, 'terrain')

  // Office: the Terrain page, a client's portfolio out to the administrator's laptop.
  const officeErrors = await openApp(page, officeUrl)
  await page.getByRole('button', { name: /^Terrain/ }).click()
  await expect(page.getByTestId('checkout-form')).toBeVisible()
  await page.getByTestId('checkout-collector').click()
  await page.getByRole('option', { name: E2E_ADMIN.displayName }).click()
  await page.getByTestId('checkout-client').click()
  await page.getByTestId('checkout-client').fill(client.legalName)
  await page
    .getByRole('option', { name: new RegExp(`^${client.legalName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) })
    .click()
  await page.getByTestId('checkout-device').fill('PC-TERRAIN-E2E')
  await page.getByTestId('checkout-target').fill(target)
  await page.getByTestId('checkout-submit').click()
  const row = page.getByTestId('checkout-row').filter({ hasText: 'PC-TERRAIN-E2E' })
  await expect(row).toBeVisible({ timeout: 60_000 })
  await expect(row).toContainText(String(client.openCaseCount))
  await page.screenshot({ path: join(ARTIFACTS, 'field-1-office-checkout.png'), fullPage: true })
  expect(officeErrors).toEqual([])

  // The laptop: the app opened on the copy.
  const laptopServer = await startServe(target)
  try {
    const laptop = api(laptopServer.url)
    await laptop('auth:sign-in', { login: E2E_ADMIN.login, password: E2E_ADMIN.password })
    const status = await laptop<SyncStatus>('sync:status', {})
    expect(status).toMatchObject({ fieldCopy: true, deviceId: 'PC-TERRAIN-E2E', caseCount: client.openCaseCount })
    if (!status.fieldCopy) throw new Error('not a field copy')

    // Work in the field (a payment, a next action), and the office changes the same next action.
    const caseIds = await laptop<{ rows: Array<{ id: string }> }>('cases:list', { limit: 1 })
    const caseId = caseIds.rows[0]!.id
    const fieldFile = await laptop<CaseFile>('casefile:get', { caseId })
    await laptop('money:record-payment', {
      caseId,
      receivedOn: new Date().toISOString().slice(0, 10),
      amountCents: 4_200,
      method: 'cash',
      receivedBy: 'agency'
    })
    await laptop('case:set-next-action', {
      caseId,
      expectedVersion: (await laptop<CaseFile>('casefile:get', { caseId })).case.version,
      nextActionOn: '2031-01-15'
    })
    const officeFile = await office<CaseFile>('casefile:get', { caseId })
    await office('case:set-next-action', {
      caseId,
      expectedVersion: officeFile.case.version,
      nextActionOn: '2031-02-20'
    })
    expect(fieldFile.case.reference).toBe(officeFile.case.reference)

    const laptopErrors = await openApp(page, laptopServer.url)
    await page.getByRole('button', { name: /^Terrain/ }).click()
    await expect(page.getByTestId('field-copy')).toContainText('PC-TERRAIN-E2E')
    await expect(page.getByTestId('field-pending')).toContainText('modification')
    await page.getByTestId('field-sync-run').click()
    const conflict = page.getByTestId('field-conflict')
    await expect(conflict).toBeVisible({ timeout: 60_000 })
    await expect(conflict.getByTestId('conflict-mine')).toHaveText('15/01/2031')
    await expect(conflict.getByTestId('conflict-office')).toHaveText('20/02/2031')
    await page.screenshot({ path: join(ARTIFACTS, 'field-2-laptop-conflict.png'), fullPage: true })

    await conflict.getByTestId('conflict-keep-mine').click()
    await expect(page.getByTestId('field-no-conflict')).toBeVisible()
    await page.getByTestId('field-sync-run').click()
    await expect(page.getByTestId('field-run-status')).toHaveText('Synchronisée')
    await expect(page.getByTestId('field-pending')).toContainText('0 nouvel(s) enregistrement(s), 0 modification(s)')
    await expect(page.getByTestId('field-resolved')).toContainText('Valeur du terrain gardée')
    await page.screenshot({ path: join(ARTIFACTS, 'field-3-laptop-synced.png'), fullPage: true })
    expect(laptopErrors).toEqual([])

    // The office has the field's payment and its next action.
    const list = await office<PaymentDto[]>('money:list-payments', { caseId })
    expect(list.some((p) => p.amountCents === 4_200)).toBe(true)
    expect((await office<CaseFile>('casefile:get', { caseId })).case.nextActionOn).toBe('2031-01-15')

    // The office's portfolio marks the case as out on a laptop.
    const portfolioErrors = await openApp(page, officeUrl)
    await page.getByRole('button', { name: /^Portefeuille/ }).click()
    await page.getByRole('textbox', { name: 'Recherche' }).fill(officeFile.case.reference)
    const mark = page.getByTestId('case-checked-out').first()
    await expect(mark).toHaveText('Terrain')
    await expect(mark).toHaveAttribute('title', /PC-TERRAIN-E2E/)
    await page.screenshot({ path: join(ARTIFACTS, 'field-4-office-portfolio.png') })
    expect(portfolioErrors).toEqual([])

    // Back at the office: « Rendre les dossiers » on the laptop (a final sync), the copy closes,
    // the office lists the checkout as returned.
    const returnErrors = await openApp(page, laptopServer.url)
    await page.getByRole('button', { name: /^Terrain/ }).click()
    await page.getByTestId('field-return').click()
    await expect(page.getByTestId('field-return-confirm')).toBeVisible()
    await page.getByTestId('field-return-submit').click()
    await expect(page.getByTestId('field-returned')).toBeVisible({ timeout: 60_000 })
    await expect(page.getByTestId('field-run-status')).toHaveText('Rendue au cabinet')
    await expect(page.getByTestId('field-sync-run')).toHaveCount(0)
    await page.screenshot({ path: join(ARTIFACTS, 'field-5-laptop-returned.png'), fullPage: true })
    expect(returnErrors).toEqual([])
    const officeAgain = await openApp(page, officeUrl)
    await page.getByRole('button', { name: /^Terrain/ }).click()
    await expect(
      page.getByTestId('checkout-row').filter({ hasText: 'PC-TERRAIN-E2E' }).getByTestId('checkout-returned')
    ).toHaveText('Rendue')
    await page.screenshot({ path: join(ARTIFACTS, 'field-6-office-returned.png'), fullPage: true })
    expect(officeAgain).toEqual([])
  } finally {
    laptopServer.process.kill('SIGTERM')
    rmSync(folder, { recursive: true, force: true })
  }
})
