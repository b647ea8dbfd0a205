/**
 * The money commands of the CLI (`interest`, `statement`): argument parsing and printing, kept
 * here so tests can call them without spawning a process. src-main/cli.ts wires them in.
 */
import type { CaseStatement } from '@shared/contract'
import { isCalendarDate, type CalendarDate } from '@shared/dates/calendar-date'
import { formatBasisPoints, formatCents, formatDate, formatDays } from '@shared/format/french'
import { type RateTable, PIECE_BASIS_LABELS_FR, computeInterest, percentToBasisPoints } from '@shared/money'
import { withRates } from './money-errors'

/** A bad command-line argument; the message is one French line. */
export class CliArgumentError extends Error {}

export interface InterestArgs {
  principalCents: number
  from: CalendarDate
  to: CalendarDate
  basis: 'legal' | 'b2b_penalty' | 'contractual'
  contractualRateBp?: number
  creditorIsConsumer: boolean
  judgmentEnforceableOn?: CalendarDate
}

/** What `interest --json` prints, key for key. */
export interface InterestReport {
  interestCents: number
  periods: Array<{ from: CalendarDate; to: CalendarDate; days: number; ratePercent: number; interestCents: number }>
}

type Values = Record<string, string | boolean | undefined>

function text(values: Values, name: string, example: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CliArgumentError(`--${name} est obligatoire (ex. --${name} ${example}).`)
  }
  return value.trim()
}

function date(values: Values, name: string): CalendarDate {
  const value = text(values, name, '2024-05-01')
  if (!isCalendarDate(value)) throw new CliArgumentError(`--${name} : date invalide « ${value} » (format AAAA-MM-JJ).`)
  return value
}

/** "1234.56" or "1234,56" → 123456 cents, exactly; more than two decimals is refused. */
export function parseEuros(value: string, name: string): number {
  const match = /^(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(value)
  if (!match) {
    throw new CliArgumentError(
      `--${name} : montant invalide « ${value} » (euros positifs, deux décimales au plus, ex. 1234.56).`
    )
  }
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

export function parseInterestArgs(values: Values): InterestArgs {
  const principalCents = parseEuros(text(values, 'principal', '1234.56'), 'principal')
  const from = date(values, 'from')
  const to = date(values, 'to')
  if (to < from) throw new CliArgumentError(`--to (${to}) précède --from (${from}).`)
  const basisText = text(values, 'basis', 'legal')
  let basis: InterestArgs['basis']
  let contractualRateBp: number | undefined
  if (basisText === 'legal') basis = 'legal'
  else if (basisText === 'b2b') basis = 'b2b_penalty'
  else if (basisText.startsWith('contract:')) {
    basis = 'contractual'
    const rate = basisText.slice('contract:'.length).replace(',', '.')
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(rate)) {
      throw new CliArgumentError(
        `--basis : taux contractuel invalide « ${rate} » (pourcentage, deux décimales au plus, ex. contract:12.5).`
      )
    }
    contractualRateBp = percentToBasisPoints(rate)
  } else {
    throw new CliArgumentError(`--basis : « ${basisText} » inconnu (legal, b2b ou contract:<taux>).`)
  }
  const creditor = text(values, 'creditor', 'other')
  if (creditor !== 'individual' && creditor !== 'other') {
    throw new CliArgumentError(`--creditor : « ${creditor} » inconnu (individual ou other).`)
  }
  const judgment = values.judgment === undefined ? undefined : date(values, 'judgment')
  if (judgment !== undefined && basis !== 'legal') {
    throw new CliArgumentError(
      '--judgment : la majoration de 5 points ne s’applique qu’à l’intérêt légal (--basis legal).'
    )
  }
  return {
    principalCents,
    from,
    to,
    basis,
    ...(contractualRateBp !== undefined && { contractualRateBp }),
    creditorIsConsumer: creditor === 'individual',
    ...(judgment !== undefined && { judgmentEnforceableOn: judgment })
  }
}

/** Interest by period with the rate tables of the database; a missing semester is refused. */
export function interestReport(args: InterestArgs, rates: RateTable): InterestReport {
  const result = withRates(() => computeInterest({ ...args, rates }))
  return {
    interestCents: result.totalCents,
    periods: result.pieces.map((piece) => ({
      from: piece.from,
      to: piece.to,
      days: piece.days,
      ratePercent: piece.rateBp / 100,
      interestCents: piece.amountCents
    }))
  }
}

export function formatInterestReport(report: InterestReport): string {
  return [
    ...report.periods.map(
      (p) =>
        `  du ${formatDate(p.from)} au ${formatDate(p.to)} (exclu) : ${formatDays(p.days)} à ` +
        `${formatBasisPoints(Math.round(p.ratePercent * 100))} → ${formatCents(p.interestCents)}`
    ),
    `Intérêts : ${formatCents(report.interestCents)}`
  ].join('\n')
}

export function parseStatementArgs(values: Values): { reference: string; at: CalendarDate } {
  return { reference: text(values, 'case', 'REC-2026-000001'), at: date(values, 'at') }
}

export function formatStatement(s: CaseStatement): string {
  const lines = [
    `Décompte du dossier ${s.caseReference} au ${formatDate(s.at)}`,
    `Créancier : ${s.creditor.name} — Débiteur : ${s.debtor.name}`
  ]
  for (const claim of s.claims) {
    lines.push(
      `Facture ${claim.invoiceNumber} (échue le ${formatDate(claim.dueDate)}) : principal ${formatCents(claim.principalCents)}` +
        (claim.timeBarred ? ` — PRESCRITE depuis le ${formatDate(claim.prescription.expiresOn)}` : '')
    )
    for (const piece of claim.interestPieces) {
      lines.push(
        `  ${PIECE_BASIS_LABELS_FR[piece.basis]} du ${formatDate(piece.from)} au ${formatDate(piece.to)} : ` +
          `${formatDays(piece.days)} à ${formatBasisPoints(piece.rateBp)} sur ${formatCents(piece.principalCents)} → ${formatCents(piece.amountCents)}`
      )
    }
    if (claim.indemnityCents)
      lines.push(`  Indemnité forfaitaire de recouvrement : ${formatCents(claim.indemnityCents)}`)
    for (const p of claim.payments) lines.push(`  Paiement du ${formatDate(p.paidOn)} : −${formatCents(p.totalCents)}`)
    lines.push(`  Solde : ${formatCents(claim.balance.totalCents)}`)
  }
  lines.push(
    `Total dû : ${formatCents(s.totals.balanceCents)} (principal ${formatCents(s.totals.principalCents)}, ` +
      `intérêts ${formatCents(s.totals.interestCents)}, indemnités ${formatCents(s.totals.indemnityCents)}, ` +
      `payé ${formatCents(s.totals.paidCents)})`
  )
  if (s.timeBarredBalanceCents) {
    lines.push(`Dont prescrit (non exigible) : ${formatCents(s.timeBarredBalanceCents)}`)
  }
  return lines.join('\n')
}
