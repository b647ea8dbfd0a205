import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export const PRODUCT_NAME = 'Recouvra'
export const DATA_DIR_ENV = 'RECOUVRA_DATA_DIR'

/**
 * Where Electron keeps `userData` for this app on each OS. `npm run serve` and the CLI use the
 * same folder by default, so they open the same database as the desktop app.
 */
export function defaultUserDataDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME)
}

/** `--data-dir DIR` first, then RECOUVRA_DATA_DIR, then the default. */
export function resolveDataDir(argv: readonly string[], env = process.env, fallback = defaultUserDataDir()): string {
  const index = argv.findIndex((arg) => arg === '--data-dir' || arg.startsWith('--data-dir='))
  if (index >= 0) {
    const arg = argv[index] ?? ''
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1]
    if (!value || value.startsWith('--')) throw new Error('--data-dir needs a folder')
    return resolve(value)
  }
  const fromEnv = env[DATA_DIR_ENV]
  if (fromEnv) return resolve(fromEnv)
  return fallback
}
