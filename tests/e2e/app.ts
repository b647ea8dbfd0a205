import { expect, type Page } from '@playwright/test'

/** The e2e servers' administrator (global-setup creates it through the first-run set-up). */
export const E2E_ADMIN = { login: 'admin', displayName: 'Administrateur e2e', password: 'mot-de-passe-e2e-2026' }

/**
 * The session Node-side helpers of the specs call the API with: global-setup signs it in on both
 * servers and exports it as RECOUVRA_SESSION, which createHttpInvoker sends when not given one.
 */
export const E2E_AUTOMATION_SESSION = 'e2e-automation-session-000000000001'

/**
 * Opens the app at one of the e2e servers' URLs, signs in (or completes the first-run set-up)
 * and waits until it is ready. Every spec opens the app through here. Returns the page errors
 * and console errors seen from then on; specs assert it stays empty.
 */
export async function openApp(page: Page, url: string): Promise<string[]> {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  // Each test starts from the portfolio's default view.
  await page.addInitScript(() => sessionStorage.removeItem('recouvra.portfolio'))
  await page.goto(url)
  const body = page.locator('body')
  await expect(body).toHaveAttribute('data-app-state', /^(ready|sign-in|setup)$/)
  const state = await body.getAttribute('data-app-state')
  if (state === 'setup') {
    await page.getByTestId('setup-login').fill(E2E_ADMIN.login)
    await page.getByTestId('setup-name').fill(E2E_ADMIN.displayName)
    await page.getByTestId('setup-password').fill(E2E_ADMIN.password)
    await page.getByTestId('setup-confirm').fill(E2E_ADMIN.password)
    await page.getByTestId('setup-submit').click()
  } else if (state === 'sign-in') {
    await page.getByTestId('sign-in-login').fill(E2E_ADMIN.login)
    await page.getByTestId('sign-in-password').fill(E2E_ADMIN.password)
    await page.getByTestId('sign-in-submit').click()
  }
  await expect(body).toHaveAttribute('data-app-state', 'ready', { timeout: 30_000 })
  return errors
}
