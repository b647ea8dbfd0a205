/**
 * CSV as French software exports it: UTF-8 with or without BOM, or Windows-1252 (Excel's
 * "CSV (séparateur : point-virgule)"), `;` or `,` (or tab) separators, fields quoted with `"`
 * that may hold separators, doubled quotes and line breaks.
 */

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'windows-1252'
export type CsvSeparator = ';' | ',' | '\t'

/**
 * Decodes a file's bytes, detecting the encoding: a BOM says UTF-8; bytes that are valid
 * UTF-8 are read as such (ASCII-only files included); anything else is Windows-1252, whose
 * every byte is a character (é = 0xE9, € = 0x80).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' }
  }
}

/** 0x80–0x9F of Windows-1252 (the rest is Latin-1); undefined bytes kept as their C1 code. */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178'

/**
 * Windows-1252 by hand: Node's TextDecoder reads the label as Latin-1 when built without full
 * ICU, which turns € (0x80) and œ (0x9C) into control characters.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let text = ''
  const CHUNK = 8192
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const codes: number[] = []
    const end = Math.min(bytes.length, start + CHUNK)
    for (let i = start; i < end; i++) {
      const byte = bytes[i]!
      codes.push(byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH.charCodeAt(byte - 0x80) : byte)
    }
    text += String.fromCharCode(...codes)
  }
  return text
}

export const ENCODING_LABELS: Record<TextEncodingName, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 (avec BOM)',
  'windows-1252': 'Windows-1252 (ANSI)'
}

export const SEPARATOR_LABELS: Record<CsvSeparator, string> = {
  ';': 'point-virgule',
  ',': 'virgule',
  '\t': 'tabulation'
}

/**
 * The separator of the header line: the candidate found most often outside quotes (a `;` file
 * whose amounts are "1234,56" has more `;` than `,` on its header line, which has no amounts).
 */
export function detectSeparator(text: string): CsvSeparator {
  const counts: Record<CsvSeparator, number> = { ';': 0, ',': 0, '\t': 0 }
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) break
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++
  }
  if (counts[';'] >= counts[','] && counts[';'] >= counts['\t'] && counts[';'] > 0) return ';'
  if (counts['\t'] > counts[',']) return '\t'
  return counts[','] > 0 ? ',' : ';'
}

/**
 * The records of a CSV text one at a time (memory stays bounded whatever the row count).
 * Blank lines are skipped; a line ending (\r\n, \n or \r) inside quotes stays in the field.
 */
export function* parseCsv(text: string, separator: CsvSeparator): Generator<string[]> {
  let field = ''
  let record: string[] = []
  let quoted = false
  let i = 0
  const n = text.length
  const endRecord = function* (): Generator<string[]> {
    record.push(field)
    field = ''
    if (!(record.length === 1 && record[0] === '')) yield record
    record = []
  }
  while (i < n) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      // Read a run of ordinary characters at once (much faster than one by one).
      const next = text.indexOf('"', i)
      const end = next === -1 ? n : next
      field += text.slice(i, end)
      i = end
      continue
    }
    if (ch === '"' && field.trim() === '') {
      field = ''
      quoted = true
      i++
    } else if (ch === separator) {
      record.push(field)
      field = ''
      i++
    } else if (ch === '\n' || ch === '\r') {
      yield* endRecord()
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
    } else {
      let end = i + 1
      while (end < n) {
        const c = text[end]
        if (c === separator || c === '\n' || c === '\r' || c === '"') break
        end++
      }
      field += text.slice(i, end)
      i = end
    }
  }
  if (field !== '' || record.length > 0) yield* endRecord()
}
