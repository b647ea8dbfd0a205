import type { AgencyIdentity, CaseStatement } from '@shared/contract'
import { type CalendarDate, addDays } from '@shared/dates/calendar-date'
import {
  AMICABLE_ACTIVITY_STATEMENT,
  DEMAND_PROFILES,
  DEBTOR_PROFILES,
  GDPR_HEADING,
  L111_8_HEADING,
  L111_8_PARAGRAPHS,
  type LetterFacts,
  type LetterModel,
  type LetterSection,
  type MergeData,
  type TemplateCode,
  type TemplateContent,
  type TemplateProfile,
  gdprText,
  mergeText,
  splitBody
} from '@shared/documents'
import { PAYMENT_METHODS, type PaymentMethod } from '@shared/domain/enums'
import { formatBasisPoints, formatCents, formatDate, formatDateLong } from '@shared/format/french'

/** Everything a letter is made of, read from the database by the service. */
export interface LetterSource {
  at: CalendarDate
  templateCode: TemplateCode
  templateVersion: number
  profile: TemplateProfile
  content: TemplateContent
  agency: AgencyIdentity
  logo: Uint8Array | null
  caseRef: string
  letterReference: string
  creditor: { name: string; addressLines: string[]; iban: string | null; contactEmail: string | null }
  debtor: {
    name: string
    civility: string | null
    addressLines: string[]
    isConsumer: boolean
  }
  mandate: { reference: string; remittanceDelayDays: number }
  collectorName: string | null
  statement: CaseStatement
  hasEnforceableTitle: boolean
  isFirstLetter: boolean
  firstLetter: { reference: string; date: CalendarDate } | null
  /** Payment a receipt or client notice is about. */
  payment?: {
    receivedOn: CalendarDate
    amountCents: number
    method: PaymentMethod
    reference: string | null
    lines: { claim: string; component: string; amountCents: number }[]
  } | null
  plan?: { totalCents: number; installments: { dueOn: CalendarDate; amountCents: number }[] } | null
  /** Court file parts. */
  evidence?: {
    documents: { title: string; date: string; sha256: string }[]
    letters: {
      reference: string
      date: CalendarDate
      title: string
      channel: string
      sentOn: CalendarDate | null
      tracking: string | null
      sha256: string
      text: string
    }[]
    journal: { at: string; kind: string; summary: string }[]
  } | null
  remittance?: { from: CalendarDate; to: CalendarDate; netCents: number; rows: string[][]; footer: string[] } | null
  extra?: Record<string, string>
}

export interface BuiltLetter {
  model: LetterModel
  facts: LetterFacts
  data: MergeData
}

const COMPONENT_LABELS: Record<string, string> = {
  interest: 'Intérêts',
  indemnity: 'Indemnité forfaitaire',
  fees: 'Frais',
  principal: 'Principal'
}

function oneLine(lines: string[]): string {
  return lines.filter(Boolean).join(', ')
}

export function agencyAddressLines(agency: AgencyIdentity): string[] {
  return [agency.addressLine1, agency.addressLine2, `${agency.postalCode} ${agency.city}`.trim()].filter(Boolean)
}

/** Greeting from the debtor's civility: « Madame, » / « Monsieur, » / « Madame, Monsieur, ». */
function greeting(civility: string | null): { formule: string; politesse: string } {
  const c = (civility ?? '').toLowerCase().replace('.', '')
  if (c === 'mme' || c === 'madame') return { formule: 'Madame,', politesse: 'Madame' }
  if (c === 'm' || c === 'monsieur') return { formule: 'Monsieur,', politesse: 'Monsieur' }
  return { formule: 'Madame, Monsieur,', politesse: 'Madame, Monsieur' }
}

/** Claims the letter shows: the ones with a balance, never the time-barred ones. */
function demandedClaims(statement: CaseStatement): CaseStatement['claims'] {
  return statement.claims.filter((c) => c.balance.totalCents > 0 && !c.timeBarred)
}

function totals(claims: CaseStatement['claims']) {
  const sum = (pick: (c: CaseStatement['claims'][number]) => number) => claims.reduce((s, c) => s + pick(c), 0)
  return {
    principalCents: sum((c) => c.principalCents),
    interestCents: sum((c) => c.interestCents),
    indemnityCents: sum((c) => c.indemnityCents),
    paidCents: sum((c) => c.paidCents),
    balanceCents: sum((c) => c.balance.totalCents),
    duePrincipalCents: sum((c) => c.balance.principalCents),
    dueInterestCents: sum((c) => c.balance.interestCents),
    dueIndemnityCents: sum((c) => c.balance.indemnityCents)
  }
}

export function mergeData(src: LetterSource): MergeData {
  const claims = demandedClaims(src.statement)
  const t = totals(claims)
  const g = greeting(src.debtor.civility)
  const delayDays = src.agency.paymentDelayDays
  const data: Record<string, string> = {
    'debiteur.nom': src.debtor.name,
    'debiteur.formule': g.formule,
    'debiteur.formule_politesse': g.politesse,
    'debiteur.adresse_ligne': oneLine(src.debtor.addressLines),
    'creancier.nom': src.creditor.name,
    'creancier.adresse_ligne': oneLine(src.creditor.addressLines),
    'agence.nom': src.agency.name,
    'agence.adresse_ligne': oneLine(agencyAddressLines(src.agency)),
    'agence.telephone': src.agency.phone || '—',
    'agence.email': src.agency.email || '—',
    'agent.nom': src.collectorName ?? src.agency.signatory,
    'dossier.reference': src.caseRef,
    'mandat.reference': src.mandate.reference,
    'mandat.delai_reversement': String(src.mandate.remittanceDelayDays),
    'courrier.reference': src.letterReference,
    'courrier.date': formatDate(src.at),
    'premier_courrier.reference': src.firstLetter?.reference ?? src.letterReference,
    'premier_courrier.date': formatDate(src.firstLetter?.date ?? src.at),
    'montant.principal': formatCents(t.duePrincipalCents),
    'montant.interets': formatCents(t.dueInterestCents),
    'montant.indemnites': formatCents(t.dueIndemnityCents),
    'montant.regle': formatCents(t.paidCents),
    'montant.solde': formatCents(t.balanceCents),
    'delai.jours': String(delayDays),
    'delai.date': formatDate(addDays(src.at, delayDays)),
    'paiement.montant': src.payment ? formatCents(src.payment.amountCents) : '—',
    'paiement.date': src.payment ? formatDate(src.payment.receivedOn) : '—',
    'paiement.mode': src.payment ? PAYMENT_METHODS.labels[src.payment.method] : '—',
    'plan.total': src.plan ? formatCents(src.plan.totalCents) : formatCents(t.balanceCents),
    'plan.nombre': src.plan ? String(src.plan.installments.length) : '—',
    'plan.premiere_date': src.plan?.installments[0] ? formatDate(src.plan.installments[0].dueOn) : '—',
    'injonction.formulaire': src.debtor.isConsumer
      ? 'Cerfa n° 12948 (tribunal judiciaire)'
      : src.statement.debtor.partyKind === 'professional'
        ? 'Cerfa n° 12946 (tribunal de commerce)'
        : 'Cerfa n° 12948 (tribunal judiciaire)',
    'injonction.juridiction':
      src.statement.debtor.partyKind === 'professional' && src.statement.creditor.partyKind === 'professional'
        ? 'président du tribunal de commerce (ou tribunal des activités économiques)'
        : 'tribunal judiciaire (juge des contentieux de la protection le cas échéant)',
    'injonction.fondement': `Factures impayées : ${claims.map((c) => `n° ${c.invoiceNumber} du ${formatDate(c.issuedOn)}`).join(', ') || '—'}`,
    'injonction.demarches': src.evidence?.letters.length
      ? src.evidence.letters.map((l) => `${l.title} du ${formatDate(l.date)} (réf. ${l.reference})`).join(' ; ')
      : 'Aucun courrier enregistré',
    'reversement.debut': src.remittance ? formatDate(src.remittance.from) : '—',
    'reversement.fin': src.remittance ? formatDate(src.remittance.to) : '—',
    'reversement.net': src.remittance ? formatCents(src.remittance.netCents) : '—'
  }
  for (const [key, value] of Object.entries(src.extra ?? {})) data[key] = value
  return data
}

function claimsTable(src: LetterSource): LetterSection {
  const claims = demandedClaims(src.statement)
  const t = totals(claims)
  const showIndemnity = t.indemnityCents > 0
  const columns = [
    'Facture',
    'Échéance',
    'Principal',
    'Intérêts',
    ...(showIndemnity ? ['Indemnité'] : []),
    'Déjà réglé',
    'Solde dû'
  ]
  const row = (c: CaseStatement['claims'][number]) => [
    `n° ${c.invoiceNumber} du ${formatDate(c.issuedOn)}`,
    formatDate(c.dueDate),
    formatCents(c.principalCents),
    formatCents(c.interestCents),
    ...(showIndemnity ? [formatCents(c.indemnityCents)] : []),
    formatCents(c.paidCents),
    formatCents(c.balance.totalCents)
  ]
  return {
    kind: 'table',
    name: 'créances',
    title: `Décompte au ${formatDate(src.at)}`,
    columns,
    align: columns.map((_, i) => (i < 2 ? 'left' : 'right')),
    widths: [2.4, 1.1, 1.2, 1.1, ...(showIndemnity ? [1.1] : []), 1.1, 1.2],
    rows: claims.map(row),
    footer: [
      'Total',
      '',
      formatCents(t.principalCents),
      formatCents(t.interestCents),
      ...(showIndemnity ? [formatCents(t.indemnityCents)] : []),
      formatCents(t.paidCents),
      formatCents(t.balanceCents)
    ]
  }
}

function interestTable(src: LetterSource): LetterSection {
  const claims = demandedClaims(src.statement)
  const rows = claims.flatMap((c) =>
    c.interestPieces.map((p) => [
      c.invoiceNumber,
      `du ${formatDate(p.from)} au ${formatDate(p.to)}`,
      String(p.days),
      formatCents(p.principalCents),
      formatBasisPoints(p.rateBp),
      formatCents(p.amountCents)
    ])
  )
  const columns = ['Facture', 'Période (fin exclue)', 'Jours', 'Base', 'Taux annuel', 'Intérêts']
  return {
    kind: 'table',
    name: 'intérêts',
    title: 'Détail des intérêts',
    columns,
    align: ['left', 'left', 'right', 'right', 'right', 'right'],
    widths: [1.3, 2.4, 0.6, 1.1, 0.9, 1],
    rows: rows.length ? rows : [['—', 'Aucun intérêt calculé à cette date', '', '', '', '']],
    footer: ['Total', '', '', '', '', formatCents(claims.reduce((s, c) => s + c.interestCents, 0))]
  }
}

function paymentsTable(src: LetterSource): LetterSection {
  const rows = src.statement.payments.map((p) => [
    formatDate(p.receivedOn),
    PAYMENT_METHODS.labels[p.method],
    formatCents(p.amountCents),
    p.lines.map((l) => `${COMPONENT_LABELS[l.component] ?? l.component} ${formatCents(l.amountCents)}`).join(', ') ||
      '—'
  ])
  return {
    kind: 'table',
    name: 'paiements reçus',
    title: 'Paiements reçus',
    columns: ['Date', 'Mode', 'Montant', 'Imputation'],
    align: ['left', 'left', 'right', 'left'],
    widths: [1, 1.2, 1, 3],
    rows: rows.length ? rows : [['—', 'Aucun paiement reçu', '', '']]
  }
}

function paymentTable(src: LetterSource): LetterSection {
  const p = src.payment
  if (!p) return { kind: 'paragraph', text: 'Aucun paiement.' }
  return {
    kind: 'table',
    name: 'paiement',
    title: `Paiement de ${formatCents(p.amountCents)} reçu le ${formatDate(p.receivedOn)} (${PAYMENT_METHODS.labels[p.method]}${p.reference ? `, réf. ${p.reference}` : ''})`,
    columns: ['Facture', 'Imputé sur', 'Montant'],
    align: ['left', 'left', 'right'],
    widths: [2, 2, 1],
    rows: p.lines.length
      ? p.lines.map((l) => [l.claim, COMPONENT_LABELS[l.component] ?? l.component, formatCents(l.amountCents)])
      : [['—', 'Non imputé (crédit en votre faveur)', formatCents(p.amountCents)]],
    footer: ['Total', '', formatCents(p.amountCents)]
  }
}

function planTable(src: LetterSource): LetterSection {
  const rows = (src.plan?.installments ?? []).map((i, n) => [
    String(n + 1),
    formatDate(i.dueOn),
    formatCents(i.amountCents)
  ])
  return {
    kind: 'table',
    name: 'échéancier',
    title: 'Échéancier',
    columns: ['Échéance', 'Date', 'Montant'],
    align: ['left', 'left', 'right'],
    widths: [1, 2, 2],
    rows,
    footer: ['Total', '', formatCents(src.plan?.totalCents ?? 0)]
  }
}

export function paymentMethodsText(agency: AgencyIdentity, caseRef: string): string {
  const lines: string[] = []
  if (agency.clientAccountIban)
    lines.push(
      `Par virement sur le compte réservé aux fonds reçus pour le compte des créanciers : titulaire ${agency.clientAccountHolder || agency.name}, IBAN ${agency.clientAccountIban}${agency.clientAccountBic ? `, BIC ${agency.clientAccountBic}` : ''}${agency.clientAccountBank ? ` (${agency.clientAccountBank})` : ''}, en indiquant la référence ${caseRef}.`
    )
  if (agency.chequePayee)
    lines.push(
      `Par chèque à l’ordre de ${agency.chequePayee}, adressé à ${agency.name}, ${oneLine(agencyAddressLines(agency))}, en indiquant au dos la référence ${caseRef}.`
    )
  lines.push('Un reçu vous sera remis pour chaque paiement.')
  return lines.join('\n')
}

function partiesTable(src: LetterSource): LetterSection {
  return {
    kind: 'table',
    name: 'parties',
    title: 'Parties',
    columns: ['Qualité', 'Identité et adresse'],
    align: ['left', 'left'],
    widths: [1, 4],
    rows: [
      ['Créancier', `${src.creditor.name}, ${oneLine(src.creditor.addressLines)}`],
      ['Débiteur', `${src.debtor.name}, ${oneLine(src.debtor.addressLines)}`],
      [
        'Mandataire amiable',
        `${src.agency.name}, ${oneLine(agencyAddressLines(src.agency))} – convention ${src.mandate.reference}`
      ]
    ]
  }
}

function blockSections(name: string, src: LetterSource): LetterSection[] {
  switch (name) {
    case 'créances':
    case 'creances':
      return [claimsTable(src)]
    case 'intérêts':
    case 'interets':
      return [interestTable(src)]
    case 'paiements reçus':
      return [paymentsTable(src)]
    case 'paiement':
      return [paymentTable(src)]
    case 'échéancier':
      return [planTable(src)]
    case 'modalités de paiement':
      return [
        {
          kind: 'legal',
          id: 'payment_methods',
          heading: 'Modalités de paiement',
          text: paymentMethodsText(src.agency, src.caseRef)
        }
      ]
    case 'parties':
      return [partiesTable(src)]
    case 'signatures':
      return [
        {
          kind: 'table',
          name: 'signatures',
          columns: ['Pour le créancier, son mandataire', 'Le débiteur (date, « Bon pour accord », signature)'],
          align: ['left', 'left'],
          rows: [[`${src.agency.name}\n\n\n`, '\n\n\n']]
        }
      ]
    case 'pièces': {
      const docs = src.evidence?.documents ?? []
      return [
        {
          kind: 'table',
          name: 'pièces',
          title: 'Liste des pièces',
          columns: ['N°', 'Pièce', 'Date', 'Empreinte SHA-256'],
          align: ['left', 'left', 'left', 'left'],
          widths: [0.4, 2.6, 0.9, 4.2],
          fontSizes: [undefined, undefined, undefined, 6],
          rows: docs.length
            ? docs.map((d, i) => [String(i + 1), d.title, d.date, d.sha256])
            : [['—', 'Aucune pièce enregistrée', '', '']]
        }
      ]
    }
    case 'journal': {
      const rows = (src.evidence?.journal ?? []).map((j) => [j.at, j.kind, j.summary])
      return [
        { kind: 'heading', text: 'Journal des appels et contacts' },
        {
          kind: 'table',
          name: 'journal',
          columns: ['Date', 'Nature', 'Résumé'],
          align: ['left', 'left', 'left'],
          widths: [1.2, 1, 4],
          rows: rows.length ? rows : [['—', '', 'Aucun contact enregistré']]
        }
      ]
    }
    case 'courriers': {
      const letters = src.evidence?.letters ?? []
      const out: LetterSection[] = [
        {
          kind: 'table',
          name: 'courriers',
          title: 'Courriers adressés au débiteur',
          columns: ['Référence', 'Courrier', 'Date', 'Envoi', 'SHA-256 du PDF'],
          align: ['left', 'left', 'left', 'left', 'left'],
          widths: [1.3, 1.2, 0.8, 1.4, 4.3],
          fontSizes: [undefined, undefined, undefined, undefined, 6],
          rows: letters.length
            ? letters.map((l) => [
                l.reference,
                l.title,
                formatDate(l.date),
                l.sentOn
                  ? `${l.channel}, le ${formatDate(l.sentOn)}${l.tracking ? `, n° ${l.tracking}` : ''}`
                  : `${l.channel}, envoi non enregistré`,
                l.sha256
              ])
            : [['—', 'Aucun courrier', '', '', '']]
        }
      ]
      for (const letter of letters) {
        out.push({ kind: 'page_break' })
        out.push({
          kind: 'heading',
          text: `Copie du courrier ${letter.reference} du ${formatDate(letter.date)} – ${letter.title}`
        })
        out.push({
          kind: 'legal',
          id: 'first_letter',
          heading: `Texte intégral (PDF d’origine SHA-256 ${letter.sha256})`,
          text: letter.text
        })
      }
      return out
    }
    case 'reversement':
      return [
        {
          kind: 'table',
          name: 'reversement',
          title: 'Encaissements de la période',
          columns: ['Dossier', 'Débiteur', 'Date', 'Encaissé', 'Commission HT', 'TVA', 'Net'],
          align: ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
          widths: [1.5, 2, 1, 1, 1, 0.8, 1],
          rows: src.remittance?.rows ?? [],
          footer: src.remittance?.footer
        }
      ]
    default:
      return [{ kind: 'paragraph', text: `[[${name}]]` }]
  }
}

/** Builds the letter from its template and the case data, adding the blocks the law requires. */
export function buildLetter(src: LetterSource, options: { strict?: boolean } = {}): BuiltLetter {
  const data = mergeData(src)
  const merge = (text: string) => mergeText(text, data, { strict: options.strict ?? true })
  const toDebtor = DEBTOR_PROFILES.includes(src.profile)
  const demands = DEMAND_PROFILES.includes(src.profile)
  const fullMentions = toDebtor && demands && (src.isFirstLetter || src.profile === 'formal_notice')

  const sections: LetterSection[] = []
  let hasMethods = false
  for (const part of splitBody(src.content.body)) {
    if (part.kind === 'paragraph') sections.push({ kind: 'paragraph', text: merge(part.text) })
    else {
      if (part.name === 'modalités de paiement') hasMethods = true
      sections.push(...blockSections(part.name, src))
    }
  }
  if (demands && !hasMethods) sections.push(...blockSections('modalités de paiement', src))
  if (fullMentions) {
    sections.push({
      kind: 'legal',
      id: 'l111_8',
      heading: L111_8_HEADING,
      text: L111_8_PARAGRAPHS.map((p) => `« ${p} »`).join('\n')
    })
    sections.push({
      kind: 'legal',
      id: 'gdpr',
      heading: GDPR_HEADING,
      text: gdprText({
        agencyName: src.agency.name,
        creditorName: src.creditor.name,
        dpoContact: src.agency.dpoContact,
        retention:
          src.agency.retention || 'pendant la durée du recouvrement puis pendant le délai de prescription applicable'
      })
    })
  }

  const references: LetterModel['references'] = [
    { label: 'Notre référence', value: src.letterReference },
    { label: 'Dossier', value: src.caseRef }
  ]
  // R124-4 2°: the creditor's name and address on every letter to the debtor.
  if (toDebtor)
    references.push({ label: 'Créancier', value: `${src.creditor.name}, ${oneLine(src.creditor.addressLines)}` })
  if (toDebtor && src.firstLetter && !src.isFirstLetter)
    references.push({
      label: 'Premier courrier',
      value: `réf. ${src.firstLetter.reference} du ${formatDate(src.firstLetter.date)}`
    })
  if (src.profile === 'client') references.push({ label: 'Convention', value: src.mandate.reference })

  const a = src.agency
  const identity = [
    a.legalForm && `${a.legalForm}${a.capital ? ` au capital de ${a.capital}` : ''}`,
    a.siren && `SIREN ${a.siren}${a.rcsCity ? ` RCS ${a.rcsCity}` : ''}`,
    a.insurer && `RC professionnelle : ${a.insurer}${a.insurancePolicy ? `, contrat n° ${a.insurancePolicy}` : ''}`,
    a.clientAccountBank && `Compte de fonds de tiers : ${a.clientAccountBank}`,
    a.prosecutorDeclaration && `Déclaration : ${a.prosecutorDeclaration}`
  ].filter((x): x is string => Boolean(x))

  const recipient =
    src.profile === 'client'
      ? { name: src.creditor.name, addressLines: src.creditor.addressLines }
      : src.profile === 'court'
        ? { name: `${src.creditor.name} contre ${src.debtor.name}`, addressLines: [`Dossier ${src.caseRef}`] }
        : {
            name: src.debtor.name,
            addressLines: src.debtor.addressLines,
            mention: src.profile === 'formal_notice' ? 'Lettre recommandée avec demande d’avis de réception' : null
          }

  const model: LetterModel = {
    templateCode: src.templateCode,
    templateVersion: src.templateVersion,
    profile: src.profile,
    letterhead: {
      name: a.name,
      lines: [
        ...agencyAddressLines(a),
        [a.phone && `Tél. ${a.phone}`, a.email].filter(Boolean).join(' – '),
        // R124-4 1°: the statement that the agency carries out amicable recovery.
        `${a.name} ${AMICABLE_ACTIVITY_STATEMENT}`
      ].filter(Boolean),
      logoPng: src.logo
    },
    recipient,
    placeDate: `${a.city}, le ${formatDateLong(src.at)}`,
    references,
    title: merge(src.content.title),
    subject: merge(src.content.subject),
    sections,
    closing: merge(src.content.closing),
    signature: src.profile === 'court' ? [] : [src.collectorName ?? a.signatory, `Pour ${a.name}`].filter(Boolean),
    footer: [a.name, ...identity].join(' – ')
  }

  const claims = demandedClaims(src.statement)
  const t = totals(claims)
  const facts: LetterFacts = {
    profile: src.profile,
    debtorIsConsumer: src.debtor.isConsumer,
    hasEnforceableTitle: src.hasEnforceableTitle,
    isFirstLetter: src.isFirstLetter,
    firstLetter: src.firstLetter,
    agency: { name: a.name, postalCode: a.postalCode, city: a.city, dpoContact: a.dpoContact },
    creditor: { name: src.creditor.name, city: src.creditor.addressLines.at(-1) ?? '' },
    demandedClaims: claims.map((c) => ({
      reference: c.invoiceNumber,
      timeBarred: c.timeBarred,
      expiresOn: c.expiresOn
    })),
    amounts: {
      principalCents: t.principalCents,
      interestCents: t.interestCents,
      indemnityCents: t.indemnityCents,
      paidCents: t.paidCents,
      balanceCents: t.balanceCents
    },
    demandableBalanceCents: src.statement.demandableBalanceCents,
    deadline: src.profile === 'formal_notice' ? addDays(src.at, a.paymentDelayDays) : null
  }
  return { model, facts, data }
}
