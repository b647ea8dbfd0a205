import { expect, test, type Page } from '@playwright/test'
import { formatInteger } from '../../src-shared/format/french'
import { api, demoCaseCount, e2eState } from './state'
import { ARTIFACTS } from './paths'
import { openApp } from './app'

/** Integer shown with French thousands separators → number. */
const parseFrenchInteger = (text: string) => Number(text.replace(/[\s\u202f\u00a0]/g, ''))
/** "1 234,56 €" → cents. */
const parseEuroCents = (text: string) => Number(text.replace(/[^\d,-]/g, '').replace(',', ''))
/** Lower case, no accents: how a collector types a name. */
const plain = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()

async function openPortfolio(page: Page, url: string) {
  const errors = await openApp(page, url)
  await expect(page.getByTestId('case-row').first()).toBeVisible()
  return errors
}

const rows = (page: Page) => page.getByTestId('case-row')
const count = async (page: Page) => parseFrenchInteger(await page.getByTestId('portfolio-count').innerText())
const activeRow = (page: Page) => page.locator('[data-testid="case-row"][data-active="true"]')

test.describe('the demo portfolio in Chromium over the loopback transport', () => {
  test('shows the default view with the totals of the filtered set, and all cases without the status filter', async ({
    page
  }) => {
    const state = e2eState()
    const errors = await openPortfolio(page, state.demoUrl)
    await expect(page).toHaveTitle('Recouvra')
    // The token leaves the address bar once read.
    expect(page.url()).not.toContain('token=')
    await expect(page.getByRole('heading', { name: 'Portefeuille' })).toBeVisible()
    await expect(rows(page).first()).toContainText(/REC-\d{4}-\d{6}/)
    await expect(rows(page).first()).toContainText('€')
    // Virtualized: a screenful of rows exists in the page, never the whole portfolio.
    expect(await rows(page).count()).toBeGreaterThan(10)
    expect(await rows(page).count()).toBeLessThan(60)

    const openCount = await count(page)
    expect(openCount).toBeGreaterThan(0)
    expect(openCount).toBeLessThan(await demoCaseCount())
    await page.screenshot({ path: `${ARTIFACTS}/portfolio.png` })

    // Mantine hides the clear button from assistive tech (Backspace clears too); a mouse user clicks it.
    await page.getByRole('button', { name: 'Effacer le filtre de statut', includeHidden: true }).click()
    await expect(page.getByTestId('portfolio-count')).toHaveText(formatInteger(await demoCaseCount()))
    await expect(page.getByTestId('view-modified')).toBeVisible()
    await page.screenshot({ path: `${ARTIFACTS}/portfolio-all.png` })
    expect(errors).toEqual([])
  })

  test('sorts by balance in the main process', async ({ page }) => {
    await openPortfolio(page, e2eState().demoUrl)
    const header = page.getByRole('columnheader', { name: /Solde dû/ })
    await header.getByRole('button').click()
    await expect(header).toHaveAttribute('aria-sort', 'ascending')
    await header.getByRole('button').click()
    await expect(header).toHaveAttribute('aria-sort', 'descending')
    await expect
      .poll(async () => {
        const cents = (await rows(page).locator('td:nth-child(6)').allInnerTexts()).map(parseEuroCents)
        return cents.length > 10 && [...cents].sort((a, b) => b - a).join() === cents.join()
      })
      .toBe(true)
    const cents = (await rows(page).locator('td:nth-child(6)').allInnerTexts()).map(parseEuroCents)
    // The largest balance of the open portfolio is at least the sum shown divided by the count.
    const total = parseEuroCents(await page.getByTestId('portfolio-balance').innerText())
    expect(cents[0]!).toBeGreaterThanOrEqual(Math.floor(total / (await count(page))))
  })

  test('sorts by collector group by group, both ways, with the totals of the filtered set', async ({ page }) => {
    const state = e2eState()
    await openPortfolio(page, state.demoUrl)
    const header = page.getByRole('columnheader', { name: /Chargé/ })
    for (const direction of ['asc', 'desc'] as const) {
      await header.getByRole('button').click()
      await expect(header).toHaveAttribute('aria-sort', direction === 'asc' ? 'ascending' : 'descending')
      // The same rows, in the same order, and the same totals as the main process lists.
      const expected = await api(state.demoUrl)<{ rows: Array<{ reference: string }>; total: number }>('cases:list', {
        limit: 10,
        filters: { statuses: ['open', 'suspended'] },
        sort: { field: 'collectorName', direction }
      })
      await expect
        .poll(async () =>
          (await rows(page).locator('td:first-child').allInnerTexts()).slice(0, 10).map((t) => t.trim())
        )
        .toEqual(expected.rows.map((r) => r.reference))
      await expect(page.getByTestId('portfolio-count')).toHaveText(formatInteger(expected.total))
      await page.screenshot({ path: `${ARTIFACTS}/portfolio-sort-collector-${direction}.png` })
    }
  })

  test('filters by phase, balance and age in the main process', async ({ page }) => {
    await openPortfolio(page, e2eState().demoUrl)
    const before = await count(page)
    await page.getByRole('combobox', { name: 'Phase' }).click()
    await page.getByRole('option', { name: 'Mise en demeure' }).click()
    await page.keyboard.press('Escape')
    const phaseCells = rows(page).locator('td:nth-child(4)')
    await expect
      .poll(async () => [...new Set((await phaseCells.allInnerTexts()).map((p) => p.trim()))])
      .toEqual(['Mise en demeure'])
    const byPhase = await count(page)
    expect(byPhase).toBeLessThan(before)

    await page.getByRole('textbox', { name: 'Solde min (€)' }).fill('1000')
    await expect.poll(() => count(page)).toBeLessThan(byPhase)
    const balances = (await rows(page).locator('td:nth-child(6)').allInnerTexts()).map(parseEuroCents)
    expect(balances.every((c) => c >= 100_000)).toBe(true)

    await page.getByRole('combobox', { name: 'Retard' }).click()
    await page.getByRole('option', { name: 'Plus de 180 jours' }).click()
    await page.keyboard.press('Escape')
    await expect
      .poll(async () => {
        const days = (await rows(page).locator('td:nth-child(7)').allInnerTexts()).map(parseFrenchInteger)
        return days.length > 0 && days.every((d) => d > 180)
      })
      .toBe(true)
    // Mantine's chips are labels over a hidden checkbox: a mouse user clicks the label.
    await page.locator('label', { hasText: 'Promesse non tenue' }).click()
    await expect(page.getByRole('checkbox', { name: 'Promesse non tenue' })).toBeChecked()
    await expect.poll(() => count(page)).toBeLessThan(byPhase)
    await page.screenshot({ path: `${ARTIFACTS}/portfolio-filters.png` })
    await page.getByRole('button', { name: 'Effacer les filtres' }).click()
    await expect.poll(() => count(page)).toBe(await demoCaseCount())
  })

  test('fetches further pages as the table scrolls, never the whole portfolio', async ({ page }) => {
    await openPortfolio(page, e2eState().demoUrl)
    const firstScreen = await rows(page).locator('td:first-child').allInnerTexts()
    const scroll = page.getByTestId('portfolio-scroll')
    // Far below the first page of 100 rows.
    await scroll.evaluate((el) => (el.scrollTop = 46 * 1000))
    await expect(page.locator('[data-testid="case-row"][aria-rowindex="1002"]')).toBeVisible()
    const farScreen = await rows(page).locator('td:first-child').allInnerTexts()
    expect(farScreen.filter((ref) => firstScreen.includes(ref))).toEqual([])
    expect(await rows(page).count()).toBeLessThan(60)
    await page.screenshot({ path: `${ARTIFACTS}/portfolio-scrolled.png` })
    // To the very end: the last row is the count-th.
    const total = await count(page)
    await scroll.evaluate((el) => (el.scrollTop = el.scrollHeight))
    await expect(page.locator(`[data-testid="case-row"][aria-rowindex="${total + 1}"]`)).toBeVisible()
  })

  test('search as you type: names without accents, references, phone numbers in any format', async ({ page }) => {
    await openPortfolio(page, e2eState().demoUrl)
    const all = await count(page)
    const search = page.getByRole('textbox', { name: 'Recherche' })
    // A debtor from the list, typed the lazy way: lower case, no accents, the beginning of the name.
    const debtor = (await rows(page).nth(2).locator('td').nth(1).locator('p').first().innerText()).trim()
    const word = debtor.split(' ')[0]!
    const typed = plain(word).slice(0, Math.min(6, word.length))
    await search.click()
    for (const char of typed) {
      await page.keyboard.type(char)
      await page.waitForTimeout(40)
    }
    await expect.poll(() => count(page)).toBeLessThan(all)
    await expect(rows(page).filter({ hasText: debtor }).first()).toBeVisible()
    const names = await rows(page).locator('td:nth-child(2) p:first-child').allInnerTexts()
    expect(
      names.every((n) =>
        plain(n)
          .split(/[^a-z0-9]+/)
          .some((w) => w.startsWith(typed))
      )
    ).toBe(true)
    await page.screenshot({ path: `${ARTIFACTS}/portfolio-search-name.png` })

    // A reference: exactly one case.
    const reference = (await rows(page).first().locator('td').first().innerText()).trim()
    await search.fill(reference)
    await expect(page.getByTestId('portfolio-count')).toHaveText('1')
    await expect(rows(page)).toHaveCount(1)

    // Too short to filter: the whole default view, and a hint.
    await search.fill('l')
    await expect.poll(() => count(page)).toBe(all)
    await expect(page.getByText('Au moins 2 lettres ou 3 chiffres pour rechercher')).toBeVisible()

    // Esc clears the search; a second Esc leaves the box for the table.
    await search.fill('zzzzqqqq')
    await expect(page.getByTestId('portfolio-empty')).toBeVisible()
    await search.press('Escape')
    await expect(search).toHaveValue('')
    await expect.poll(() => count(page)).toBe(all)
    await search.press('Escape')
    await expect(page.getByTestId('portfolio-scroll')).toBeFocused()
  })

  test('keyboard: / searches, j/k and arrows move, Enter opens the case, Esc comes back to the same place', async ({
    page
  }) => {
    await openPortfolio(page, e2eState().demoUrl)
    // Arrows and j/k move the selection, without a click.
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('k')
    await expect(activeRow(page)).toHaveAttribute('aria-rowindex', '4')
    const reference = (await activeRow(page).locator('td').first().innerText()).trim()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('case-file')).toBeVisible()
    await expect(page.getByText(`Dossier ${reference}`)).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(page.getByRole('heading', { name: 'Portefeuille' })).toBeVisible()
    // Back on the same row, the keyboard still in the table.
    await expect(activeRow(page)).toHaveAttribute('aria-rowindex', '4')
    await page.keyboard.press('j')
    await expect(activeRow(page)).toHaveAttribute('aria-rowindex', '5')

    // "/" goes to the search; Arrow down comes back to the results, Enter opens the first.
    await page.keyboard.press('/')
    await expect(page.getByRole('textbox', { name: 'Recherche' })).toBeFocused()
    await page.keyboard.type(reference)
    await expect(page.getByTestId('portfolio-count')).toHaveText('1')
    await page.keyboard.press('ArrowDown')
    await expect(page.getByTestId('portfolio-scroll')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByText(`Dossier ${reference}`)).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(page.getByRole('textbox', { name: 'Recherche' })).toHaveValue(reference)

    // Page Down moves a screenful; the selection stays in view.
    await page.getByRole('textbox', { name: 'Recherche' }).fill('')
    await expect.poll(() => count(page)).toBeGreaterThan(100)
    await page.getByTestId('portfolio-scroll').focus()
    await page.keyboard.press('Home')
    await page.keyboard.press('PageDown')
    await page.keyboard.press('PageDown')
    await expect(activeRow(page)).toBeInViewport()
    expect(Number(await activeRow(page).getAttribute('aria-rowindex'))).toBeGreaterThan(15)
    await page.screenshot({ path: `${ARTIFACTS}/portfolio-keyboard.png` })
  })

  test('saved views: built-in ones, save the current filters, rename, delete', async ({ page }) => {
    await openPortfolio(page, e2eState().demoUrl)
    const views = page.getByRole('combobox', { name: 'Vue enregistrée' })
    await expect(views).toHaveValue('Portefeuille en cours')
    await views.click()
    await page.getByRole('option', { name: 'Promesses non tenues' }).click()
    await expect(page.getByRole('checkbox', { name: 'Promesse non tenue' })).toBeChecked()
    const broken = await count(page)
    expect(broken).toBeGreaterThan(0)
    await expect(page.getByRole('columnheader', { name: /Solde dû/ })).toHaveAttribute('aria-sort', 'descending')

    // Changing a filter marks the view as modified; save it as a new view.
    await page.getByRole('combobox', { name: 'Phase' }).click()
    await page.getByRole('option', { name: 'Amiable' }).click()
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('view-modified')).toBeVisible()
    await page.getByRole('button', { name: 'Gérer les vues' }).click()
    await page.getByRole('menuitem', { name: 'Enregistrer comme nouvelle vue…' }).click()
    await page.getByRole('textbox', { name: 'Nom de la vue' }).fill('Promesses non tenues en amiable')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await expect(views).toHaveValue('Promesses non tenues en amiable')
    await expect(page.getByTestId('view-modified')).toBeHidden()
    const amicable = await count(page)
    expect(amicable).toBeLessThanOrEqual(broken)
    await page.screenshot({ path: `${ARTIFACTS}/portfolio-views.png` })

    // Another view, then back to the saved one: its filters come back.
    await views.click()
    await page.getByRole('option', { name: 'Portefeuille en cours' }).click()
    await expect(page.getByRole('checkbox', { name: 'Promesse non tenue' })).not.toBeChecked()
    await views.click()
    await page.getByRole('option', { name: 'Promesses non tenues en amiable' }).click()
    await expect.poll(() => count(page)).toBe(amicable)

    // Rename, then delete.
    await page.getByRole('button', { name: 'Gérer les vues' }).click()
    await page.getByRole('menuitem', { name: 'Renommer…' }).click()
    await page.getByRole('textbox', { name: 'Nom de la vue' }).fill('Amiable : promesses non tenues')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await expect(views).toHaveValue('Amiable : promesses non tenues')
    await page.getByRole('button', { name: 'Gérer les vues' }).click()
    await page.getByRole('menuitem', { name: 'Supprimer…' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Supprimer' }).click()
    await views.click()
    await expect(page.getByRole('option', { name: 'Amiable : promesses non tenues' })).toHaveCount(0)
    await expect(page.getByRole('option', { name: 'Mes relances du jour' })).toBeVisible()
  })

  test('navigates to the agenda, reports and settings, and shows the portfolio in dark mode', async ({ page }) => {
    const state = e2eState()
    await openPortfolio(page, state.demoUrl)

    await page.getByRole('button', { name: /^Agenda/ }).click()
    await expect(page.getByRole('heading', { name: 'Agenda' })).toBeVisible()
    await page.screenshot({ path: `${ARTIFACTS}/agenda.png` })

    await page.getByRole('button', { name: /^Rapports/ }).click()
    await expect(page.getByRole('heading', { name: 'Rapports' })).toBeVisible()
    await expect(page.getByTestId('report-open-balance')).toContainText('€')
    const open = parseFrenchInteger(await page.getByTestId('report-open-count').innerText())
    const closed = parseFrenchInteger(await page.getByTestId('report-closed-count').innerText())
    expect(open + closed).toBe(await demoCaseCount())
    await page.screenshot({ path: `${ARTIFACTS}/reports.png` })

    await page.getByRole('button', { name: /^Paramètres/ }).click()
    await expect(page.getByRole('heading', { name: 'Paramètres' })).toBeVisible()
    await expect(page.getByRole('row', { name: /^Dossiers/ })).toContainText(formatInteger(await demoCaseCount()))

    await page.getByRole('main').getByText('Sombre', { exact: true }).click()
    await page.getByRole('button', { name: /^Portefeuille/ }).click()
    await expect(rows(page).first()).toBeVisible()
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark')
    await page.keyboard.press('j')
    await page.screenshot({ path: `${ARTIFACTS}/portfolio-dark.png` })
  })
})

test('opens a case from the portfolio by click and comes back with Escape', async ({ page }) => {
  await openPortfolio(page, e2eState().demoUrl)
  const row = rows(page).nth(3)
  const reference = (await row.locator('td').first().innerText()).trim()
  const debtor = (await row.locator('td').nth(1).locator('p').first().innerText()).trim()
  await row.click()
  await expect(page.getByTestId('case-file')).toBeVisible()
  await expect(page.getByRole('heading', { name: debtor })).toBeVisible()
  await expect(page.getByText(`Dossier ${reference}`)).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/case-file.png` })
  await page.keyboard.press('Escape')
  await expect(page.getByRole('heading', { name: 'Portefeuille' })).toBeVisible()
  await expect(activeRow(page)).toContainText(reference)
})

test('a broad search shows its first rows at once and its totals when counted; an older keystroke never shows', async ({
  page
}) => {
  const state = e2eState()
  await openPortfolio(page, state.demoUrl)
  // The totals of "REC-2025" are held back, as if counting tens of thousands of cases.
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route(/\/api\/rpc\/cases(:|%3A)totals$/, async (route) => {
    if (route.request().postData()?.includes('"text":"REC-2025"')) await held
    await route.continue()
  })
  const search = page.getByRole('textbox', { name: 'Recherche' })
  await search.click()
  // The beginning of every reference opened in 2025: a large share of the portfolio.
  for (const char of 'REC-2025') {
    await page.keyboard.type(char)
    await page.waitForTimeout(30)
  }
  await expect(page.getByTestId('portfolio-totals-pending')).toBeVisible()
  await expect(page.getByTestId('portfolio-totals-pending')).toContainText('calcul…')
  await expect(rows(page).first()).toContainText('REC-2025')
  await expect(page.getByTestId('portfolio-count')).toHaveCount(0)
  await page.screenshot({ path: `${ARTIFACTS}/portfolio-typing-broad.png` })

  // The collector goes on typing a whole reference before those totals come back: its own totals
  // (one case) show, and the late answer for "REC-2025" does not replace them.
  const reference = (await rows(page).first().locator('td').first().innerText()).trim()
  await search.fill(reference)
  await expect(page.getByTestId('portfolio-count')).toHaveText('1')
  release()
  await page.waitForTimeout(500)
  await expect(page.getByTestId('portfolio-count')).toHaveText('1')
  await expect(rows(page)).toHaveCount(1)

  // Back to the broad search: its totals, counted meanwhile, are those of the same list in the main process.
  await search.fill('REC-2025')
  const expected = await api(state.demoUrl)<{ total: number; totalBalanceCents: number }>('cases:list', {
    limit: 1,
    filters: { statuses: ['open', 'suspended'], text: 'REC-2025' },
    sort: { field: 'daysPastDue', direction: 'desc' }
  })
  await expect(page.getByTestId('portfolio-count')).toHaveText(formatInteger(expected.total))
  await expect(page.getByTestId('portfolio-totals-pending')).toHaveCount(0)
  await page.screenshot({ path: `${ARTIFACTS}/portfolio-typing-broad-totals.png` })
})
