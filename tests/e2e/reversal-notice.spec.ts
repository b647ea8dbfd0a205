import { expect, test } from '@playwright/test'
import type { CaseFile, CasePage, PaymentRecorded, PaymentReversed, PlanSummary } from '../../src-shared/contract'
import { openApp } from './app'
import { ARTIFACTS } from './paths'
import { api, e2eState } from './state'
import { TEST_AGENCY } from './test-agency'

/**
 * After a payment reversal, the collector produces the debtor's corrective notice from the
 * reversal's row in the case file; it is recorded sent and listed with the case's documents.
 */
test('a reversed payment: the corrective notice from the payments tab, recorded sent', async ({ page }) => {
  const state = e2eState()
  const call = api(state.demoUrl)
  await call('documents:agency-save', TEST_AGENCY)
  // 2026-S2 (TEST DATA, not official figures), as money.spec.ts does when it runs first.
  const tables = await call<{ nextLegalSemester: string; nextEcbSemester: string }>('rates:list', {})
  if (tables.nextLegalSemester === '2026-S2')
    await call('rates:add-semester', {
      kind: 'legal_interest',
      semester: '2026-S2',
      creditorIndividualPercent: '6,50',
      otherCasesPercent: '3,00',
      source: 'Données de test e2e (taux fictifs)'
    })
  if (tables.nextEcbSemester === '2026-S2')
    await call('rates:add-semester', {
      kind: 'ecb_refinancing',
      semester: '2026-S2',
      ratePercent: '2,15',
      source: 'Données de test e2e (taux fictifs)'
    })
  // A case of its own (the largest balances: money.spec.ts takes the smallest).
  const list = await call<CasePage>('cases:list', {
    limit: 60,
    filters: { statuses: ['open'], balanceMinCents: 100_000, balanceMaxCents: 2_000_000 },
    sort: { field: 'balance', direction: 'desc' }
  })
  let file: CaseFile | null = null
  for (const row of list.rows) {
    const plans = await call<PlanSummary[]>('plans:list', { caseId: row.id })
    if (plans.some((p) => p.status === 'active')) continue
    const candidate = await call<CaseFile>('casefile:get', { caseId: row.id })
    const same = await call<CasePage>('cases:list', { limit: 5, filters: { text: candidate.debtor.displayName } })
    if (same.total === 1 && candidate.claims.length > 0) {
      file = candidate
      break
    }
  }
  if (!file) throw new Error('No suitable demo case')
  const recorded = await call<PaymentRecorded>('money:record-payment', {
    caseId: file.case.id,
    receivedOn: file.today,
    amountCents: 12_000,
    method: 'cheque',
    receivedBy: 'agency',
    reference: 'CHQ-RECT-01'
  })
  await call<PaymentReversed>('money:reverse-payment', {
    paymentId: recorded.payment.id,
    reversedOn: file.today,
    reason: 'Chèque impayé (retour banque)'
  })

  const errors = await openApp(page, state.demoUrl)
  await page.getByRole('textbox', { name: 'Recherche' }).fill(file.debtor.displayName)
  await expect(page.getByTestId('case-row')).toHaveCount(1)
  await page.getByTestId('case-row').click()
  await expect(page.getByTestId('case-file')).toBeVisible()
  await page.getByRole('tab', { name: 'Paiements' }).click()
  const reversal = page.getByTestId('payment-row').filter({ hasText: '(contre-passation)' }).first()
  // The row's action fits in the table at 1440 px: a compact menu, inside the table's box.
  const actions = reversal.getByTestId('reversal-actions')
  await expect(actions).toBeVisible()
  // Neither the button past the table's edge nor the table past the tab's box (cut, or scrolled).
  const box = await page.getByTestId('payments-table').evaluate((table) => {
    const panel = table.closest('[role="tabpanel"]') ?? table.parentElement!
    const t = table.getBoundingClientRect()
    const p = panel.getBoundingClientRect()
    return { tableLeft: t.left, tableRight: t.right, panelLeft: p.left, panelRight: p.right }
  })
  const button = (await actions.boundingBox())!
  expect(button.x + button.width).toBeLessThanOrEqual(box.tableRight + 0.5)
  expect(box.tableRight).toBeLessThanOrEqual(box.panelRight + 0.5)
  expect(box.tableLeft).toBeGreaterThanOrEqual(box.panelLeft - 0.5)
  await page.screenshot({ path: `${ARTIFACTS}/reversal-notice-row.png` })
  await actions.click()
  await page.getByTestId('reversal-notice').click()
  const dialog = page.getByTestId('reversal-notice-dialog')
  await expect(dialog).toContainText('inscrit au journal comme envoyé')
  await page.screenshot({ path: `${ARTIFACTS}/reversal-notice-confirm.png`, fullPage: true })
  await dialog.getByTestId('reversal-notice-confirm').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText(/Avis de rectification réf\. .* établi et inscrit au journal comme envoyé/)).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/reversal-notice-done.png`, fullPage: true })
  await page.getByRole('tab', { name: /Documents/ }).click()
  await expect(page.getByText('Avis de rectification (paiement contre-passé)').first()).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/reversal-notice-documents.png`, fullPage: true })
  expect(errors).toEqual([])
})
