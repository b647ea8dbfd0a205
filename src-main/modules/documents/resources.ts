import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

let chosen: string | null = null

/**
 * Fixes the folder resourcesDir returns: the PDF worker threads use the one the main thread
 * found, so that fonts resolve the same way in both (a worker has no process.resourcesPath).
 */
export function useResourcesDir(dir: string): void {
  chosen = dir
}

/**
 * The app's shipped resources folder (fonts): next to the packaged app (process.resourcesPath),
 * or the repository's `resources/` found by walking up from this file, wherever the build
 * folder was put (out/, .e2e/<name>/out/) or when run from sources by the tests.
 */
export function resourcesDir(): string {
  if (chosen) return chosen
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath
  const candidates: string[] = []
  if (packaged) candidates.push(join(packaged, 'resources'), packaged)
  let dir = __dirname
  for (let i = 0; i < 8; i++) {
    candidates.push(join(dir, 'resources'))
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  const found = candidates.find((candidate) => existsSync(join(candidate, 'fonts', 'LiberationSans-Regular.ttf')))
  if (!found) throw new Error(`Resources folder with fonts/ not found from ${__dirname}`)
  return found
}
