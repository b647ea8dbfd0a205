import ExcelJS from 'exceljs'
import { PassThrough } from 'node:stream'

/** Test files built in code, the way clients' software writes them. */

/** Windows-1252 bytes of a text (the characters French files use). */
export function windows1252(text: string): Buffer {
  const high: Record<string, number> = { '€': 0x80, '’': 0x92, œ: 0x9c, Œ: 0x8c, '…': 0x85, '–': 0x96 }
  const bytes: number[] = []
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (high[ch] !== undefined) bytes.push(high[ch]!)
    else if (code < 256) bytes.push(code)
    else throw new Error(`not in Windows-1252: ${ch}`)
  }
  return Buffer.from(bytes)
}

export function utf8(text: string, bom = false): Buffer {
  const body = Buffer.from(text, 'utf8')
  return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body
}

/** A CSV line with every field quoted (as Excel does when needed). */
export function csvLine(fields: readonly string[], separator = ';'): string {
  return fields.map((f) => (/[";,\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(separator)
}

/** An .xlsx whose first sheet holds these rows (Dates become date cells, numbers number cells). */
export async function xlsx(
  rows: ReadonlyArray<ReadonlyArray<string | number | Date | null>>,
  sheetName = 'Impayés'
): Promise<Buffer> {
  const output = new PassThrough()
  const chunks: Buffer[] = []
  output.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise((resolve) => output.on('end', resolve))
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: true })
  const sheet = workbook.addWorksheet(sheetName)
  for (const row of rows) {
    const added = sheet.addRow([...row])
    row.forEach((value, i) => {
      if (value instanceof Date) added.getCell(i + 1).numFmt = 'dd/mm/yyyy'
    })
    added.commit()
  }
  sheet.commit()
  await workbook.commit()
  await done
  return Buffer.concat(chunks)
}
