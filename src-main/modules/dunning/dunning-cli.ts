import type { DunningPreview } from '@shared/contract'
import { isCalendarDate } from '@shared/dates/calendar-date'
import { DUNNING_CHANNEL_LABELS } from '@shared/dunning/scenario'
import { DUNNING_SKIP_LABELS } from '@shared/contract'
import { formatCents, formatDate } from '@shared/format/french'
import type { RecouvraApp } from '../../app/create-app'
import { CliArgumentError } from '../money/money-cli'
import type { RunResult } from './dunning.service'

/** `npm run cli -- dunning run --at AAAA-MM-JJ [--preview] [--json]` */
export const DUNNING_CLI_USAGE = 'dunning run --at AAAA-MM-JJ [--preview] [--json]'
export const DUNNING_CLI_OPTIONS = { at: { type: 'string' }, preview: { type: 'boolean' } } as const

export function parseDunningArgs(values: Record<string, string | boolean | undefined>): {
  at: string
  preview: boolean
} {
  if (values.action !== undefined && values.action !== 'run')
    throw new CliArgumentError(`action inconnue « ${String(values.action)} » (seule « run » existe)`)
  if (typeof values.at !== 'string' || !isCalendarDate(values.at))
    throw new CliArgumentError('--at attend une date AAAA-MM-JJ')
  return { at: values.at, preview: values.preview === true }
}

export type DunningCliResult = { preview: DunningPreview } | { run: RunResult; preview: DunningPreview }

export async function runDunningCli(
  app: RecouvraApp,
  values: Record<string, string | boolean | undefined>
): Promise<DunningCliResult> {
  const { at, preview } = parseDunningArgs(values)
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
        ? `Lot enregistré : ${r.actions} étape(s), ${r.letters} courrier(s) à imprimer${r.printFile ? ` (${r.printFile})` : ''}, en ${(r.durationMs / 1000).toFixed(1)} s.`
        : 'Aucune étape enregistrée.'
    )
    for (const f of r.failures) lines.push(`  Non fait ${f.caseReference} (${f.stepName}) : ${f.reason}`)
  } else {
    lines.push('Aperçu seulement : rien n’a été enregistré (sans --preview, ces étapes sont exécutées).')
  }
  return lines.join('\n')
}
