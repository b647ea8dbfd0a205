import {
  AppError,
  BACKUP_KIND_LABELS,
  type AuditChainCheck,
  type BackupInfo,
  type BackupOverview,
  type FileRestoreResult,
  type RestoreResult
} from '@shared/contract'
import { basename, resolve } from 'node:path'
import { formatInstant } from '@shared/format/french'
import type { RecouvraApp } from '../../app/create-app'
import { CliArgumentError } from '../money/money-cli'
import { PasswordInputError, readPassword, type SecretInput } from '../users/read-password'

/**
 * Command-line side of the trust features: `audit verify`, `backup create|list|restore`. Same
 * shape as the CLI's other commands (src-main/cli.ts registers them).
 */

type Values = Record<string, string | boolean | undefined>

function size(bytes: number): string {
  return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`
}

function backupLine(b: BackupInfo): string {
  return `  ${formatInstant(b.createdAt)}  ${BACKUP_KIND_LABELS[b.kind].padEnd(20)} ${size(b.sizeBytes).padStart(10)}  ${b.name}`
}

export const TRUST_COMMANDS = {
  'audit verify': {
    summary: 'Vérifie la chaîne d’empreintes du journal d’audit et nomme la première entrée altérée.',
    usage: 'audit verify [--data-dir DIR] [--json]',
    options: {},
    async run(app: RecouvraApp): Promise<AuditChainCheck> {
      const check = await app.services.audit.verify()
      // Exit code 1 and the French sentence on stderr when the chain is broken.
      if (!check.ok)
        throw new AppError('BUSINESS_RULE', check.message, `Audit chain broken at seq ${check.firstBroken?.seq}`)
      return check
    },
    print: (check: AuditChainCheck) => check.message
  },
  'backup create': {
    summary: 'Écrit une sauvegarde manuelle cohérente de la base (dossier « backups »).',
    usage: 'backup create [--data-dir DIR] [--json]',
    options: {},
    run: (app: RecouvraApp) => app.call('backup:create', {}),
    print: (b: BackupInfo) => `Sauvegarde écrite :\n${backupLine(b)}`
  },
  'backup list': {
    summary: 'Liste les sauvegardes, de la plus récente à la plus ancienne.',
    usage: 'backup list [--data-dir DIR] [--json]',
    options: {},
    run: (app: RecouvraApp) => app.call('backup:list', {}),
    print: (o: BackupOverview) =>
      [
        `Dossier : ${o.folder} (sauvegardes automatiques gardées ${o.retentionDays} jours)`,
        ...(o.backups.length === 0 ? ['  Aucune sauvegarde.'] : o.backups.map(backupLine))
      ].join('\n')
  },
  'users password': {
    summary:
      'Donne un nouveau mot de passe à un compte (administrateur qui a oublié le sien, par exemple) ; le mot de passe est lu sur l’entrée standard.',
    usage:
      'users password --login <identifiant> [--data-dir DIR]   (mot de passe tapé sans écho, ou envoyé par un tube)',
    options: { login: { type: 'string' as const }, password: { type: 'string' as const } },
    check(values: Values) {
      if (typeof values.login !== 'string') throw new CliArgumentError('--login attend l’identifiant du compte.')
    },
    async run(app: RecouvraApp, values: Values, input?: SecretInput) {
      const login = String(values.login).trim().toLowerCase()
      const account = (await app.call('users:accounts', {})).find((a) => a.login === login)
      if (!account) throw new AppError('NOT_FOUND', `Aucun compte « ${login} ».`, `No account ${login}`)
      let password: string
      if (typeof values.password === 'string') {
        // Kept for old scripts only: a password on the command line stays in the shell history.
        process.stderr.write(
          'Attention : --password laisse le mot de passe dans l’historique du shell et la liste des processus. ' +
            'Omettez-le : le mot de passe est alors demandé sans écho, ou lu sur l’entrée standard.\n'
        )
        password = values.password
      } else {
        try {
          password = await readPassword(input)
        } catch (error) {
          if (!(error instanceof PasswordInputError)) throw error
          throw new AppError('VALIDATION', error.message, 'Password not read from stdin')
        }
      }
      return app.call('users:set-password', { userId: account.id, password })
    },
    print: (a: { displayName: string; login: string }) => `Mot de passe changé pour ${a.displayName} (${a.login}).`
  },
  'backup restore': {
    summary:
      'Restaure une sauvegarde du dossier (--name) ou n’importe quel fichier de base Recouvra (--file), après un contrôle d’intégrité complet (l’état actuel est sauvegardé avant).',
    usage: 'backup restore --name <sauvegarde> | --file <chemin.sqlite> [--data-dir DIR] [--json]',
    options: { name: { type: 'string' as const }, file: { type: 'string' as const } },
    check(values: Values) {
      if ((typeof values.name === 'string') === (typeof values.file === 'string'))
        throw new CliArgumentError(
          '--name attend le nom d’une sauvegarde (voir backup list), ou --file le chemin d’un fichier .sqlite (l’un ou l’autre).'
        )
    },
    run(app: RecouvraApp, values: Values): Promise<RestoreResult | FileRestoreResult> {
      if (typeof values.file !== 'string') return app.call('backup:restore', { name: String(values.name) })
      const file = resolve(values.file)
      return app.services.backups.restoreFile(file, basename(file))
    },
    print: (r: RestoreResult | FileRestoreResult) =>
      'fileName' in r
        ? [
            `Base restaurée depuis le fichier ${r.fileName}.`,
            r.migrated > 0 ? `${r.migrated} mise(s) à jour du schéma appliquée(s).` : '',
            `L’état précédent est gardé dans ${r.safetyBackup.name}.`
          ]
            .filter(Boolean)
            .join('\n')
        : `Base restaurée depuis ${r.restored.name}.\nL’état précédent est gardé dans ${r.safetyBackup.name}.`
  }
}
