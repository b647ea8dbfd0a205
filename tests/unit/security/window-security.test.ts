import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mainWindowOptions } from '../../../src-main/window/window-options'
import { isAppUrl } from '../../../src-main/window/navigation-policy'
import {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_HEADER,
  DEV_CONTENT_SECURITY_POLICY
} from '@shared/security/csp'
import { CHANNEL_NAMES } from '@shared/contract/channel-names'

const root = join(__dirname, '../../..')

describe('the main window', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, no webview', () => {
    const prefs = mainWindowOptions('/app/preload.js').webPreferences!
    expect(prefs.preload).toBe('/app/preload.js')
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.sandbox).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.nodeIntegrationInWorker).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames).toBe(false)
    expect(prefs.webSecurity).toBe(true)
    expect(prefs.allowRunningInsecureContent).toBe(false)
    expect(prefs.webviewTag).toBe(false)
  })

  it('creates its window from these options and installs the guards first', () => {
    const entry = readFileSync(join(root, 'src-main/index.ts'), 'utf8')
    expect(entry).toMatch(/new BrowserWindow\(mainWindowOptions\(/)
    expect(entry.indexOf('installSecurityGuards(')).toBeLessThan(entry.indexOf('new BrowserWindow('))
    const guards = readFileSync(join(root, 'src-main/window/security.ts'), 'utf8')
    for (const guard of [
      'will-navigate',
      'will-redirect',
      'will-attach-webview',
      'setWindowOpenHandler',
      'setPermissionRequestHandler'
    ]) {
      expect(guards, guard).toContain(guard)
    }
    expect(guards).toContain("action: 'deny'")
    expect(guards).toContain('CONTENT_SECURITY_POLICY_HEADER')
  })
})

describe('navigation policy', () => {
  const built = { indexHtmlPath: '/opt/Recouvra/resources/app/out/renderer/index.html' }
  const dev = { devServerUrl: 'http://localhost:5173', indexHtmlPath: built.indexHtmlPath }

  it('allows only the app page', () => {
    expect(isAppUrl('file:///opt/Recouvra/resources/app/out/renderer/index.html', built)).toBe(true)
    expect(isAppUrl('file:///opt/Recouvra/resources/app/out/renderer/index.html#/cases', built)).toBe(true)
    expect(isAppUrl('file:///etc/passwd', built)).toBe(false)
    expect(isAppUrl('https://example.com/', built)).toBe(false)
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppUrl('http://localhost:5173.evil.example/', dev)).toBe(false)
    expect(isAppUrl('javascript:alert(1)', built)).toBe(false)
    expect(isAppUrl('not a url', built)).toBe(false)
  })
})

describe('content security policy', () => {
  it('allows nothing remote and no inline or eval scripts in builds', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/)
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
    // frame-ancestors only works as a header (a meta tag ignores it with a console error).
    expect(CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors')
    expect(CONTENT_SECURITY_POLICY_HEADER).toBe(`${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`)
    expect(DEV_CONTENT_SECURITY_POLICY).toContain("'unsafe-inline'")
  })

  it('is the one written into the built index.html', () => {
    const html = readFileSync(join(root, 'src-renderer/index.html'), 'utf8')
    expect(html).toContain('content="%RECOUVRA_CSP%"')
  })
})

describe('the preload', () => {
  it('exposes only a typed invoke over the allow-listed channels', () => {
    const preload = readFileSync(join(root, 'src-main/preload/index.ts'), 'utf8')
    expect(preload.match(/exposeInMainWorld/g)).toHaveLength(1)
    expect(preload).toContain('allowed.has(channel)')
    expect(preload).not.toMatch(/ipcRenderer\.(send|on|sendSync)\b/)
    expect(CHANNEL_NAMES.length).toBeGreaterThan(0)
  })
})
