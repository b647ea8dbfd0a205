import { dirname, resolve } from 'node:path'
import { redactUrl } from './database'
import { copySqliteToPostgres, type CopyReport } from './db-copy'
import { isPostgresUrl } from '../platform/database-target'
import { CliArgumentError } from '../modules/money/money-cli'
import type { RecouvraApp } from '../app/create-app'
import { runCollectorLoad, type LoadTestResult } from './load-test'
import { collectStoredFiles, DEFAULT_GRACE_HOURS, type FilesGcReport } from '../modules/documents/file-gc'

const formatMegabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} Mo`

/**
 * `npm run cli -- db copy --from <file.sqlite> --to postgres://…`: the embedded file into the
 * agency's shared server (see db-copy.ts). Standalone: it opens no app on the data folder.
 */
function positiveInteger(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1)
    throw new CliArgumentError(`${name} attend un nombre entier positif.`)
  return Number(value)
}

export const DB_COMMANDS = {
  'db files-gc': {
    summary:
      'Supprime les fichiers stockés (courriers, e-mails, logos…) que plus rien ne référence, et borne le cache de fichiers de ce poste (mode cabinet).',
    usage: 'db files-gc [--grace-hours 24] [--cache-mb 1024] [--dry-run] [--json]',
    options: { 'grace-hours': { type: 'string' }, 'cache-mb': { type: 'string' }, 'dry-run': { type: 'boolean' } },
    check(values: Record<string, string | boolean | undefined>): void {
      positiveInteger(values['grace-hours'], '--grace-hours', DEFAULT_GRACE_HOURS)
      positiveInteger(values['cache-mb'], '--cache-mb', 1024)
    },
    run: (app: RecouvraApp, values: Record<string, string | boolean | undefined>) =>
      collectStoredFiles(app.db, {
        graceHours: positiveInteger(values['grace-hours'], '--grace-hours', DEFAULT_GRACE_HOURS),
        cacheBytes: positiveInteger(values['cache-mb'], '--cache-mb', 1024) * 1024 * 1024,
        dryRun: values['dry-run'] === true
      }),
    print: (r: FilesGcReport) =>
      [
        `${r.removed} fichier(s) non référencé(s) ${r.dryRun ? 'à supprimer (essai : rien n’a été supprimé)' : 'supprimé(s)'} (${formatMegabytes(r.removedBytes)}), ${r.kept} conservé(s) ${r.engine === 'postgres' ? 'sur le serveur' : 'dans le dossier de données'}.`,
        ...(r.cache
          ? [
              `Cache de ce poste : ${r.cache.removed} fichier(s) retiré(s) (${formatMegabytes(r.cache.removedBytes)}), ${formatMegabytes(r.cache.keptBytes)} gardés ; ils seront relus depuis le serveur au besoin.`
            ]
          : [])
      ].join('\n')
  },
  'db load-test': {
    summary:
      'Simule un gestionnaire (appels, paiements, consultation) pendant N secondes : mesure de charge du mode cabinet.',
    usage: 'db load-test --database postgres://… [--seconds 60] [--seed 1] [--json]',
    options: { seconds: { type: 'string' }, seed: { type: 'string' } },
    check(values: Record<string, string | boolean | undefined>): void {
      positiveInteger(values.seconds, '--seconds', 60)
      positiveInteger(values.seed, '--seed', 1)
    },
    run: (app: RecouvraApp, values: Record<string, string | boolean | undefined>) =>
      runCollectorLoad(app, {
        seconds: positiveInteger(values.seconds, '--seconds', 60),
        seed: positiveInteger(values.seed, '--seed', 1)
      }),
    print: (r: LoadTestResult) =>
      [
        `${r.operations} opérations en ${r.seconds} s (${(r.operations / r.seconds).toFixed(1)}/s), ${r.refused} refusées, ${r.errors.length} erreurs`,
        ...Object.entries(r.byKind).map(
          ([kind, k]) => `  ${kind.padEnd(10)} ${String(k.count).padStart(6)}  p50 ${k.p50Ms} ms  p95 ${k.p95Ms} ms`
        ),
        ...r.errors.map((e) => `  ! ${e}`)
      ].join('\n')
  },
  'db copy': {
    summary: 'Copie une base SQLite (le fichier du poste) dans un serveur PostgreSQL partagé (mode cabinet).',
    usage: 'db copy --from FICHIER.sqlite --to postgres://utilisateur:motdepasse@serveur:5432/base [--json]',
    options: { from: { type: 'string' }, to: { type: 'string' } },
    check(values: Record<string, string | boolean | undefined>): void {
      if (typeof values.from !== 'string') throw new CliArgumentError('--from attend le fichier SQLite à copier.')
      if (typeof values.to !== 'string' || !isPostgresUrl(values.to))
        throw new CliArgumentError('--to attend l’adresse du serveur PostgreSQL (postgres://…).')
    },
    async standalone(values: Record<string, string | boolean | undefined>): Promise<CopyReport & { to: string }> {
      const from = resolve(String(values.from))
      const to = String(values.to)
      const report = await copySqliteToPostgres(from, to, {
        dataDir: dirname(from),
        onTable: (t) =>
          process.stderr.write(
            `${t.table.padEnd(28)} ${String(t.rows).padStart(9)} ${t.skipped ? 'déjà copiée' : `${t.ms} ms`}\n`
          )
      })
      return { ...report, to: redactUrl(to) }
    },
    run(): Promise<never> {
      return Promise.reject(new Error('db copy runs standalone'))
    },
    print: (report: CopyReport & { to: string }) =>
      [
        `Copie terminée vers ${report.to} : ${report.tables.length} tables, ${report.totalRows} lignes, comptes vérifiés, ${report.storedFiles} fichier(s) de documents envoyés au serveur (${Math.round(report.ms / 1000)} s).`,
        'Pointez ensuite chaque poste vers ce serveur : Paramètres › Base de données, ou --database / RECOUVRA_DATABASE_URL.'
      ].join('\n')
  }
}
