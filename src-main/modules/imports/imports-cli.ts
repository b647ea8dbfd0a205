import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import type { ImportAssignment, ImportBatchSummary, ImportCounts, ImportProblem } from '@shared/contract'
import { ENCODING_LABELS, SEPARATOR_LABELS } from '@shared/imports/csv'
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS, type ColumnMapping } from '@shared/imports/mapping'
import { foldAccents } from '@shared/imports/values'
import { formatCents } from '@shared/format/french'
import type { RecouvraApp } from '../../app/create-app'
import { CliArgumentError } from '../money/money-cli'

/**
 * `npm run cli -- import <file> --client <name> [--mandate <ref>] [--mapping <saved>]
 * [--collector <login or name>]… [--dry-run] [--skip-errors] [--json]`: the wizard, headless.
 * Prints the preview (--dry-run) or the result: counts of created and matched records, and
 * every row problem. One --collector gets every new case; several share them in turn.
 */

export const IMPORT_CLI_USAGE =
  'import <fichier> --client <nom ou code> [--mandate <référence>] [--mapping <modèle>] [--collector <identifiant ou nom>]… [--dry-run] [--skip-errors] [--json]'

export const IMPORT_CLI_OPTIONS = {
  client: { type: 'string' },
  mandate: { type: 'string' },
  mapping: { type: 'string' },
  collector: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  'skip-errors': { type: 'boolean' }
} as const

type Values = Record<string, string | boolean | string[] | undefined>

export interface ImportCliResult {
  dryRun: boolean
  file: string
  client: string
  mandate: string
  format: string
  mappingName: string | null
  mapping: Partial<Record<string, string>>
  /** Who gets the new cases: nobody yet, or these collectors in turn. */
  collectors: string[]
  counts: ImportCounts
  /** Every problem (errors and warnings), by row. */
  problems: ImportProblem[]
  /** The rows left out (or refusing the import without --skip-errors). */
  errorRows: number[]
  batch: ImportBatchSummary | null
}

export function parseImportArgs(values: Values): { file: string; client: string } {
  const file = typeof values.file === 'string' ? values.file : ''
  if (!file) throw new CliArgumentError('indiquez le fichier à importer (.xlsx ou .csv).')
  if (typeof values.client !== 'string' || values.client.trim() === '') {
    throw new CliArgumentError('--client est obligatoire (nom ou code du client).')
  }
  return { file, client: values.client }
}

export async function runImportCli(app: RecouvraApp, values: Values): Promise<ImportCliResult> {
  const { file, client: wanted } = parseImportArgs(values)
  let bytes: Buffer
  try {
    if (!statSync(file).isFile()) throw new Error('not a file')
    bytes = readFileSync(file)
  } catch {
    throw new CliArgumentError(`fichier introuvable ou illisible : ${file}`)
  }
  const clients = await app.call('clients:list', {})
  const key = foldAccents(wanted.trim())
  const exact = clients.filter((c) => foldAccents(c.code) === key || foldAccents(c.legalName) === key)
  const partial = exact.length > 0 ? exact : clients.filter((c) => foldAccents(c.legalName).includes(key))
  if (partial.length !== 1) {
    throw new CliArgumentError(
      partial.length === 0
        ? `aucun client ne correspond à « ${wanted} ».`
        : `plusieurs clients correspondent à « ${wanted} » : ${partial.map((c) => `${c.code} (${c.legalName})`).join(', ')}.`
    )
  }
  const client = partial[0]!
  const setup = await app.call('imports:setup', { clientId: client.id })
  const mandates = setup.mandates.filter((m) =>
    typeof values.mandate === 'string' ? m.reference === values.mandate : m.status === 'active'
  )
  if (mandates.length === 0) {
    throw new CliArgumentError(
      typeof values.mandate === 'string'
        ? `le client ${client.code} n’a pas de mandat ${values.mandate}.`
        : `le client ${client.code} n’a aucun mandat actif.`
    )
  }
  const mandate = mandates[0]!
  const collectors = await resolveCollectors(app, values.collector)
  const assignment: ImportAssignment =
    collectors.length === 0
      ? { mode: 'none' }
      : collectors.length === 1
        ? { mode: 'collector', collectorId: collectors[0]!.id }
        : { mode: 'round-robin', collectorIds: collectors.map((c) => c.id) }
  const mappingName = typeof values.mapping === 'string' ? values.mapping : null
  const analysis = await app.services.imports.analyzeBytes(bytes, basename(file), client.id, mappingName)
  const target = { uploadId: analysis.uploadId, clientId: client.id, mandateId: mandate.id, mapping: analysis.mapping }
  const preview = await app.call('imports:preview', { ...target, rowsLimit: 1 })
  const problems: ImportProblem[] = []
  for await (const page of app.services.imports.problems(target)) problems.push(...page)
  const batch = values['dry-run']
    ? null
    : await app.call('imports:commit', { ...target, skipErrorRows: values['skip-errors'] === true, assignment })
  return {
    dryRun: values['dry-run'] === true,
    file: analysis.fileName,
    client: `${client.code} ${client.legalName}`,
    mandate: mandate.reference,
    format:
      analysis.format === 'xlsx'
        ? `xlsx (feuille « ${analysis.sheetName ?? '?'} »)`
        : `CSV ${ENCODING_LABELS[analysis.encoding!]}, séparateur ${SEPARATOR_LABELS[analysis.separator!]}`,
    mappingName: analysis.mappingName,
    mapping: describeMapping(analysis.mapping, analysis.headers),
    collectors: collectors.map((c) => c.displayName),
    counts: batch?.counts ?? preview.counts,
    problems,
    errorRows: [...new Set(problems.filter((p) => p.severity === 'error').map((p) => p.row))],
    batch
  }
}

/** Active users named by login or display name (accents and case aside), in the order given. */
async function resolveCollectors(
  app: RecouvraApp,
  wanted: string | boolean | string[] | undefined
): Promise<Array<{ id: string; displayName: string }>> {
  const names = Array.isArray(wanted) ? wanted : typeof wanted === 'string' ? [wanted] : []
  if (names.length === 0) return []
  const users: Array<{ id: string; login: string; display_name: string }> = await app.db.read((manager) =>
    manager.query('SELECT id, login, display_name FROM app_user WHERE active = TRUE ORDER BY display_name')
  )
  return names.map((name) => {
    const key = foldAccents(name.trim())
    const found = users.filter((u) => u.login === name.trim().toLowerCase() || foldAccents(u.display_name) === key)
    if (found.length !== 1) {
      throw new CliArgumentError(
        found.length === 0
          ? `aucun utilisateur actif ne correspond à « ${name} » (--collector).`
          : `plusieurs utilisateurs correspondent à « ${name} » : indiquez l’identifiant.`
      )
    }
    return { id: found[0]!.id, displayName: found[0]!.display_name }
  })
}

function describeMapping(mapping: ColumnMapping, headers: readonly string[]): Partial<Record<string, string>> {
  const described: Partial<Record<string, string>> = {}
  for (const field of IMPORT_FIELDS) {
    const index = mapping[field]
    if (index !== null) described[field] = headers[index] ?? ''
  }
  return described
}

export function formatImportCli(result: ImportCliResult): string {
  const c = result.counts
  const lines = [
    `${result.dryRun ? 'Aperçu (rien n’est enregistré)' : 'Import enregistré'} : ${result.file} — ${result.format}`,
    `Client ${result.client}, mandat ${result.mandate}${result.mappingName ? `, modèle « ${result.mappingName} »` : ''}`,
    `Colonnes : ${Object.entries(result.mapping)
      .map(([field, header]) => `${IMPORT_FIELD_LABELS[field as keyof typeof IMPORT_FIELD_LABELS]} ← « ${header} »`)
      .join(', ')}`,
    `${c.rows} ligne(s) : ${c.importedRows} ${result.dryRun ? 'à importer' : 'importée(s)'}, ${c.errorRows} en erreur, ${c.warningRows} avec avertissement`,
    `  Débiteurs : ${c.newDebtors} nouveau(x), ${c.matchedDebtors} existant(s) retrouvé(s)`,
    `  Dossiers : ${c.newCases} nouveau(x), ${c.casesAddedTo} dossier(s) en cours complété(s)`,
    `  Créances : ${c.claims} pour ${formatCents(c.totalCents)}`
  ]
  if (result.collectors.length > 0) {
    lines.push(
      `  Nouveaux dossiers confiés à ${result.collectors.length === 1 ? result.collectors[0] : `${result.collectors.join(', ')} à tour de rôle`}`
    )
  }
  if (c.newPhones + c.newEmails > 0) {
    lines.push(`  Coordonnées ajoutées aux débiteurs existants : ${c.newPhones} téléphone(s), ${c.newEmails} e-mail(s)`)
  }
  if (result.batch) lines.push(`Lot ${result.batch.id} (annulable tant qu’aucun dossier n’a été travaillé).`)
  if (result.problems.length > 0) {
    lines.push('', 'Problèmes :')
    for (const p of result.problems) {
      lines.push(
        `  ligne ${p.row}${p.column ? `, colonne « ${p.column} »` : ''} — ${p.severity === 'error' ? 'erreur' : 'avertissement'} : ${p.message}`
      )
    }
  }
  return lines.join('\n')
}
