import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { EntityManager } from 'typeorm'
import type { Database } from '../../db/database'
import { log } from '../../platform/log'
import { shaOfPath, STORED_FILE_TABLE } from './file-store'

/**
 * Clean-up of stored files (file-store.ts) nothing refers to any more: `db files-gc`.
 *
 * A stored file is referenced by a document row (letters, e-mails, bundles, receipts,
 * statements: `document.sha256`; documents are append-only evidence, so a referenced file is
 * never removed), by a dunning batch's print file (`dunning_batch.print_sha256`), or by a
 * setting (the agency's logo: any SHA-256 found in `app_setting.value`). Anything else older
 * than the grace period (a write in progress on another workstation stores the file and its
 * row in one transaction; the grace period covers `db copy`, which uploads files first) goes:
 * - shared server: the `stored_file` rows, in one write transaction; erased tombstones
 *   (anonymisation) stay, so no cache brings their bytes back;
 * - embedded file: the files under the data folder's documents/.
 * A workstation's cache of a shared server (its data folder's documents/) is bounded apart:
 * `pruneFileCache` removes the least recently used cached files above a size.
 */

const SHA_IN_TEXT = /[0-9a-f]{64}/g
export const DEFAULT_GRACE_HOURS = 24
/** A workstation's cache of the shared server's files: 1 GiB unless told otherwise. */
export const DEFAULT_CACHE_BYTES = 1024 * 1024 * 1024

export interface FilesGcReport {
  engine: 'sqlite' | 'postgres'
  /** Counted only, nothing removed (--dry-run). */
  dryRun: boolean
  /** Stored files removed (rows on the server, files on the embedded store). */
  removed: number
  removedBytes: number
  /** Stored files kept because something refers to them (or too recent). */
  kept: number
  /** Workstation cache pruning (shared server only). */
  cache: { removed: number; removedBytes: number; keptBytes: number } | null
}

/** Every SHA-256 a row of the database refers to. */
export async function referencedFiles(manager: EntityManager): Promise<Set<string>> {
  const found = new Set<string>()
  const documents: Array<{ sha256: string | null }> = await manager.query('SELECT DISTINCT sha256 FROM document')
  for (const r of documents) if (r.sha256) found.add(r.sha256)
  const prints: Array<{ sha: string | null }> = await manager.query(
    'SELECT DISTINCT print_sha256 AS sha FROM dunning_batch WHERE print_sha256 IS NOT NULL'
  )
  for (const r of prints) if (r.sha) found.add(r.sha)
  const settings: Array<{ value: string }> = await manager.query('SELECT value FROM app_setting')
  for (const r of settings) for (const sha of String(r.value).match(SHA_IN_TEXT) ?? []) found.add(sha)
  return found
}

/** Removes the stored files nothing refers to (see above); `dryRun` only counts them. */
export async function collectStoredFiles(
  db: Database,
  options: { graceHours?: number; now?: Date; dryRun?: boolean; cacheBytes?: number } = {}
): Promise<FilesGcReport> {
  const now = options.now ?? new Date()
  const cutoff = new Date(now.getTime() - (options.graceHours ?? DEFAULT_GRACE_HOURS) * 3600_000)
  if (db.dialect === 'postgres') {
    const { removed, removedBytes, kept, doomedShas } = await db.write(async (manager) => {
      const referenced = await referencedFiles(manager)
      const rows: Array<{ sha256: string; byte_size: number | string; created_at: string }> = await manager.query(
        `SELECT sha256, byte_size, created_at FROM ${STORED_FILE_TABLE} WHERE content IS NOT NULL`
      )
      const doomed = rows.filter((r) => !referenced.has(r.sha256.trim()) && r.created_at < cutoff.toISOString())
      if (!options.dryRun) {
        for (let i = 0; i < doomed.length; i += 500) {
          const chunk = doomed.slice(i, i + 500).map((r) => r.sha256)
          await manager.query(`DELETE FROM ${STORED_FILE_TABLE} WHERE sha256 = ANY($1) AND content IS NOT NULL`, [
            chunk
          ])
        }
      }
      return {
        removed: doomed.length,
        removedBytes: doomed.reduce((s, r) => s + Number(r.byte_size), 0),
        kept: rows.length - doomed.length,
        doomedShas: doomed.map((r) => r.sha256.trim())
      }
    })
    // This workstation's cached copies of the removed files go too.
    if (!options.dryRun && doomedShas.length > 0) {
      const gone = new Set(doomedShas)
      for (const file of storedFilesUnder(db.dataDir)) if (gone.has(file.sha256)) rmSync(file.path, { force: true })
    }
    const cache = options.dryRun ? null : pruneFileCache(db.dataDir, options.cacheBytes ?? DEFAULT_CACHE_BYTES)
    log.info(`Files GC (server): ${removed} stored file(s) removed (${removedBytes} bytes), ${kept} kept`)
    return { engine: 'postgres', dryRun: options.dryRun === true, removed, removedBytes, kept, cache }
  }
  // Embedded file: the documents folder is the store. Referenced set read in one snapshot; a
  // file made after it is younger than the grace period.
  const referenced = await db.read(referencedFiles)
  let removed = 0
  let removedBytes = 0
  let kept = 0
  for (const file of storedFilesUnder(db.dataDir)) {
    if (referenced.has(file.sha256) || file.mtimeMs >= cutoff.getTime()) {
      kept += 1
      continue
    }
    if (!options.dryRun) rmSync(file.path, { force: true })
    removed += 1
    removedBytes += file.size
  }
  log.info(`Files GC (local): ${removed} stored file(s) removed (${removedBytes} bytes), ${kept} kept`)
  return { engine: 'sqlite', dryRun: options.dryRun === true, removed, removedBytes, kept, cache: null }
}

interface LocalFile {
  path: string
  sha256: string
  size: number
  mtimeMs: number
  usedMs: number
}

function storedFilesUnder(dataDir: string): LocalFile[] {
  const root = join(dataDir, 'documents')
  if (!existsSync(root)) return []
  const files: LocalFile[] = []
  for (const folder of readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(folder)) continue
    for (const name of readdirSync(join(root, folder))) {
      const sha256 = shaOfPath(`documents/${folder}/${name}`)
      if (!sha256 || name.endsWith('.tmp')) continue
      const path = join(root, folder, name)
      const stat = statSync(path)
      files.push({ path, sha256, size: stat.size, mtimeMs: stat.mtimeMs, usedMs: Math.max(stat.atimeMs, stat.mtimeMs) })
    }
  }
  return files
}

/**
 * Bounds a workstation's cache of the shared server's files (agency mode only: there the
 * server holds every file, a removed cache file is fetched again when opened): the least
 * recently used files go until the cache is under `maxBytes`.
 */
export function pruneFileCache(
  dataDir: string,
  maxBytes: number
): { removed: number; removedBytes: number; keptBytes: number } {
  const files = storedFilesUnder(dataDir).sort((a, b) => a.usedMs - b.usedMs)
  let total = files.reduce((s, f) => s + f.size, 0)
  let removed = 0
  let removedBytes = 0
  for (const file of files) {
    if (total <= maxBytes) break
    rmSync(file.path, { force: true })
    total -= file.size
    removed += 1
    removedBytes += file.size
  }
  if (removed > 0) log.info(`File cache: ${removed} file(s) removed (${removedBytes} bytes), ${total} bytes kept`)
  return { removed, removedBytes, keptBytes: total }
}

/** The cache bound of this process (RECOUVRA_FILE_CACHE_MB, else 1 GiB) and when each folder was last pruned. */
let cacheLimitBytes =
  Number(process.env.RECOUVRA_FILE_CACHE_MB) > 0
    ? Number(process.env.RECOUVRA_FILE_CACHE_MB) * 1024 * 1024
    : DEFAULT_CACHE_BYTES
const lastPruned = new Map<string, number>()
const PRUNE_EVERY_MS = 10 * 60 * 1000

/** Sets the bound of every workstation cache of this process (tests, settings); next write prunes. */
export function setFileCacheLimit(bytes: number): void {
  cacheLimitBytes = bytes
  lastPruned.clear()
}

/**
 * Called after a file enters a workstation's cache of the shared server: prunes the cache to its
 * bound, at most every ten minutes per folder (listing the folder is not free). Never throws.
 */
export function boundFileCache(dataDir: string, now = Date.now()): void {
  const last = lastPruned.get(dataDir)
  if (last !== undefined && now - last < PRUNE_EVERY_MS) return
  lastPruned.set(dataDir, now)
  try {
    pruneFileCache(dataDir, cacheLimitBytes)
  } catch (error) {
    log.warn(`File cache of ${dataDir} could not be pruned: ${(error as Error).message}`)
  }
}
