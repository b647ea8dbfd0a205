import { pathToFileURL } from 'node:url'

/**
 * Whether the window may show `target`. Only the app's own page: the built renderer file, or
 * the dev server in development. Parsed with URL, never matched as a substring.
 */
export function isAppUrl(target: string, appEntry: { devServerUrl?: string; indexHtmlPath: string }): boolean {
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return false
  }
  if (appEntry.devServerUrl) {
    const dev = new URL(appEntry.devServerUrl)
    return url.origin === dev.origin
  }
  const index = pathToFileURL(appEntry.indexHtmlPath)
  return url.protocol === 'file:' && url.pathname === index.pathname
}
