import { join } from 'node:path'

const ROOT = join(__dirname, '../..')

/**
 * Where the e2e run reads the built app and writes its state and screenshots. Both can be
 * moved with environment variables so that several runs can share one working tree:
 * RECOUVRA_E2E_OUT (a copy of `out/`) and RECOUVRA_E2E_ARTIFACTS.
 */
export const BUILT_APP_DIR = process.env.RECOUVRA_E2E_OUT ?? join(ROOT, 'out')
export const ARTIFACTS = process.env.RECOUVRA_E2E_ARTIFACTS ?? join(__dirname, 'artifacts')
export const STATE_FILE = join(ARTIFACTS, 'e2e-state.json')
export const PROJECT_ROOT = ROOT
