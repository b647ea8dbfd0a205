import { expect, test } from '@playwright/test'
import { openApp } from './app'
import { ARTIFACTS } from './paths'
import { e2eState } from './state'

test('Paramètres: a manual backup is listed, the audit trail shows it is intact, access requests and retention are offered', async ({
  page
}) => {
  const errors = await openApp(page, e2eState().demoUrl)
  await page.getByRole('button', { name: /^Paramètres/ }).click()
  await expect(page.getByRole('heading', { name: 'Paramètres' })).toBeVisible()

  const backups = page.getByTestId('backup-card')
  await backups.scrollIntoViewIfNeeded()
  const rowsBefore = await backups.getByTestId('backup-row').count()
  await page.getByTestId('backup-create').click()
  await expect(page.getByText('Sauvegarde faite')).toBeVisible()
  await expect(backups.getByTestId('backup-row')).toHaveCount(rowsBefore + 1)
  await expect(backups.getByTestId('backup-row').first()).toContainText('Manuelle')

  const audit = page.getByTestId('audit-card')
  await audit.scrollIntoViewIfNeeded()
  await expect(audit.getByTestId('audit-row').first()).toBeVisible()
  await page.getByTestId('audit-verify').click()
  await expect(page.getByTestId('audit-check')).toContainText('Journal d’audit intact')
  await page.screenshot({ path: `${ARTIFACTS}/settings-audit.png`, fullPage: true })

  const privacy = page.getByTestId('privacy-card')
  await privacy.scrollIntoViewIfNeeded()
  await expect(page.getByTestId('privacy-preview-total')).toBeVisible()
  await page.getByTestId('privacy-reference').fill('REC-INCONNU')
  await page.getByTestId('privacy-export').click()
  await expect(privacy.getByRole('alert')).toContainText('Aucun dossier de référence REC-INCONNU')
  await page.screenshot({ path: `${ARTIFACTS}/settings-privacy.png`, fullPage: true })
  expect(errors).toEqual([])
})

test('an administrator creates a collector; signed in, the collector is refused managers’ screens and channels', async ({
  page
}) => {
  const errors = await openApp(page, e2eState().demoUrl)
  await page.getByRole('button', { name: /^Paramètres/ }).click()
  const users = page.getByTestId('users-card')
  await users.scrollIntoViewIfNeeded()
  await page.getByTestId('user-create-open').click()
  await page.getByTestId('user-login').fill('camille')
  await page.getByTestId('user-name').fill('Camille Durand')
  await page.getByTestId('user-password').fill('camille-mot-de-passe')
  await page.getByTestId('user-create').click()
  await expect(users.getByTestId('user-row').filter({ hasText: 'Camille Durand' })).toBeVisible()

  await page.getByTestId('sign-out').click()
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'sign-in')
  await page.getByTestId('sign-in-login').fill('camille')
  await page.getByTestId('sign-in-password').fill('mauvais mot de passe')
  await page.getByTestId('sign-in-submit').click()
  await expect(page.getByText('Identifiant ou mot de passe incorrect.')).toBeVisible()
  await page.getByTestId('sign-in-password').fill('camille-mot-de-passe')
  await page.getByTestId('sign-in-submit').click()
  await expect(page.getByTestId('session-user')).toContainText('Camille Durand · Chargé de recouvrement')
  await page.screenshot({ path: `${ARTIFACTS}/signed-in-collector.png` })
  // Screens a collector may not use are not offered.
  await expect(page.getByRole('button', { name: /^Import/ })).toHaveCount(0)
  await expect(page.getByRole('button', { name: /^Reversements/ })).toHaveCount(0)

  await page.getByRole('button', { name: /^Paramètres/ }).click()
  await expect(page.getByRole('heading', { name: 'Paramètres' })).toBeVisible()
  await expect(page.getByTestId('users-card')).toHaveCount(0)
  const refused = await page.evaluate(async () => {
    const res = await fetch('/api/rpc/audit:list', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-recouvra-token': sessionStorage.getItem('recouvra.token') ?? '',
        'x-recouvra-session': sessionStorage.getItem('recouvra.session') ?? ''
      },
      body: '{}'
    })
    return res.json()
  })
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  expect(refused.error.message).toContain('chargé de recouvrement')
  expect(errors.filter((e) => !/403|401/.test(e))).toEqual([])
})
