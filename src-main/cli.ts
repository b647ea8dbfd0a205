import 'reflect-metadata'
import { parseArgs } from 'node:util'
import { createApp, type RecouvraApp } from './app/create-app'
import { resolveDataDir } from './platform/data-dir'
import { resolveDatabaseUrl } from './platform/database-target'
import { log } from './platform/log'
import { RpcCallError, demoGenerateInput } from '@shared/contract'
import {
  CliArgumentError,
  formatInterestReport,
  formatStatement,
  interestReport,
  parseInterestArgs,
  parseStatementArgs
} from './modules/money/money-cli'
import {
  IMPORT_CLI_OPTIONS,
  IMPORT_CLI_USAGE,
  formatImportCli,
  parseImportArgs,
  runImportCli
} from './modules/imports/imports-cli'
import {
  REPORT_CLI_OPTIONS,
  REPORT_CLI_USAGE,
  formatReportCli,
  parseReportArgs,
  runReportCli
} from './modules/reports/report-cli'
import { TRUST_COMMANDS } from './modules/audit/trust-cli'
import { DB_COMMANDS } from './db/db-cli'
import {
  DUNNING_CLI_OPTIONS,
  DUNNING_CLI_USAGE,
  formatDunningCli,
  parseDunningArgs,
  runDunningCli
} from './modules/dunning/dunning-cli'
import { SYNC_CLI_OPTIONS, SYNC_CLI_USAGE, formatSyncCli, parseSyncArgs, runSyncCli } from './modules/sync/sync-cli'
import '@shared/validation/zod-locale'

/**
 * `npm run cli -- <command>`: the main-process services, headless. Output for people goes to
 * stdout in French; `--json` prints one JSON document instead; logs go to stderr in English.
 */

interface Command {
  summary: string
  usage: string
  options: NonNullable<Parameters<typeof parseArgs>[0]>['options']
  /** Checks the arguments before the database is opened: a bad one costs nothing. */
  check?(values: Record<string, string | boolean | undefined>): void
  run(app: RecouvraApp, values: Record<string, string | boolean | undefined>): Promise<unknown>
  print(result: never): string
  /** A first argument without dashes (`report aging`), stored under this option name. */
  positional?: string
  /** Commands that open no app on the data folder (`db copy`): run instead of `run`. */
  standalone?(values: Record<string, string | boolean | undefined>): Promise<unknown>
}

const COMMANDS: Record<string, Command> = {
  demo: {
    summary: 'Remplit une base vide avec un portefeuille de démonstration réaliste.',
    usage: 'demo --cases N [--seed S] [--history standard|busy] [--data-dir DIR] [--json]',
    options: { cases: { type: 'string' }, seed: { type: 'string' }, history: { type: 'string' } },
    async run(app, values) {
      // The channel's own schema, so the CLI refuses exactly what the app refuses.
      const parsed = demoGenerateInput.safeParse({
        cases: parseInteger(values.cases, '--cases'),
        seed: values.seed === undefined ? 1 : parseInteger(values.seed, '--seed'),
        history: values.history
      })
      if (!parsed.success)
        throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])} : ${i.message}`).join('\n'))
      const { cases, seed, history } = parsed.data
      let lastReport = 0
      const result = await app.services.demo.generate({
        cases,
        seed,
        history,
        onProgress: (written, total) => {
          if (values.json || written - lastReport < total / 10) return
          lastReport = written
          process.stderr.write(`  ${written.toLocaleString('fr-FR')} / ${total.toLocaleString('fr-FR')} dossiers\n`)
        }
      })
      return result
    },
    print: (result: Awaited<ReturnType<RecouvraApp['services']['demo']['generate']>>) =>
      [
        `Portefeuille de démonstration créé en ${(result.durationMs / 1000).toFixed(1)} s (graine ${result.seed}) :`,
        `  ${result.counts.cases} dossiers, ${result.counts.debtors} débiteurs, ${result.counts.clients} clients,`,
        `  ${result.counts.claims} créances, ${result.counts.journalEntries} entrées de journal, ${result.counts.payments} paiements.`
      ].join('\n')
  },
  interest: {
    summary: 'Intérêts de retard d’un montant entre deux dates, semestre par semestre (taux de la base).',
    usage:
      'interest --principal 1234.56 --from AAAA-MM-JJ --to AAAA-MM-JJ --basis legal|b2b|contract:<taux> --creditor individual|other [--judgment AAAA-MM-JJ] [--json]',
    options: {
      principal: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      basis: { type: 'string' },
      creditor: { type: 'string' },
      judgment: { type: 'string' }
    },
    check: (values) => void parseInterestArgs(values),
    async run(app, values) {
      const args = asUsage(() => parseInterestArgs(values))
      const rates = await app.db.read((manager) => app.services.rates.table(manager))
      return interestReport(args, rates)
    },
    print: formatInterestReport
  },
  statement: {
    summary: 'Décompte d’un dossier à une date (le même que dans le dossier, les courriers et les exports).',
    usage: 'statement --case <référence> --at AAAA-MM-JJ [--json]',
    options: { case: { type: 'string' }, at: { type: 'string' } },
    check: (values) => void parseStatementArgs(values),
    async run(app, values) {
      const { reference, at } = asUsage(() => parseStatementArgs(values))
      const caseId = await app.services.statements.caseIdByReference(reference)
      return app.call('money:statement', { caseId, at })
    },
    print: formatStatement
  },
  import: {
    summary: 'Importe les impayés d’un client (.xlsx ou CSV) ; --dry-run affiche l’aperçu sans rien enregistrer.',
    usage: IMPORT_CLI_USAGE,
    positional: 'file',
    options: IMPORT_CLI_OPTIONS,
    check: (values) => void parseImportArgs(values),
    run: (app, values) => runImportCli(app, values),
    print: formatImportCli
  },
  report: {
    summary: 'Écrit un rapport Excel (balance âgée, performance, activité, reversements, portefeuille filtré).',
    usage: REPORT_CLI_USAGE,
    positional: 'kind',
    options: REPORT_CLI_OPTIONS,
    check: (values) => void parseReportArgs(values),
    run: (app, values) => runReportCli(app, values),
    print: formatReportCli
  },
  dunning: {
    summary: 'Relances du jour à une date : aperçu (--preview) ou exécution (étapes dues, courriers, journal).',
    usage: DUNNING_CLI_USAGE,
    positional: 'action',
    options: DUNNING_CLI_OPTIONS,
    check: (values) => void parseDunningArgs(values),
    run: (app, values) => runDunningCli(app, values),
    print: formatDunningCli
  },
  sync: {
    summary:
      'Travail terrain : sortir des dossiers sur un portable, synchroniser, voir l’état, résoudre un conflit, rendre les dossiers.',
    usage: SYNC_CLI_USAGE,
    positional: 'action',
    options: SYNC_CLI_OPTIONS,
    check: (values) => void parseSyncArgs(values),
    run: (app, values) => runSyncCli(app, values),
    print: formatSyncCli
  },
  ...(TRUST_COMMANDS as unknown as Record<string, Command>),
  ...(DB_COMMANDS as unknown as Record<string, Command>),
  info: {
    summary: 'Affiche la version, le dossier de données et le contenu de la base.',
    usage: 'info [--data-dir DIR] [--json]',
    options: {},
    run: (app) => app.call('app:info', {}),
    print: (info: Awaited<ReturnType<RecouvraApp['services']['app']['info']>>) =>
      [
        `Recouvra ${info.version} — schéma ${info.schemaVersion} — ${info.databaseEngine}`,
        `Base : ${info.databaseFile}`,
        ...Object.entries(info.counts).map(([k, v]) => `  ${k}: ${v}`)
      ].join('\n')
  }
}

function parseInteger(value: string | boolean | undefined, name: string): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    throw new UsageError(`${name} attend un nombre entier positif.`)
  return Number(value)
}

class UsageError extends Error {}

/** Argument errors of the domain commands become usage errors (one French line, exit code 2). */
function asUsage<T>(parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof CliArgumentError) throw new UsageError(error.message)
    throw error
  }
}

/** Errors are one line on stderr, so scripts can show or log them as they are. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ; ')
}

/** node:util parseArgs speaks English: say the same in French. */
function argumentErrorFr(error: unknown): string {
  const { code, message } = error as { code?: string; message: string }
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? ''
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `option inconnue ${quoted}`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `option ${quoted.split(' ')[0]} mal formée (une valeur est attendue)`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `argument inattendu ${quoted}`
    default:
      return oneLine(message)
  }
}

function help(): string {
  return [
    'Usage : npm run cli -- <commande> [options]',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(52)} ${c.summary}`),
    '',
    'Options communes : --data-dir DIR (ou RECOUVRA_DATA_DIR), --database postgres://… (ou RECOUVRA_DATABASE_URL ; base partagée du cabinet), --json'
  ].join('\n')
}

async function main(argv: string[]): Promise<number> {
  // Two-word commands: `audit verify`, `backup create`.
  const twoWords = argv[0] && argv[1] ? `${argv[0]} ${argv[1]}` : ''
  const [name, ...rest] = twoWords in COMMANDS ? [twoWords, ...argv.slice(2)] : argv
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(help() + '\n')
    return name ? 0 : 2
  }
  const command = COMMANDS[name]
  if (!command) {
    process.stderr.write(`Commande inconnue : ${name}\n\n${help()}\n`)
    return 2
  }
  let values: Record<string, string | boolean | undefined>
  const positional = command.positional && rest[0] && !rest[0].startsWith('-') ? rest[0] : undefined
  try {
    values = parseArgs({
      args: positional ? rest.slice(1) : rest,
      options: {
        ...command.options,
        'data-dir': { type: 'string' },
        database: { type: 'string' },
        json: { type: 'boolean' }
      },
      allowPositionals: false
    }).values as Record<string, string | boolean | undefined>
    if (positional) values[command.positional!] = positional
  } catch (error) {
    process.stderr.write(`Erreur : ${argumentErrorFr(error)} (usage : npm run cli -- ${command.usage})\n`)
    return 2
  }
  try {
    asUsage(() => command.check?.(values))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`Erreur : ${oneLine(error.message)} (usage : npm run cli -- ${command.usage})\n`)
    return 2
  }
  if (command.standalone) {
    const result = await command.standalone(values)
    process.stdout.write((values.json ? JSON.stringify(result, null, 2) : command.print(result as never)) + '\n')
    return 0
  }
  const dataDir = resolveDataDir(typeof values['data-dir'] === 'string' ? ['--data-dir', values['data-dir']] : [])
  const databaseUrl = resolveDatabaseUrl(
    typeof values.database === 'string' ? ['--database', values.database] : [],
    process.env,
    dataDir
  )
  const app = await createApp({ dataDir, databaseUrl })
  try {
    const result = await command.run(app, values)
    process.stdout.write((values.json ? JSON.stringify(result, null, 2) : command.print(result as never)) + '\n')
    return 0
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`Erreur : ${oneLine(error.message)} (usage : npm run cli -- ${command.usage})\n`)
      return 2
    }
    const message = error instanceof RpcCallError ? error.message : (error as { userMessage?: string }).userMessage
    if (message) {
      process.stderr.write(`Erreur : ${oneLine(message)}\n`)
      if (values.json) process.stdout.write(JSON.stringify({ ok: false, error: message }) + '\n')
      return 1
    }
    throw error
  } finally {
    await app.close()
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    log.error('CLI failed', error)
    process.exitCode = 1
  }
)
