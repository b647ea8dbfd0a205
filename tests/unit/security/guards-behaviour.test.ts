import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY_HEADER } from '@shared/security/csp'

/**
 * The Electron guards exercised, not only found in the source: installSecurityGuards() against a
 * stand-in of Electron's app and session, then each handler called the way Electron calls it.
 */

const fake = vi.hoisted(() => {
  const handlers: Record<string, (...args: never[]) => unknown> = {}
  const appEvents: Record<string, (...args: never[]) => void> = {}
  return {
    handlers,
    appEvents,
    electron: {
      app: { on: (name: string, listener: (...args: never[]) => void) => (appEvents[name] = listener) },
      session: {
        defaultSession: {
          setPermissionRequestHandler: (h: (...args: never[]) => unknown) => (handlers.permissionRequest = h),
          setPermissionCheckHandler: (h: (...args: never[]) => unknown) => (handlers.permissionCheck = h),
          webRequest: { onHeadersReceived: (h: (...args: never[]) => unknown) => (handlers.headers = h) }
        }
      }
    }
  }
})
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }))

const { installSecurityGuards } = await import('../../../src-main/window/security')

const INDEX = '/opt/Recouvra/resources/app/out/renderer/index.html'

class FakeContents extends EventEmitter {
  windowOpen: ((details: { url: string }) => { action: string }) | null = null
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpen = handler
  }
}

function attempt(contents: FakeContents, event: string, url?: string): boolean {
  let prevented = false
  contents.emit(event, { preventDefault: () => (prevented = true) }, url)
  return prevented
}

describe('Electron security guards, exercised', () => {
  installSecurityGuards({ indexHtmlPath: INDEX })
  const contents = new FakeContents()
  ;(fake.appEvents['web-contents-created'] as unknown as (e: unknown, c: FakeContents) => void)({}, contents)

  it('denies every permission request and check (camera, notifications, geolocation…)', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const granted: boolean[] = []
      ;(fake.handlers.permissionRequest as unknown as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(
        {},
        permission,
        (ok) => granted.push(ok)
      )
      expect(granted, permission).toEqual([false])
      expect((fake.handlers.permissionCheck as unknown as (...a: unknown[]) => boolean)({}, permission)).toBe(false)
    }
  })

  it('puts the strict Content-Security-Policy on every response', () => {
    let headers: Record<string, string[]> = {}
    ;(
      fake.handlers.headers as unknown as (
        d: unknown,
        cb: (r: { responseHeaders: Record<string, string[]> }) => void
      ) => void
    )({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders))
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY_HEADER])
    expect(headers['Content-Type']).toEqual(['text/html'])
  })

  it('blocks navigation and redirects away from the app, webviews and window.open', () => {
    expect(attempt(contents, 'will-navigate', 'https://phishing.example/login')).toBe(true)
    expect(attempt(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(attempt(contents, 'will-navigate', `file://${INDEX}#/cases`)).toBe(false)
    expect(attempt(contents, 'will-redirect', 'http://127.0.0.1:9/')).toBe(true)
    expect(attempt(contents, 'will-attach-webview')).toBe(true)
    expect(contents.windowOpen!({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    expect(contents.windowOpen!({ url: `file://${INDEX}` })).toEqual({ action: 'deny' })
  })
})
