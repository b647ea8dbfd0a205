/**
 * Texts the law requires in an agency's letters (CPCE R124-4, L111-8) and the data-protection
 * information block (RGPD art. 13/14). Reproduced verbatim: the rules compare letters against
 * these exact strings.
 */

/** CPCE L111-8, 2nd and 3rd paragraphs, in force since 19 March 2014 (R124-4 5°). */
export const L111_8_PARAGRAPHS = [
  'Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du créancier, sauf s’ils concernent un acte dont l’accomplissement est prescrit par la loi au créancier. Toute stipulation contraire est réputée non écrite, sauf disposition législative contraire.',
  'Cependant, le créancier qui justifie du caractère nécessaire des démarches entreprises pour recouvrer sa créance peut demander au juge de l’exécution de laisser tout ou partie des frais ainsi exposés à la charge du débiteur de mauvaise foi.'
] as const

export const L111_8_HEADING = 'Article L. 111-8 du code des procédures civiles d’exécution (alinéas 2 et 3)'

/** R124-4 1°: the statement that the agency carries out amicable recovery. */
export const AMICABLE_ACTIVITY_STATEMENT =
  'exerce une activité de recouvrement amiable de créances pour le compte d’autrui'

/** What a reader must find in a data-protection block (checked by the rules). */
export const GDPR_HEADING = 'Information sur vos données personnelles'

export interface GdprFacts {
  agencyName: string
  creditorName: string
  dpoContact: string
  retention: string
}

export function gdprText(facts: GdprFacts): string {
  return [
    `${facts.agencyName} traite les données personnelles vous concernant (identité, coordonnées, créances, échanges et paiements) pour le recouvrement amiable de la créance que lui a confiée ${facts.creditorName}, sur le fondement de l’intérêt légitime du créancier à obtenir le paiement des sommes dues et du mandat reçu (article 6.1.f du règlement (UE) 2016/679, RGPD).`,
    `Ces données sont destinées au créancier, à notre personnel habilité et, le cas échéant, aux auxiliaires de justice qu’il mandaterait. Elles sont conservées ${facts.retention}.`,
    `Vous disposez d’un droit d’accès, de rectification, d’effacement, de limitation et d’opposition, que vous pouvez exercer auprès de notre délégué à la protection des données : ${facts.dpoContact}. Vous pouvez également introduire une réclamation auprès de la CNIL (www.cnil.fr).`
  ].join('\n')
}

/** Normalises typographic variants so that a verbatim check survives apostrophes and spaces. */
export function normaliseForComparison(text: string): string {
  return text
    .replace(/[\u2019\u02bc`]/g, "'")
    .replace(/[\u00a0\u202f\s]+/g, ' ')
    .replace(/\s*-\s*/g, '-')
    .trim()
    .toLowerCase()
}
