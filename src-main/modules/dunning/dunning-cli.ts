import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DunningPreview, DunningSendJob } from '@shared/contract'
import { isCalendarDate } from '@shared/dates/calendar-date'
import { DUNNING_CHANNEL_LABELS } from '@shared/dunning/scenario'
import { DUNNING_SKIP_LABELS } from '@shared/contract'
import { formatCents, formatDate } from '@shared/format/french'
import type { RecouvraApp } from '../../app/create-app'
import { CliArgumentError } from '../money/money-cli'
import type { RunResult } from './dunning.service'

/**
 * `npm run cli -- dunning run --at AAAA-MM-JJ [--preview] [--json]`
 * `npm run cli -- dunning send --batch ID [--eml-dir DOSSIER]`: the batch's unsent e-mails
 * through SMTP (Paramètres), or written as .eml files into a folder (offline).
 */
export const DUNNING_CLI_USAGE =
  'dunning run --at AAAA-MM-JJ [--preview] [--json] | dunning send --batch ID [--eml-dir DOSSIER]'
export const DUNNING_CLI_OPTIONS = {
  at: { type: 'string' },
  preview: { type: 'boolean' },
  batch: { type: 'string' },
  'eml-dir': { type: 'string' }
} as const

export function parseDunningArgs(
  values: Record<string, string | boolean | undefined>
): { action: 'run'; at: string; preview: boolean } | { action: 'send'; batchId: string; emlDir: string | null } {
  if (values.action === 'send') {
    if (typeof values.batch !== 'string' || !/^[0-9a-f-]{36}$/i.test(values.batch))
      throw new CliArgumentError('--batch attend l’identifiant d’un lot de relances')
    const emlDir = values['eml-dir']
    return { action: 'send', batchId: values.batch, emlDir: typeof emlDir === 'string' ? emlDir : null }
  }
  if (values.action !== undefined && values.action !== 'run')
    throw new CliArgumentError(`action inconnue « ${String(values.action)} » (« run » ou « send »)`)
  if (typeof values.at !== 'string' || !isCalendarDate(values.at))
    throw new CliArgumentError('--at attend une date AAAA-MM-JJ')
  return { action: 'run', at: values.at, preview: values.preview === true }
}

export type DunningCliResult =
  | { preview: DunningPreview }
  | { run: RunResult; preview: DunningPreview }
  | { send: DunningSendJob }
  | { emlDir: string; files: string[] }

export async function runDunningCli(
  app: RecouvraApp,
  values: Record<string, string | boolean | undefined>
): Promise<DunningCliResult> {
  const args = parseDunningArgs(values)
  if (args.action === 'send') {
    const user = await app.services.users.sessionUser()
    if (args.emlDir) {
      const { files } = await app.services.batchSend.emlFiles(args.batchId, user)
      mkdirSync(args.emlDir, { recursive: true })
      // Never overwrites a file already there (a previous export).
      for (const f of files) writeFileSync(join(args.emlDir, f.name), f.content, { flag: 'wx' })
      return { emlDir: args.emlDir, files: files.map((f) => f.name) }
    }
    const job = await app.services.batchSend.sendEmails({ batchId: args.batchId }, user)
    return { send: await app.services.batchSend.waitFor(job.jobId) }
  }
  const { at, preview } = args
  const shown = await app.services.dunning.preview({ at }, Number.POSITIVE_INFINITY)
  if (preview) return { preview: shown }
  const user = await app.services.users.sessionUser()
  let last = 0
  const run = await app.services.dunning.run(at, user, {
    confirm: new Set(shown.items.map((i) => `${i.caseId}:${i.stepId}`)),
    onProgress: (done, total) => {
      if (values.json || total === 0 || (done - last < total / 10 && done !== total)) return
      last = done
      process.stderr.write(`  ${done} / ${total} étapes préparées\n`)
    }
  })
  return { run, preview: shown }
}

export function formatDunningCli(result: DunningCliResult): string {
  if ('send' in result) {
    const j = result.send
    const lines = [`E-mails du lot : ${j.sent} envoyé(s), ${j.failed} échec(s) sur ${j.total}.`]
    for (const r of j.results)
      if (r.outcome !== 'sent') lines.push(`  ${r.caseReference}  ${r.to ?? '—'}  ${r.reason ?? r.outcome}`)
    if (j.message) lines.push(j.message)
    return lines.join('\n')
  }
  if ('emlDir' in result)
    return [
      `${result.files.length} fichier(s) .eml écrits dans ${result.emlDir} :`,
      ...result.files.map((f) => `  ${f}`)
    ].join('\n')
  const p = result.preview
  const lines = [
    `Relances au ${formatDate(p.at)} : ${p.casesExamined} dossiers examinés, ${p.items.length} étape(s) dues, ${p.errors.length} dossier(s) en erreur.`
  ]
  for (const item of p.items.slice(0, 50)) {
    lines.push(
      `  ${item.caseReference}  ${item.debtorName}  ${item.stepName} (${DUNNING_CHANNEL_LABELS[item.channel]})  ${formatCents(item.balanceCents)}`
    )
  }
  if (p.items.length > 50) lines.push(`  … et ${p.items.length - 50} autre(s)`)
  for (const [code, n] of Object.entries(p.skipped))
    lines.push(`  Non relancés — ${DUNNING_SKIP_LABELS[code] ?? code} : ${n}`)
  for (const e of p.errors) lines.push(`  Erreur ${e.caseReference} (${e.stepName}) : ${e.reason}`)
  if ('run' in result) {
    const r = result.run
    lines.push(
      r.batchId
        ? `Lot enregistré ${r.batchId} : ${r.actions} étape(s), ${r.letters} courrier(s) à imprimer${r.printFile ? ` (${r.printFile})` : ''}, en ${(r.durationMs / 1000).toFixed(1)} s.`
        : 'Aucune étape enregistrée.'
    )
    for (const f of r.failures) lines.push(`  Non fait ${f.caseReference} (${f.stepName}) : ${f.reason}`)
  } else {
    lines.push('Aperçu seulement : rien n’a été enregistré (sans --preview, ces étapes sont exécutées).')
  }
  return lines.join('\n')
}
