import { expect, test, type Page } from '@playwright/test'
import ExcelJS from 'exceljs'
import { e2eState } from './state'
import { ARTIFACTS } from './paths'
import { openApp } from './app'

/** "1 234,56 €" → cents. */
const parseEuroCents = (text: string) => Number(text.replace(/[^\d,-]/g, '').replace(',', ''))
const parseFrenchInteger = (text: string) => Number(text.replace(/[\s\u202f\u00a0]/g, ''))

async function openReports(page: Page): Promise<string[]> {
  const errors = await openApp(page, e2eState().demoUrl)
  await page.getByRole('button', { name: /^Rapports/ }).click()
  await expect(page.getByRole('heading', { name: 'Rapports' })).toBeVisible()
  await expect(page.getByTestId('report-open-balance')).toContainText('€')
  return errors
}

/** Saves the download and reopens it with exceljs. */
async function downloaded(page: Page, click: () => Promise<void>, name: string): Promise<ExcelJS.Workbook> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()])
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
  const path = `${ARTIFACTS}/${name}`
  await download.saveAs(path)
  const book = new ExcelJS.Workbook()
  await book.xlsx.readFile(path)
  return book
}

function totalsRow(sheet: ExcelJS.Worksheet): Record<string, unknown> {
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String)
  const last = sheet.getRow(sheet.rowCount)
  expect(last.getCell(1).value).toBe('Total')
  return Object.fromEntries(
    headers.map((h, i) => {
      const v = last.getCell(i + 1).value as ExcelJS.CellFormulaValue | number | null
      return [h, v && typeof v === 'object' && 'formula' in v ? (v.result ?? 0) : v]
    })
  )
}

test('the dashboard shows its charts and exports the aging balance with the same total', async ({ page }) => {
  const errors = await openReports(page)
  for (const chart of ['chart-recovery', 'chart-aging', 'chart-pipeline', 'chart-collectors', 'chart-promises']) {
    await expect(page.getByTestId(chart).locator('svg.recharts-surface').first()).toBeVisible()
  }
  await expect(page.getByTestId('collectors-table').locator('tbody tr').first()).toBeVisible()
  await expect(page.getByTestId('report-recovery-rate')).toContainText('%')
  // Let the charts' entry animations finish before the picture.
  await page.waitForTimeout(1500)
  await page.screenshot({ path: `${ARTIFACTS}/reports-dashboard.png`, fullPage: true })

  const openBalance = parseEuroCents(await page.getByTestId('report-open-balance').innerText())
  const book = await downloaded(page, () => page.getByTestId('export-aging').click(), 'balance-agee.xlsx')
  expect(book.worksheets.map((s) => s.name)).toEqual(['Paramètres', 'Par client', 'Par chargé de recouvrement'])
  for (const name of ['Par client', 'Par chargé de recouvrement']) {
    const total = totalsRow(book.getWorksheet(name)!)
    expect(Math.round(Number(total['Solde dû total']) * 100)).toBe(openBalance)
  }
  await expect(page.getByText('Export Excel prêt')).toBeVisible()

  // The same page in dark mode.
  await page.locator('header').getByText('Sombre', { exact: true }).click()
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark')
  await page.waitForTimeout(500)
  await page.screenshot({ path: `${ARTIFACTS}/reports-dashboard-dark.png`, fullPage: true })
  expect(errors).toEqual([])
})

test('the dashboard follows the client filter and exports the recovery report for it', async ({ page }) => {
  const errors = await openReports(page)
  const before = parseEuroCents(await page.getByTestId('report-open-balance').innerText())
  await page.getByRole('combobox', { name: 'Clients' }).click()
  const option = page.getByRole('option').first()
  const clientName = (await option.innerText()).trim()
  await option.click()
  await page.keyboard.press('Escape')
  await expect
    .poll(async () => parseEuroCents(await page.getByTestId('report-open-balance').innerText()))
    .toBeLessThan(before)
  await page.waitForTimeout(1000)
  await page.screenshot({ path: `${ARTIFACTS}/reports-one-client.png`, fullPage: true })

  const book = await downloaded(page, () => page.getByTestId('export-recovery').click(), 'performance.xlsx')
  const clients = book.getWorksheet('Par client')!
  const names: string[] = []
  for (let r = 2; r <= clients.rowCount && clients.getRow(r).hasValues; r++)
    names.push(String(clients.getRow(r).getCell(1).value))
  expect(names.every((n) => n === clientName)).toBe(true)
  const cover = book.getWorksheet('Paramètres')!
  const coverValues = cover.getRows(1, cover.rowCount)!.map((r) => r.getCell(2).value)
  expect(coverValues).toContain(clientName)
  expect(errors).toEqual([])
})

test('the portfolio exports its current view', async ({ page }) => {
  const errors = await openApp(page, e2eState().demoUrl)
  await expect(page.getByTestId('case-row').first()).toBeVisible()
  const count = parseFrenchInteger(await page.getByTestId('portfolio-count').innerText())
  const balance = parseEuroCents(await page.getByTestId('portfolio-balance').innerText())
  const firstReference = (await page.getByTestId('case-row').first().locator('td').first().innerText()).trim()
  const book = await downloaded(page, () => page.getByTestId('portfolio-export').click(), 'portefeuille.xlsx')
  const sheet = book.getWorksheet('Dossiers')!
  // Header, the rows, a blank line and the totals.
  expect(sheet.rowCount).toBe(count + 3)
  expect(sheet.getRow(2).getCell(1).value).toBe(firstReference)
  expect(Math.round(Number(totalsRow(sheet)['Solde dû']) * 100)).toBe(balance)
  await page.screenshot({ path: `${ARTIFACTS}/portfolio-export.png` })
  expect(errors).toEqual([])
})
