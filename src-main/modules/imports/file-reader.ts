import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { AppError } from '@shared/contract'
import { decodeText, detectSeparator, parseCsv, type CsvSeparator, type TextEncodingName } from '@shared/imports/csv'
import { cellText, isBlank, type CellValue } from '@shared/imports/values'

/**
 * Reads a client's file row by row: .xlsx through exceljs's streaming reader (the first
 * worksheet; memory stays bounded whatever the row count), CSV decoded and split lazily.
 * The header is the first non-blank row; row numbers are those a spreadsheet shows.
 */

export interface FileRow {
  /** 1-based line number in the file (the header's line counts). */
  row: number
  cells: CellValue[]
}

export interface ImportFileInfo {
  format: 'xlsx' | 'csv'
  encoding: TextEncodingName | null
  separator: CsvSeparator | null
  sheetName: string | null
  headers: string[]
  headerRow: number
}

export interface OpenedImportFile extends ImportFileInfo {
  /** The data rows after the header, blank rows skipped. Iterate once. */
  rows: AsyncIterable<FileRow>
}

const XLSX_MAGIC = [0x50, 0x4b, 0x03, 0x04]

export function fileFormat(bytes: Uint8Array, fileName: string): 'xlsx' | 'csv' {
  if (XLSX_MAGIC.every((byte, i) => bytes[i] === byte)) return 'xlsx'
  if (/\.xls$/i.test(fileName) || (bytes[0] === 0xd0 && bytes[1] === 0xcf)) {
    throw new AppError(
      'VALIDATION',
      'Les classeurs Excel 97-2003 (.xls) ne sont pas lus : enregistrez le fichier au format .xlsx ou CSV.',
      'Refused legacy .xls file'
    )
  }
  return 'csv'
}

export async function openImportFile(bytes: Buffer, fileName: string): Promise<OpenedImportFile> {
  return fileFormat(bytes, fileName) === 'xlsx' ? openXlsx(bytes) : openCsv(bytes)
}

function openCsv(bytes: Buffer): OpenedImportFile {
  const { text, encoding } = decodeText(bytes)
  const separator = detectSeparator(text)
  const records = parseCsv(text, separator)
  let row = 0
  let headers: string[] | null = null
  let headerRow = 0
  // Line numbers: count records (a quoted line break inside a field does not start a new row).
  for (let next = records.next(); !next.done; next = records.next()) {
    row++
    if (next.value.every((cell) => isBlank(cell))) continue
    headers = next.value.map((cell) => cellText(cell))
    headerRow = row
    break
  }
  if (!headers) throw emptyFile()
  const rows = (async function* (): AsyncGenerator<FileRow> {
    for (let next = records.next(); !next.done; next = records.next()) {
      row++
      if (next.value.every((cell) => isBlank(cell))) continue
      yield { row, cells: next.value }
    }
  })()
  return { format: 'csv', encoding, separator, sheetName: null, headers, headerRow, rows }
}

async function openXlsx(bytes: Buffer): Promise<OpenedImportFile> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(worksheetsLast(bytes)), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell dates from numbers: without them a date cell is its serial number.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'emit'
  })
  const worksheets = reader[Symbol.asyncIterator]()
  const first = await worksheets.next().catch((error: unknown) => {
    throw new AppError('VALIDATION', 'Classeur illisible : le fichier .xlsx est endommagé.', `xlsx: ${String(error)}`)
  })
  if (first.done) throw emptyFile()
  const sheet = first.value as unknown as AsyncIterable<ExcelJS.Row> & { name?: string }
  const iterator = sheet[Symbol.asyncIterator]()
  let headers: string[] | null = null
  let headerRow = 0
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const cells = rowCells(next.value)
    if (cells.every((cell) => isBlank(cell))) continue
    headers = cells.map((cell) => cellText(cell))
    headerRow = next.value.number
    break
  }
  if (!headers) throw emptyFile()
  const rows = (async function* (): AsyncGenerator<FileRow> {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const cells = rowCells(next.value)
      if (cells.every((cell) => isBlank(cell))) continue
      yield { row: next.value.number, cells }
    }
    // Later worksheets are not read: drain them so the reader can finish.
    for (let rest = await worksheets.next(); !rest.done; rest = await worksheets.next()) {
      for await (const _row of rest.value as unknown as AsyncIterable<unknown>) void _row
    }
  })()
  return {
    format: 'xlsx',
    encoding: null,
    separator: null,
    sheetName: sheet.name ?? null,
    headers,
    headerRow,
    rows
  }
}

/**
 * The zip's entries with the worksheets last. Excel writes a workbook's sheets before its shared
 * strings and styles, which a streaming reader needs to read a sheet's cells: exceljs then keeps
 * the whole sheet's XML in memory until they come (~100 MB for 40,000 rows). Entries are moved
 * whole (local header, compressed data, descriptor), found through the central directory: no
 * inflating, no copy. A zip it cannot read that way is given as it is.
 */
export function worksheetsLast(bytes: Buffer): Buffer[] {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (end < 0 || end + 22 > bytes.length) return [bytes]
  const count = bytes.readUInt16LE(end + 10)
  const directoryStart = bytes.readUInt32LE(end + 16)
  if (count === 0xffff || directoryStart === 0xffffffff || directoryStart >= end) return [bytes]
  const entries: Array<{ name: string; offset: number }> = []
  let at = directoryStart
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== 0x02014b50) return [bytes]
    const nameLength = bytes.readUInt16LE(at + 28)
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength)
    entries.push({ name, offset: bytes.readUInt32LE(at + 42) })
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32)
  }
  entries.sort((a, b) => a.offset - b.offset)
  if (entries.length === 0 || entries[0]!.offset !== 0) return [bytes]
  const parts = entries.map((entry, i) => ({
    sheet: entry.name.startsWith('xl/worksheets/') && !entry.name.includes('_rels'),
    bytes: bytes.subarray(entry.offset, i + 1 < entries.length ? entries[i + 1]!.offset : directoryStart)
  }))
  // The central directory closes the stream, as in the file (the reader stops there).
  return [...parts.filter((p) => !p.sheet), ...parts.filter((p) => p.sheet)]
    .map((p) => p.bytes)
    .concat([bytes.subarray(directoryStart)])
}

function emptyFile(): AppError {
  return new AppError('VALIDATION', 'Le fichier ne contient aucune ligne.', 'Empty import file')
}

/** A row's values from column A, as plain values (rich text, formulas and links read as text/result). */
function rowCells(row: ExcelJS.Row): CellValue[] {
  const values = row.values as unknown[]
  const cells: CellValue[] = []
  for (let i = 1; i < values.length; i++) cells.push(plainValue(values[i]))
  return cells
}

function plainValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  if (value instanceof Date) return value
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>
    if (Array.isArray(object.richText)) {
      return (object.richText as Array<{ text?: string }>).map((part) => part.text ?? '').join('')
    }
    if ('result' in object) return plainValue(object.result)
    if ('text' in object) return plainValue(object.text)
    if ('error' in object) return null
  }
  return String(value)
}
