/**
 * Dunning scenarios (scénarios de relance), pure: which step of a case's scenario is due at a
 * date, given the case's facts and the steps already taken. No Node, DOM or database here: the
 * daily engine, the preview, the settings page and the unit tests all decide through this file.
 */
import { addDays, type CalendarDate } from '../dates/calendar-date'
import type { CasePhase, CaseStatus } from '../domain/enums'
import type { PartyKind } from '../money/parties'

export const DUNNING_CHANNELS = ['letter', 'registered_letter', 'email', 'sms', 'call'] as const
export type DunningChannel = (typeof DUNNING_CHANNELS)[number]
export const DUNNING_CHANNEL_LABELS: Record<DunningChannel, string> = {
  letter: 'Courrier simple',
  registered_letter: 'Lettre recommandée avec AR',
  email: 'E-mail',
  sms: 'SMS',
  call: 'Tâche d’appel'
}

export const DUNNING_DELAY_FROM = ['due_date', 'previous_step'] as const
export type DunningDelayFrom = (typeof DUNNING_DELAY_FROM)[number]
export const DUNNING_DELAY_FROM_LABELS: Record<DunningDelayFrom, string> = {
  due_date: 'après l’échéance',
  previous_step: 'après l’étape précédente'
}

export const DUNNING_DEBTOR_CONDITIONS = ['any', 'individual', 'company'] as const
export type DunningDebtorCondition = (typeof DUNNING_DEBTOR_CONDITIONS)[number]
export const DUNNING_DEBTOR_CONDITION_LABELS: Record<DunningDebtorCondition, string> = {
  any: 'Tous les débiteurs',
  individual: 'Particuliers',
  company: 'Entreprises'
}

/** Letter templates a step may use (the documents module renders them). */
export const DUNNING_TEMPLATES = [
  'courtesy-reminder',
  'reminder',
  'firm-reminder',
  'last-reminder',
  'formal-notice'
] as const
export const DUNNING_TEMPLATE_LABELS: Record<string, string> = {
  'courtesy-reminder': 'Rappel courtois',
  reminder: 'Relance',
  'firm-reminder': 'Relance ferme',
  'last-reminder': 'Dernière relance amiable',
  'formal-notice': 'Mise en demeure'
}

/** Channels that produce a document through a template. */
export function channelNeedsTemplate(channel: DunningChannel): boolean {
  return channel !== 'call'
}

export interface DunningStepDef {
  id: string
  position: number
  name: string
  /** Days (negative: before) after the anchor given by `delayFrom`. */
  delayDays: number
  delayFrom: DunningDelayFrom
  channel: DunningChannel
  templateCode: string | null
  debtorCondition: DunningDebtorCondition
  /** Only when the balance is at least this (cents); null: any balance. */
  minBalanceCents: number | null
  /** The case moves to this phase when the step is taken. */
  phaseChange: CasePhase | null
}

/** What the engine knows about a case, read in bulk. */
export interface DunningCaseFacts {
  status: CaseStatus
  phase: CasePhase
  debtorKind: PartyKind
  balanceCents: number
  /** Oldest due date among the claims that are neither disputed nor paid; null: none. */
  anchorDueOn: CalendarDate | null
  /** Claims still owing, and how many of them are disputed. */
  openClaimCount: number
  disputedClaimCount: number
  /** An active payment plan with no installment overdue. */
  planOnTrack: boolean
  /** Steps already taken on this case (any date), by step id. */
  taken: ReadonlyMap<string, CalendarDate>
}

export type DunningSkipCode =
  | 'not_open'
  | 'suspended'
  | 'closed'
  | 'judicial_phase'
  | 'no_balance'
  | 'disputed'
  | 'plan_on_track'
  | 'no_scenario'
  | 'finished'

export type DunningDecision =
  | { kind: 'due'; step: DunningStepDef; dueOn: CalendarDate; skippedStepIds: string[] }
  | { kind: 'waiting'; step: DunningStepDef; dueOn: CalendarDate }
  | { kind: 'skip'; code: DunningSkipCode; reason: string }

const PHASE_RANK: Record<CasePhase, number> = {
  amicable: 0,
  formal_notice: 1,
  judicial: 2,
  enforcement: 3,
  closed: 4
}

/** Steps in their order: position, then id (stable). */
export function orderedSteps(steps: readonly DunningStepDef[]): DunningStepDef[] {
  return [...steps].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export function stepApplies(
  step: DunningStepDef,
  facts: Pick<DunningCaseFacts, 'debtorKind' | 'balanceCents'>
): boolean {
  if (step.debtorCondition === 'individual' && facts.debtorKind !== 'consumer') return false
  if (step.debtorCondition === 'company' && facts.debtorKind === 'consumer') return false
  if (step.minBalanceCents !== null && facts.balanceCents < step.minBalanceCents) return false
  return true
}

/**
 * The step of the scenario due for a case at `at`, or why there is none.
 *
 * - A case that is not open (suspended, closed), in the judicial phase or beyond, without a
 *   balance, whose owing claims are all disputed, or whose payment plan is on track, is skipped.
 * - Steps run in order, each at most once. A step whose conditions (debtor type, minimum
 *   balance) do not hold is passed over. A step that leads to an earlier phase than the case's
 *   (an amicable reminder for a case already in formal notice) is passed over too, and so is a
 *   phase-changing step whose phase the case has already reached (the formal notice was sent
 *   outside the engine).
 * - A step's date: anchor due date + delay (relative to the due date), or date the previous
 *   step was taken + delay (relative to the previous step). When the previous step was passed
 *   over without a date, its nominal date stands in (anchor + the delays added up).
 * - Catching up: when several steps counted from the due date are already past (a case entrusted
 *   late), only the latest of them is taken; the earlier ones are reported as skipped. A step
 *   counted from the previous step is never jumped over: the formal notice always precedes the
 *   hand-over to the judicial phase.
 */
export function decideDunning(
  steps: readonly DunningStepDef[],
  facts: DunningCaseFacts,
  at: CalendarDate
): DunningDecision {
  if (steps.length === 0) return { kind: 'skip', code: 'no_scenario', reason: 'Aucun scénario de relance' }
  if (facts.status === 'suspended') return { kind: 'skip', code: 'suspended', reason: 'Dossier suspendu' }
  if (facts.status === 'closed') return { kind: 'skip', code: 'closed', reason: 'Dossier clôturé' }
  if (facts.status !== 'open') return { kind: 'skip', code: 'not_open', reason: 'Dossier non ouvert' }
  if (PHASE_RANK[facts.phase] >= PHASE_RANK.judicial)
    return { kind: 'skip', code: 'judicial_phase', reason: 'Phase judiciaire : relances amiables terminées' }
  if (facts.balanceCents <= 0 || facts.openClaimCount === 0)
    return { kind: 'skip', code: 'no_balance', reason: 'Aucun solde restant dû' }
  if (facts.anchorDueOn === null)
    return {
      kind: 'skip',
      code: 'disputed',
      reason: facts.disputedClaimCount === 1 ? 'Créance contestée' : `${facts.disputedClaimCount} créances contestées`
    }
  if (facts.planOnTrack) return { kind: 'skip', code: 'plan_on_track', reason: 'Échéancier respecté : pas de relance' }

  const anchor = facts.anchorDueOn
  const casePhase = PHASE_RANK[facts.phase]
  let phase: CasePhase = 'amicable'
  /** Date the previous (applicable) step was taken, or its nominal date. */
  let previousDate: CalendarDate | null = null
  let previousNominal = 0
  let candidate: { step: DunningStepDef; dueOn: CalendarDate } | null = null
  const caughtUp: string[] = []
  const ordered = orderedSteps(steps)
  // Steps before the last one taken are behind the case, taken or not (caught up earlier).
  let lastTaken = -1
  ordered.forEach((step, index) => {
    if (facts.taken.has(step.id)) lastTaken = index
  })

  for (const [index, step] of ordered.entries()) {
    const stepPhase: CasePhase = step.phaseChange ?? phase
    const nominal = step.delayFrom === 'due_date' ? step.delayDays : previousNominal + step.delayDays
    const dueOn =
      step.delayFrom === 'due_date' || previousDate === null
        ? addDays(anchor, nominal)
        : addDays(previousDate, step.delayDays)
    const taken = facts.taken.get(step.id)
    if (taken !== undefined) {
      // Taken: the next step counts from here; any earlier candidate is moot.
      if (candidate) break
      phase = stepPhase
      previousDate = taken
      previousNominal = nominal
      continue
    }
    const reached =
      index < lastTaken ||
      PHASE_RANK[stepPhase] < casePhase ||
      (step.phaseChange !== null && PHASE_RANK[step.phaseChange] <= casePhase)
    if (!stepApplies(step, facts) || reached) {
      phase = stepPhase
      previousNominal = nominal
      if (reached) previousDate = null
      continue
    }
    if (candidate) {
      // Catch up only across steps counted from the due date and already past.
      if (step.delayFrom !== 'due_date' || dueOn > at) break
      caughtUp.push(candidate.step.id)
      candidate = { step, dueOn }
      phase = stepPhase
      previousNominal = nominal
      if (step.phaseChange !== null) break
      continue
    }
    if (dueOn > at) return { kind: 'waiting', step, dueOn }
    candidate = { step, dueOn }
    phase = stepPhase
    previousNominal = nominal
    if (step.phaseChange !== null) break
  }
  if (candidate) return { kind: 'due', step: candidate.step, dueOn: candidate.dueOn, skippedStepIds: caughtUp }
  return { kind: 'skip', code: 'finished', reason: 'Scénario terminé' }
}

/** The scenario shipped with the app (migration 1763857300000), usual French practice. */
export const DEFAULT_SCENARIO_STEPS: ReadonlyArray<Omit<DunningStepDef, 'id'>> = [
  {
    position: 1,
    name: 'Rappel courtois avant échéance',
    delayDays: -5,
    delayFrom: 'due_date',
    channel: 'email',
    templateCode: 'courtesy-reminder',
    debtorCondition: 'any',
    minBalanceCents: null,
    phaseChange: null
  },
  {
    position: 2,
    name: 'Relance à l’échéance',
    delayDays: 0,
    delayFrom: 'due_date',
    channel: 'letter',
    templateCode: 'reminder',
    debtorCondition: 'any',
    minBalanceCents: null,
    phaseChange: null
  },
  {
    position: 3,
    name: 'Relance ferme (J+14)',
    delayDays: 14,
    delayFrom: 'due_date',
    channel: 'letter',
    templateCode: 'firm-reminder',
    debtorCondition: 'any',
    minBalanceCents: null,
    phaseChange: null
  },
  {
    position: 4,
    name: 'Appel de relance (J+21)',
    delayDays: 21,
    delayFrom: 'due_date',
    channel: 'call',
    templateCode: null,
    debtorCondition: 'any',
    minBalanceCents: 15000,
    phaseChange: null
  },
  {
    position: 5,
    name: 'Seconde relance ferme (J+30)',
    delayDays: 30,
    delayFrom: 'due_date',
    channel: 'letter',
    templateCode: 'firm-reminder',
    debtorCondition: 'any',
    minBalanceCents: null,
    phaseChange: null
  },
  {
    position: 6,
    name: 'Dernière relance amiable (J+60)',
    delayDays: 60,
    delayFrom: 'due_date',
    channel: 'letter',
    templateCode: 'last-reminder',
    debtorCondition: 'any',
    minBalanceCents: null,
    phaseChange: null
  },
  {
    position: 7,
    name: 'Mise en demeure (LRAR)',
    delayDays: 15,
    delayFrom: 'previous_step',
    channel: 'registered_letter',
    templateCode: 'formal-notice',
    debtorCondition: 'any',
    minBalanceCents: null,
    phaseChange: 'formal_notice'
  },
  {
    position: 8,
    name: 'Passage en phase judiciaire',
    delayDays: 15,
    delayFrom: 'previous_step',
    channel: 'call',
    templateCode: null,
    debtorCondition: 'any',
    minBalanceCents: null,
    phaseChange: 'judicial'
  }
]

/** A step as one French line: "J+14 après l’échéance — Courrier simple — Relance ferme". */
export function describeStep(step: DunningStepDef): string {
  const delay = `${step.delayDays >= 0 ? 'J+' : 'J'}${step.delayDays} ${DUNNING_DELAY_FROM_LABELS[step.delayFrom]}`
  const template = step.templateCode ? ` — ${DUNNING_TEMPLATE_LABELS[step.templateCode] ?? step.templateCode}` : ''
  return `${delay} — ${DUNNING_CHANNEL_LABELS[step.channel]}${template}`
}
