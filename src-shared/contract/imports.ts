import { z } from 'zod'
import { channel } from './define'
import { uuidSchema } from './schemas'
import { IMPORT_FIELDS, type ColumnMapping, type ImportField, type SavedMapping } from '../imports/mapping'
import type { CsvSeparator, TextEncodingName } from '../imports/csv'

/**
 * Import of a client's portfolio (issue 6): a file is sent once (`imports:analyze`, kept by the
 * main process under an upload id), previewed with a column mapping as often as the user edits
 * it, then committed in one transaction; a batch can be undone while none of its cases has been
 * worked on.
 */

/** Largest file accepted (the loopback transport carries it base64 in the JSON body). */
export const IMPORT_MAX_FILE_BYTES = 25 * 1024 * 1024
/** Rows of the preview returned per call (the wizard pages through them). */
export const IMPORT_PREVIEW_PAGE = 200
/** Problems returned with a preview; the error report (.xlsx) holds them all. */
export const IMPORT_MAX_PROBLEMS = 1000

export interface ImportSetup {
  mandates: Array<{ id: string; reference: string; signedOn: string; status: string }>
  /** Mappings saved for this client, by name, the most recently saved first. */
  savedMappings: Array<{ name: string; mapping: SavedMapping; savedAt: string }>
}

export interface ImportAnalysis {
  uploadId: string
  fileName: string
  format: 'xlsx' | 'csv'
  encoding: TextEncodingName | null
  separator: CsvSeparator | null
  sheetName: string | null
  headers: string[]
  /** The first data rows as text, for the mapping step. */
  sampleRows: string[][]
  rowCount: number
  mapping: ColumnMapping
  /** The saved mapping applied, if any (else the mapping was detected from the headers). */
  mappingName: string | null
}

export type ImportSeverity = 'error' | 'warning'

export interface ImportProblem {
  /** Line number in the file as a spreadsheet shows it (the header is line 1). */
  row: number
  field: ImportField | null
  /** The file's own header of that column, for the user and the client. */
  column: string | null
  severity: ImportSeverity
  message: string
}

export type ImportDebtorAction = 'create' | 'match' | 'repeat'
export type ImportCaseAction = 'create' | 'repeat' | 'add'

export interface ImportPreviewRow {
  row: number
  debtorName: string
  invoiceNumber: string
  amountCents: number | null
  dueOn: string | null
  /** null when the row has an error: it will not be imported. */
  debtorAction: ImportDebtorAction | null
  /** For 'repeat': the row that creates that debtor or case. */
  debtorFirstRow: number | null
  caseAction: ImportCaseAction | null
  caseFirstRow: number | null
  /** For 'add' and 'match': the existing case's reference. */
  caseReference: string | null
  severity: ImportSeverity | null
  /** Phones and e-mails this row gives a debtor already known (added as new contacts, never replacing one). */
  newContacts: string[]
}

export interface ImportCounts {
  rows: number
  importedRows: number
  errorRows: number
  warningRows: number
  newDebtors: number
  matchedDebtors: number
  newCases: number
  /** Existing open cases that receive claims. */
  casesAddedTo: number
  claims: number
  totalCents: number
  /** New phones and e-mails given to debtors already known (duplicates of theirs skipped). */
  newPhones: number
  newEmails: number
}

export interface ImportPreview {
  uploadId: string
  counts: ImportCounts
  problems: ImportProblem[]
  problemCount: number
  rows: ImportPreviewRow[]
  /** Every problem of the rows of this page (the first `problems` may not reach them). */
  rowProblems: ImportProblem[]
  rowsOffset: number
  /** Rows the filter keeps (all rows, or only those with a problem). */
  rowsTotal: number
}

export type ImportBatchStatus = 'committed' | 'undone'

export interface ImportBatchSummary {
  id: string
  createdAt: string
  createdByName: string | null
  clientId: string
  clientName: string
  mandateReference: string
  fileName: string
  status: ImportBatchStatus
  counts: ImportCounts
  undoneAt: string | null
  /** Why the batch can no longer be undone (French), or null when it can. */
  undoBlockedReason: string | null
}

export interface ImportErrorReport {
  fileName: string
  contentBase64: string
  problemCount: number
}

const mappingSchema = z.object(
  Object.fromEntries(IMPORT_FIELDS.map((field) => [field, z.number().int().min(0).max(500).nullable()])) as Record<
    ImportField,
    z.ZodNullable<z.ZodNumber>
  >
)

const mappingNameSchema = z.string().trim().min(1, 'Nom de modèle requis').max(60, 'Nom de modèle trop long')

export const importsSetupInput = z.object({ clientId: uuidSchema }).strict()

export const importsAnalyzeInput = z
  .object({
    clientId: uuidSchema,
    fileName: z.string().trim().min(1).max(255),
    /** The file's bytes, base64. */
    contentBase64: z
      .string()
      .min(1, 'Fichier vide')
      .max(Math.ceil(IMPORT_MAX_FILE_BYTES / 3) * 4, 'Fichier trop volumineux (25 Mo au plus)'),
    mappingName: mappingNameSchema.nullable().default(null)
  })
  .strict()

const previewTarget = {
  uploadId: uuidSchema,
  clientId: uuidSchema,
  mandateId: uuidSchema,
  mapping: mappingSchema
}

export const importsPreviewInput = z
  .object({
    ...previewTarget,
    rowsOffset: z.number().int().min(0).default(0),
    rowsLimit: z.number().int().min(1).max(IMPORT_PREVIEW_PAGE).default(IMPORT_PREVIEW_PAGE),
    onlyProblems: z.boolean().default(false)
  })
  .strict()

export const importAssignmentSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z.object({ mode: z.literal('collector'), collectorId: uuidSchema }).strict(),
  z.object({ mode: z.literal('round-robin'), collectorIds: z.array(uuidSchema).min(1).max(100) }).strict()
])
export type ImportAssignment = z.infer<typeof importAssignmentSchema>

export const importsCommitInput = z
  .object({
    ...previewTarget,
    /** Saves the mapping for this client under that name (null: do not save). */
    saveMappingAs: mappingNameSchema.nullable().default(null),
    /** Rows with errors are left out; without this flag, any error refuses the whole import. */
    skipErrorRows: z.boolean().default(false),
    /** Who works the new cases: nobody yet, one collector, or several in turn (file order). */
    assignment: importAssignmentSchema.default({ mode: 'none' })
  })
  .strict()

export const importsErrorReportInput = z.object(previewTarget).strict()

export const importsListInput = z.object({ clientId: uuidSchema.nullable().default(null) }).strict()

export const importsUndoInput = z.object({ batchId: uuidSchema }).strict()

export const importChannels = {
  'imports:setup': channel<ImportSetup>()(importsSetupInput, 'A client’s mandates and saved column mappings.'),
  'imports:analyze': channel<ImportAnalysis>()(
    importsAnalyzeInput,
    'Keeps an uploaded .xlsx or .csv (encoding and separator detected) and proposes a column mapping (saved or detected).'
  ),
  'imports:preview': channel<ImportPreview>()(
    importsPreviewInput,
    'What an import would create, row by row, and every problem (row, column, French reason); writes nothing.'
  ),
  'imports:commit': channel<ImportBatchSummary>()(
    importsCommitInput,
    'Imports the rows in one transaction (all or nothing), updating the search index; optionally saves the mapping.'
  ),
  'imports:error-report': channel<ImportErrorReport>()(
    importsErrorReportInput,
    'The rows with problems as an .xlsx, with an error column, to send back to the client.'
  ),
  'imports:list': channel<ImportBatchSummary[]>()(importsListInput, 'Import batches, newest first.'),
  'imports:undo': channel<ImportBatchSummary>()(
    importsUndoInput,
    'Undoes a batch while none of its cases has been worked on: removes its own rows, keeps an audit record.'
  )
}
