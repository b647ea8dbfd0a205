import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The installers cannot be built here (no Electron binary can be downloaded): this checks the
 * electron-builder configuration instead, with electron-builder's own schema, and the product
 * rules on top of it.
 */

const root = join(__dirname, '..', '..', '..')
const require = createRequire(join(root, 'package.json'))
const yaml = require('js-yaml') as { load: (text: string) => unknown }

interface Target {
  target: string
  arch?: string[]
}
interface BuilderConfig {
  appId: string
  productName: string
  directories: { buildResources: string; output: string }
  files: string[]
  asarUnpack: string[]
  npmRebuild: boolean
  fileAssociations?: unknown[]
  protocols?: unknown[]
  win: { target: Target[]; icon: string }
  nsis: { oneClick: boolean; perMachine: boolean }
  mac: { target: Target[]; icon: string; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string }
}

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  productName: string
  main: string
  build?: unknown
  scripts: Record<string, string>
}

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, logger: unknown) => Promise<void>
    }
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    // The validator does reject a wrong configuration (the test is not vacuous).
    await expect(validateConfiguration({ ...config, nsis: { perUser: true } }, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration object/
    )
  }, 30_000) // loading app-builder-lib takes seconds on a busy machine

  it('is the only configuration, with the app id and product name', () => {
    expect(pkg.build).toBeUndefined()
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/)
    expect(config.productName).toBe(pkg.productName)
    expect(pkg.scripts.package).toContain('electron-builder')
  })

  it('ships the built app and finds its entry point', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json', 'resources/**']))
    expect(pkg.main).toBe('out/main/index.js')
  })

  it('builds an NSIS installer for Windows, installed per user by default', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }])
    expect(config.nsis.perMachine).toBe(false)
    expect(config.nsis.oneClick).toBe(false)
  })

  it('builds dmg images for macOS on Intel and Apple silicon, hardened, with the entitlements file', () => {
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }])
    expect(config.mac.hardenedRuntime).toBe(true)
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      expect(file.startsWith(config.directories.buildResources + '/')).toBe(true)
      const plist = readFileSync(join(root, file), 'utf8')
      expect(plist).toContain('com.apple.security.cs.allow-jit')
      // Nothing beyond what V8 needs: no network server, no file access entitlements.
      expect(plist).not.toMatch(/network\.server|files\.|device\./)
    }
  })

  it('has an icon large enough for every platform (512 × 512 PNG at least)', () => {
    for (const icon of new Set([config.win.icon, config.mac.icon])) {
      const png = readFileSync(join(root, icon))
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512)
      expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512)
    }
  })

  it('associates no file type and no URL scheme', () => {
    expect(config.fileAssociations ?? []).toEqual([])
    expect(config.protocols ?? []).toEqual([])
  })

  it('keeps the N-API sqlite3 module as built (no rebuild), unpacked from the asar archive', () => {
    expect(config.npmRebuild).toBe(false)
    expect(config.asarUnpack).toContain('node_modules/sqlite3/**')
    // N-API: the same binary loads in Node and in Electron, whatever their ABI versions.
    const binary = join(root, 'node_modules/sqlite3/build/Release/node_sqlite3.node')
    expect(existsSync(binary)).toBe(true)
    expect(readFileSync(binary).includes('napi_register_module_v1')).toBe(true)
  })
})
