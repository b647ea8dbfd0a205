import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import { expect, test } from '@playwright/test'
import { e2eState } from './state'
import { ARTIFACTS } from './paths'
import { openApp } from './app'

/** A client's workbook as accounting software writes it: typed dates and amounts, French headers. */
async function clientWorkbook(): Promise<Buffer> {
  const output = new PassThrough()
  const chunks: Buffer[] = []
  output.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise((resolve) => output.on('end', resolve))
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true })
  const sheet = workbook.addWorksheet('Impayés')
  const date = (iso: string) => new Date(`${iso}T00:00:00Z`)
  const rows: Array<Array<string | number | Date | null>> = [
    [
      'Raison sociale',
      'Nom',
      'Prénom',
      'Adresse',
      'CP',
      'Ville',
      'Téléphone',
      'N° facture',
      'Date facture',
      'Échéance',
      'Montant TTC'
    ],
    [
      'Boulangerie Jaurès',
      null,
      null,
      '8 avenue Jean Jaurès',
      69007,
      'Lyon',
      '04 78 00 00 01',
      'E2E-0001',
      date('2026-06-01'),
      date('2026-07-01'),
      1234.56
    ],
    [
      'Boulangerie Jaurès',
      null,
      null,
      '8 avenue Jean Jaurès',
      69007,
      'Lyon',
      null,
      'E2E-0002',
      date('2026-07-01'),
      date('2026-07-31'),
      89.9
    ],
    [
      null,
      'Quesnel',
      'Mathilde',
      '3 rue des Lilas',
      6000,
      'Nice',
      612345678,
      'E2E-0003',
      date('2026-08-15'),
      date('2026-09-14'),
      450
    ],
    [
      null,
      'Quesnel',
      'Mathilde',
      '3 rue des Lilas',
      6000,
      'Nice',
      null,
      'E2E-0004',
      'pas de date',
      date('2026-09-14'),
      'douze'
    ]
  ]
  for (const values of rows) {
    const row = sheet.addRow(values)
    values.forEach((value, i) => {
      if (value instanceof Date) row.getCell(i + 1).numFmt = 'dd/mm/yyyy'
    })
    row.commit()
  }
  sheet.commit()
  await workbook.commit()
  await done
  return Buffer.concat(chunks)
}

test('imports a client workbook through the wizard and finds its cases in the portfolio', async ({ page }) => {
  // Five steps and a portfolio search: more than the default minute on a loaded machine.
  test.slow()
  const errors = await openApp(page, e2eState().demoUrl)
  await page.getByRole('button', { name: /^Import/ }).click()
  await expect(page.getByRole('heading', { name: 'Import du portefeuille d’un client' })).toBeVisible()

  await page.getByTestId('import-client').click()
  await page.getByRole('option').first().click()
  const mandate = page.getByTestId('import-mandate')
  if (!(await mandate.inputValue())) {
    await mandate.click()
    await page.getByRole('option').first().click()
  }
  await page.locator('input[type="file"]').setInputFiles({
    name: 'impayés septembre.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await clientWorkbook()
  })
  await page.getByTestId('import-analyze').click()

  // Columns detected from the French headers.
  await expect(page.getByTestId('import-file-info')).toContainText(
    'impayés septembre.xlsx — Classeur Excel, feuille « Impayés » — 4 ligne(s)'
  )
  await expect(page.getByTestId('import-map-amount')).toHaveValue(/Montant TTC/)
  await expect(page.getByTestId('import-map-dueOn')).toHaveValue(/Échéance/)
  await page.screenshot({ path: `${ARTIFACTS}/import-mapping.png`, fullPage: true })
  await page.getByTestId('import-to-preview').click()

  // Preview: what will be created, and the bad row with its column and reason.
  await expect(page.getByTestId('import-count-imported')).toHaveText('3')
  await expect(page.getByTestId('import-count-errors')).toHaveText('1')
  await expect(page.getByTestId('import-count-new-cases')).toHaveText('2')
  await expect(page.getByTestId('import-count-total')).toHaveText('1\u202f774,46\u00a0€')
  const problems = page.getByTestId('import-problems')
  await expect(problems).toContainText('Date de facture : date illisible « pas de date »')
  await expect(problems).toContainText('Montant illisible « douze »')
  const rows = page.getByTestId('import-row')
  await expect(rows.nth(0)).toContainText('BOULANGERIE JAURÈS')
  await expect(rows.nth(0)).toContainText('Nouveau dossier')
  await expect(rows.nth(1)).toContainText('Même débiteur que ligne 2')
  await expect(rows.nth(3)).toContainText('Non importée')
  await page.screenshot({ path: `${ARTIFACTS}/import-preview.png`, fullPage: true })

  // Errors must be acknowledged before importing without them.
  await expect(page.getByTestId('import-commit')).toBeDisabled()
  await page.getByTestId('import-skip-errors').click()
  // The new cases go to one collector, chosen in the preview.
  await page.getByTestId('import-assign-mode').getByText('Un gestionnaire').click()
  await expect(page.getByTestId('import-commit')).toBeDisabled()
  await page.getByTestId('import-assign-collector').click()
  const collector = page.getByRole('option').first()
  const collectorName = (await collector.textContent())!.trim()
  await collector.click()
  await page.screenshot({ path: `${ARTIFACTS}/import-assignment.png`, fullPage: true })
  await page.getByTestId('import-commit').click()
  await expect(page.getByTestId('import-done')).toContainText('3 ligne(s) de « impayés septembre.xlsx » importée(s)')
  await expect(page.getByTestId('import-done')).toContainText(`Nouveaux dossiers confiés à ${collectorName}.`)
  await expect(page.getByTestId('import-batch').first()).toContainText('impayés septembre.xlsx')
  await page.screenshot({ path: `${ARTIFACTS}/import-done.png`, fullPage: true })

  // The new cases are in the portfolio, found by the debtor's name.
  await page.getByTestId('import-open-portfolio').click()
  await page.getByPlaceholder('Nom, référence, facture, téléphone, e-mail, SIREN…').fill('boulangerie jaur')
  const caseRows = page.getByTestId('case-row')
  await expect(caseRows).toHaveCount(1)
  await expect(caseRows.first()).toContainText('BOULANGERIE JAURÈS')
  await expect(caseRows.first()).toContainText('1\u202f324,46\u00a0€')
  await expect(caseRows.first()).toContainText(collectorName)
  await page.screenshot({ path: `${ARTIFACTS}/import-portfolio.png` })
  expect(errors).toEqual([])
})
