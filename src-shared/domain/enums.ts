/**
 * The vocabulary of the agency's world, shared by the database, the contract and the UI.
 * Values are stable English codes stored in the database; labels are French, for screens
 * and documents.
 */

function labelled<const T extends Record<string, string>>(labels: T) {
  const values = Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]]
  return { values, labels: labels as Readonly<T> }
}

/** Person or company: decides legal-interest column, €40 indemnity and fee rules. */
export const PARTY_KINDS = labelled({ individual: 'Particulier', company: 'Entreprise' })
export type PartyKind = (typeof PARTY_KINDS.values)[number]

/** Phase de recouvrement. */
export const CASE_PHASES = labelled({
  amicable: 'Amiable',
  formal_notice: 'Mise en demeure',
  judicial: 'Judiciaire',
  enforcement: 'Exécution',
  closed: 'Clôturé'
})
export type CasePhase = (typeof CASE_PHASES.values)[number]

export const CASE_STATUSES = labelled({ open: 'En cours', suspended: 'Suspendu', closed: 'Clôturé' })
export type CaseStatus = (typeof CASE_STATUSES.values)[number]

export const SUSPENSION_REASONS = labelled({
  dispute: 'Litige',
  collective_proceedings: 'Procédure collective',
  over_indebtedness: 'Surendettement',
  client_request: 'Demande du client'
})
export type SuspensionReason = (typeof SUSPENSION_REASONS.values)[number]

export const CLOSURE_REASONS = labelled({
  paid: 'Soldé',
  partially_paid: 'Paiement partiel',
  irrecoverable: 'Irrécouvrable',
  returned_to_client: 'Restitué au client'
})
export type ClosureReason = (typeof CLOSURE_REASONS.values)[number]

export const CASE_PRIORITIES = labelled({ low: 'Basse', normal: 'Normale', high: 'Haute', urgent: 'Urgente' })
export type CasePriority = (typeof CASE_PRIORITIES.values)[number]

/** Which interest a claim bears, and from when (see the money engine). */
export const INTEREST_BASES = labelled({
  none: 'Aucun intérêt',
  legal: 'Intérêt légal',
  b2b_penalty: 'Pénalités de retard (BCE + 10 points)',
  contractual: 'Taux contractuel'
})
export type InterestBasis = (typeof INTEREST_BASES.values)[number]

export const JOURNAL_KINDS = labelled({
  call: 'Appel',
  letter: 'Courrier',
  email: 'E-mail',
  sms: 'SMS',
  visit: 'Visite',
  note: 'Note',
  phase_change: 'Changement de phase',
  status_change: 'Changement de statut',
  assignment: 'Affectation',
  payment: 'Paiement',
  promise: 'Promesse',
  plan: 'Échéancier',
  solvency: 'Solvabilité',
  document: 'Document',
  correction: 'Rectification',
  system: 'Système',
  next_action: 'Prochaine action',
  proceedings: 'Procédure collective',
  legal_event: 'Jugement ou reconnaissance de dette'
})
export type JournalKind = (typeof JOURNAL_KINDS.values)[number]

export const CALL_DIRECTIONS = labelled({ outbound: 'Sortant', inbound: 'Entrant' })
export type CallDirection = (typeof CALL_DIRECTIONS.values)[number]

export const CALL_OUTCOMES = labelled({
  promise_to_pay: 'Promesse de paiement',
  asks_payment_plan: 'Demande un échéancier',
  disputes_debt: 'Conteste la créance',
  refuses: 'Refuse de payer',
  says_already_paid: 'Affirme avoir payé',
  call_back_requested: 'Rappel demandé',
  message_left: 'Message laissé',
  no_answer: 'Pas de réponse',
  wrong_number: 'Faux numéro'
})
export type CallOutcome = (typeof CALL_OUTCOMES.values)[number]

export const PAYMENT_METHODS = labelled({
  transfer: 'Virement',
  cheque: 'Chèque',
  card: 'Carte bancaire',
  direct_debit: 'Prélèvement',
  cash: 'Espèces'
})
export type PaymentMethod = (typeof PAYMENT_METHODS.values)[number]

/** Who received the money: the agency (client funds account) or the client directly. */
export const PAYMENT_RECEIVERS = labelled({ agency: 'Cabinet', client: 'Client (paiement direct)' })
export type PaymentReceiver = (typeof PAYMENT_RECEIVERS.values)[number]

export const ALLOCATION_COMPONENTS = labelled({
  interest: 'Intérêts',
  indemnity: 'Indemnité forfaitaire',
  fees: 'Frais',
  principal: 'Principal'
})
export type AllocationComponent = (typeof ALLOCATION_COMPONENTS.values)[number]

export const PROMISE_STATUSES = labelled({
  pending: 'En attente',
  kept: 'Tenue',
  partially_kept: 'Partiellement tenue',
  broken: 'Non tenue',
  cancelled: 'Annulée'
})
export type PromiseStatus = (typeof PROMISE_STATUSES.values)[number]

export const PLAN_STATUSES = labelled({
  proposed: 'Proposé',
  active: 'En cours',
  completed: 'Terminé',
  defaulted: 'Défaillant',
  cancelled: 'Annulé'
})
export type PlanStatus = (typeof PLAN_STATUSES.values)[number]

export const PLAN_FREQUENCIES = labelled({
  weekly: 'Hebdomadaire',
  biweekly: 'Bimensuelle',
  monthly: 'Mensuelle',
  quarterly: 'Trimestrielle'
})
export type PlanFrequency = (typeof PLAN_FREQUENCIES.values)[number]

/** frozen: the balance is fixed at the agreement; running: interest keeps accruing on the principal left. */
export const PLAN_INTEREST_MODES = labelled({ frozen: 'Intérêts gelés', running: 'Intérêts courants' })
export type PlanInterestMode = (typeof PLAN_INTEREST_MODES.values)[number]

/** Relevé de reversement to a client (CPCE R124-6). */
export const REMITTANCE_STATUSES = labelled({ pending: 'À reverser', paid: 'Reversé' })
export type RemittanceStatus = (typeof REMITTANCE_STATUSES.values)[number]

export const INSTALLMENT_STATUSES = labelled({ due: 'À venir', paid: 'Payée', partial: 'Partielle', missed: 'Impayée' })
export type InstallmentStatus = (typeof INSTALLMENT_STATUSES.values)[number]

export const SOLVENCY_CATEGORIES = labelled({
  employment: 'Emploi',
  income: 'Revenus',
  real_estate: 'Immobilier',
  vehicle: 'Véhicule',
  bank_account: 'Compte bancaire',
  household: 'Foyer',
  company_health: 'Santé de l’entreprise',
  other: 'Autre',
  charges: 'Charges',
  assets: 'Patrimoine',
  other_debts: 'Autres dettes',
  proceedings: 'Procédure collective ou surendettement'
})
export type SolvencyCategory = (typeof SOLVENCY_CATEGORIES.values)[number]

export const DOCUMENT_KINDS = labelled({
  invoice: 'Facture',
  contract: 'Contrat',
  purchase_order: 'Bon de commande',
  delivery_note: 'Bon de livraison',
  letter: 'Courrier',
  acknowledgment: 'Accusé de réception',
  court_decision: 'Décision de justice',
  other: 'Autre'
})
export type DocumentKind = (typeof DOCUMENT_KINDS.values)[number]

export const USER_ROLES = labelled({
  admin: 'Administrateur',
  manager: 'Responsable',
  collector: 'Chargé de recouvrement'
})
export type UserRole = (typeof USER_ROLES.values)[number]

export const PHONE_KINDS = labelled({ mobile: 'Mobile', landline: 'Fixe', work: 'Professionnel' })
export type PhoneKind = (typeof PHONE_KINDS.values)[number]

export const CONTACT_STATUSES = labelled({ unverified: 'Non vérifié', valid: 'Valide', invalid: 'Invalide' })
export type ContactStatus = (typeof CONTACT_STATUSES.values)[number]

/** Age buckets of the portfolio (days past the oldest unpaid due date). */
export const AGE_BUCKETS = labelled({
  d0_30: '0 à 30 jours',
  d31_60: '31 à 60 jours',
  d61_90: '61 à 90 jours',
  d91_180: '91 à 180 jours',
  d180_plus: 'Plus de 180 jours'
})
export type AgeBucket = (typeof AGE_BUCKETS.values)[number]

/* ---------------------------------------------------- collector workspace (case file, calls, solvency) */

/** Who picked up a call. */
export const CALL_ANSWERERS = labelled({
  debtor: 'Le débiteur',
  third_party: 'Un tiers',
  voicemail: 'Messagerie',
  no_answer: 'Personne',
  wrong_number: 'Faux numéro'
})
export type CallAnswerer = (typeof CALL_ANSWERERS.values)[number]

export const SOLVENCY_ASSESSMENTS = labelled({
  solvent: 'Solvable',
  partial_capacity: 'Capacité partielle',
  insolvent: 'Insolvable',
  unknown: 'Inconnue'
})
export type SolvencyAssessment = (typeof SOLVENCY_ASSESSMENTS.values)[number]

export const EMPLOYMENT_STATUSES = labelled({
  permanent: 'Salarié en CDI',
  fixed_term: 'Salarié en CDD',
  temporary: 'Intérimaire',
  self_employed: 'Indépendant',
  unemployed: 'Sans emploi',
  retired: 'Retraité',
  student: 'Étudiant',
  other: 'Autre situation'
})
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES.values)[number]

/** Monthly net income ranges (a debtor rarely gives an exact figure). */
export const INCOME_RANGES = labelled({
  lt_1000: 'Moins de 1 000 €',
  r1000_1500: '1 000 à 1 500 €',
  r1500_2000: '1 500 à 2 000 €',
  r2000_3000: '2 000 à 3 000 €',
  r3000_5000: '3 000 à 5 000 €',
  gt_5000: 'Plus de 5 000 €'
})
export type IncomeRange = (typeof INCOME_RANGES.values)[number]

export const HOUSING_TENURES = labelled({
  owner: 'Propriétaire',
  tenant: 'Locataire',
  hosted: 'Hébergé à titre gratuit',
  other: 'Autre'
})
export type HousingTenure = (typeof HOUSING_TENURES.values)[number]

/** Collective proceedings (C. com. L620-1 ff.) and over-indebtedness (C. consom. L711-1 ff.). */
export const PROCEEDING_KINDS = labelled({
  safeguard: 'Sauvegarde',
  receivership: 'Redressement judiciaire',
  liquidation: 'Liquidation judiciaire',
  over_indebtedness: 'Surendettement (dossier recevable)'
})
export type ProceedingKind = (typeof PROCEEDING_KINDS.values)[number]

export const DEADLINE_KINDS = labelled({
  claim_declaration: 'Déclaration de créance',
  liabilities_contest: 'Contestation de l’état du passif'
})
export type DeadlineKind = (typeof DEADLINE_KINDS.values)[number]
