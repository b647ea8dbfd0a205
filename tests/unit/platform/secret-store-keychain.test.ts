import { readFileSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  fileSecretStore,
  osKeychainCipher,
  secretStoreFor,
  type SafeStorageLike
} from '../../../src-main/platform/secret-store'

/**
 * The laptop's office password (and the SMTP password) go to the OS keychain when the desktop
 * app runs with one (Electron's safeStorage), to the key file under plain Node. A fake
 * safeStorage stands for Electron here.
 */

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'recouvra-secrets-'))
  dirs.push(dir)
  return dir
}

/** A keychain that reverses and tags the text: visibly not the key file's AES-GCM. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike & { calls: number } {
  const fake = {
    calls: 0,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain: string) {
      fake.calls += 1
      return Buffer.from(`KC:${[...plain].reverse().join('')}`)
    },
    decryptString(data: Buffer) {
      const text = data.toString()
      if (!text.startsWith('KC:')) throw new Error('not a keychain blob')
      return [...text.slice(3)].reverse().join('')
    }
  }
  return fake
}

const cipherOf = (dir: string, name: string) =>
  (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as Record<string, { cipher: string }>)[name]?.cipher

describe('secret store: OS keychain under Electron, key file under Node', () => {
  it('selects the keychain only when safeStorage is there and really encrypts', () => {
    expect(osKeychainCipher(undefined)).toBeNull()
    expect(osKeychainCipher(null)).toBeNull()
    expect(osKeychainCipher(fakeSafeStorage({ available: false }))).toBeNull()
    expect(osKeychainCipher(fakeSafeStorage({ backend: 'basic_text' }), 'linux')).toBeNull()
    expect(osKeychainCipher(fakeSafeStorage({ backend: 'basic_text' }), 'win32')?.kind).toBe('os-keychain')
    expect(osKeychainCipher(fakeSafeStorage(), 'linux')?.kind).toBe('os-keychain')
    const throwing: SafeStorageLike = {
      ...fakeSafeStorage(),
      isEncryptionAvailable: () => {
        throw new Error('app not ready')
      }
    }
    expect(osKeychainCipher(throwing)).toBeNull()
  })

  it('under plain Node (no safeStorage): the key file', () => {
    const dir = folder()
    const store = secretStoreFor(dir)
    expect(store.kind).toBe('key-file')
    store.set('sync.office-password', 'Terr@in')
    expect(cipherOf(dir, 'sync.office-password')).toBe('key-file')
    expect(secretStoreFor(dir).get('sync.office-password')).toBe('Terr@in')
  })

  it('under Electron: written to the keychain; a key-file entry (laptop prepared at the office) moves there at first read', () => {
    const dir = folder()
    // The office writes the laptop folder's password with the key file (checkout).
    fileSecretStore(dir).set('sync.office-password', 'Terr@in')
    const safe = fakeSafeStorage()
    const store = secretStoreFor(dir, safe)
    expect(store.kind).toBe('os-keychain')
    expect(store.get('sync.office-password')).toBe('Terr@in')
    expect(cipherOf(dir, 'sync.office-password')).toBe('os-keychain')
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('Terr@in')
    expect(store.get('sync.office-password')).toBe('Terr@in')
    store.set('smtp.password', 'mail')
    expect(cipherOf(dir, 'smtp.password')).toBe('os-keychain')
    // Outside the desktop app (CLI), a keychain entry reads as absent, never as garbage.
    expect(secretStoreFor(dir).get('smtp.password')).toBeNull()
  })
})
