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
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')
