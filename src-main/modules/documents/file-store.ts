import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, join, normalize } from 'node:path'
import type { EntityManager } from 'typeorm'
import { AppError } from '@shared/contract/errors'
import type { Database } from '../../db/database'
import { boundFileCache } from './file-gc'

/** Name of the PostgreSQL table holding stored files' bytes in agency mode (see migrations-pg). */
export const STORED_FILE_TABLE = 'stored_file'

/**
 * Content-addressed file store. A file is named by its SHA-256: `documents/<aa>/<sha256><ext>`,
 * written once (a second write of the same content is a no-op, never an overwrite). Paths
 * stored in the database are relative to the data folder.
 *
 * - Local file (SQLite): the bytes live under the data folder only.
 * - Shared server (PostgreSQL, agency mode): the bytes live in the database (`stored_file`,
 *   keyed by SHA-256, bytea), written in the caller's transaction, so a letter made on one
 *   workstation opens on every other; the data folder is a cache. Anonymisation empties the
 *   row's bytes and keeps a tombstone (`erased_at`), so no workstation's cache brings them back.
 * Every read checks the SHA-256 of what it returns.
 */
export class FileStore {
  constructor(
    private readonly dataDir: string,
    private readonly db: Pick<Database, 'dialect' | 'read' | 'write'> | null = null
  ) {}

  static sha256(content: Uint8Array): string {
    return createHash('sha256').update(content).digest('hex')
  }

  /** True when the bytes live in the shared database (PostgreSQL), the data folder a cache. */
  get shared(): boolean {
    return this.db?.dialect === 'postgres'
  }

  /**
   * Stores the content if new; returns its hash and relative path. Shared mode: written to the
   * database through `manager` (the caller's transaction) or, without one, in its own write.
   */
  async put(
    content: Uint8Array,
    extension: string,
    manager?: EntityManager
  ): Promise<{ sha256: string; storagePath: string }> {
    const sha256 = FileStore.sha256(content)
    const storagePath = `documents/${sha256.slice(0, 2)}/${sha256}${extension}`
    this.writeCache(storagePath, content)
    if (this.shared) {
      boundFileCache(this.dataDir)
      const insert = (m: EntityManager) =>
        m.query(
          `INSERT INTO ${STORED_FILE_TABLE} (sha256, extension, byte_size, content, created_at, erased_at)
           VALUES (?, ?, ?, ?, ?, NULL)
           ON CONFLICT (sha256) DO UPDATE SET content = EXCLUDED.content, erased_at = NULL
           WHERE ${STORED_FILE_TABLE}.content IS NULL`,
          [sha256, extension, content.byteLength, Buffer.from(content), new Date().toISOString()]
        )
      if (manager) await insert(manager)
      else await this.db!.write(insert)
    }
    return { sha256, storagePath }
  }

  /**
   * Reads a stored file and checks it still has its hash (evidence must not drift). Shared
   * mode: from the local cache when it holds the right bytes, else from the database (then
   * cached); a file erased at the anonymisation is removed from the cache too.
   */
  async read(storagePath: string, expectedSha256?: string, manager?: EntityManager): Promise<Buffer> {
    const sha256 = expectedSha256 ?? shaOfPath(storagePath)
    if (this.shared && sha256) {
      const lookup = async (m: EntityManager) =>
        (await m.query(`SELECT erased_at, content IS NULL AS gone FROM ${STORED_FILE_TABLE} WHERE sha256 = ?`, [
          sha256
        ])) as Array<{ erased_at: string | null; gone: boolean }>
      const [row] = manager ? await lookup(manager) : await this.db!.read(lookup)
      if (row?.gone) {
        this.removeCache(storagePath)
        throw missing(storagePath)
      }
      const cached = this.readCache(storagePath)
      if (cached && FileStore.sha256(cached) === sha256) return cached
      if (row) {
        const fetch = async (m: EntityManager) =>
          (await m.query(`SELECT content FROM ${STORED_FILE_TABLE} WHERE sha256 = ?`, [sha256])) as Array<{
            content: Buffer | null
          }>
        const [bytes] = manager ? await fetch(manager) : await this.db!.read(fetch)
        const content = bytes?.content ? Buffer.from(bytes.content) : null
        if (!content) throw missing(storagePath)
        if (FileStore.sha256(content) !== sha256)
          throw new Error(`Stored file ${storagePath} in the database does not match its SHA-256`)
        this.removeCache(storagePath)
        this.writeCache(storagePath, content)
        boundFileCache(this.dataDir)
        return content
      }
      // Not in the database (made before the shared store): the local copy, if any.
    }
    const content = this.readCache(storagePath)
    if (!content) throw missing(storagePath)
    if (expectedSha256 && FileStore.sha256(content) !== expectedSha256)
      throw new Error(`Stored file ${storagePath} does not match its SHA-256`)
    return content
  }

  /** The stored bytes, or null when they are nowhere (erased, never copied here). */
  async readIfPresent(storagePath: string, expectedSha256?: string): Promise<Buffer | null> {
    try {
      return await this.read(storagePath, expectedSha256)
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null
      throw error
    }
  }

  /** True when this store holds the file (shared mode: the database has its bytes). */
  async has(storagePath: string): Promise<boolean> {
    const sha256 = shaOfPath(storagePath)
    if (this.shared && sha256) {
      const rows = (await this.db!.read((m) =>
        m.query(`SELECT 1 AS one FROM ${STORED_FILE_TABLE} WHERE sha256 = ? AND content IS NOT NULL`, [sha256])
      )) as unknown[]
      return rows.length > 0
    }
    return existsSync(this.absolute(storagePath))
  }

  /**
   * Deletes a stored file (anonymisation): the local copy and, in shared mode, the bytes in the
   * database (a tombstone row stays). False if it was already gone.
   */
  async remove(storagePath: string, now = new Date().toISOString()): Promise<boolean> {
    let removed = this.removeCache(storagePath)
    const sha256 = shaOfPath(storagePath)
    if (this.shared && sha256) {
      const rows = (await this.db!.write((m) =>
        m.query(
          `UPDATE ${STORED_FILE_TABLE} SET content = NULL, erased_at = ? WHERE sha256 = ? AND content IS NOT NULL RETURNING sha256`,
          [now, sha256]
        )
      )) as unknown[]
      // node-postgres through TypeORM: [rows, count] for an UPDATE … RETURNING.
      const count = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length
      if (count > 0) removed = true
    }
    return removed
  }

  absolute(storagePath: string): string {
    const relative = normalize(storagePath)
    if (relative.startsWith('..') || relative.startsWith('/')) throw new Error(`Bad storage path ${storagePath}`)
    return join(this.dataDir, relative)
  }

  private readCache(storagePath: string): Buffer | null {
    const absolute = this.absolute(storagePath)
    return existsSync(absolute) ? readFileSync(absolute) : null
  }

  private writeCache(storagePath: string, content: Uint8Array): void {
    const absolute = this.absolute(storagePath)
    if (existsSync(absolute)) return
    mkdirSync(dirname(absolute), { recursive: true })
    const temp = `${absolute}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    writeFileSync(temp, content, { flag: 'wx' })
    renameSync(temp, absolute)
  }

  private removeCache(storagePath: string): boolean {
    const absolute = this.absolute(storagePath)
    if (!existsSync(absolute)) return false
    rmSync(absolute, { force: true })
    return true
  }
}

/** The SHA-256 a content-addressed path names (`documents/ab/<sha256>.pdf`), or null. */
export function shaOfPath(storagePath: string): string | null {
  const name = basename(storagePath, extname(storagePath))
  return /^[0-9a-f]{64}$/.test(name) ? name : null
}

function missing(storagePath: string): AppError {
  return new AppError(
    'NOT_FOUND',
    'Ce fichier n’est plus conservé (effacé à l’anonymisation des données personnelles, ou introuvable) : seules son empreinte SHA-256 et sa description restent.',
    `Stored file ${storagePath} is missing`
  )
}

/**
 * Uploads every stored file of a data folder (`documents/<aa>/<sha256><ext>`) into `to`:
 * `db copy` of a local file into a shared server, so every workstation opens the letters made
 * before. Each file is checked against the SHA-256 its name carries; files already there are
 * skipped (the copy resumes).
 */
export async function uploadStoredFiles(fromDir: string, to: FileStore): Promise<{ files: number; bytes: number }> {
  const root = join(fromDir, 'documents')
  let files = 0
  let bytes = 0
  if (!existsSync(root)) return { files, bytes }
  for (const folder of readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(folder)) continue
    for (const name of readdirSync(join(root, folder))) {
      const storagePath = `documents/${folder}/${name}`
      const sha256 = shaOfPath(storagePath)
      if (!sha256 || name.endsWith('.tmp') || (await to.has(storagePath))) continue
      const content = readFileSync(join(root, folder, name))
      if (FileStore.sha256(content) !== sha256) throw new Error(`Stored file ${storagePath} does not match its SHA-256`)
      await to.put(content, extname(name))
      files += 1
      bytes += content.length
    }
  }
  return { files, bytes }
}
