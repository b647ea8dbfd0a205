import type { Page } from '@playwright/test'

/** The test agency (tests/fixtures/agency.ts), saved by the specs that make letters. */
export { TEST_AGENCY } from '../fixtures/agency'

/** A button of the main navigation. */
export const nav = (page: Page, name: RegExp) =>
  page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('button', { name })
