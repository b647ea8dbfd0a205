import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { log } from './log'

/**
 * Secrets (the SMTP password) are never stored in the database: the settings table is copied
 * into the audit trail by its triggers and into every backup. They live, encrypted, in
 * `secrets.json` in the data folder, one entry per name, each saying which cipher wrote it.
 *
 * Ciphers:
 * - `os-keychain` — Electron's safeStorage (DPAPI on Windows, the Keychain on macOS, libsecret /
 *   kwallet on Linux). The desktop app passes it to createApp (src-main/index.ts).
 * - `key-file` — under plain Node (serve, CLI, tests) and when the OS offers no keychain:
 *   AES-256-GCM with a random 256-bit key in `secret.key` in the data folder, created with
 *   permissions 0600 (owner only; tightened again if found looser). It protects the secret
 *   from the database, its backups and its audit trail, NOT from someone who can read the data
 *   folder as the user: that is what the OS keychain adds.
 *
 * An entry written by the keychain cannot be read outside the desktop app (serve/CLI): it then
 * reads as absent, with a warning in the log.
 */
export interface SecretCipher {
  readonly kind: 'os-keychain' | 'key-file'
  encrypt(plain: string, name: string): Buffer
  decrypt(data: Buffer, name: string): string
}

export interface SecretStore {
  /** Which cipher new secrets are written with ("trousseau du système" / "fichier de clé"). */
  readonly kind: SecretCipher['kind']
  get(name: string): string | null
  has(name: string): boolean
  set(name: string, value: string): void
  delete(name: string): void
}

interface Entry {
  cipher: SecretCipher['kind']
  data: string
}

/** AES-256-GCM with a key file (0600) in the data folder: iv (12) | tag (16) | ciphertext. */
export function keyFileCipher(dataDir: string): SecretCipher {
  const keyPath = join(dataDir, 'secret.key')
  let key: Buffer | null = null
  const load = (): Buffer => {
    if (key) return key
    mkdirSync(dataDir, { recursive: true })
    if (!existsSync(keyPath)) {
      try {
        writeFileSync(keyPath, randomBytes(32), { mode: 0o600, flag: 'wx' })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    }
    if (process.platform !== 'win32' && (statSync(keyPath).mode & 0o077) !== 0) {
      log.warn(`Secret key file ${keyPath} was readable by others: permissions set back to 0600`)
      chmodSync(keyPath, 0o600)
    }
    const read = readFileSync(keyPath)
    if (read.length !== 32) throw new Error(`Secret key file ${keyPath} is not 32 bytes`)
    key = read
    return key
  }
  return {
    kind: 'key-file',
    encrypt(plain, name) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', load(), iv)
      cipher.setAAD(Buffer.from(name, 'utf8'))
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    decrypt(data, name) {
      const decipher = createDecipheriv('aes-256-gcm', load(), data.subarray(0, 12))
      decipher.setAAD(Buffer.from(name, 'utf8'))
      decipher.setAuthTag(data.subarray(12, 28))
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8')
    }
  }
}

/**
 * The store over `secrets.json`. `primary` writes new secrets (the OS keychain in the desktop
 * app); entries of the key-file cipher stay readable everywhere.
 */
export function fileSecretStore(dataDir: string, primary: SecretCipher = keyFileCipher(dataDir)): SecretStore {
  const path = join(dataDir, 'secrets.json')
  const fallback = primary.kind === 'key-file' ? primary : keyFileCipher(dataDir)
  const readAll = (): Record<string, Entry> => {
    if (!existsSync(path)) return {}
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, Entry>
  }
  const writeAll = (entries: Record<string, Entry>) => {
    mkdirSync(dataDir, { recursive: true })
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(entries, null, 2), { mode: 0o600 })
    renameSync(tmp, path)
  }
  return {
    kind: primary.kind,
    get(name) {
      const entry = readAll()[name]
      if (!entry) return null
      const cipher = entry.cipher === primary.kind ? primary : entry.cipher === 'key-file' ? fallback : null
      if (!cipher) {
        log.warn(`Secret ${name} was written by the ${entry.cipher} cipher, not available here`)
        return null
      }
      try {
        const plain = cipher.decrypt(Buffer.from(entry.data, 'base64'), name)
        if (cipher !== primary && primary.kind === 'os-keychain') {
          // Written by the key file (a laptop copy prepared at the office, a secret saved from
          // the CLI): moved into the OS keychain at its first read by the desktop app.
          try {
            const entries = readAll()
            entries[name] = { cipher: primary.kind, data: primary.encrypt(plain, name).toString('base64') }
            writeAll(entries)
            log.info(`Secret ${name} moved from the key file to the OS keychain`)
          } catch (error) {
            log.warn(`Secret ${name} could not be moved to the OS keychain: ${(error as Error).message}`)
          }
        }
        return plain
      } catch (error) {
        log.error(`Secret ${name} could not be decrypted`, error)
        return null
      }
    },
    has(name) {
      return readAll()[name] !== undefined
    },
    set(name, value) {
      const entries = readAll()
      entries[name] = { cipher: primary.kind, data: primary.encrypt(value, name).toString('base64') }
      writeAll(entries)
    },
    delete(name) {
      const entries = readAll()
      if (!(name in entries)) return
      delete entries[name]
      writeAll(entries)
    }
  }
}

/** What the secret store needs of Electron's safeStorage (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  getSelectedStorageBackend?(): string
  encryptString(plain: string): Buffer
  decryptString(data: Buffer): string
}

/**
 * The OS keychain cipher over Electron's safeStorage, or null when the OS offers none
 * (encryption unavailable; Linux without a keyring reports 'basic_text', a hard-coded key):
 * the key-file cipher is used then.
 */
export function osKeychainCipher(
  safeStorage: SafeStorageLike | null | undefined,
  platform: NodeJS.Platform = process.platform
): SecretCipher | null {
  if (!safeStorage) return null
  try {
    if (!safeStorage.isEncryptionAvailable()) return null
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return null
  } catch (error) {
    log.warn(`OS keychain unavailable: ${(error as Error).message}`)
    return null
  }
  return {
    kind: 'os-keychain',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data)
  }
}

/**
 * The secret store of a data folder: the OS keychain when running under Electron with one
 * (safeStorage given and available), the key file under plain Node (serve, CLI, tests).
 */
export function secretStoreFor(dataDir: string, safeStorage?: SafeStorageLike | null): SecretStore {
  return fileSecretStore(dataDir, osKeychainCipher(safeStorage) ?? undefined)
}
