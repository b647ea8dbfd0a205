import { hostname } from 'node:os'
import { resolve } from 'node:path'
import type {
  SyncCheckoutResult,
  SyncCheckoutSummary,
  SyncConflictView,
  SyncReturnResult,
  SyncRunResult,
  SyncStatus
} from '@shared/contract'
import { formatDate } from '@shared/format/french'
import type { RecouvraApp } from '../../app/create-app'
import { CliArgumentError } from '../money/money-cli'
import { CaseEntity } from '../cases/case.entity'
import { ClientEntity } from '../clients/client.entity'
import { UserEntity } from '../users/user.entity'
import { checkoutSelection } from './sync.handlers'
import { officeLocationOf } from './sync.service'

/**
 * `npm run cli -- sync checkout|run|status|resolve|return …`: field work from the command line.
 * `checkout` runs on the office database (--data-dir of the office); the others on a laptop's copy.
 */
export const SYNC_CLI_USAGE =
  'sync checkout (--client CODE | --view NOM | --cases REF,REF…) --collector IDENTIFIANT --to DOSSIER [--device POSTE] [--data-dir BUREAU] | ' +
  'sync run [--batch N] [--data-dir COPIE] | sync status [--data-dir DIR] | sync resolve --conflict ID --keep mine|office [--data-dir COPIE] | sync return [--data-dir COPIE]'

export const SYNC_CLI_OPTIONS = {
  client: { type: 'string' },
  view: { type: 'string' },
  cases: { type: 'string' },
  collector: { type: 'string' },
  device: { type: 'string' },
  to: { type: 'string' },
  batch: { type: 'string' },
  conflict: { type: 'string' },
  keep: { type: 'string' }
} as const

type Values = Record<string, string | boolean | undefined>

export function parseSyncArgs(values: Values): void {
  const action = values.action
  if (action === 'checkout') {
    const selections = ['client', 'view', 'cases'].filter((k) => typeof values[k] === 'string')
    if (selections.length !== 1) throw new CliArgumentError('indiquez une sélection : --client, --view ou --cases')
    if (typeof values.collector !== 'string')
      throw new CliArgumentError('--collector attend l’identifiant du collaborateur')
    if (typeof values.to !== 'string') throw new CliArgumentError('--to attend le dossier (vide) de la copie terrain')
  } else if (action === 'run') {
    if (values.batch !== undefined && !/^\d+$/.test(String(values.batch)))
      throw new CliArgumentError('--batch attend un nombre entier positif')
  } else if (action === 'resolve') {
    if (typeof values.conflict !== 'string') throw new CliArgumentError('--conflict attend l’identifiant du conflit')
    if (values.keep !== 'mine' && values.keep !== 'office') throw new CliArgumentError('--keep attend mine ou office')
  } else if (action !== 'status' && action !== 'return') {
    throw new CliArgumentError(`action inconnue « ${String(action)} » (checkout, run, status, resolve ou return)`)
  }
}

export type SyncCliResult =
  | { action: 'checkout'; result: SyncCheckoutResult }
  | { action: 'run'; result: SyncRunResult }
  | { action: 'status'; field: SyncStatus; checkouts: SyncCheckoutSummary[] }
  | { action: 'resolve'; result: SyncConflictView }
  | { action: 'return'; result: SyncReturnResult }

export async function runSyncCli(app: RecouvraApp, values: Values): Promise<SyncCliResult> {
  parseSyncArgs(values)
  const sync = app.services.sync
  if (values.action === 'checkout') {
    const collector = await app.db.read((m) => m.findOne(UserEntity, { where: { login: String(values.collector) } }))
    if (!collector) throw new CliArgumentError(`aucun collaborateur d’identifiant « ${String(values.collector)} »`)
    const selection: { clientId?: string; viewId?: string; caseIds?: string[] } = {}
    const user = await app.services.users.sessionUser()
    if (typeof values.client === 'string') {
      const client = await app.db.read((m) => m.findOne(ClientEntity, { where: { code: String(values.client) } }))
      if (!client) throw new CliArgumentError(`aucun client de code « ${String(values.client)} »`)
      selection.clientId = client.id
    } else if (typeof values.view === 'string') {
      const view = (await app.services.portfolioViews.list(user)).find((v) => v.name === values.view)
      if (!view) throw new CliArgumentError(`aucune vue enregistrée « ${String(values.view)} »`)
      selection.viewId = view.id
    } else {
      const references = String(values.cases)
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean)
      const rows = await app.db.read((m) =>
        m
          .createQueryBuilder(CaseEntity, 'c')
          .select(['c.id AS id', 'c.reference AS reference'])
          .where('c.reference IN (:...references)', { references })
          .getRawMany<{ id: string; reference: string }>()
      )
      const missing = references.filter((r) => !rows.some((row) => row.reference === r))
      if (missing.length > 0) throw new CliArgumentError(`dossier(s) introuvable(s) : ${missing.join(', ')}`)
      selection.caseIds = rows.map((r) => r.id)
    }
    const input = {
      collectorId: collector.id,
      deviceId: typeof values.device === 'string' ? values.device : hostname(),
      targetDir: resolve(String(values.to)),
      ...selection
    }
    const { caseIds, label } = await checkoutSelection(
      { sync, cases: app.services.cases, views: app.services.portfolioViews, users: app.services.users },
      input,
      user
    )
    const result = await sync.checkout({ ...input, caseIds, label, officeLocation: officeLocationOf(app.db) }, user.id)
    return { action: 'checkout', result }
  }
  if (values.action === 'run') {
    const result = await sync.run({
      ...(values.batch !== undefined ? { batchSize: Number(values.batch) } : {}),
      afterBatch: ({ phase, table }) => {
        if (!values.json) process.stderr.write(`  ${phase} ${table}\n`)
      }
    })
    return { action: 'run', result }
  }
  if (values.action === 'resolve') {
    const user = await app.services.users.sessionUser()
    const result = await sync.resolve(
      { conflictId: String(values.conflict), choice: values.keep as 'mine' | 'office' },
      user.id
    )
    return { action: 'resolve', result }
  }
  if (values.action === 'return') return { action: 'return', result: await sync.returnCheckout() }
  return { action: 'status', field: await sync.status(), checkouts: await sync.listCheckouts() }
}

function when(instant: string | null): string {
  return instant ? `${formatDate(instant.slice(0, 10))} ${instant.slice(11, 16)} UTC` : 'jamais'
}

function formatValue(value: unknown): string {
  return value === null || value === undefined ? '(vide)' : String(value)
}

export function formatSyncCli(out: SyncCliResult): string {
  if (out.action === 'checkout') {
    const r = out.result
    return `Copie terrain créée dans ${r.targetDir} : ${r.caseCount} dossier(s), ${r.rowCount} enregistrements, ${r.fileCount} fichier(s).`
  }
  if (out.action === 'run') {
    const r = out.result
    return [
      `Synchronisation terminée${r.resumed ? ' (reprise après une coupure)' : ''} en ${(r.durationMs / 1000).toFixed(1)} s :`,
      `  ${r.sent} enregistrement(s) envoyé(s), ${r.applied} modification(s) appliquée(s), ${r.pulled} reçu(s) du cabinet.`,
      r.openConflicts > 0
        ? `  ${r.openConflicts} conflit(s) à résoudre (npm run cli -- sync status).`
        : '  Aucun conflit en attente.',
      ...(r.waiting > 0
        ? [
            `  ${r.waiting} enregistrement(s) du terrain retenu(s) : leur dossier ou débiteur a été supprimé au cabinet ; ils seront envoyés une fois le conflit réglé.`
          ]
        : [])
    ].join('\n')
  }
  if (out.action === 'resolve') return `Conflit résolu : ${out.result.label}.`
  if (out.action === 'return') {
    const r = out.result
    return [
      `Dossiers rendus au cabinet le ${when(r.returnedAt)} : ${r.caseCount} dossier(s), synchronisation finale (${r.sent} envoyé(s), ${r.pulled} reçu(s)).`,
      '  Cette copie terrain est désormais en lecture seule et ne se synchronise plus : vous pouvez supprimer son dossier.'
    ].join('\n')
  }
  const lines: string[] = []
  const f = out.field
  if (f.fieldCopy) {
    lines.push(
      `Copie terrain « ${f.label} » (poste ${f.deviceId}), cabinet : ${f.officeLocation}`,
      `  ${f.caseCount} dossier(s), sortis le ${when(f.checkedOutAt)}, dernière synchronisation : ${when(f.lastSyncAt)} (${f.lastRunStatus})`,
      `  À envoyer : ${f.pendingNew} nouvel(s) enregistrement(s), ${f.pendingEdits} modification(s)${f.pendingWaiting > 0 ? `, ${f.pendingWaiting} en attente de la résolution d’un conflit` : ''}${f.resumable ? ' — synchronisation interrompue, elle reprendra où elle s’est arrêtée' : ''}`
    )
    const open = f.conflicts.filter((c) => c.status === 'open')
    lines.push(open.length > 0 ? `  Conflits à résoudre (${open.length}) :` : '  Aucun conflit en attente.')
    for (const c of open) {
      lines.push(`    ${c.id}  ${c.label}`)
      if (c.waitingLine) lines.push(`      ${c.waitingLine}`)
      for (const [column, v] of Object.entries(c.columns)) {
        lines.push(`      ${column} : terrain ${formatValue(v.mine)} / cabinet ${formatValue(v.office)}`)
      }
    }
  }
  if (out.checkouts.length > 0) {
    lines.push('Dossiers sortis sur le terrain :')
    for (const c of out.checkouts) {
      lines.push(
        `  ${c.label} — ${c.collectorName ?? c.collectorId}, poste ${c.deviceId}, ${c.caseCount} dossier(s), sortis le ${when(c.createdAt)}, synchronisés : ${when(c.lastSyncAt)}${c.openConflicts > 0 ? `, ${c.openConflicts} conflit(s)` : ''}`
      )
    }
  }
  if (lines.length === 0) lines.push('Aucun dossier sorti sur le terrain, et cette base n’est pas une copie terrain.')
  return lines.join('\n')
}
