import { expect, test } from '@playwright/test'
import type { CaseFile, CasePage, CaseStatement, PaymentDto } from '../../src-shared/contract'
import { todayInParis } from '../../src-shared/dates/calendar-date'
import { formatDate } from '../../src-shared/format/french'
import { openApp } from './app'
import { TEST_AGENCY, nav } from './test-agency'
import { ARTIFACTS } from './paths'
import { api, e2eState } from './state'

const TODAY = todayInParis()

test('a case with one time-barred invoice keeps the countdown of the others; a payment gets its receipt by itself', async ({
  page
}) => {
  const state = e2eState()
  const call = api(state.demoUrl)
  const errors = await openApp(page, state.demoUrl)

  // A case with an invoice already time-barred AND another one expiring within 180 days.
  const candidates = await call<CasePage>('cases:list', {
    limit: 200,
    filters: { prescriptionWithin: '180', statuses: ['open'] },
    sort: { field: 'prescriptionOn', direction: 'asc' }
  })
  // Its statement must compute today without the 2026-S2 rates, which money.spec enters through the UI.
  let mixed: CasePage['rows'][number] | undefined
  for (const row of candidates.rows.filter((r) => r.prescribedClaims > 0 && r.prescriptionOn !== null)) {
    const ok = await call<CaseStatement>('money:statement', { caseId: row.id, at: TODAY }).then(
      () => true,
      () => false
    )
    if (ok) {
      mixed = row
      break
    }
  }
  expect(mixed, 'a demo case with a prescribed invoice and another one still running').toBeTruthy()

  // --- Portfolio: filtered on "already prescribed", the case shows its next date and "+N presc.".
  await nav(page, /Portefeuille/).click()
  await page.getByRole('combobox', { name: 'Prescription' }).click()
  await page.getByRole('option', { name: 'Déjà prescrite' }).click()
  await page.getByRole('textbox', { name: 'Recherche' }).fill(mixed!.reference)
  const row = page.getByTestId('case-row').filter({ hasText: mixed!.reference })
  await expect(row.getByTestId('case-prescription')).toContainText(formatDate(mixed!.prescriptionOn!))
  await expect(row.getByTestId('case-prescribed-claims')).toHaveText(
    mixed!.prescribedClaims === 1 ? '1 facture prescrite' : `${mixed!.prescribedClaims} factures prescrites`
  )
  await page.screenshot({ path: `${ARTIFACTS}/money-auto-portfolio-prescription.png` })

  // --- Case file: the statement marks only the old invoice; the countdown is the other's.
  await row.click()
  await expect(page.getByTestId('case-file')).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/money-auto-case-file.png`, fullPage: true })

  // --- Payment with the agency identity missing or not: recorded at once, receipt made after.
  await call('documents:agency-save', TEST_AGENCY)
  const file = await call<CaseFile>('casefile:get', { caseId: mixed!.id })
  await page.getByRole('tab', { name: 'Paiements' }).click()
  await page.getByTestId('record-payment').click()
  const dialog = page.getByRole('dialog', { name: 'Enregistrer un paiement' })
  await dialog.getByLabel('Montant').fill('20,00')
  await dialog.getByLabel('Référence').fill('VIR AUTO 0001')
  await dialog.getByTestId('payment-submit').click()
  await expect(dialog.getByTestId('payment-recorded')).toBeVisible()
  await dialog.getByRole('button', { name: 'Fermer' }).click()
  const paymentRow = page.getByTestId('payment-row').filter({ hasText: 'VIR AUTO 0001' })
  const cell = paymentRow.getByTestId('payment-documents')
  // Made in the background: the table looks again while it is being made.
  await expect(cell).toHaveAttribute('data-status', /done|error/, { timeout: 30_000 })
  await page.screenshot({ path: `${ARTIFACTS}/money-auto-receipt.png`, fullPage: true })
  const payments = await call<PaymentDto[]>('money:list-payments', { caseId: file.case.id })
  const paid = payments.find((p) => p.reference === 'VIR AUTO 0001')!
  if (paid.documents?.status !== 'done') {
    // A failure is shown with its reason and a retry.
    await expect(paymentRow.getByTestId('payment-documents-error')).toBeVisible()
    await paymentRow.getByTestId('retry-payment-documents').click()
  }
  await expect(cell).toHaveAttribute('data-status', 'done', { timeout: 30_000 })
  await expect(cell).toHaveText('Émis')
  await page.getByRole('tab', { name: /Documents/ }).click()
  await expect(page.getByText('Reçu de paiement (quittance)').first()).toBeVisible()
  await expect(page.getByText('Information du client (paiement reçu)').first()).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/money-auto-documents-tab.png`, fullPage: true })
  expect(errors).toEqual([])
})
