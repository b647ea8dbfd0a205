import ExcelJS from 'exceljs'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { excelSerial } from '@shared/reports/figures'

/**
 * A report workbook written as a stream (exceljs WorkbookWriter: rows leave memory once
 * committed): a cover sheet with the parameters, then one table per sheet with a frozen,
 * filterable header, French number formats, real Excel dates and a totals row of formulas
 * (SUBTOTAL, so the totals follow the autofilter) with their values cached for readers that
 * do not calculate.
 */

export type CellKind = 'text' | 'int' | 'money' | 'date' | 'month' | 'percent' | 'days'

export const NUMBER_FORMATS: Readonly<Record<CellKind, string | undefined>> = {
  text: undefined,
  int: '#,##0',
  money: '#,##0.00\\ "€";-#,##0.00\\ "€"',
  date: 'dd/mm/yyyy',
  month: '[$-40C]mmmm yyyy',
  percent: '0.0\\ %',
  days: '0.0'
}

/** How a column is totalled at the foot of its table. */
export type ColumnTotal =
  | 'sum'
  /** numerator / denominator of this totals row (0 when the denominator is 0). */
  | { ratio: [string, string] }
  /** Average of this column weighted by another (average days over settled cases). */
  | { weighted: string }
  | { label: string }

export interface ColumnSpec<T> {
  key: string
  header: string
  width: number
  kind: CellKind
  /** Money in cents, dates as YYYY-MM-DD, percentages as ratios (0.25). */
  value(row: T): string | number | null
  total?: ColumnTotal
}

export interface CoverLine {
  label: string
  value: string | number | null
  kind?: CellKind
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F3A5F' } }
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF5' } }

function columnLetter(index: number): string {
  let n = index
  let letters = ''
  while (n > 0) {
    const rest = (n - 1) % 26
    letters = String.fromCharCode(65 + rest) + letters
    n = Math.floor((n - 1) / 26)
  }
  return letters
}

/** What Excel stores for a value of a kind: euros for cents, serial numbers for days. */
function cellValue(kind: CellKind, value: string | number | null): ExcelJS.CellValue {
  if (value === null || value === undefined) return null
  switch (kind) {
    case 'money':
      return Number(value) / 100
    case 'date':
    case 'month':
      return excelSerial(value as CalendarDate)
    default:
      return value
  }
}

/** Excel sheet names: 31 characters, none of []:*?/\ */
export function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '-').slice(0, 31)
}

export class ReportWorkbook {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter
  /** Data rows written in every table. */
  rowCount = 0

  constructor(filename: string) {
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename, useStyles: true, useSharedStrings: false })
    this.workbook.creator = 'Recouvra'
    this.workbook.created = new Date()
  }

  /** The first sheet: the title, then one line per parameter or definition. */
  cover(title: string, lines: CoverLine[]): void {
    const sheet = this.workbook.addWorksheet('Paramètres')
    sheet.columns = [
      { key: 'label', width: 34 },
      { key: 'value', width: 100 }
    ]
    const head = sheet.addRow([title])
    head.font = { bold: true, size: 14 }
    head.commit()
    sheet.addRow([]).commit()
    for (const line of lines) {
      const row = sheet.addRow([line.label, cellValue(line.kind ?? 'text', line.value)])
      row.getCell(1).font = { bold: true }
      row.getCell(2).alignment = { wrapText: true, vertical: 'top', horizontal: 'left' }
      row.getCell(1).alignment = { vertical: 'top' }
      const format = NUMBER_FORMATS[line.kind ?? 'text']
      if (format) row.getCell(2).numFmt = format
      row.commit()
    }
    sheet.commit()
  }

  /**
   * One table on its own sheet, rows taken from an iterable (or async iterable: pages read
   * from the database one after the other) and committed as they come.
   */
  async table<T>(
    name: string,
    columns: ColumnSpec<T>[],
    rows: Iterable<T> | AsyncIterable<T>,
    options: { totals?: boolean } = {}
  ): Promise<number> {
    const sheet = this.workbook.addWorksheet(sheetName(name), {
      views: [{ state: 'frozen', xSplit: 1, ySplit: 1, activeCell: 'B2' }]
    })
    sheet.columns = columns.map((c) => ({ key: c.key, width: c.width }))
    // One style object per column, shared by its cells: exceljs recognises a style it has seen
    // by identity, where a copy per cell costs a full style lookup (most of the time at 200,000 rows).
    const styles: Array<Partial<ExcelJS.Style>> = columns.map((c) =>
      NUMBER_FORMATS[c.kind] ? { numFmt: NUMBER_FORMATS[c.kind] } : {}
    )
    const header = sheet.addRow(columns.map((c) => c.header))
    header.height = 32
    header.eachCell((cell) => {
      cell.font = { bold: true, color: { argb: 'FFFFFFFF' } }
      cell.fill = HEADER_FILL
      cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true }
      cell.numFmt = 'General'
    })
    header.commit()

    const sums = columns.map(() => 0)
    let count = 0
    for await (const item of rows) {
      const values = columns.map((c, i) => {
        const raw = c.value(item)
        if (c.total === 'sum' && typeof raw === 'number') sums[i]! += raw
        return cellValue(c.kind, raw)
      })
      const row = sheet.addRow(values)
      for (let i = 0; i < values.length; i++) row.getCell(i + 1).style = styles[i]!
      row.commit()
      count += 1
    }
    this.rowCount += count
    const lastData = count + 1
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(lastData, 1), column: columns.length } }

    if (options.totals !== false && columns.some((c) => c.total)) {
      // One blank row: Excel's filter range stops there, so the totals stay visible when filtering.
      sheet.addRow([]).commit()
      const totalRow = lastData + 2
      const letterOf = (key: string) => columnLetter(columns.findIndex((c) => c.key === key) + 1)
      const totals: Array<number | null> = columns.map((c, i) => (c.total === 'sum' ? sums[i]! : null))
      const valueOf = (key: string): number => {
        const index = columns.findIndex((c) => c.key === key)
        const total = totals[index] ?? 0
        return columns[index]!.kind === 'money' ? total / 100 : total
      }
      const cells: ExcelJS.CellValue[] = columns.map((c, i) => {
        const letter = columnLetter(i + 1)
        const range = `${letter}2:${letter}${Math.max(lastData, 2)}`
        const total = c.total
        if (!total) return null
        if (total === 'sum') {
          return count === 0 ? 0 : { formula: `SUBTOTAL(109,${range})`, result: cellValue(c.kind, sums[i]!) as number }
        }
        if ('label' in total) return total.label
        if ('ratio' in total) {
          const [num, den] = total.ratio
          const result = valueOf(den) === 0 ? 0 : valueOf(num) / valueOf(den)
          return {
            formula: `IF(${letterOf(den)}${totalRow}=0,0,${letterOf(num)}${totalRow}/${letterOf(den)}${totalRow})`,
            result
          }
        }
        // Weighted average: Σ value × weight / Σ weight, over the rows that have a value.
        const weight = letterOf(total.weighted)
        const weightRange = `${weight}2:${weight}${Math.max(lastData, 2)}`
        // The cached value is the figure the report's own function computed (setWeightedResult).
        const numerator = this.weightedResults.get(`${name}|${c.key}`) ?? 0
        const weightTotal = valueOf(total.weighted)
        return {
          formula: `IF(SUBTOTAL(109,${weightRange})=0,"",SUMPRODUCT(${range},${weightRange})/SUBTOTAL(109,${weightRange}))`,
          result: weightTotal === 0 ? '' : numerator
        }
      })
      const row = sheet.addRow(cells)
      row.eachCell({ includeEmpty: true }, (cell, index) => {
        const format = NUMBER_FORMATS[columns[index - 1]!.kind]
        if (format) cell.numFmt = format
        cell.font = { bold: true }
        cell.fill = TOTAL_FILL
        cell.border = { top: { style: 'thin' }, bottom: { style: 'double' } }
      })
      row.commit()
    }
    sheet.commit()
    return count
  }

  private readonly weightedResults = new Map<string, number>()

  /** The cached value of a weighted-average total (the figure the report's own function computed). */
  setWeightedResult(sheet: string, key: string, value: number | null): void {
    if (value !== null) this.weightedResults.set(`${sheet}|${key}`, value)
  }

  async commit(): Promise<void> {
    await this.workbook.commit()
  }
}
