import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { AppError } from '@shared/contract/errors'

/**
 * Content-addressed file store under the data folder: a file lives at
 * `documents/<aa>/<sha256><ext>`, written once (a second write of the same content is a no-op,
 * never an overwrite). Paths stored in the database are relative to the data folder.
 */
export class FileStore {
  constructor(private readonly dataDir: string) {}

  static sha256(content: Uint8Array): string {
    return createHash('sha256').update(content).digest('hex')
  }

  /** Stores the content if new; returns its hash and relative path. */
  put(content: Uint8Array, extension: string): { sha256: string; storagePath: string } {
    const sha256 = FileStore.sha256(content)
    const storagePath = `documents/${sha256.slice(0, 2)}/${sha256}${extension}`
    const absolute = this.absolute(storagePath)
    if (!existsSync(absolute)) {
      mkdirSync(dirname(absolute), { recursive: true })
      const temp = `${absolute}.${process.pid}.tmp`
      writeFileSync(temp, content, { flag: 'wx' })
      renameSync(temp, absolute)
    }
    return { sha256, storagePath }
  }

  /** Reads a stored file and checks it still has its hash (evidence must not drift). */
  read(storagePath: string, expectedSha256?: string): Buffer {
    const absolute = this.absolute(storagePath)
    if (!existsSync(absolute)) {
      throw new AppError(
        'NOT_FOUND',
        'Ce fichier n’est plus conservé (effacé à l’anonymisation des données personnelles, ou introuvable) : seules son empreinte SHA-256 et sa description restent.',
        `Stored file ${storagePath} is missing`
      )
    }
    const content = readFileSync(absolute)
    if (expectedSha256 && FileStore.sha256(content) !== expectedSha256)
      throw new Error(`Stored file ${storagePath} does not match its SHA-256`)
    return content
  }

  /** Deletes a stored file (anonymisation); false if it was already gone. */
  remove(storagePath: string): boolean {
    const absolute = this.absolute(storagePath)
    if (!existsSync(absolute)) return false
    rmSync(absolute, { force: true })
    return true
  }

  absolute(storagePath: string): string {
    const relative = normalize(storagePath)
    if (relative.startsWith('..') || relative.startsWith('/')) throw new Error(`Bad storage path ${storagePath}`)
    return join(this.dataDir, relative)
  }
}
