import { expect, type Page } from '@playwright/test'

/**
 * Opens the app at one of the e2e servers' URLs and waits until it is ready. Every spec opens
 * the app through here, so that what a session needs first (e.g. signing in) lives in one place.
 * Returns the page errors and console errors seen from then on; specs assert it stays empty.
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
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready')
  return errors
}
