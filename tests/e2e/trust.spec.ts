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
