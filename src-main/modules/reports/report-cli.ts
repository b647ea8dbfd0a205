import { isAbsolute, resolve } from 'node:path'
import {
  AppError,
  CASE_AGE_BUCKETS,
  CASE_SORT_FIELDS,
  REPORT_KIND_LABELS,
  REPORT_KINDS,
  reportExportInput,
  type ChannelParsedInput,
  type ReportKind
} from '@shared/contract'
import { isCalendarDate } from '@shared/dates/calendar-date'
import { CASE_PHASES, CASE_PRIORITIES, CASE_STATUSES } from '@shared/domain/enums'
import { formatCents, formatInteger } from '@shared/format/french'
import type { RecouvraApp } from '../../app/create-app'
import { CliArgumentError } from '../money/money-cli'

/** `npm run cli -- report <kind> --out <file.xlsx> [filters]`: the Excel reports, headless (to schedule them). */

export const REPORT_CLI_OPTIONS = {
  out: { type: 'string' },
  client: { type: 'string', multiple: true },
  collector: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  'as-of': { type: 'string' },
  status: { type: 'string' },
  phase: { type: 'string' },
  priority: { type: 'string' },
  age: { type: 'string' },
  'balance-min': { type: 'string' },
  'balance-max': { type: 'string' },
  'broken-promise': { type: 'boolean' },
  'plan-in-default': { type: 'boolean' },
  search: { type: 'string' },
  sort: { type: 'string' }
} as const

export const REPORT_CLI_USAGE =
  'report <aging|recovery|activity|remittance|cases> --out FICHIER.xlsx [--client NOM|CODE]… [--collector NOM]… [--from AAAA-MM-JJ] [--to AAAA-MM-JJ] [--as-of AAAA-MM-JJ] [cases : --status open,suspended --phase … --priority … --age 91-180,181+ --balance-min 1000 --balance-max 5000 --broken-promise --plan-in-default --search TEXTE --sort champ:asc|desc] [--json]'

type Values = Record<string, string | boolean | string[] | undefined>

export interface ReportArgs {
  kind: ReportKind
  out: string
  clients: string[]
  collectors: string[]
  from?: string
  to?: string
  asOf?: string
  cases: {
    statuses?: string[]
    phases?: string[]
    priorities?: string[]
    ageBuckets?: string[]
    balanceMinCents?: number
    balanceMaxCents?: number
    brokenPromise?: boolean
    planInDefault?: boolean
    text?: string
    sort: { field: string; direction: 'asc' | 'desc' }
  }
}

function list(value: unknown, allowed: readonly string[], option: string): string[] | undefined {
  if (typeof value !== 'string') return undefined
  const items = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
  const wrong = items.filter((v) => !allowed.includes(v))
  if (wrong.length)
    throw new CliArgumentError(`${option} : valeur inconnue ${wrong.join(', ')} (attendu : ${allowed.join(', ')})`)
  return items
}

function date(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !isCalendarDate(value))
    throw new CliArgumentError(`${option} attend une date AAAA-MM-JJ.`)
  return value
}

function euros(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined
  const text = String(value).replace(/\s/g, '').replace(',', '.')
  if (!/^\d+(\.\d{1,2})?$/.test(text)) throw new CliArgumentError(`${option} attend un montant en euros (ex. 1234,56).`)
  return Math.round(Number(text) * 100)
}

const asArray = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []

export function parseReportArgs(values: Values): ReportArgs {
  const kind = values.kind
  if (typeof kind !== 'string' || !(REPORT_KINDS as readonly string[]).includes(kind)) {
    throw new CliArgumentError(`Rapport à choisir parmi : ${REPORT_KINDS.join(', ')}.`)
  }
  if (typeof values.out !== 'string' || !values.out.toLowerCase().endsWith('.xlsx')) {
    throw new CliArgumentError('--out attend le chemin du fichier à écrire, en .xlsx.')
  }
  const sortText = typeof values.sort === 'string' ? values.sort : 'reference:asc'
  const [field, direction = 'asc'] = sortText.split(':')
  if (!(CASE_SORT_FIELDS as readonly string[]).includes(field!) || !['asc', 'desc'].includes(direction)) {
    throw new CliArgumentError(`--sort attend champ:asc|desc, champ parmi ${CASE_SORT_FIELDS.join(', ')}.`)
  }
  return {
    kind: kind as ReportKind,
    out: isAbsolute(values.out) ? values.out : resolve(process.cwd(), values.out),
    clients: asArray(values.client),
    collectors: asArray(values.collector),
    from: date(values.from, '--from'),
    to: date(values.to, '--to'),
    asOf: date(values['as-of'], '--as-of'),
    cases: {
      statuses: list(values.status, CASE_STATUSES.values, '--status'),
      phases: list(values.phase, CASE_PHASES.values, '--phase'),
      priorities: list(values.priority, CASE_PRIORITIES.values, '--priority'),
      ageBuckets: list(values.age, CASE_AGE_BUCKETS, '--age'),
      balanceMinCents: euros(values['balance-min'], '--balance-min'),
      balanceMaxCents: euros(values['balance-max'], '--balance-max'),
      brokenPromise: values['broken-promise'] === true ? true : undefined,
      planInDefault: values['plan-in-default'] === true ? true : undefined,
      text: typeof values.search === 'string' ? values.search : undefined,
      sort: { field: field!, direction: direction as 'asc' | 'desc' }
    }
  }
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim()

/** Clients by id, code or name (accents and case ignored); collectors by id or name. */
async function resolveIds(
  app: RecouvraApp,
  args: ReportArgs
): Promise<{ clientIds: string[]; collectorIds: string[] }> {
  const [clients, users] = await app.db.read(async (manager) => [
    (await manager.query('SELECT id, code, legal_name AS name FROM client')) as Array<{
      id: string
      code: string
      name: string
    }>,
    (await manager.query('SELECT id, display_name AS name FROM app_user')) as Array<{ id: string; name: string }>
  ])
  const find = <T extends { id: string; name: string; code?: string }>(rows: T[], wanted: string, what: string) => {
    const matches = rows.filter(
      (r) => r.id === wanted || (r.code && fold(r.code) === fold(wanted)) || fold(r.name) === fold(wanted)
    )
    if (matches.length !== 1) {
      const message = matches.length ? `${what} ambigu : ${wanted}` : `${what} introuvable : ${wanted}`
      // Found out once the database is open: a French error (exit code 1), not a usage error.
      throw new AppError('VALIDATION', message, `report: ${what} ${matches.length ? 'ambiguous' : 'not found'}`)
    }
    return matches[0]!.id
  }
  return {
    clientIds: args.clients.map((c) => find(clients, c, 'Client')),
    collectorIds: args.collectors.map((c) => find(users, c, 'Chargé de recouvrement'))
  }
}

export interface ReportCliResult {
  kind: ReportKind
  out: string
  rowCount: number
  durationMs: number
  /** For the cases export: the filtered set as cases:list counts it. */
  total?: number
  totalBalanceCents?: number
}

export async function runReportCli(app: RecouvraApp, values: Values): Promise<ReportCliResult> {
  const args = parseReportArgs(values)
  const started = performance.now()
  const { clientIds, collectorIds } = await resolveIds(app, args)
  const scope = {
    ...(clientIds.length ? { clientIds } : {}),
    ...(collectorIds.length ? { collectorIds } : {}),
    ...(args.from ? { from: args.from } : {}),
    ...(args.to ? { to: args.to } : {}),
    ...(args.asOf ? { asOf: args.asOf } : {})
  }
  const raw =
    args.kind === 'cases'
      ? {
          kind: 'cases',
          sort: args.cases.sort,
          filters: Object.fromEntries(
            Object.entries({ ...args.cases, sort: undefined, clientIds, collectorIds }).filter(
              ([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)
            )
          ),
          ...(args.asOf ? { asOf: args.asOf } : {})
        }
      : { kind: args.kind, scope }
  const parsed = reportExportInput.safeParse(raw)
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => i.message).join(' ; ')
    throw new AppError('VALIDATION', message, 'report: invalid filters')
  }
  const input = parsed.data as ChannelParsedInput<'reports:export'>
  const user = await app.services.users.sessionUser()
  const { rowCount } = await app.services.reports.write(input, args.out, user)
  const result: ReportCliResult = {
    kind: args.kind,
    out: args.out,
    rowCount,
    durationMs: Math.round(performance.now() - started)
  }
  if (input.kind === 'cases') {
    const page = await app.services.cases.list(
      { offset: 0, limit: 1, sort: input.sort, filters: input.filters, asOf: input.asOf },
      user
    )
    result.total = page.total
    result.totalBalanceCents = page.totalBalanceCents
  }
  return result
}

export function formatReportCli(result: ReportCliResult): string {
  return [
    `${REPORT_KIND_LABELS[result.kind]} écrit dans ${result.out}`,
    `  ${formatInteger(result.rowCount)} lignes en ${(result.durationMs / 1000).toFixed(1).replace('.', ',')} s` +
      (result.total !== undefined
        ? ` — ${formatInteger(result.total)} dossiers, solde dû ${formatCents(result.totalBalanceCents ?? 0)}`
        : '')
  ].join('\n')
}
