import { mkdtempSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'rolldown'

const ROOT = resolve(__dirname, '../../..')

/**
 * Bundles the PDF worker entry the way electron-vite does (its own file, packages left to
 * node_modules) into a folder inside the repository, so that those packages resolve, and
 * outside src-main (where the pool would find it for every other test). Returns the worker
 * file and a cleanup.
 */
export async function bundlePdfWorker(): Promise<{ file: string; remove: () => void }> {
  const dir = mkdtempSync(join(ROOT, '.vitest-pdf-worker-'))
  const file = join(dir, 'pdf-worker.js')
  await build({
    input: join(ROOT, 'src-main/modules/documents/pdf-worker.ts'),
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@shared'),
    resolve: { alias: { '@shared': join(ROOT, 'src-shared') } },
    output: { file, format: 'cjs' },
    logLevel: 'silent'
  })
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
