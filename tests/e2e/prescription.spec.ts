import { expect, test } from '@playwright/test'
import {
  CASE_PRESCRIPTION_WINDOW_LABELS,
  type AgendaCounts,
  type CaseFile,
  type CasePage,
  type CasePrescriptionWindow
} from '../../src-shared/contract'
import { formatDate, formatInteger } from '../../src-shared/format/french'
import { openApp } from './app'
import { nav } from './test-agency'
import { ARTIFACTS } from './paths'
import { api, e2eState } from './state'

test('prescription: portfolio filter and column, agenda countdown, a court claim restarts the period', async ({
  page
}) => {
  const state = e2eState()
  const call = api(state.demoUrl)
  const errors = await openApp(page, state.demoUrl)

  // The narrowest window the demo portfolio has cases in.
  let window: CasePrescriptionWindow = '30'
  let expected: CasePage | null = null
  for (const w of ['30', '90', '180'] as const) {
    expected = await call<CasePage>('cases:list', {
      limit: 20,
      filters: { prescriptionWithin: w, statuses: ['open', 'suspended'] },
      sort: { field: 'prescriptionOn', direction: 'asc' }
    })
    window = w
    if (expected.total > 0) break
  }
  expect(expected!.total).toBeGreaterThan(0)
  const first = expected!.rows[0]!

  // --- Portfolio (its default view: open and suspended cases): filter "Prescription", sorted by its column.
  await nav(page, /Portefeuille/).click()
  await page.getByRole('combobox', { name: 'Prescription' }).click()
  await page.getByRole('option', { name: CASE_PRESCRIPTION_WINDOW_LABELS[window] }).click()
  await expect(page.getByTestId('portfolio-count')).toHaveText(formatInteger(expected!.total))
  const header = page.getByRole('columnheader', { name: /Prescription/ })
  await header.getByRole('button').click()
  await expect(header).toHaveAttribute('aria-sort', 'ascending')
  const firstRow = page.getByTestId('case-row').first()
  await expect(firstRow).toContainText(first.reference)
  await expect(firstRow.getByTestId('case-prescription')).toContainText(formatDate(first.prescriptionOn!))
  await page.screenshot({ path: `${ARTIFACTS}/prescription-portfolio.png` })

  // --- Agenda (the team's): the countdown items, as many as the main process counts.
  const counts = await call<AgendaCounts>('agenda:counts', { collectorId: null })
  await nav(page, /Agenda/).click()
  await page.getByTestId('agenda-scope').click()
  await page.getByRole('option', { name: 'Toute l’équipe' }).click()
  const chip = page.getByText(/^Prescription proche \(/)
  await expect(chip).toHaveText(`Prescription proche (${formatInteger(counts.byKind.prescription)})`)
  if (counts.byKind.prescription > 0) {
    await chip.click()
    const reason = page.getByTestId('agenda-reason-prescription').first()
    await expect(reason).toContainText(
      /^Prescription le \d\d\/\d\d\/\d{4} \((dans \d+ jours|demain|aujourd’hui)\) : interrompre ou agir/
    )
    await page.screenshot({ path: `${ARTIFACTS}/prescription-agenda.png` })
  }

  // --- Case file: a court claim (injonction de payer request) filed today restarts the period.
  const file = await call<CaseFile>('casefile:get', { caseId: first.id })
  await nav(page, /Portefeuille/).click()
  await expect(page.getByTestId('case-row').first()).toContainText(first.reference)
  await page.getByTestId('case-row').first().click()
  await expect(page.getByTestId('case-file')).toBeVisible()
  await page.getByRole('tab', { name: /Créances/ }).click()
  await page.getByRole('button', { name: 'Demande en justice' }).click()
  const dialog = page.getByRole('dialog', { name: 'Enregistrer une demande en justice' })
  await dialog.getByLabel('Demande formée le').fill(file.today)
  await dialog.getByLabel('Juridiction').fill('Tribunal judiciaire de Lyon (injonction de payer)')
  await dialog.getByLabel('N° RG / de la requête').fill('IP 26/04567')
  await expect(dialog).toContainText('C. civ. 2241')
  await page.screenshot({ path: `${ARTIFACTS}/prescription-court-claim-form.png` })
  await dialog.getByTestId('legal-event-submit').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('legal-events')).toContainText(`Demande formée le ${formatDate(file.today)}`)
  await page.screenshot({ path: `${ARTIFACTS}/prescription-case-file.png`, fullPage: true })

  // Stored in the same transaction: the case's earliest prescription moved past the window.
  const after = await call<CasePage>('cases:list', { limit: 5, filters: { text: first.reference } })
  const moved = after.rows.find((r) => r.id === first.id)!
  expect(moved.prescriptionOn! > first.prescriptionOn!).toBe(true)
  expect(moved.prescriptionOn! >= `${Number(file.today.slice(0, 4)) + 2}${file.today.slice(4)}`).toBe(true)
  expect(errors).toEqual([])
})
