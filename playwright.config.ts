import { defineConfig } from '@playwright/test'

/**
 * End-to-end tests. `chromium` drives the built renderer in Debian's Chromium against
 * `npm run serve` (the loopback transport); `electron` launches the desktop build and skips
 * itself where no Electron binary is installed.
 */
const chromiumPath = process.env.RECOUVRA_CHROMIUM ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: process.env.RECOUVRA_E2E_RESULTS ?? 'test-results',
  globalSetup: './tests/e2e/global-setup.ts',
  globalTeardown: './tests/e2e/global-teardown.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure'
  },
  projects: [
    {
      name: 'chromium',
      testMatch: /.*\.spec\.ts/,
      testIgnore: /electron\.spec\.ts/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromiumPath,
          // On Linux Chromium takes its UI language (date inputs: jj/mm/aaaa) from LANGUAGE and needs
          // Debian's chromium-l10n for the French pack; --lang does it on Windows and macOS.
          env: { ...process.env, LANGUAGE: 'fr' },
          args: [
            '--no-sandbox',
            // French browser UI, as collectors have it: native date inputs show jj/mm/aaaa.
            '--lang=fr-FR',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run'
          ]
        }
      }
    },
    { name: 'electron', testMatch: /electron\.spec\.ts/ }
  ]
})
