import { expect, test } from '@playwright/test'
import { e2eState } from './state'
import { ARTIFACTS } from './paths'
import { openApp } from './app'

test('on an empty database the app offers demo data, and loading it fills the portfolio', async ({ page }) => {
  await openApp(page, e2eState().emptyUrl)
  await expect(page.getByRole('heading', { name: 'Bienvenue dans Recouvra' })).toBeVisible()
  await page.screenshot({ path: `${ARTIFACTS}/welcome.png` })

  await page.getByText('1 000 dossiers').click()
  await page.getByTestId('demo-generate').click()
  await expect(page.getByText('Démonstration prête')).toBeVisible({ timeout: 60_000 })
  await expect(page.getByRole('heading', { name: 'Portefeuille' })).toBeVisible()
  // The portfolio is virtualized: a screenful of rows, fetched page by page.
  await expect(page.getByTestId('case-row').first()).toBeVisible()

  // Loading it twice is refused with a French explanation; nothing is added.
  const response = await page.evaluate(async () => {
    const token = sessionStorage.getItem('recouvra.token') ?? ''
    const session = sessionStorage.getItem('recouvra.session') ?? ''
    const res = await fetch('/api/rpc/demo:generate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-recouvra-token': token, 'x-recouvra-session': session },
      body: JSON.stringify({ cases: 5, seed: 1 })
    })
    return res.json()
  })
  expect(response.ok).toBe(false)
  expect(response.error.code).toBe('BUSINESS_RULE')
  expect(response.error.message).toContain('base vide')
})
