import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'

/**
 * The desktop build, launched for real. Electron 42+ downloads its binary on first use, which
 * an offline build machine cannot do: there the test skips and says why instead of failing.
 */
const electronPackage = dirname(require.resolve('electron/package.json'))
const binaryInstalled = existsSync(join(electronPackage, 'path.txt')) && existsSync(join(electronPackage, 'dist'))

test('the desktop app starts sandboxed and shows the portfolio', async () => {
  test.skip(
    !binaryInstalled,
    'No Electron binary installed here (offline machine): run `npx install-electron` where the network allows it.'
  )
  const dataDir = mkdtempSync(join(tmpdir(), 'recouvra-electron-'))
  try {
    const app = await electron.launch({ args: [join(__dirname, '../../out/main/index.js'), '--data-dir', dataDir] })
    const window = await app.firstWindow()
    await expect(window.locator('body')).toHaveAttribute('data-app-state', 'ready')
    await expect(window.getByRole('heading', { name: 'Bienvenue dans Recouvra' })).toBeVisible()
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
    expect(await window.evaluate(() => Object.keys((window as unknown as { recouvra: object }).recouvra))).toEqual([
      'transport',
      'invoke'
    ])
    // The page world has no Node: sandbox + context isolation + no node integration.
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
    await app.close()
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
