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
  const candidates = resourceCandidates(__dirname, packaged)
  const found = candidates.find((candidate) => existsSync(join(candidate, 'fonts', 'LiberationSans-Regular.ttf')))
  if (!found) throw new Error(`Resources folder with fonts/ not found from ${__dirname}`)
  return found
}

/** The same path in app.asar.unpacked (where electron-builder's asarUnpack puts files), or null. */
export function asarUnpacked(path: string): string | null {
  const unpacked = path.replace(/([\\/])app\.asar(?=[\\/]|$)/, '$1app.asar.unpacked')
  return unpacked === path ? null : unpacked
}

/**
 * Folders that may hold `fonts/`, in order. Inside a packaged app (code in app.asar) each
 * folder's app.asar.unpacked twin comes first: the fonts are unpacked (asarUnpack: resources/**),
 * and the PDF worker threads are then given a real folder, not a path inside the archive.
 */
export function resourceCandidates(dir: string, resourcesPath?: string): string[] {
  const candidates: string[] = []
  if (resourcesPath)
    candidates.push(
      join(resourcesPath, 'app.asar.unpacked', 'resources'),
      join(resourcesPath, 'resources'),
      resourcesPath
    )
  for (let i = 0; i < 8; i++) {
    const here = join(dir, 'resources')
    const unpacked = asarUnpacked(here)
    if (unpacked) candidates.push(unpacked)
    candidates.push(here)
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  return candidates
}
