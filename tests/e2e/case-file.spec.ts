import { expect, test, type Locator, type Page } from '@playwright/test'
import type { CaseFile, CasePage } from '../../src-shared/contract'
import { callWarnings } from '../../src-shared/calls/call-policy'
import { addDays } from '../../src-shared/dates/calendar-date'
import { formatCents, formatDate } from '../../src-shared/format/french'
import { claimDeclarationDeadline } from '../../src-shared/proceedings/deadlines'
import { api, e2eState } from './state'
import { ARTIFACTS } from './paths'
import { openApp } from './app'

/**
 * Keyboard only: the focus is on one of `targets` (or inside it), else Tab moves on until it is —
 * whatever shortcuts the page offers, a keyboard user gets there.
 */
async function tabUntilFocused(page: Page, ...targets: Locator[]) {
  for (let i = 0; i < 80; i++) {
    for (const target of targets) {
      for (const element of await target.all()) {
        if (await element.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))) return
      }
    }
    await page.keyboard.press('Tab')
  }
  throw new Error('Could not reach the element with the keyboard')
}

/**
 * An open case whose debtor has a reachable phone, a collector, no promise pending and fewer
 * than 4 calls this month, with a name found once by the search.
 */
async function pickCase(call: ReturnType<typeof api>): Promise<CaseFile> {
  const page = await call<CasePage>('cases:list', {
    limit: 200,
    filters: { statuses: ['open'] },
    sort: { field: 'balance', direction: 'desc' }
  })
  for (const row of page.rows) {
    if (!row.collectorId) continue
    const file = await call<CaseFile>('casefile:get', { caseId: row.id })
    if (!file.debtor.phones.some((p) => p.status !== 'invalid')) continue
    if (file.calls.outboundLast30Days >= 3 || file.case.status !== 'open') continue
    const same = await call<CasePage>('cases:list', { limit: 5, filters: { text: file.debtor.displayName } })
    if (same.total !== 1) continue
    return file
  }
  throw new Error('No suitable demo case')
}

test('search a debtor, open the case, log a call with a promise, see it in the timeline and the agenda', async ({
  page
}) => {
  const state = e2eState()
  const call = api(state.demoUrl)
  const file = await pickCase(call)
  const errors = await openApp(page, state.demoUrl)
  await expect(page.getByRole('heading', { name: 'Portefeuille' })).toBeVisible()

  // Portfolio, by keyboard only: "/" focuses the search, type the name, move to the row, Enter opens.
  await page.keyboard.press('/')
  await tabUntilFocused(page, page.getByRole('textbox', { name: 'Recherche' }))
  await page.keyboard.type(file.debtor.displayName, { delay: 10 })
  await expect(page.getByTestId('case-row')).toHaveCount(1)
  await expect(page.getByTestId('case-row')).toContainText(file.case.reference)
  await page.keyboard.press('ArrowDown')
  // The table (or its row) takes the focus: the active row opens with Enter.
  await tabUntilFocused(page, page.getByTestId('portfolio-scroll'), page.getByTestId('case-row'))
  await page.screenshot({ path: `${ARTIFACTS}/portfolio-search.png` })
  await page.keyboard.press('Enter')

  // The case file.
  const caseFile = page.getByTestId('case-file')
  await expect(caseFile).toBeVisible()
  await expect(page.getByRole('heading', { name: file.debtor.displayName })).toBeVisible()
  await expect(page.getByText(`Dossier ${file.case.reference}`)).toBeVisible()
  await expect(page.getByTestId('debtor-phone').first()).toBeVisible()
  await expect(page.getByTestId('timeline-entry').first()).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/case-file-open.png`, fullPage: true })

  // Log a call: "a" opens the form with the timer running and the number preselected.
  await page.keyboard.press('a')
  const form = page.getByTestId('call-form')
  await expect(form).toBeVisible()
  const openedAt = new Date()
  await expect(page.getByTestId('call-timer')).toHaveText(/00:0[0-9]/)
  // "4" = promise to pay; the amount field takes the focus.
  await page.keyboard.press('4')
  await expect(page.getByRole('radio', { name: /Promesse de paiement/ })).toHaveAttribute('aria-checked', 'true')
  const amount = page.getByRole('textbox', { name: 'Montant promis' })
  await expect(amount).toBeFocused()
  await page.keyboard.type('123,45')
  await page.getByLabel('Au plus tard le').fill(file.today)
  // Next action suggested from the promise: the business day after it falls due.
  await expect(page.getByLabel('Prochaine action')).not.toHaveValue('')
  await page.getByLabel('Note').fill('Virement annoncé pour ce soir, confirmation par e-mail demandée.')

  // Outside the agency's call window (it depends on when this runs), a reason is required.
  const expectedWarnings = callWarnings({
    at: openedAt,
    direction: 'outbound',
    locale: file.debtor.locale,
    previousOutboundCalls: file.calls.outboundLast30Days,
    callBackRequested: file.calls.callBackRequested
  })
  if (expectedWarnings.length > 0) {
    await expect(page.getByTestId('call-warnings')).toBeVisible()
    await expect(form.getByRole('button', { name: 'Enregistrer l’appel' })).toBeDisabled()
    await page.getByLabel(/Motif \(enregistré avec l’appel\)/).fill('Débiteur joint à sa demande en dehors des heures')
  }
  await page.screenshot({ path: `${ARTIFACTS}/call-form.png` })
  await page.getByLabel('Note').press('Control+Enter')
  await expect(form).toBeHidden()

  // The timeline shows the call first, with the promise.
  const first = page.getByTestId('timeline-entry').first()
  await expect(first).toContainText('Appel sortant')
  await expect(first).toContainText(
    `Promesse de paiement (${formatCents(12_345)} au plus tard le ${formatDate(file.today)})`
  )
  await expect(first).toContainText('Virement annoncé pour ce soir')
  await page.getByRole('tab', { name: 'Promesses et plan' }).click()
  await expect(page.getByTestId('promises-table')).toContainText(formatCents(12_345))
  await page.screenshot({ path: `${ARTIFACTS}/case-file-after-call.png`, fullPage: true })

  // The agenda of the case's collector shows the promise to check today.
  await page.keyboard.press('Escape')
  await page.keyboard.press('Alt+2')
  await expect(page.getByRole('heading', { name: 'Agenda' })).toBeVisible()
  const scope = page.getByRole('combobox', { name: 'Chargé de recouvrement' })
  await scope.click()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.type(file.case.collectorName!)
  await page.getByRole('option', { name: file.case.collectorName! }).click()
  await expect(page.getByTestId('agenda-row').first()).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/agenda-collector.png`, fullPage: true })
  // Only the promises to check.
  await page.getByText(/^Promesse à vérifier/).click()
  const row = page.getByTestId('agenda-row').filter({ hasText: file.case.reference })
  await expect(row).toBeVisible()
  await expect(row).toContainText(`Promesse de ${formatCents(12_345)} aujourd’hui`)
  await expect(page.getByTestId('agenda-count')).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/agenda-with-promise.png`, fullPage: true })
  await row.click()
  await expect(page.getByRole('heading', { name: file.debtor.displayName })).toBeVisible()
  expect(errors).toEqual([])
})

test('a comment with CNIL-forbidden words is highlighted and cannot be saved', async ({ page }) => {
  const state = e2eState()
  const call = api(state.demoUrl)
  const file = await pickCase(call)
  await openApp(page, state.demoUrl)
  await page.evaluate(() => undefined)
  // Open the case through the portfolio search.
  await page.getByRole('textbox', { name: 'Recherche' }).fill(file.debtor.displayName)
  await expect(page.getByTestId('case-row')).toHaveCount(1)
  await page.getByTestId('case-row').click()
  await expect(page.getByTestId('case-file')).toBeVisible()
  await page.keyboard.press('n')
  const note = page.getByRole('textbox', { name: 'Note' })
  await expect(note).toBeFocused()
  await note.fill('Le débiteur est malade et de mauvaise foi.')
  await expect(page.getByTestId('screening-alert')).toContainText('« malade »')
  await expect(page.getByTestId('screening-alert')).toContainText('Donnée de santé')
  await expect(page.getByTestId('screening-mark')).toHaveCount(2)
  await expect(page.getByRole('button', { name: /Ajouter/ })).toBeDisabled()
  await page.screenshot({ path: `${ARTIFACTS}/note-screening.png` })
  await note.fill('Le débiteur demande un délai de deux semaines.')
  await expect(page.getByTestId('screening-alert')).toBeHidden()
  await note.press('Control+Enter')
  await expect(page.getByTestId('timeline-entry').first()).toContainText(
    'Le débiteur demande un délai de deux semaines.'
  )
})

test('collective proceedings suspend the case and show the claim-declaration deadline; a solvency fact is added', async ({
  page
}) => {
  const state = e2eState()
  const call = api(state.demoUrl)
  // An open case of a company with a collector.
  const list = await call<CasePage>('cases:list', {
    limit: 100,
    filters: { statuses: ['open'] },
    sort: { field: 'reference', direction: 'desc' }
  })
  const target = list.rows.find((r) => r.debtorKind === 'company' && r.collectorId)!
  const file = await call<CaseFile>('casefile:get', { caseId: target.id })
  await openApp(page, state.demoUrl)
  await page.getByRole('textbox', { name: 'Recherche' }).fill(file.case.reference)
  await expect(page.getByTestId('case-row')).toHaveCount(1)
  await page.getByTestId('case-row').click()
  await expect(page.getByTestId('case-file')).toBeVisible()

  // Published ten days ago: two months to declare the claim.
  const judgment = addDays(file.today, -20)
  const bodacc = addDays(file.today, -10)
  await page.getByRole('button', { name: 'Autres actions ▾' }).click()
  await page.getByRole('menuitem', { name: /Procédure collective ou surendettement/ }).click()
  await page.getByLabel('Date du jugement d’ouverture').fill(judgment)
  await page.getByLabel('Publication au BODACC').fill(bodacc)
  await page.getByLabel('Tribunal').fill('Tribunal de commerce de Lyon')
  await page.getByLabel(/Mandataire judiciaire/).fill('Me Martin, 10 rue de la République, 69002 Lyon')
  const expected = claimDeclarationDeadline(bodacc, false)
  await expect(page.getByTestId('proceeding-deadline')).toContainText(`au plus tard le ${formatDate(expected)}`)
  await page.screenshot({ path: `${ARTIFACTS}/proceedings-dialog.png` })
  await page.getByRole('button', { name: 'Enregistrer et suspendre' }).click()

  const banner = page.getByTestId('deadline-banner')
  await expect(banner).toContainText(`Au plus tard le ${formatDate(expected)}`)
  await expect(page.getByTestId('case-file')).toContainText('Suspendu · Procédure collective')
  await expect(page.getByTestId('timeline-entry').first()).toContainText('Dossier suspendu : Procédure collective')

  // A solvency fact, sourced and dated.
  await page.getByRole('tab', { name: 'Solvabilité' }).click()
  await page.getByRole('button', { name: 'Ajouter un fait' }).click()
  await page.getByRole('combobox', { name: 'Catégorie' }).click()
  await page.getByRole('option', { name: 'Compte bancaire' }).click()
  await page.getByLabel('Banque').fill('Banque Populaire Auvergne Rhône Alpes')
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click()
  await expect(page.getByTestId('solvency-fact').filter({ hasText: 'Banque Populaire' })).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/solvency-proceedings.png`, fullPage: true })
})

test('a promise received by letter is recorded from the case file, in the timeline and the promises', async ({
  page
}) => {
  const state = e2eState()
  const call = api(state.demoUrl)
  const [row] = (
    await call<CasePage>('cases:list', {
      limit: 1,
      offset: 7,
      filters: { statuses: ['open'] },
      sort: { field: 'reference', direction: 'asc' }
    })
  ).rows
  const file = await call<CaseFile>('casefile:get', { caseId: row!.id })
  const errors = await openApp(page, state.demoUrl)
  await page.getByRole('textbox', { name: 'Recherche' }).fill(row!.reference)
  await expect(page.getByTestId('case-row')).toHaveCount(1)
  await page.getByTestId('case-row').click()
  await expect(page.getByTestId('case-file')).toBeVisible()

  await page.getByRole('button', { name: /Autres actions/ }).click()
  await page.getByRole('menuitem', { name: 'Enregistrer une promesse…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Enregistrer une promesse de paiement' })
  await expect(dialog).toBeVisible()
  await dialog.getByLabel('Montant promis').fill('250')
  const due = addDays(file.today, 10)
  // Date inputs take ISO dates from Playwright; they show jj/mm/aaaa (Chromium in French).
  await dialog.getByLabel('Au plus tard le').fill(due)
  await page.screenshot({ path: `${ARTIFACTS}/promise-dialog.png` })
  await dialog.getByRole('button', { name: /^Enregistrer/ }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('timeline-entry').first()).toContainText(
    `Promesse de paiement : ${formatCents(25_000)} au plus tard le ${formatDate(due)}`
  )
  await page.getByRole('tab', { name: 'Promesses et plan' }).click()
  await expect(page.getByTestId('promises-table')).toContainText(formatCents(25_000))
  expect(errors).toEqual([])
})
