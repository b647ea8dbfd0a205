import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import type { BackupOverview } from '../../src-shared/contract'
import { openApp } from './app'
import { ARTIFACTS } from './paths'
import { api, e2eState } from './state'

test('Paramètres: restore from a file the user picks — a wrong file is refused in French, a Recouvra backup is restored', async ({
  page
}) => {
  // The empty server: replacing its database does not disturb the specs that read the demo one.
  const url = e2eState().emptyUrl
  const errors = await openApp(page, url)
  await page.getByRole('button', { name: /^Paramètres/ }).click()
  const backups = page.getByTestId('backup-card')
  await backups.scrollIntoViewIfNeeded()
  await page.getByTestId('backup-create').click()
  await expect(page.getByText('Sauvegarde faite')).toBeVisible()

  // A file that is not a database.
  const chooser = page.waitForEvent('filechooser')
  await page.getByTestId('backup-restore-file').click()
  await (
    await chooser
  ).setFiles({
    name: 'notes-de-reunion.sqlite',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('Compte rendu de réunion, pas une base.\n'.repeat(100))
  })
  const dialog = page.getByRole('dialog', { name: 'Restaurer depuis un fichier' })
  await expect(dialog.getByTestId('restore-file-name')).toHaveText('notes-de-reunion.sqlite')
  await page.getByTestId('backup-restore-file-confirm').click()
  await expect(dialog.getByRole('alert', { name: 'Restauration refusée' })).toContainText(
    '« notes-de-reunion.sqlite » n’est pas une base de données SQLite'
  )
  await expect(dialog.getByRole('alert', { name: 'Restauration refusée' })).toContainText('rien n’a été modifié')
  await page.screenshot({ path: `${ARTIFACTS}/settings-restore-file-refused.png` })
  await dialog.getByRole('button', { name: 'Annuler' }).click()

  // A real backup, picked from outside the list (as from a USB key).
  const overview = await api(url)<BackupOverview>('backup:list', {})
  const manual = overview.backups.find((b) => b.kind === 'manual')!
  const chooser2 = page.waitForEvent('filechooser')
  await page.getByTestId('backup-restore-file').click()
  await (
    await chooser2
  ).setFiles({
    name: 'cle-usb-recouvra.sqlite',
    mimeType: 'application/octet-stream',
    buffer: readFileSync(join(overview.folder, manual.name))
  })
  await page.getByTestId('backup-restore-file-confirm').click()
  await expect(page.getByText('Base restaurée')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText(/Depuis cle-usb-recouvra\.sqlite/)).toBeVisible()
  await expect(backups.getByTestId('backup-row').first()).toContainText('Avant restauration')
  await page.screenshot({ path: `${ARTIFACTS}/settings-restore-file-done.png` })
  expect(errors).toEqual([])
})

test('Paramètres: the anonymisation preview lists the debtors past retention', async ({ page }) => {
  const errors = await openApp(page, e2eState().demoUrl)
  await page.getByRole('button', { name: /^Paramètres/ }).click()
  const privacy = page.getByTestId('privacy-card')
  await privacy.scrollIntoViewIfNeeded()
  await expect(page.getByTestId('privacy-preview-total')).toBeVisible()
  // The demo's cases closed within five years: one year shows debtors to anonymise.
  const years = privacy.getByLabel(/Anonymiser les débiteurs dont tous les dossiers sont clôturés depuis/)
  await years.fill('1')
  await privacy.getByRole('button', { name: 'Enregistrer' }).click()
  await expect(page.getByTestId('privacy-preview-total')).toContainText('débiteur(s) dont tous les dossiers')
  await expect(page.getByTestId('privacy-preview')).toBeVisible()
  await privacy.getByRole('checkbox').nth(1).check()
  await privacy.getByRole('button', { name: /Anonymiser la sélection \(1\)/ }).click()
  await expect(page.getByRole('dialog', { name: 'Anonymiser des débiteurs' })).toContainText(
    'Les fichiers des courriers, e-mails et SMS de ces dossiers sont supprimés'
  )
  await page.screenshot({ path: `${ARTIFACTS}/settings-anonymisation-confirm.png` })
  await page.getByRole('dialog').getByRole('button', { name: 'Annuler' }).click()
  await privacy.screenshot({ path: `${ARTIFACTS}/settings-anonymisation-preview.png` })
  // Back to the default, for the other specs sharing this server.
  await years.fill('5')
  await privacy.getByRole('button', { name: 'Enregistrer' }).click()
  await expect(page.getByTestId('privacy-preview-total')).toContainText('23/11/2021')
  expect(errors).toEqual([])
})
