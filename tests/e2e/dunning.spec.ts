import { expect, test } from '@playwright/test'
import { openApp } from './app'
import { TEST_AGENCY, nav } from './test-agency'
import { ARTIFACTS } from './paths'
import { api, e2eState } from './state'

// A date the shipped rate table covers (it stops at 2026-06-30).
const RUN_DATE = '2026-06-30'

test('preview a daily dunning run, confirm a few steps, see the batch, the documents and the journal', async ({
  page
}) => {
  test.setTimeout(240_000)
  const { demoUrl } = e2eState()
  await api(demoUrl)('documents:agency-save', TEST_AGENCY)
  const errors = await openApp(page, demoUrl)

  // Paramètres: the default scenario shipped with the app.
  await nav(page, /Paramètres/).click()
  const scenarios = page.getByTestId('scenarios-card')
  await expect(scenarios).toContainText('Standard — particuliers')
  await expect(scenarios).toContainText('Mise en demeure (LRAR)')
  await scenarios.scrollIntoViewIfNeeded()
  await scenarios.screenshot({ path: `${ARTIFACTS}/dunning-scenarios.png` })
  await scenarios.getByTestId('scenario-edit').first().click()
  const editor = page.getByRole('dialog')
  await expect(editor.getByTestId('scenario-steps')).toBeVisible()
  await expect(editor.getByLabel('Nom de l’étape 7')).toHaveValue('Mise en demeure (LRAR)')
  await page.screenshot({ path: `${ARTIFACTS}/dunning-scenario-editor.png` })
  await editor.getByRole('button', { name: 'Annuler' }).click()
  await expect(editor).toBeHidden()

  // Relances: the preview at a date.
  await nav(page, /Relances/).click()
  await page.getByTestId('dunning-date').fill(RUN_DATE)
  await page.getByTestId('dunning-preview').click()
  const preview = page.getByTestId('dunning-preview-card')
  await expect(preview).toContainText('Aperçu au 30/06/2026', { timeout: 60_000 })
  await expect(page.getByTestId('dunning-skipped')).toContainText('Dossiers suspendus')
  const rows = page.getByTestId('dunning-item')
  expect(await rows.count()).toBeGreaterThan(5)
  await page.screenshot({ path: `${ARTIFACTS}/dunning-preview.png`, fullPage: false })

  // Keep three letters and one call task: untick all, tick those.
  await preview.getByRole('checkbox', { name: 'Tout sélectionner' }).click()
  const letterRows = rows.filter({ has: page.getByTitle('Courrier simple') })
  const chosen: string[] = []
  for (let i = 0; i < 3; i++) {
    const row = letterRows.nth(i)
    await row.getByRole('checkbox').check()
    chosen.push((await row.locator('td').nth(1).innerText()).trim())
  }
  const callRow = rows.filter({ has: page.getByTitle('Tâche d’appel') }).first()
  const withCall = (await callRow.count()) > 0
  const callReference = withCall ? (await callRow.locator('td').nth(1).innerText()).trim() : null
  if (withCall) await callRow.getByRole('checkbox').check()
  await expect(page.getByTestId('dunning-confirm')).toContainText(/\((3|4)\)/)
  await page.getByTestId('dunning-confirm').click()

  // Progress, then the batch in postcode order with its print file.
  await expect(page.getByTestId('dunning-progress')).toBeVisible()
  const batch = page.getByTestId('dunning-batch')
  await expect(batch).toBeVisible({ timeout: 120_000 })
  await expect(page.getByTestId('dunning-job')).toContainText('étape(s) enregistrée(s)')
  const actions = batch.getByTestId('dunning-batch-action')
  await expect(actions).toHaveCount(withCall ? 4 : 3)
  for (const reference of chosen) await expect(batch).toContainText(reference)
  await expect(batch.getByTestId('dunning-print')).toBeVisible()
  const download = page.waitForEvent('download')
  await batch.getByTestId('dunning-print').click()
  expect((await download).suggestedFilename()).toBe(`relances-${RUN_DATE}.pdf`)
  await page.screenshot({ path: `${ARTIFACTS}/dunning-batch.png`, fullPage: true })

  // Mark the letters sent; the preview of the same day no longer proposes them.
  await batch.getByTestId('dunning-mark-sent').click()
  await expect(batch).toContainText('Envoyé le')
  await page.getByTestId('dunning-date').fill(RUN_DATE)
  await page.getByTestId('dunning-preview').click()
  await expect(page.getByTestId('dunning-preview-card')).toContainText('Aperçu au 30/06/2026', { timeout: 60_000 })
  for (const reference of chosen) {
    await expect(page.getByTestId('dunning-items').getByText(reference, { exact: true })).toHaveCount(0)
  }

  // The call task is on the team's agenda.
  if (callReference) {
    await nav(page, /Agenda/).click()
    await page.getByTestId('agenda-scope').click()
    await page.getByRole('option', { name: 'Toute l’équipe' }).click()
    await page.getByText(/^Relance à faire \(/).click()
    await expect(page.getByTestId('agenda-list')).toContainText(callReference)
    await expect(page.getByTestId('agenda-row').filter({ hasText: callReference })).toContainText('Relance :')
    await page.screenshot({ path: `${ARTIFACTS}/dunning-agenda.png` })
  }

  // The case file: the letter's document and the journal entries.
  await nav(page, /Relances/).click()
  await page.getByRole('button', { name: 'Ouvrir' }).first().click()
  await page.getByTestId('dunning-batch').getByText(chosen[0]!, { exact: true }).click()
  await expect(page.getByTestId('case-file')).toBeVisible()
  const summaries = page.getByTestId('timeline-summary')
  await expect(summaries.filter({ hasText: /Relance « .* » : courrier simple généré/ }).first()).toBeVisible()
  await expect(
    summaries.filter({ hasText: /envoyé le 2\d\/\d\d\/2026|envoyé le \d\d\/\d\d\/2026/ }).first()
  ).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/dunning-case-file.png`, fullPage: true })
  expect(errors).toEqual([])
})
