import { app, session, type WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY_HEADER, DEV_CONTENT_SECURITY_POLICY } from '@shared/security/csp'
import { log } from '../platform/log'
import { isAppUrl } from './navigation-policy'

/**
 * Process-wide guards: no navigation away from the app, no new windows, no webviews, no
 * permission (camera, notifications, geolocation…) ever granted, the CSP on every response.
 */
export function installSecurityGuards(appEntry: { devServerUrl?: string; indexHtmlPath: string }): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`Denied permission request: ${permission}`)
    callback(false)
  })
  session.defaultSession.setPermissionCheckHandler(() => false)
  const policy = appEntry.devServerUrl ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY_HEADER
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } })
  })

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, appEntry)) {
        event.preventDefault()
        log.warn(`Blocked navigation to ${url}`)
      }
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, appEntry)) {
        event.preventDefault()
        log.warn(`Blocked redirect to ${url}`)
      }
    })
    contents.on('will-attach-webview', (event) => {
      event.preventDefault()
      log.warn('Blocked a webview')
    })
    contents.setWindowOpenHandler(({ url }) => {
      log.warn(`Blocked window.open to ${url}`)
      return { action: 'deny' }
    })
  })
}
