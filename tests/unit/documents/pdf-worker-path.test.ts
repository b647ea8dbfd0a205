import { describe, expect, it } from 'vitest'
import { pdfWorkerCandidates, pdfWorkerFile } from '../../../src-main/modules/documents/pdf-pool'
import { asarUnpacked, resourceCandidates } from '../../../src-main/modules/documents/resources'

/** The packaged layout electron-builder makes (electron-builder.yml: files out/**, asarUnpack resources/**). */
const APP = '/opt/Recouvra/resources'
const MAIN = `${APP}/app.asar/out/main`

describe('PDF worker and fonts inside a packaged app.asar', () => {
  it('finds the worker inside app.asar, beside the main bundle or one level above a chunk', () => {
    const inArchive = new Set([`${MAIN}/pdf-worker.js`])
    expect(pdfWorkerFile(MAIN, (p) => inArchive.has(p))).toBe(`${MAIN}/pdf-worker.js`)
    expect(pdfWorkerFile(`${MAIN}/chunks`, (p) => inArchive.has(p))).toBe(`${MAIN}/pdf-worker.js`)
    // Never rewritten to app.asar.unpacked: the worker's require()s resolve inside the archive.
    expect(pdfWorkerCandidates(MAIN).every((p) => p.includes('/app.asar/'))).toBe(true)
    expect(pdfWorkerFile(MAIN, () => false)).toBeNull()
  })

  it('reads the fonts from app.asar.unpacked first (a real folder the worker threads can read)', () => {
    expect(asarUnpacked(`${APP}/app.asar/resources`)).toBe(`${APP}/app.asar.unpacked/resources`)
    expect(asarUnpacked(`${APP}/app.asar`)).toBe(`${APP}/app.asar.unpacked`)
    expect(asarUnpacked('C:\\Program Files\\Recouvra\\resources\\app.asar\\resources')).toBe(
      'C:\\Program Files\\Recouvra\\resources\\app.asar.unpacked\\resources'
    )
    expect(asarUnpacked('/work/main/resources')).toBeNull()
    expect(asarUnpacked('/home/me/app.asarx/resources')).toBeNull()
    const candidates = resourceCandidates(MAIN, APP)
    expect(candidates[0]).toBe(`${APP}/app.asar.unpacked/resources`)
    const unpacked = candidates.indexOf(`${APP}/app.asar.unpacked/resources`)
    const archived = candidates.indexOf(`${APP}/app.asar/resources`)
    expect(archived).toBeGreaterThan(unpacked)
    // From the sources or an e2e build folder: the repository's resources/ as before.
    expect(resourceCandidates('/work/main/.e2e/me/out/main')).toContain('/work/main/resources')
  })
})
