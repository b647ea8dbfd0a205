import { expect, test } from '@playwright/test'
import type { CaseFile, CasePage, LetterPreview } from '../../src-shared/contract'
import { api, e2eState } from './state'
import { ARTIFACTS } from './paths'
import { openApp } from './app'
import { TEST_AGENCY } from './test-agency'

/**
 * The shipped rate table stops at 2026-06-30 (2026-S2 is not published in it): letters whose
 * statement runs interest are dated on or before that day, as a user would do until the
 * administrator adds the semester.
 */
const LETTER_DATE = '2026-06-30'

/** An open case with a current address, found once by the search, whose mise en demeure passes every rule. */
async function pickCase(call: ReturnType<typeof api>): Promise<CaseFile> {
  const page = await call<CasePage>('cases:list', {
    limit: 200,
    filters: { statuses: ['open'] },
    sort: { field: 'balance', direction: 'desc' }
  })
  for (const row of page.rows) {
    const file = await call<CaseFile>('casefile:get', { caseId: row.id })
    if (file.debtor.addresses.length === 0 || file.case.status !== 'open') continue
    const same = await call<CasePage>('cases:list', { limit: 5, filters: { text: file.debtor.displayName } })
    if (same.total !== 1) continue
    const preview = await call<LetterPreview>('letters:preview', {
      caseId: row.id,
      templateCode: 'formal-notice',
      at: LETTER_DATE
    }).catch(() => null)
    if (preview && preview.refusals.length === 0) return file
  }
  throw new Error('No suitable demo case')
}

test('preview and send a mise en demeure from the case file, then open it from the documents', async ({ page }) => {
  const state = e2eState()
  const call = api(state.demoUrl)
  await call('documents:agency-save', TEST_AGENCY)
  const file = await pickCase(call)
  const errors = await openApp(page, state.demoUrl)
  await expect(page.getByRole('heading', { name: 'Portefeuille' })).toBeVisible()

  await page.getByRole('textbox', { name: 'Recherche' }).fill(file.debtor.displayName)
  await expect(page.getByTestId('case-row')).toHaveCount(1)
  await page.getByTestId('case-row').click()
  await expect(page.getByTestId('case-file')).toBeVisible()

  // Courriers: template, date, preview.
  await page.getByTestId('open-letters').click()
  const dialog = page.getByRole('dialog', { name: /Courriers/ })
  await expect(dialog).toBeVisible()
  await dialog.getByLabel('Modèle').click()
  await page.getByRole('option', { name: /^Mise en demeure/ }).click()
  await expect(dialog.getByLabel('Mode d’envoi')).toHaveValue('Lettre recommandée avec accusé de réception')
  await dialog.getByLabel('Date du courrier (et du décompte)').fill(LETTER_DATE)
  await dialog.getByTestId('letter-preview').click()
  const outcome = dialog
    .getByTestId('letter-checks-ok')
    .or(dialog.getByTestId('letter-refusals'))
    .or(dialog.getByText('Aperçu impossible'))
  await expect(outcome).toBeVisible({ timeout: 30_000 })
  if (!(await dialog.getByTestId('letter-checks-ok').isVisible())) throw new Error(await dialog.innerText())
  await expect(dialog.getByTestId('pdf-page').first().locator('canvas')).toBeVisible()
  await expect(dialog.getByTestId('pdf-page')).toHaveCount(2)
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${ARTIFACTS}/documents-preview.png` })

  // Generate and record, then mark sent with the tracking number.
  await dialog.getByTestId('letter-generate').click()
  await expect(dialog.getByTestId('letter-generated')).toBeVisible()
  await expect(dialog.getByTestId('letter-status')).toHaveText('Généré, à envoyer')
  await expect(dialog.getByTestId('mark-sent')).toBeDisabled()
  await dialog.getByTestId('sent-on').fill(LETTER_DATE)
  await dialog.getByTestId('tracking-number').fill('1A01234567890')
  await dialog.getByTestId('mark-sent').click()
  await expect(dialog.getByTestId('letter-status')).toHaveText('Envoyé le 30/06/2026')
  await page.screenshot({ path: `${ARTIFACTS}/documents-sent.png` })
  await dialog.getByRole('button', { name: 'Fermer' }).click()

  // Documents tab: the stored PDF, its sending, opened again from the store.
  await page.getByRole('tab', { name: /Documents/ }).click()
  const row = page.getByTestId('document-row').filter({ hasText: 'Mise en demeure' })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('Envoyé le 30/06/2026 – suivi 1A01234567890')
  await row.getByTestId('document-open').click()
  const viewer = page.getByRole('dialog').filter({ has: page.getByTestId('pdf-viewer') })
  await expect(viewer).toContainText('SHA-256 vérifiée')
  await expect(viewer.getByTestId('pdf-page').first().locator('canvas')).toBeVisible()
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${ARTIFACTS}/documents-open.png` })
  await page.keyboard.press('Escape')

  // The timeline records the letter and its sending.
  await page.getByRole('tab', { name: 'Historique' }).click()
  await expect(
    page.getByTestId('timeline-entry').filter({ hasText: 'Courrier « Mise en demeure » envoyé le 30/06/2026' })
  ).toHaveCount(1)
  expect(errors).toEqual([])
})

test('a manager edits a template in Paramètres: live preview, refusal of court vocabulary, new version', async ({
  page
}) => {
  test.setTimeout(150_000)
  const state = e2eState()
  const call = api(state.demoUrl)
  await call('documents:agency-save', TEST_AGENCY)
  const errors = await openApp(page, state.demoUrl)
  await page.keyboard.press('Alt+4')
  await expect(page.getByRole('heading', { name: 'Paramètres' })).toBeVisible()
  await expect(page.getByTestId('agency-name')).toHaveValue(TEST_AGENCY.name)

  const card = page.getByTestId('templates-card')
  await card.scrollIntoViewIfNeeded()
  await card.getByTestId('template-select').click()
  await page.getByRole('option', { name: /^Relance ferme/ }).click()
  // Previewed on a date the shipped rate table covers (see LETTER_DATE).
  await card.getByLabel('Aperçu au').fill(LETTER_DATE)
  await expect(card.getByTestId('pdf-page').first().locator('canvas')).toBeVisible({ timeout: 20_000 })
  const title = card.getByTestId('template-title')
  await title.fill('Commandement de payer')
  await expect(card.getByText('Ce modèle serait refusé')).toBeVisible({ timeout: 20_000 })
  await expect(card).toContainText('« commandement » est réservé aux actes judiciaires')
  await card.screenshot({ path: `${ARTIFACTS}/documents-template-refused.png` })

  await title.fill('Seconde relance amiable')
  await expect(card.getByText('Ce modèle serait refusé')).toBeHidden({ timeout: 20_000 })
  await card.getByTestId('template-save').click()
  await expect(card.getByText('Version 2', { exact: true })).toBeVisible()
  await expect(card).toContainText('Modèle livré avec Recouvra')
  await card.screenshot({ path: `${ARTIFACTS}/documents-template-saved.png` })

  // Restore the shipped version: a new version 3 equal to version 1 (versions are never edited).
  await card.getByTestId('template-restore-1').click()
  await expect(card.getByText('Version 3', { exact: true })).toBeVisible()
  await expect(card.getByTestId('template-versions')).toContainText('Restauration de la version 1')
  await expect(title).not.toHaveValue('Seconde relance amiable')
  await card.screenshot({ path: `${ARTIFACTS}/documents-template-restored.png` })
  expect(errors).toEqual([])
})
