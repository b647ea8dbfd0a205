import { expect, test, type Page } from '@playwright/test'
import { formatInteger } from '../../src-shared/format/french'
import { MIGRATIONS } from '../../src-main/db/migrations'
import { e2eState } from './state'

const ARTIFACTS = 'tests/e2e/artifacts'

/** Integer shown with French thousands separators → number. */
const parseFrenchInteger = (text: string) => Number(text.replace(/[\s\u202f\u00a0]/g, ''))
/** "1 234,56 €" → cents. */
const parseEuroCents = (text: string) => Number(text.replace(/[^\d,-]/g, '').replace(',', ''))

async function openApp(page: Page, url: string) {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  await page.goto(url)
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready')
  return errors
}

test.describe('the demo portfolio in Chromium over the loopback transport', () => {
  test('loads the app and lists demo cases with the totals of the filtered set', async ({ page }) => {
    const state = e2eState()
    const errors = await openApp(page, state.demoUrl)
    await expect(page).toHaveTitle('Recouvra')
    // The token leaves the address bar once read.
    expect(page.url()).not.toContain('token=')
    await expect(page.getByRole('heading', { name: 'Portefeuille' })).toBeVisible()
    const rows = page.getByTestId('case-row')
    await expect(rows).toHaveCount(50)
    await expect(rows.first()).toContainText(/REC-\d{4}-\d{6}/)
    await expect(rows.first()).toContainText('€')

    const openCount = parseFrenchInteger(await page.getByTestId('portfolio-count').innerText())
    expect(openCount).toBeGreaterThan(0)
    expect(openCount).toBeLessThan(state.demoCounts.cases)

    // Without the default status filter, the whole demo portfolio is counted.
    // Mantine hides the clear button from assistive tech (Backspace clears too); a mouse user clicks it.
    await page.getByRole('button', { name: 'Effacer le filtre de statut', includeHidden: true }).click()
    await expect(page.getByTestId('portfolio-count')).toHaveText(formatInteger(state.demoCounts.cases))
    await page.screenshot({ path: `${ARTIFACTS}/portfolio-all.png`, fullPage: false })
    expect(errors).toEqual([])
  })

  test('sorts by balance in the main process', async ({ page }) => {
    await openApp(page, e2eState().demoUrl)
    const header = page.getByRole('columnheader', { name: /Solde dû/ })
    await header.getByRole('button').click()
    await expect(header).toHaveAttribute('aria-sort', 'ascending')
    await header.getByRole('button').click()
    await expect(header).toHaveAttribute('aria-sort', 'descending')
    const balances = await page.getByTestId('case-row').locator('td:nth-child(6)').allInnerTexts()
    const cents = balances.map(parseEuroCents)
    expect(cents.length).toBe(50)
    expect([...cents].sort((a, b) => b - a)).toEqual(cents)
    // The largest balance of the open portfolio is at least the sum shown divided by the count.
    const total = parseEuroCents(await page.getByTestId('portfolio-balance').innerText())
    const count = parseFrenchInteger(await page.getByTestId('portfolio-count').innerText())
    expect(cents[0]!).toBeGreaterThanOrEqual(Math.floor(total / count))
  })

  test('finds a case by its reference and filters by phase', async ({ page }) => {
    await openApp(page, e2eState().demoUrl)
    const reference = (await page.getByTestId('case-row').nth(7).locator('td').first().innerText()).trim()
    await page.getByLabel('Recherche').fill(reference)
    await expect(page.getByTestId('case-row')).toHaveCount(1)
    await expect(page.getByTestId('case-row')).toContainText(reference)
    await expect(page.getByTestId('portfolio-count')).toHaveText('1')

    await page.getByLabel('Recherche').fill('')
    await expect(page.getByTestId('case-row')).toHaveCount(50)
    await page.getByRole('combobox', { name: 'Phase' }).click()
    await page.getByRole('option', { name: 'Mise en demeure' }).click()
    await page.keyboard.press('Escape')
    const phaseCells = page.getByTestId('case-row').locator('td:nth-child(4)')
    await expect
      .poll(async () => [...new Set((await phaseCells.allInnerTexts()).map((p) => p.trim()))])
      .toEqual(['Mise en demeure'])
    await expect(page.getByTestId('case-row')).toHaveCount(50)
  })

  test('pages through the portfolio', async ({ page }) => {
    await openApp(page, e2eState().demoUrl)
    const firstPage = await page.getByTestId('case-row').locator('td:first-child').allInnerTexts()
    await page.getByRole('button', { name: '2', exact: true }).click()
    await expect(page.getByText(/^Dossiers 51 à 100 sur/)).toBeVisible()
    const secondPage = await page.getByTestId('case-row').locator('td:first-child').allInnerTexts()
    expect(secondPage).toHaveLength(50)
    expect(secondPage.filter((ref) => firstPage.includes(ref))).toEqual([])
  })

  test('navigates to the agenda, reports and settings', async ({ page }) => {
    const state = e2eState()
    await openApp(page, state.demoUrl)
    await page.screenshot({ path: `${ARTIFACTS}/portfolio.png` })

    await page.getByRole('button', { name: /^Agenda/ }).click()
    await expect(page.getByRole('heading', { name: 'Agenda' })).toBeVisible()
    await expect(page.getByTestId('agenda-totals')).toContainText('à traiter')
    await page.screenshot({ path: `${ARTIFACTS}/agenda.png` })

    await page.getByRole('button', { name: /^Rapports/ }).click()
    await expect(page.getByRole('heading', { name: 'Rapports' })).toBeVisible()
    await expect(page.getByTestId('report-open-balance')).toContainText('€')
    const open = parseFrenchInteger(await page.getByTestId('report-open-count').innerText())
    const closed = parseFrenchInteger(await page.getByTestId('report-closed-count').innerText())
    expect(open + closed).toBe(state.demoCounts.cases)
    await page.screenshot({ path: `${ARTIFACTS}/reports.png` })

    await page.getByRole('button', { name: /^Paramètres/ }).click()
    await expect(page.getByRole('heading', { name: 'Paramètres' })).toBeVisible()
    // The schema shown is the last migration applied.
    await expect(page.getByText(MIGRATIONS.at(-1)!.name, { exact: true })).toBeVisible()
    await expect(page.getByRole('row', { name: /^Dossiers/ })).toContainText(formatInteger(state.demoCounts.cases))

    await page.getByRole('main').getByText('Sombre', { exact: true }).click()
    await page.getByRole('button', { name: /^Portefeuille/ }).click()
    await expect(page.getByTestId('case-row')).toHaveCount(50)
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark')
    await page.screenshot({ path: `${ARTIFACTS}/portfolio-dark.png` })
  })
})

test('opens a case from the portfolio and comes back with Escape', async ({ page }) => {
  await page.goto(e2eState().demoUrl)
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready')
  const row = page.getByTestId('case-row').nth(3)
  const reference = (await row.locator('td').first().innerText()).trim()
  const debtor = (await row.locator('td').nth(1).locator('p').first().innerText()).trim()
  await row.click()
  await expect(page.getByTestId('case-file')).toBeVisible()
  await expect(page.getByRole('heading', { name: debtor })).toBeVisible()
  await expect(page.getByText(`Dossier ${reference}`)).toBeVisible()
  await page.screenshot({ path: 'tests/e2e/artifacts/case-file.png' })
  await page.keyboard.press('Escape')
  await expect(page.getByRole('heading', { name: 'Portefeuille' })).toBeVisible()
  // Keyboard: focus a row, Enter opens it.
  await page.getByTestId('case-row').first().focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('case-file')).toBeVisible()
})

test('shows the official rate tables and refuses a malformed rate in French', async ({ page }) => {
  await page.goto(e2eState().demoUrl)
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready')
  await page.getByRole('button', { name: /^Paramètres/ }).click()
  await expect(page.getByRole('heading', { name: 'Taux d’intérêt' })).toBeVisible()
  // 1st half of 2026 as published (arrêté du 15 décembre 2025): 6,67 % and 2,62 %.
  const s1 = page.getByTestId('legal-rates').getByRole('row', { name: /1er semestre 2026/ })
  await expect(s1).toContainText('6,67')
  await expect(s1).toContainText('2,62')
  const form = page.getByTestId('add-semester')
  await form.getByLabel('Créancier particulier (%)').fill('six')
  await form.getByLabel('Autres cas (%)').fill('2,5')
  await form.getByRole('button', { name: 'Enregistrer' }).click()
  await expect(page.getByText('Taux refusé')).toBeVisible()
  await expect(page.getByRole('alert').getByText(/deux décimales au plus/).first()).toBeVisible()
  await page.screenshot({ path: 'tests/e2e/artifacts/settings-rates.png', fullPage: true })
})
