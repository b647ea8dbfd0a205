import { dirname, resolve } from 'node:path'
import { redactUrl } from './database'
import { copySqliteToPostgres, type CopyReport } from './db-copy'
import { isPostgresUrl } from '../platform/database-target'

/**
 * `npm run cli -- db copy --from <file.sqlite> --to postgres://…`: the embedded file into the
 * agency's shared server (see db-copy.ts). Standalone: it opens no app on the data folder.
 */
export const DB_COMMANDS = {
  'db copy': {
    summary: 'Copie une base SQLite (le fichier du poste) dans un serveur PostgreSQL partagé (mode cabinet).',
    usage: 'db copy --from FICHIER.sqlite --to postgres://utilisateur:motdepasse@serveur:5432/base [--json]',
    options: { from: { type: 'string' }, to: { type: 'string' } },
    check(values: Record<string, string | boolean | undefined>): void {
      if (typeof values.from !== 'string') throw new Error('--from attend le fichier SQLite à copier.')
      if (typeof values.to !== 'string' || !isPostgresUrl(values.to))
        throw new Error('--to attend l’adresse du serveur PostgreSQL (postgres://…).')
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
        `Copie terminée vers ${report.to} : ${report.tables.length} tables, ${report.totalRows} lignes, comptes vérifiés (${Math.round(report.ms / 1000)} s).`,
        'Pointez ensuite chaque poste vers ce serveur : Paramètres › Base de données, ou --database / RECOUVRA_DATABASE_URL.'
      ].join('\n')
  }
}
