import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import type { ImportProblem } from '@shared/contract'
import type { OpenedImportFile } from './file-reader'

/**
 * The rows of a client's file that have problems, as an .xlsx to send back to the client: the
 * file's own columns as they were (so the corrected file imports with the same mapping), then
 * the line number in the original file and an "Erreurs" column in French. Streamed: the
 * workbook is never held in memory as objects.
 */
export async function writeErrorReport(
  file: OpenedImportFile,
  problems: AsyncIterable<ImportProblem[]>
): Promise<Buffer> {
  // The problems come in row order, like the file's rows: both are read side by side.
  const pages = problems[Symbol.asyncIterator]()
  let pending: ImportProblem[] = []
  let exhausted = false
  const problemsOf = async (row: number): Promise<ImportProblem[] | undefined> => {
    for (;;) {
      while (pending.length > 0 && pending[0]!.row < row) pending.shift()
      if (pending.length > 0 || exhausted) break
      const next = await pages.next()
      if (next.done) exhausted = true
      else pending = next.value
    }
    // All of this row's problems, even when they span two pages.
    const own: ImportProblem[] = []
    for (;;) {
      while (pending.length > 0 && pending[0]!.row === row) own.push(pending.shift()!)
      if (pending.length > 0 || exhausted) break
      const next = await pages.next()
      if (next.done) exhausted = true
      else pending = next.value
    }
    return own.length > 0 ? own : undefined
  }
  const output = new PassThrough()
  const chunks: Buffer[] = []
  output.on('data', (chunk: Buffer) => chunks.push(chunk))
  const finished = new Promise<void>((resolve, reject) => {
    output.on('end', resolve)
    output.on('error', reject)
  })
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false })
  const sheet = workbook.addWorksheet('Lignes à corriger', { views: [{ state: 'frozen', ySplit: 1 }] })
  const width = file.headers.length
  sheet.columns = [
    ...file.headers.map((header) => ({ header, width: Math.min(40, Math.max(12, header.length + 4)) })),
    { header: 'Ligne du fichier', width: 10 },
    { header: 'Erreurs', width: 80 }
  ]
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: width + 2 } }
  const header = sheet.getRow(1)
  header.font = { bold: true }
  header.getCell(width + 2).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF8D7DA' } }
  header.commit()
  for await (const row of file.rows) {
    const rowProblems = await problemsOf(row.row)
    if (!rowProblems) continue
    const cells = file.headers.map((_, i) => row.cells[i] ?? null)
    const text = rowProblems
      .map(
        (p) => `${p.severity === 'warning' ? '(avertissement) ' : ''}${p.column ? `${p.column} : ` : ''}${p.message}`
      )
      .join(' ; ')
    const added = sheet.addRow([...cells, row.row, text])
    added.getCell(width + 2).font = { color: { argb: 'FF9C0006' } }
    added.getCell(width + 2).alignment = { wrapText: true, vertical: 'top' }
    for (let i = 0; i < width; i++) {
      if (cells[i] instanceof Date) added.getCell(i + 1).numFmt = 'dd/mm/yyyy'
    }
    added.commit()
  }
  sheet.commit()
  await workbook.commit()
  await finished
  return Buffer.concat(chunks)
}
