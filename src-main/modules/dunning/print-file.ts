import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib'
import { formatCents, formatDate } from '@shared/format/french'
import { DUNNING_CHANNEL_LABELS, type DunningChannel } from '@shared/dunning/scenario'

export interface PrintLetter {
  caseReference: string
  debtorName: string
  postalCode: string | null
  city: string | null
  stepName: string
  channel: DunningChannel
  balanceCents: number
  pdf: Buffer
}

/** Postcode order (La Poste sorts by it; unknown postcodes last), then debtor, then reference. */
export function printOrder(a: PrintLetter, b: PrintLetter): number {
  const pa = a.postalCode ?? '~'
  const pb = b.postalCode ?? '~'
  if (pa !== pb) return pa < pb ? -1 : 1
  const na = a.debtorName.localeCompare(b.debtorName, 'fr')
  if (na !== 0) return na
  return a.caseReference < b.caseReference ? -1 : a.caseReference > b.caseReference ? 1 : 0
}

/** Helvetica speaks WinAnsi: the narrow no-break spaces of French amounts become plain spaces. */
function winAnsi(text: string): string {
  return text
    .replace(/[\u202f\u00a0]/g, ' ')
    .replace(/[’‘]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[^\x20-\x7e\u00a0-\u00ff€œŒ–—…]/g, '?')
}

function fit(text: string, font: PDFFont, size: number, width: number): string {
  let value = winAnsi(text)
  if (font.widthOfTextAtSize(value, size) <= width) return value
  while (value.length > 1 && font.widthOfTextAtSize(value + '…', size) > width) value = value.slice(0, -1)
  return value + '…'
}

/**
 * One PDF for the printer: a cover list (batch, date, one line per letter in print order, with
 * page numbers), then every letter in the same order. Letters are copied page by page, so the
 * stored per-case PDFs stay byte-for-byte what was hashed.
 */
export async function mergePrintFile(
  letters: readonly PrintLetter[],
  meta: { runOn: string; batchLabel: string; agencyName?: string | null }
): Promise<Buffer> {
  const ordered = [...letters].sort(printOrder)
  const out = await PDFDocument.create()
  out.setTitle(`Lot de relances du ${formatDate(meta.runOn)}`)
  out.setCreator('Recouvra')
  out.setProducer('Recouvra')
  const font = await out.embedFont(StandardFonts.Helvetica)
  const bold = await out.embedFont(StandardFonts.HelveticaBold)

  // Letters first into a scratch list of page counts, so the cover can give page numbers.
  const sources = await Promise.all(ordered.map((l) => PDFDocument.load(l.pdf, { updateMetadata: false })))
  const rowsPerPage = 40
  const coverPages = Math.max(1, Math.ceil(ordered.length / rowsPerPage))
  let nextPage = coverPages + 1
  const startPages = sources.map((doc) => {
    const start = nextPage
    nextPage += doc.getPageCount()
    return start
  })

  const A4: [number, number] = [595.28, 841.89]
  let page: PDFPage | null = null
  let y = 0
  const margin = 40
  const cols = [margin, margin + 28, margin + 78, margin + 168, margin + 318, margin + 418, margin + 478]
  for (let i = 0; i < ordered.length || (i === 0 && page === null); i++) {
    if (i % rowsPerPage === 0) {
      page = out.addPage(A4)
      y = A4[1] - margin
      page.drawText(winAnsi(`Lot de relances du ${formatDate(meta.runOn)} — bordereau d'impression`), {
        x: margin,
        y,
        size: 13,
        font: bold
      })
      y -= 16
      page.drawText(
        winAnsi(
          `${meta.agencyName ? `${meta.agencyName} — ` : ''}${meta.batchLabel} — ${ordered.length} courrier(s), ordre des codes postaux — page ${Math.floor(i / rowsPerPage) + 1}/${coverPages}`
        ),
        { x: margin, y, size: 8.5, font, color: rgb(0.3, 0.3, 0.3) }
      )
      y -= 20
      const headers = ['N°', 'CP', 'Dossier', 'Débiteur', 'Étape', 'Envoi', 'Page']
      headers.forEach((h, c) => page!.drawText(winAnsi(h), { x: cols[c]!, y, size: 8, font: bold }))
      y -= 4
      page.drawLine({ start: { x: margin, y }, end: { x: A4[0] - margin, y }, thickness: 0.5 })
      y -= 12
    }
    const letter = ordered[i]
    if (!letter || !page) break
    const cells = [
      String(i + 1),
      letter.postalCode ?? '—',
      letter.caseReference,
      letter.debtorName,
      letter.stepName,
      letter.channel === 'registered_letter' ? 'LRAR' : DUNNING_CHANNEL_LABELS[letter.channel],
      String(startPages[i])
    ]
    const widths = [26, 48, 88, 148, 98, 58, 30]
    cells.forEach((text, c) => page!.drawText(fit(text, font, 8, widths[c]!), { x: cols[c]!, y, size: 8, font }))
    y -= 17
  }
  if (page && ordered.length > 0) {
    const total = ordered.reduce((s, l) => s + l.balanceCents, 0)
    page.drawText(winAnsi(`Total des soldes réclamés : ${formatCents(total)}`), { x: margin, y: y - 6, size: 8, font })
  }

  for (const doc of sources) {
    const pages = await out.copyPages(doc, doc.getPageIndices())
    for (const p of pages) out.addPage(p)
  }
  return Buffer.from(await out.save({ useObjectStreams: true }))
}
