import { createElement as h, type ReactElement } from 'react'
import { join } from 'node:path'
import type * as ReactPdfModule from '@react-pdf/renderer'
import { type LetterModel, type LetterSection, splitAnnexes } from '@shared/documents'
import { resourcesDir } from './resources'

type ReactPdf = typeof ReactPdfModule

let loaded: Promise<ReactPdf> | null = null

/** @react-pdf/renderer is ESM-only and heavy: loaded once, on the first letter. */
function reactPdf(): Promise<ReactPdf> {
  loaded ??= import('@react-pdf/renderer').then((mod) => {
    const fonts = join(resourcesDir(), 'fonts')
    mod.Font.register({
      family: 'Liberation Sans',
      fonts: [
        { src: join(fonts, 'LiberationSans-Regular.ttf') },
        { src: join(fonts, 'LiberationSans-Bold.ttf'), fontWeight: 'bold' },
        { src: join(fonts, 'LiberationSans-Italic.ttf'), fontStyle: 'italic' }
      ]
    })
    // French words must not be cut by English hyphenation rules.
    mod.Font.registerHyphenationCallback((word) => [word])
    return mod
  })
  return loaded
}

/** The embedded font has no U+202F: the thousands separator prints as a no-break space. */
function pdfText(value: string): string {
  return value.replace(/\u202f/g, '\u00a0')
}

const COLORS = { ink: '#1a1a1a', muted: '#555555', rule: '#b0b0b0', band: '#f0f0f0' }

export async function renderLetterPdf(model: LetterModel): Promise<Buffer> {
  const pdf = await reactPdf()
  const { Document, Page, Text, View, Image, StyleSheet, renderToBuffer } = pdf
  const s = StyleSheet.create({
    page: { fontFamily: 'Liberation Sans', fontSize: 9.5, color: COLORS.ink, padding: '36 48 64 56', lineHeight: 1.35 },
    head: { flexDirection: 'row', justifyContent: 'space-between', marginBottom: 18 },
    agencyName: { fontSize: 12, fontWeight: 'bold', marginBottom: 2 },
    small: { fontSize: 8, color: COLORS.muted },
    logo: { width: 90, height: 45, objectFit: 'contain', marginBottom: 4 },
    recipient: { marginLeft: 270, marginTop: 18, marginBottom: 18, width: 220 },
    recipientName: { fontWeight: 'bold' },
    mention: { fontSize: 8, fontWeight: 'bold', marginBottom: 4 },
    placeDate: { textAlign: 'right', marginBottom: 10 },
    refs: { marginBottom: 10 },
    refLine: { fontSize: 8.5 },
    title: { fontSize: 12, fontWeight: 'bold', marginTop: 6, marginBottom: 4 },
    subject: { fontWeight: 'bold', marginBottom: 10 },
    paragraph: { marginBottom: 7, textAlign: 'justify' },
    heading: { fontSize: 11, fontWeight: 'bold', marginTop: 8, marginBottom: 6 },
    tableTitle: { fontWeight: 'bold', marginBottom: 3, marginTop: 2 },
    table: { marginBottom: 9, borderTop: `0.5 solid ${COLORS.rule}` },
    row: { flexDirection: 'row', borderBottom: `0.5 solid ${COLORS.rule}`, paddingVertical: 2 },
    headRow: {
      flexDirection: 'row',
      backgroundColor: COLORS.band,
      borderBottom: `0.5 solid ${COLORS.rule}`,
      paddingVertical: 2
    },
    footRow: { flexDirection: 'row', paddingVertical: 2, fontWeight: 'bold' },
    cell: { paddingHorizontal: 3, fontSize: 8.5 },
    legal: { marginTop: 6, marginBottom: 6, padding: 6, border: `0.5 solid ${COLORS.rule}` },
    legalHeading: { fontSize: 8.5, fontWeight: 'bold', marginBottom: 2 },
    legalText: { fontSize: 8, textAlign: 'justify' },
    closing: { marginTop: 6, marginBottom: 18 },
    signature: { marginLeft: 270, marginBottom: 16 },
    footer: {
      position: 'absolute',
      bottom: 22,
      left: 56,
      right: 48,
      fontSize: 7,
      color: COLORS.muted,
      textAlign: 'center',
      borderTop: `0.5 solid ${COLORS.rule}`,
      paddingTop: 4
    },
    pageNumber: { position: 'absolute', bottom: 10, right: 48, fontSize: 7, color: COLORS.muted }
  })

  const section = (item: LetterSection, index: number): ReactElement | null => {
    switch (item.kind) {
      case 'paragraph':
        return h(Text, { key: index, style: s.paragraph }, pdfText(item.text))
      case 'heading':
        return h(Text, { key: index, style: s.heading, minPresenceAhead: 40 }, pdfText(item.text))
      case 'page_break':
        return h(View, { key: index, break: true })
      case 'legal':
        return h(
          View,
          { key: index, style: s.legal, wrap: item.text.length > 1500 },
          h(Text, { style: s.legalHeading }, pdfText(item.heading)),
          ...item.text.split('\n').map((line, i) => h(Text, { key: i, style: s.legalText }, pdfText(line)))
        )
      case 'table': {
        const widths = item.widths ?? item.columns.map(() => 1)
        const total = widths.reduce((a, b) => a + b, 0)
        const cells = (values: string[], rowKey: string) =>
          values.map((value, i) =>
            h(
              Text,
              {
                key: `${rowKey}-${i}`,
                style: [
                  s.cell,
                  { width: `${((widths[i] ?? 1) / total) * 100}%`, textAlign: item.align[i] ?? 'left' },
                  item.fontSizes?.[i] ? { fontSize: item.fontSizes[i] } : {}
                ]
              },
              pdfText(value)
            )
          )
        return h(
          View,
          { key: index, style: { marginBottom: 4 } },
          item.title ? h(Text, { style: s.tableTitle, minPresenceAhead: 30 }, pdfText(item.title)) : null,
          h(
            View,
            { style: s.table },
            h(View, { style: s.headRow, wrap: false, minPresenceAhead: 24 }, ...cells(item.columns, 'h')),
            ...item.rows.map((row, r) => h(View, { key: r, style: s.row, wrap: false }, ...cells(row, `r${r}`))),
            item.footer ? h(View, { style: s.footRow, wrap: false }, ...cells(item.footer, 'f')) : null
          )
        )
      }
    }
  }

  // Legal information blocks come after the signature, as annexes of the letter.
  const { body, annexes } = splitAnnexes(model.sections)
  const logo = model.letterhead.logoPng ? h(Image, { style: s.logo, src: Buffer.from(model.letterhead.logoPng) }) : null
  const doc = h(
    Document,
    { title: `${model.title} – ${model.references[0]?.value ?? ''}`, author: model.letterhead.name, language: 'fr-FR' },
    h(
      Page,
      { size: 'A4', style: s.page },
      h(
        View,
        { style: s.head },
        h(
          View,
          { style: { width: 300 } },
          logo,
          h(Text, { style: s.agencyName }, pdfText(model.letterhead.name)),
          ...model.letterhead.lines.map((line, i) => h(Text, { key: i, style: s.small }, pdfText(line)))
        )
      ),
      h(
        View,
        { style: s.recipient },
        model.recipient.mention ? h(Text, { style: s.mention }, pdfText(model.recipient.mention)) : null,
        h(Text, { style: s.recipientName }, pdfText(model.recipient.name)),
        ...model.recipient.addressLines.map((line, i) => h(Text, { key: i }, pdfText(line)))
      ),
      h(Text, { style: s.placeDate }, pdfText(model.placeDate)),
      h(
        View,
        { style: s.refs },
        ...model.references.map((ref, i) =>
          h(Text, { key: i, style: s.refLine }, pdfText(`${ref.label} : ${ref.value}`))
        )
      ),
      h(Text, { style: s.title }, pdfText(model.title)),
      model.subject ? h(Text, { style: s.subject }, pdfText(`Objet : ${model.subject}`)) : null,
      ...body.map(section),
      // The closing and the signature stay together on one page.
      h(
        View,
        { wrap: false },
        model.closing ? h(Text, { style: s.closing }, pdfText(model.closing)) : null,
        model.signature.length
          ? h(View, { style: s.signature }, ...model.signature.map((line, i) => h(Text, { key: i }, pdfText(line))))
          : null
      ),
      ...annexes.map((item, i) => section(item, body.length + i)),
      h(Text, { style: s.footer, fixed: true }, pdfText(model.footer)),
      // Page numbers need a second layout pass (total pages): only on the multi-page court files,
      // so that a batch of letters renders at full speed.
      model.profile === 'court'
        ? h(Text, {
            style: s.pageNumber,
            fixed: true,
            render: ({ pageNumber, totalPages }: { pageNumber: number; totalPages: number }) =>
              `${pageNumber} / ${totalPages}`
          })
        : null
    )
  )
  return renderToBuffer(doc as Parameters<typeof renderToBuffer>[0])
}
