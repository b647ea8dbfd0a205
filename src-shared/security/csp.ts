/**
 * The renderer's Content-Security-Policy, for the desktop window and the loopback server alike.
 * Nothing remote: scripts, styles, fonts and data only from the app itself.
 * `style-src 'unsafe-inline'`: Mantine writes CSS variables and inline styles at run time.
 * `blob:` for images and workers: PDF previews are rendered from generated blobs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'"
].join('; ')

/** As an HTTP header the policy can also forbid framing (ignored, with a warning, in a meta tag). */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`

/**
 * Development only (electron-vite dev): React Fast Refresh injects an inline module script and
 * talks to the dev server over a WebSocket. Never used by a build.
 */
export const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY_HEADER.replace(
  "script-src 'self'",
  "script-src 'self' 'unsafe-inline'"
).replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*")
