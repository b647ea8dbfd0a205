/**
 * The rules every letter obeys before it may be generated (legal-facts §1, §6, §9 and the
 * domain conventions 11 and 13). Pure: the service builds the facts, this decides.
 */
import { formatCents, formatDate } from '../format/french'
import type { CalendarDate } from '../dates/calendar-date'
import { AMICABLE_ACTIVITY_STATEMENT, GDPR_HEADING, L111_8_PARAGRAPHS, normaliseForComparison } from './legal-texts'
import { DEBTOR_PROFILES, DEMAND_PROFILES, type LetterModel, type TemplateProfile, letterText } from './letter-model'

export interface LetterFacts {
  profile: TemplateProfile
  debtorIsConsumer: boolean
  /** An enforceable title (judgment, order) exists: fees may then be claimed under its terms. */
  hasEnforceableTitle: boolean
  /** No letter demanding payment was generated on this case before this one. */
  isFirstLetter: boolean
  /** The first letter, once there is one (every later step repeats it, R124-4). */
  firstLetter: { reference: string; date: CalendarDate } | null
  agency: { name: string; postalCode: string; city: string; dpoContact: string }
  creditor: { name: string; city: string }
  /** Claims whose payment the letter demands. */
  demandedClaims: { reference: string; timeBarred: boolean; expiresOn: CalendarDate | null }[]
  /** What the letter shows as due, by component (from the statement). */
  amounts: {
    principalCents: number
    interestCents: number
    indemnityCents: number
    paidCents: number
    balanceCents: number
  }
  /** Balance of the claims that are not time-barred (statement.demandableBalanceCents). */
  demandableBalanceCents: number
  /** Mise en demeure: the payment deadline printed in the letter. */
  deadline?: CalendarDate | null
}

export type LetterRule =
  'r124_4' | 'gdpr' | 'first_letter_reference' | 'forbidden_fees' | 'time_barred' | 'court_imitation' | 'formal_notice'

export interface LetterViolation {
  rule: LetterRule
  /** French, for the user. */
  message: string
}

/** Words that make an amicable letter look like a court or enforcement document. */
const COURT_VOCABULARY: { pattern: RegExp; word: string }[] = [
  { pattern: /\bcommandements?\b/i, word: 'commandement' },
  { pattern: /\bsaisies?\b/i, word: 'saisie' },
  { pattern: /\bhuissiers?\b/i, word: 'huissier' },
  { pattern: /\bcommissaires? de justice\b/i, word: 'commissaire de justice' },
  { pattern: /\bsommation\b/i, word: 'sommation' },
  { pattern: /\bsignification\b/i, word: 'signification' },
  { pattern: /\bex[ée]cution forc[ée]e\b/i, word: 'exécution forcée' },
  { pattern: /\bau nom du peuple fran[çc]ais\b/i, word: 'au nom du peuple français' },
  { pattern: /\br[ée]publique fran[çc]aise\b/i, word: 'République française' },
  { pattern: /\bpoursuites\b/i, word: 'poursuites' },
  { pattern: /\bgreffe\b/i, word: 'greffe' }
]

/** Headings that only a court, an officer or an administration would use. */
const OFFICIAL_HEADING =
  /tribunal|juridiction|jugement|ordonnance|injonction|\bacte\b|signification|officiel|r[ée]publique|minist[èe]re|parquet|proc[ée]dure judiciaire|contentieux|dernier avis|avis d.ex[ée]cution|urgent/i

/** Fees an agency may not demand (L111-8): checked outside the legal blocks. */
const FEE_PATTERN =
  /frais\s+(?:de\s+|d['’]\s*)?(?:dossier|recouvrement|gestion|relance|mise en demeure|courrier|ouverture|traitement|agence|proc[ée]dure)|honoraires|commission (?:de|du) recouvrement|p[ée]nalit[ée] forfaitaire/i

/** The €40 indemnity of C. com. L441-10, the one fee allowed between professionals. */
const B2B_INDEMNITY_PHRASE = /indemnit[ée]s? forfaitaires? (?:l[ée]gales? )?pour frais de recouvrement/gi

function contains(haystack: string, needle: string): boolean {
  return normaliseForComparison(haystack).includes(normaliseForComparison(needle))
}

export function checkLetter(model: LetterModel, facts: LetterFacts): LetterViolation[] {
  const violations: LetterViolation[] = []
  const all = letterText(model)
  const ownText = letterText(model, { includeLegal: false })
  const toDebtor = DEBTOR_PROFILES.includes(facts.profile)
  const demands = DEMAND_PROFILES.includes(facts.profile)

  // R124-4: the first letter (and every mise en demeure) carries every mention.
  if (toDebtor && demands && (facts.isFirstLetter || facts.profile === 'formal_notice')) {
    const missing: string[] = []
    if (
      !contains(all, facts.agency.name) ||
      !contains(all, facts.agency.city) ||
      !contains(all, facts.agency.postalCode)
    )
      missing.push('le nom et l’adresse de l’agence (1°)')
    if (!contains(all, AMICABLE_ACTIVITY_STATEMENT))
      missing.push('l’indication de l’activité de recouvrement amiable (1°)')
    if (!contains(all, facts.creditor.name) || !contains(all, facts.creditor.city))
      missing.push('le nom et l’adresse du créancier (2°)')
    const amounts: [string, number][] = [
      ['principal', facts.amounts.principalCents],
      ['intérêts', facts.amounts.interestCents],
      ['solde', facts.amounts.balanceCents]
    ]
    if (
      !/principal/i.test(all) ||
      !/int[ée]r[êe]ts/i.test(all) ||
      amounts.some(([, cents]) => !contains(all, formatCents(cents)))
    )
      missing.push('le fondement et le montant de la somme due, principal, intérêts et accessoires distingués (3°)')
    const methods = model.sections.find((s) => s.kind === 'legal' && s.id === 'payment_methods')
    if (
      !/(r[ée]gler|payer|paiement)/i.test(ownText) ||
      !methods ||
      methods.kind !== 'legal' ||
      methods.text.trim().length < 20
    )
      missing.push('la demande de payer et les modalités de paiement (4°)')
    if (!L111_8_PARAGRAPHS.every((paragraph) => contains(all, paragraph)))
      missing.push('la reproduction des alinéas 2 et 3 de l’article L. 111-8 (5°)')
    if (missing.length > 0)
      violations.push({
        rule: 'r124_4',
        message: `Mentions obligatoires (article R. 124-4 du code des procédures civiles d’exécution) absentes : ${missing.join(' ; ')}.`
      })
    if (!contains(all, GDPR_HEADING) || !contains(all, facts.agency.dpoContact) || !/CNIL/.test(all))
      violations.push({
        rule: 'gdpr',
        message:
          'Le premier courrier doit contenir l’information sur les données personnelles (responsable, finalité, droits, contact du délégué à la protection des données, CNIL).'
      })
  }

  // Every later step repeats the reference and date of the first letter.
  if (toDebtor && facts.firstLetter && !facts.isFirstLetter) {
    if (!contains(all, facts.firstLetter.reference) || !contains(all, formatDate(facts.firstLetter.date)))
      violations.push({
        rule: 'first_letter_reference',
        message: `Ce courrier doit rappeler la référence (${facts.firstLetter.reference}) et la date (${formatDate(facts.firstLetter.date)}) du premier courrier adressé au débiteur (article R. 124-4).`
      })
  }

  // L111-8: no recovery fee; between professionals only the €40 indemnity.
  if (toDebtor && !facts.hasEnforceableTitle) {
    const checked = facts.debtorIsConsumer ? ownText : ownText.replace(B2B_INDEMNITY_PHRASE, '')
    const fee = FEE_PATTERN.exec(checked)
    if (fee)
      violations.push({
        rule: 'forbidden_fees',
        message: `Le courrier mentionne « ${fee[0]} » : les frais de recouvrement entrepris sans titre exécutoire restent à la charge du créancier (article L. 111-8) et ne peuvent pas être réclamés au débiteur.`
      })
    if (facts.debtorIsConsumer && facts.amounts.indemnityCents > 0)
      violations.push({
        rule: 'forbidden_fees',
        message: `L’indemnité forfaitaire de ${formatCents(facts.amounts.indemnityCents)} ne s’applique qu’entre professionnels : elle ne peut pas être réclamée à un consommateur.`
      })
  }

  // No time-barred claim demanded.
  if (demands) {
    const barred = facts.demandedClaims.filter((claim) => claim.timeBarred)
    if (barred.length > 0)
      violations.push({
        rule: 'time_barred',
        message: `Créance prescrite : ${barred
          .map((c) => `${c.reference}${c.expiresOn ? ` (prescrite depuis le ${formatDate(c.expiresOn)})` : ''}`)
          .join(', ')}. Son paiement ne peut pas être réclamé.`
      })
    else if (facts.amounts.balanceCents > facts.demandableBalanceCents)
      violations.push({
        rule: 'time_barred',
        message: `Le montant réclamé (${formatCents(facts.amounts.balanceCents)}) dépasse le solde exigible hors créances prescrites (${formatCents(facts.demandableBalanceCents)}).`
      })
    if (facts.amounts.balanceCents <= 0)
      violations.push({
        rule: 'time_barred',
        message: 'Aucune somme exigible : il n’y a rien à réclamer dans ce dossier.'
      })
  }

  // Amicable letters never imitate court documents.
  if (facts.profile !== 'court') {
    const word = COURT_VOCABULARY.find((entry) => entry.pattern.test(ownText))
    if (word)
      violations.push({
        rule: 'court_imitation',
        message: `Le terme « ${word.word} » est réservé aux actes judiciaires et d’exécution : un courrier de recouvrement amiable ne doit pas l’employer.`
      })
    if (OFFICIAL_HEADING.test(model.title) || OFFICIAL_HEADING.test(model.subject))
      violations.push({
        rule: 'court_imitation',
        message: `Le titre « ${model.title} » ou l’objet imite un document officiel ou judiciaire : choisissez un intitulé de courrier amiable.`
      })
  }

  // Mise en demeure: the elements of a formal notice.
  if (facts.profile === 'formal_notice') {
    const missing: string[] = []
    if (!/mettons en demeure|met en demeure|mise en demeure/i.test(ownText))
      missing.push('l’interpellation (mise en demeure de payer)')
    if (!facts.deadline || !contains(ownText, formatDate(facts.deadline))) missing.push('le délai de paiement (date)')
    if (!/[àa] d[ée]faut/i.test(ownText)) missing.push('les conséquences d’un défaut de paiement')
    if (!/pour le compte de|mandat/i.test(ownText)) missing.push('la qualité de mandataire de l’agence')
    if (missing.length > 0)
      violations.push({
        rule: 'formal_notice',
        message: `Éléments de la mise en demeure absents : ${missing.join(' ; ')}.`
      })
  }
  return violations
}
