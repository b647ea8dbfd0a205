/**
 * A realistic French debt-collection portfolio, generated without any I/O.
 *
 * Everything comes from one seeded PRNG stream, so (seed, today, cases) always gives the same
 * rows, ids included. Cases are generated in the order they were opened, in batches, so that
 * 200,000 cases never sit in memory at once; the only state kept across batches is small
 * (clients, invoice counters, debtors waiting for their next case, SIRENs in use).
 *
 * The rows honour the invariants the services maintain: case summary columns equal the
 * aggregates of their claims, payments and calls; payments are allocated to principal, oldest
 * claim first; promises and plans agree with the payments; journals are in date order.
 */
import { isBusinessDay } from '@shared/calls/holidays'
import { fromDayNumber, parts, toDayNumber, type CalendarDate } from '@shared/dates/calendar-date'
import type { FactCategory, SolvencyFactFields } from '@shared/contract'
import type {
  CallAnswerer,
  CallDirection,
  CallOutcome,
  CasePhase,
  CasePriority,
  ClosureReason,
  ContactStatus,
  EmploymentStatus,
  IncomeRange,
  InstallmentStatus,
  InterestBasis,
  JournalKind,
  PaymentMethod,
  PaymentReceiver,
  PhoneKind,
  PlanFrequency,
  PlanStatus,
  PromiseStatus,
  SuspensionReason
} from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import { buildSchedule } from '@shared/money/schedule'
import { frenchIban } from '@shared/validation/iban'
import { sirenFromPayload, siretFromSiren } from '@shared/validation/siren'
import type { CaseEntity } from '../cases/case.entity'
import type { ClaimEntity } from '../cases/claim.entity'
import type { ClientEntity } from '../clients/client.entity'
import type { MandateEntity } from '../clients/mandate.entity'
import type { DebtorAddressEntity, DebtorEmailEntity, DebtorPhoneEntity } from '../debtors/debtor-contact.entity'
import type { DebtorEntity } from '../debtors/debtor.entity'
import type { SolvencyNoteEntity } from '../debtors/solvency-note.entity'
import type { JournalEntryEntity } from '../journal/journal-entry.entity'
import type { AllocationEntity, PaymentEntity } from '../money/payment.entity'
import type { InstallmentEntity, PaymentPlanEntity, PromiseEntity } from '../plans/plan.entities'
import type { UserEntity } from '../users/user.entity'
import { nameSortKey } from '../search/search-text'
import { factSummary } from '../solvency/solvency.service'
import { solvencyFactAmountCents } from '@shared/solvency/fact-amount'

// ---------------------------------------------------------------------------------------------
// Rows: the entities' columns without their relation objects, so the compiler checks that the
// generator fills every column the schema has.

export type UserRow = UserEntity
export type ClientRow = ClientEntity
export type MandateRow = Omit<MandateEntity, 'client'>
export type DebtorRow = DebtorEntity
export type DebtorAddressRow = Omit<DebtorAddressEntity, 'debtor'>
export type DebtorPhoneRow = Omit<DebtorPhoneEntity, 'debtor'>
export type DebtorEmailRow = Omit<DebtorEmailEntity, 'debtor'>
export type SolvencyNoteRow = Omit<SolvencyNoteEntity, 'debtor'>
export type CaseRow = Omit<CaseEntity, 'client' | 'mandate' | 'debtor' | 'collector'>
export type ClaimRow = Omit<ClaimEntity, 'case'>
export type JournalEntryRow = Omit<JournalEntryEntity, 'case'>
export type PaymentRow = Omit<PaymentEntity, 'case'>
export type AllocationRow = Omit<AllocationEntity, 'payment' | 'claim'>
export type PromiseRow = Omit<PromiseEntity, 'case'>
export type PaymentPlanRow = Omit<PaymentPlanEntity, 'case'>
export type InstallmentRow = Omit<InstallmentEntity, 'plan'>

export interface PortfolioSetup {
  users: UserRow[]
  clients: ClientRow[]
  mandates: MandateRow[]
}

/** One batch of cases with everything that hangs off them, in an order foreign keys accept. */
export interface PortfolioBatch {
  debtors: DebtorRow[]
  debtorAddresses: DebtorAddressRow[]
  debtorPhones: DebtorPhoneRow[]
  debtorEmails: DebtorEmailRow[]
  cases: CaseRow[]
  claims: ClaimRow[]
  payments: PaymentRow[]
  allocations: AllocationRow[]
  paymentPlans: PaymentPlanRow[]
  installments: InstallmentRow[]
  promises: PromiseRow[]
  journalEntries: JournalEntryRow[]
  solvencyNotes: SolvencyNoteRow[]
}

export interface PortfolioOptions {
  cases: number
  seed: number
  today: CalendarDate
  /** Logins already in the database (the administrator's…): generated users avoid them. */
  reservedLogins?: readonly string[]
  /**
   * `standard`: about 2 invoices and 6 journal entries a case, a young agency's file. `busy`: an
   * older file worked longer, about 3 invoices and 10 journal entries a case (the benchmarks'
   * 200,000 cases, 600,000 claims and 2,000,000 journal entries).
   */
  history?: DemoHistory
}

export type DemoHistory = 'standard' | 'busy'

/** Invoices per case, weighted. */
const CLAIM_COUNT_WEIGHTS: Record<DemoHistory, ReadonlyArray<readonly [number, number]>> = {
  standard: [
    [1, 45],
    [2, 25],
    [3, 15],
    [4, 9],
    [5, 6]
  ],
  busy: [
    [1, 18],
    [2, 24],
    [3, 22],
    [4, 16],
    [5, 11],
    [6, 9]
  ]
}

/** How many journal entries a case gets: base + random(0, spread) + one per `perDays` of age, at most `max`. */
const JOURNAL_DENSITY: Record<DemoHistory, { base: number; spread: number; perDays: number; max: number }> = {
  standard: { base: 2, spread: 2, perDays: 180, max: 12 },
  busy: { base: 5, spread: 4, perDays: 120, max: 20 }
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through splitmix32: fast, 128 bits
 * of state, good statistical quality, and identical on every JS engine.
 */
export class SeededRandom {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    let state = seed >>> 0
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) | 0
      let z = state
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = splitmix32()
    this.b = splitmix32()
    this.c = splitmix32()
    this.d = splitmix32()
    for (let i = 0; i < 15; i++) this.uint32()
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    let total = 0
    for (const [, weight] of choices) total += weight
    let target = this.next() * total
    for (const [value, weight] of choices) {
      target -= weight
      if (target < 0) return value
    }
    return choices[choices.length - 1]![0]
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next() // (0, 1]: log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function hex32(value: number): string {
  return HEX[(value >>> 24) & 0xff]! + HEX[(value >>> 16) & 0xff]! + HEX[(value >>> 8) & 0xff]! + HEX[value & 0xff]!
}

function hex16(value: number): string {
  return HEX[(value >>> 8) & 0xff]! + HEX[value & 0xff]!
}

/**
 * A UUID v7 (RFC 9562) whose 48-bit timestamp is `ms` and whose 74 random bits come from `rng`:
 * time-ordered like the app's own keys, yet reproducible.
 */
export function uuid7From(rng: SeededRandom, ms: number): string {
  const high = Math.floor(ms / 65_536) >>> 0 // top 32 of the 48 timestamp bits
  const low = ms % 65_536
  const r1 = rng.uint32()
  const r2 = rng.uint32()
  const r3 = rng.uint32()
  const versionAndRandA = 0x7000 | (r1 & 0x0fff)
  const variantAndRandB = 0x8000 | ((r1 >>> 12) & 0x3fff)
  return `${hex32(high)}-${hex16(low)}-${hex16(versionAndRandA)}-${hex16(variantAndRandB)}-${hex16(r2 & 0xffff)}${hex32(r3)}`
}

// ---------------------------------------------------------------------------------------------
// French reference data

/** French phone zones: 01 Île-de-France, 02 north-west, 03 north-east, 04 south-east, 05 south-west. */
type PhoneZone = 1 | 2 | 3 | 4 | 5

interface City {
  name: string
  postalCode: string
  zone: PhoneZone
  /** Relative weight (roughly the population). */
  weight: number
}

// name, postal code, phone zone, weight
const CITY_DATA: ReadonlyArray<readonly [string, string, PhoneZone, number]> = [
  ['Paris', '75011', 1, 60], ['Paris', '75015', 1, 60], ['Paris', '75018', 1, 55], ['Paris', '75020', 1, 55],
  ['Paris', '75012', 1, 40], ['Paris', '75017', 1, 40], ['Paris', '75010', 1, 30], ['Paris', '75013', 1, 50],
  ['Marseille', '13001', 4, 25], ['Marseille', '13005', 4, 25], ['Marseille', '13008', 4, 30],
  ['Marseille', '13013', 4, 30], ['Marseille', '13015', 4, 30], ['Lyon', '69003', 4, 35], ['Lyon', '69007', 4, 30],
  ['Lyon', '69008', 4, 25], ['Toulouse', '31000', 5, 50], ['Toulouse', '31200', 5, 30], ['Nice', '06000', 4, 35],
  ['Nice', '06300', 4, 15], ['Nantes', '44000', 2, 32], ['Nantes', '44300', 2, 14], ['Montpellier', '34000', 4, 30],
  ['Montpellier', '34070', 4, 15], ['Strasbourg', '67000', 3, 30], ['Strasbourg', '67100', 3, 15],
  ['Bordeaux', '33000', 5, 27], ['Bordeaux', '33800', 5, 12], ['Lille', '59000', 3, 24], ['Lille', '59800', 3, 10],
  ['Rennes', '35000', 2, 23], ['Rennes', '35200', 2, 10], ['Reims', '51100', 3, 18], ['Toulon', '83000', 4, 18],
  ['Saint-Étienne', '42000', 4, 17], ['Le Havre', '76600', 2, 17], ['Grenoble', '38000', 4, 16],
  ['Dijon', '21000', 3, 16], ['Angers', '49000', 2, 15], ['Villeurbanne', '69100', 4, 15],
  ['Saint-Denis', '93200', 1, 11], ['Nîmes', '30000', 4, 15], ['Clermont-Ferrand', '63000', 4, 15],
  ['Le Mans', '72000', 2, 14], ['Aix-en-Provence', '13100', 4, 14], ['Brest', '29200', 2, 14],
  ['Tours', '37000', 2, 14], ['Amiens', '80000', 3, 13], ['Limoges', '87000', 5, 13], ['Annecy', '74000', 4, 13],
  ['Perpignan', '66000', 4, 12], ['Boulogne-Billancourt', '92100', 1, 12], ['Metz', '57000', 3, 12],
  ['Besançon', '25000', 3, 12], ['Orléans', '45000', 2, 12], ['Rouen', '76000', 2, 11],
  ['Argenteuil', '95100', 1, 11], ['Montreuil', '93100', 1, 11], ['Mulhouse', '68100', 3, 11],
  ['Caen', '14000', 2, 11], ['Nancy', '54000', 3, 10], ['Tourcoing', '59200', 3, 10], ['Roubaix', '59100', 3, 10],
  ['Nanterre', '92000', 1, 10], ['Vitry-sur-Seine', '94400', 1, 9], ['Avignon', '84000', 4, 9],
  ['Créteil', '94000', 1, 9], ['Poitiers', '86000', 5, 9], ['Aubervilliers', '93300', 1, 9],
  ['Versailles', '78000', 1, 9], ['Colombes', '92700', 1, 8], ['Asnières-sur-Seine', '92600', 1, 8],
  ['Aulnay-sous-Bois', '93600', 1, 8], ['Courbevoie', '92400', 1, 8], ['Pau', '64000', 5, 8],
  ['Cherbourg-en-Cotentin', '50100', 2, 8], ['Rueil-Malmaison', '92500', 1, 8], ['La Rochelle', '17000', 5, 8],
  ['Champigny-sur-Marne', '94500', 1, 8], ['Béziers', '34500', 4, 8], ['Calais', '62100', 3, 7],
  ['Saint-Maur-des-Fossés', '94100', 1, 7], ['Cannes', '06400', 4, 7], ['Antibes', '06600', 4, 7],
  ['Drancy', '93700', 1, 7], ['Mérignac', '33700', 5, 7], ['Saint-Nazaire', '44600', 2, 7], ['Colmar', '68000', 3, 7],
  ['Issy-les-Moulineaux', '92130', 1, 7], ['Noisy-le-Grand', '93160', 1, 7], ['Évry-Courcouronnes', '91000', 1, 7],
  ['Vénissieux', '69200', 4, 6], ['Cergy', '95000', 1, 6], ['Levallois-Perret', '92300', 1, 6],
  ['Valence', '26000', 4, 6], ['Bourges', '18000', 2, 6], ['Pessac', '33600', 5, 6], ['Cholet', '49300', 2, 5],
  ['Quimper', '29000', 2, 6], ['La Seyne-sur-Mer', '83500', 4, 6], ['Ivry-sur-Seine', '94200', 1, 6],
  ['Troyes', '10000', 3, 6], ['Vannes', '56000', 2, 5], ['Chambéry', '73000', 4, 6], ['Niort', '79000', 5, 6],
  ['Lorient', '56100', 2, 5], ['Beauvais', '60000', 3, 5], ['Villejuif', '94800', 1, 5], ['Hyères', '83400', 4, 5],
  ['Saint-Quentin', '02100', 3, 5], ['Sarcelles', '95200', 1, 5], ['Laval', '53000', 2, 5],
  ['Chartres', '28000', 2, 4], ['Belfort', '90000', 3, 4], ['Arles', '13200', 4, 5], ['Évreux', '27000', 2, 5],
  ['Fréjus', '83600', 4, 5], ['Bayonne', '64100', 5, 5], ['Angoulême', '16000', 5, 4], ['Blois', '41000', 2, 4],
  ['Saint-Brieuc', '22000', 2, 4], ['Châteauroux', '36000', 2, 4], ['Châlons-en-Champagne', '51000', 3, 4],
  ['Auxerre', '89000', 3, 3], ['Nevers', '58000', 3, 3], ['Tarbes', '65000', 5, 4], ['Albi', '81000', 5, 5],
  ['Carcassonne', '11000', 4, 4], ['Agen', '47000', 5, 3], ['Périgueux', '24000', 5, 3],
  ['Brive-la-Gaillarde', '19100', 5, 4], ['Montauban', '82000', 5, 6], ['Ajaccio', '20000', 4, 5],
  ['Bastia', '20200', 4, 4], ['Gap', '05000', 4, 4], ['Mâcon', '71000', 3, 3], ['Bourg-en-Bresse', '01000', 4, 4],
  ['Roanne', '42300', 4, 3], ['Vichy', '03200', 4, 2], ['Montluçon', '03100', 4, 3], ['Épinal', '88000', 3, 3],
  ['Charleville-Mézières', '08000', 3, 4], ['Dunkerque', '59140', 3, 8], ['Arras', '62000', 3, 4],
  ['Douai', '59500', 3, 4], ['Valenciennes', '59300', 3, 4], ['Compiègne', '60200', 3, 4],
  ['Saint-Malo', '35400', 2, 5], ['Alençon', '61000', 2, 3], ['Lisieux', '14100', 2, 2], ['Dieppe', '76200', 2, 3],
  ['Saumur', '49400', 2, 3], ['La Roche-sur-Yon', '85000', 2, 5], ['Dax', '40100', 5, 2],
  ['Mont-de-Marsan', '40000', 5, 3], ['Cahors', '46000', 5, 2], ['Rodez', '12000', 5, 2], ['Sète', '34200', 4, 4],
  ['Narbonne', '11100', 4, 5], ['Aurillac', '15000', 4, 2], ['Le Puy-en-Velay', '43000', 4, 2],
  ['Annemasse', '74100', 4, 3], ['Thonon-les-Bains', '74200', 4, 3], ['Vienne', '38200', 4, 3],
  ['Montélimar', '26200', 4, 4], ['Salon-de-Provence', '13300', 4, 4], ['Martigues', '13500', 4, 5],
  ['Aubagne', '13400', 4, 5], ['Draguignan', '83300', 4, 4], ['Grasse', '06130', 4, 5], ['Menton', '06500', 4, 3]
] // prettier-ignore

const CITIES: readonly City[] = CITY_DATA.map(([name, postalCode, zone, weight]) => ({
  name,
  postalCode,
  zone,
  weight
}))
const CITY_CHOICES = CITIES.map((city) => [city, city.weight] as const)

const STREETS = [
  'rue de la République', 'avenue Jean Jaurès', 'rue Victor Hugo', 'boulevard Gambetta', 'rue Pasteur',
  'place de la Mairie', 'chemin des Vignes', 'allée des Tilleuls', 'rue du Général de Gaulle', 'avenue de la Gare',
  'rue des Écoles', 'impasse des Lilas', 'rue Jules Ferry', "rue de l'Église", 'boulevard Voltaire',
  'rue du Moulin', 'route de Paris', 'rue Nationale', 'avenue Foch', 'rue Émile Zola', 'rue Carnot',
  'rue de la Paix', 'avenue des Acacias', 'rue des Jardins', 'rue du Stade', 'chemin de la Fontaine',
  'rue Anatole France', 'avenue du Maréchal Leclerc', 'rue Jean Moulin', 'rue des Peupliers', 'rue de Verdun',
  'boulevard de la Liberté', 'rue Saint-Jacques', 'rue du Château', 'avenue de la Libération', 'rue des Roses',
  'rue Louis Pasteur', 'quai des Chartrons', 'rue Paul Bert', 'rue de Strasbourg', 'allée des Marronniers',
  'rue Georges Clemenceau', 'avenue Aristide Briand', 'rue des Prés', 'rue de la Gare', 'cours Mirabeau'
] // prettier-ignore

const RESIDENCE_LINES = [
  'Bâtiment B', 'Résidence les Tilleuls', 'Appartement 12', 'Escalier C', 'Résidence du Parc, bât. A',
  '2e étage gauche', 'Lotissement les Chênes', 'Chez M. et Mme Moreau'
] // prettier-ignore

const BUSINESS_LINES = [
  "ZI des Paluds", "ZAC du Parc", "Parc d'activités des Bruyères", 'Zone artisanale du Moulin', 'Immeuble Le Polaris',
  'Centre commercial des Arcades', "Parc d'activités de la Gare", 'ZI Nord'
] // prettier-ignore

// The most frequent French first names, with their civility.
const MALE_FIRST_NAMES = [
  'Jean', 'Philippe', 'Michel', 'Alain', 'Patrick', 'Nicolas', 'Christophe', 'Pierre', 'Christian', 'Éric',
  'Frédéric', 'Laurent', 'Stéphane', 'David', 'Pascal', 'Daniel', 'Sébastien', 'Julien', 'Thierry', 'Olivier',
  'Bernard', 'Thomas', 'Alexandre', 'Gérard', 'Didier', 'Dominique', 'Vincent', 'François', 'Bruno', 'Guillaume',
  'Jérôme', 'Jacques', 'Marc', 'Maxime', 'Romain', 'Claude', 'Antoine', 'Franck', 'Jean-Pierre', 'Anthony',
  'Kévin', 'Gilles', 'Cédric', 'Serge', 'André', 'Mathieu', 'Benjamin', 'Patrice', 'Fabrice', 'Joël', 'Jérémy',
  'Clément', 'Arnaud', 'Denis', 'Paul', 'Lucas', 'Hervé', 'Jean-Claude', 'Sylvain', 'Yves', 'Ludovic', 'Guy',
  'Florian', 'Damien', 'Alexis', 'Mickaël', 'Quentin', 'Emmanuel', 'Louis', 'Benoît', 'Jean-Luc', 'Fabien',
  'Francis', 'Hugo', 'Jonathan', 'Loïc', 'Xavier', 'Théo', 'Adrien', 'Raphaël', 'Karim', 'Mehdi', 'Mohamed'
] // prettier-ignore

const FEMALE_FIRST_NAMES = [
  'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Martine', 'Christine', 'Françoise', 'Valérie', 'Sandrine',
  'Stéphanie', 'Véronique', 'Sophie', 'Céline', 'Chantal', 'Patricia', 'Anne', 'Brigitte', 'Julie', 'Monique',
  'Aurélie', 'Nicole', 'Laurence', 'Annie', 'Émilie', 'Dominique', 'Virginie', 'Corinne', 'Élodie', 'Christelle',
  'Camille', 'Caroline', 'Léa', 'Sarah', 'Florence', 'Laetitia', 'Audrey', 'Hélène', 'Laura', 'Manon', 'Michèle',
  'Cécile', 'Christiane', 'Béatrice', 'Claire', 'Nadine', 'Delphine', 'Pauline', 'Karine', 'Mélanie', 'Marion',
  'Chloé', 'Jacqueline', 'Elisabeth', 'Evelyne', 'Marine', 'Claudine', 'Anaïs', 'Lucie', 'Danielle', 'Carole',
  'Fabienne', 'Mathilde', 'Sandra', 'Pascale', 'Annick', 'Charlotte', 'Emma', 'Séverine', 'Sabrina', 'Amandine',
  'Myriam', 'Jocelyne', 'Alexandra', 'Angélique', 'Josiane', 'Joëlle', 'Agnès', 'Mireille', 'Fatima', 'Inès'
] // prettier-ignore

const LAST_NAMES = [
  'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon',
  'Michel', 'Lefebvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont',
  'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefèvre', 'Faure', 'André', 'Mercier', 'Blanc',
  'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin',
  'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson', 'Marchand', 'Duval', 'Denis',
  'Dumont', 'Marie', 'Lemaire', 'Noël', 'Meyer', 'Dufour', 'Meunier', 'Brun', 'Blanchard', 'Giraud', 'Joly',
  'Rivière', 'Lucas', 'Brunet', 'Gaillard', 'Barbier', 'Arnaud', 'Martinez', 'Gérard', 'Roche', 'Renard',
  'Schmitt', 'Roy', 'Leroux', 'Colin', 'Vidal', 'Caron', 'Picard', 'Roger', 'Fabre', 'Aubert', 'Lemoine',
  'Renaud', 'Dumas', 'Lacroix', 'Olivier', 'Philippe', 'Bourgeois', 'Pierre', 'Benoît', 'Rey', 'Leclerc', 'Payet',
  'Rolland', 'Leclercq', 'Guillaume', 'Lecomte', 'Lopez', 'Jean', 'Dupuy', 'Guillot', 'Hubert', 'Berger',
  'Carpentier', 'Sanchez', 'Dupuis', 'Moulin', 'Louis', 'Deschamps', 'Huet', 'Vasseur', 'Perez', 'Boucher',
  'Fleury', 'Royer', 'Klein', 'Jacquet', 'Adam', 'Paris', 'Poirier', 'Marty', 'Aubry', 'Guyot', 'Carré',
  'Charles', 'Renault', 'Charpentier', 'Ménard', 'Maillard', 'Baron', 'Bertin', 'Bailly', 'Hervé', 'Schneider',
  'Fernandez', 'Le Gall', 'Collet', 'Léger', 'Bouvier', 'Julien', 'Prévost', 'Millet', 'Perrot', 'Daniel',
  'Le Roux', 'Cousin', 'Germain', 'Breton', 'Besson', 'Langlois', 'Rémy', 'Le Goff', 'Pelletier', 'Lévêque',
  'Perrier', 'Leblanc', 'Barré', 'Lebrun', 'Marchal', 'Weber', 'Mallet', 'Hamon', 'Boulanger', 'Jacob', 'Monnier',
  'Michaud', 'Rodriguez', 'Guichard', 'Gillet', 'Étienne', 'Grondin', 'Poulain', 'Tessier', 'Chevallier', 'Collin',
  'Chauvin', 'Da Silva', 'Bouchet', 'Gay', 'Lemaître', 'Bénard', 'Maréchal', 'Humbert', 'Reynaud', 'Antoine',
  'Hoarau', 'Perret', 'Barthélemy', 'Cordier', 'Pichon', 'Lejeune', 'Gilbert', 'Lamy', 'Delaunay', 'Pasquier',
  'Carlier', 'Laporte', 'Benali', 'Haddad', 'Nguyen', 'Ferreira', 'Dos Santos', 'Kaya', 'Diallo', 'Traoré'
] // prettier-ignore

const REGION_WORDS = [
  'Rhône-Alpes', 'Atlantique', 'Provence', 'Bretagne', 'Normandie', 'Alsace', 'Val de Loire', 'Méditerranée',
  'Île-de-France', 'Aquitaine', 'Nord', 'Lorraine', 'Bourgogne', 'Auvergne', 'Pyrénées', "Côte d'Azur", 'Champagne',
  'Vendée', 'Savoie', 'Touraine', 'Occitanie', 'Picardie', 'Dauphiné', 'Gascogne', 'Anjou', 'Flandres'
] // prettier-ignore

type SectorCode = 'btp' | 'transport' | 'telecom' | 'energy' | 'distribution' | 'health' | 'real_estate' | 'services'

interface Sector {
  code: SectorCode
  /** Share of company clients in this sector. */
  weight: number
  /** Share of this sector's debtors that are companies. */
  companyDebtorShare: number
  consumerMedianCents: number
  businessMedianCents: number
  /** Name patterns: {S} a surname, {R} a region, {C} a city. */
  names: readonly string[]
  claimLabels: readonly string[]
}

const SECTORS: readonly Sector[] = [
  {
    code: 'btp', weight: 15, companyDebtorShare: 0.6, consumerMedianCents: 180_000, businessMedianCents: 450_000,
    names: ['{S} Bâtiment', 'Entreprise {S} et Fils', '{R} Construction', 'Maçonnerie {S}', '{S} Travaux Publics',
      'Charpentes du {R}', 'Menuiseries {S}', '{R} Rénovation', 'Couverture {S}', 'Terrassements {S}'],
    claimLabels: ['Travaux de rénovation – situation n° {n}', 'Fourniture et pose de menuiseries', 'Travaux de maçonnerie',
      'Location de matériel de chantier', 'Travaux de couverture', 'Retenue de garantie non libérée']
  },
  {
    code: 'transport', weight: 12, companyDebtorShare: 0.65, consumerMedianCents: 45_000, businessMedianCents: 160_000,
    names: ['Transports {S}', '{R} Logistique', '{S} Express', 'Fret {R}', 'Transports Rapides du {R}',
      'Déménagements {S}', '{C} Messagerie'],
    claimLabels: ['Prestations de transport – {m}', 'Affrètement – {m}', 'Déménagement du {d}', 'Stockage et manutention – {m}',
      'Livraisons express – {m}']
  },
  {
    code: 'telecom', weight: 10, companyDebtorShare: 0.12, consumerMedianCents: 14_000, businessMedianCents: 90_000,
    names: ['{R} Télécom', 'Réseaux {R}', 'Fibre {R}', 'Connect {C}', '{S} Télécommunications'],
    claimLabels: ['Abonnement fibre – {m}', 'Forfait mobile – {m}', 'Frais de résiliation anticipée',
      'Matériel non restitué (box)', 'Communications hors forfait – {m}']
  },
  {
    code: 'energy', weight: 10, companyDebtorShare: 0.15, consumerMedianCents: 32_000, businessMedianCents: 240_000,
    names: ['{R} Énergies', 'Électricité de {C}', 'Gaz et Services {R}', '{R} Énergie Verte', 'Chauffage {S}'],
    claimLabels: ["Facture d'électricité – {m}", 'Facture de gaz – {m}', 'Régularisation annuelle de consommation',
      'Livraison de fioul du {d}', 'Entretien de chaudière']
  },
  {
    code: 'distribution', weight: 15, companyDebtorShare: 0.3, consumerMedianCents: 28_000, businessMedianCents: 140_000,
    names: ['Distribution {S}', 'Comptoir {S}', 'Grossiste Alimentaire {R}', 'Cash {R}', '{S} Négoce',
      'Équipements {R}', 'Fournitures {S}'],
    claimLabels: ['Livraison de marchandises – BL {n}', 'Commande du {d}', 'Fournitures de bureau – {m}',
      'Vente à crédit – mensualités impayées', 'Matériel électroménager']
  },
  {
    code: 'health', weight: 10, companyDebtorShare: 0.08, consumerMedianCents: 22_000, businessMedianCents: 60_000,
    names: ['Clinique Saint-{S}', 'Laboratoire {S}', 'Centre Médical de {C}', 'Ambulances {S}', 'Polyclinique du {R}',
      'Centre Dentaire de {C}'],
    claimLabels: ['Dépassement d’honoraires – séjour du {d}', 'Chambre particulière – séjour du {d}',
      'Transport sanitaire du {d}', 'Soins dentaires – devis n° {n}', 'Analyses de laboratoire du {d}']
  },
  {
    code: 'real_estate', weight: 13, companyDebtorShare: 0.1, consumerMedianCents: 75_000, businessMedianCents: 260_000,
    names: ['{R} Habitat', 'Agence Immobilière {S}', 'Gestion Locative {R}', 'Foncière {S}', 'Cabinet {S} Immobilier'],
    claimLabels: ['Loyer et charges – {m}', 'Régularisation des charges locatives', 'Frais de remise en état',
      'Loyer commercial – {m}', "Taxe d'ordures ménagères refacturée"]
  },
  {
    code: 'services', weight: 15, companyDebtorShare: 0.4, consumerMedianCents: 25_000, businessMedianCents: 120_000,
    names: ['{S} Conseil', 'Nettoyage Pro {R}', '{R} Sécurité', 'Informatique {S}', '{S} Formation',
      'Agence {S} Communication', 'Intérim {R}'],
    claimLabels: ['Prestations de nettoyage – {m}', 'Maintenance informatique – {m}', 'Mission de conseil – phase {n}',
      'Formation du {d}', 'Gardiennage – {m}', 'Prestation de services – {m}']
  }
] // prettier-ignore

const SECTOR_CHOICES = SECTORS.map((sector) => [sector, sector.weight] as const)

const CLIENT_LEGAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['SAS', 40],
  ['SARL', 30],
  ['SA', 15],
  ['SASU', 8],
  ['SCOP', 3],
  ['SNC', 4]
]

const DEBTOR_COMPANY_PATTERNS = [
  'Boulangerie {S}', 'Garage {S}', 'Restaurant Le {N}', 'Café du {P}', 'Menuiserie {S}', 'Plomberie {S}',
  'Coiffure {F}', 'Fleurs {F}', 'Auto-École de {C}', 'Pizzeria {I}', 'Hôtel du {P}', 'Cabinet {S}',
  'Imprimerie {S}', 'Transports {S}', 'SCI {S}', '{S} Services', 'Électricité {S}', 'Boucherie {S}',
  'Pharmacie du {P}', 'Épicerie {F}', 'Bar Le {N}', 'Taxi {S}', 'Peinture {S}', 'Agence {S}',
  '{S} Paysages', 'Carrosserie {S}', 'Librairie du {P}', 'Atelier {F}', 'Brasserie Le {N}', '{S} Rénovation'
] // prettier-ignore

const RESTAURANT_NOUNS = [
  'Petit Zinc',
  'Cheval Blanc',
  'Vieux Port',
  'Lion d’Or',
  'Relais',
  'Comptoir',
  'Galion',
  'Bistrot'
]
const PLACES = ['Centre', 'Marché', 'Port', 'Parc', 'Commerce', 'Théâtre', 'Château', 'Pont']
const ITALIAN_NAMES = ['Napoli', 'Roma', 'Vesuvio', 'Da Marco', 'Bella Vita', 'Toscana']

const DEBTOR_LEGAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['SARL', 40],
  ['SAS', 25],
  ['SASU', 12],
  ['EURL', 13],
  ['SA', 3],
  ['SCI', 7]
]

interface Bank {
  code: string
  bic: string
  name: string
}

const BANKS: readonly Bank[] = [
  { code: '30004', bic: 'BNPAFRPPXXX', name: 'BNP Paribas' },
  { code: '30003', bic: 'SOGEFRPPXXX', name: 'Société Générale' },
  { code: '30002', bic: 'CRLYFRPPXXX', name: 'LCL' },
  { code: '20041', bic: 'PSSTFRPPXXX', name: 'La Banque Postale' },
  { code: '30066', bic: 'CMCIFRPPXXX', name: 'CIC' },
  { code: '10278', bic: 'CMCIFR2AXXX', name: 'Crédit Mutuel' },
  { code: '10107', bic: 'BREDFRPPXXX', name: 'BRED Banque Populaire' },
  { code: '11315', bic: 'CEPAFRPP131', name: "Caisse d'Épargne" },
  { code: '18206', bic: 'AGRIFRPP882', name: 'Crédit Agricole' }
]

const INSURERS = ['MMA IARD', 'Hiscox', 'AXA France IARD', 'Allianz IARD', 'Groupama', 'CNA Insurance', 'QBE Europe']

const EMAIL_PROVIDERS = ['orange', 'free', 'laposte', 'sfr', 'gmail', 'hotmail', 'yahoo', 'wanadoo', 'bbox']
/** Demo e-mail addresses use the reserved `.example` domain: nothing generated can ever reach a real mailbox. */
const EMAIL_TLD = 'example'

const EMPLOYERS = [
  'Carrefour', 'La Poste', 'SNCF', "l'hôpital de {C}", 'la mairie de {C}', 'Leclerc', 'Adecco', 'Renault', 'Airbus',
  'Auchan', 'un garage de {C}', 'une entreprise de nettoyage', 'Decathlon', 'la clinique de {C}', 'Veolia'
] // prettier-ignore

const VEHICLES = [
  'Peugeot 208', 'Renault Clio', 'Citroën C3', 'Peugeot 3008', 'Renault Mégane', 'Dacia Sandero', 'Volkswagen Golf',
  'Toyota Yaris', 'Renault Kangoo', 'Citroën Berlingo', 'Peugeot 308', 'Tesla Model 3'
] // prettier-ignore

const OTHER_CREDITORS = ['Cofidis', 'Sofinco', 'Cetelem', 'Trésor public', 'un bailleur précédent', 'Franfinance']

const EMPLOYMENT_CHOICES: ReadonlyArray<readonly [EmploymentStatus, number]> = [
  ['permanent', 45],
  ['fixed_term', 10],
  ['temporary', 10],
  ['self_employed', 5],
  ['unemployed', 15],
  ['retired', 12],
  ['student', 3]
]

const INCOME_RANGE_CHOICES: readonly IncomeRange[] = ['lt_1000', 'r1000_1500', 'r1500_2000', 'r2000_3000', 'r3000_5000']

const DEPENDANTS_CHOICES: ReadonlyArray<readonly [number, number]> = [
  [0, 35],
  [1, 25],
  [2, 25],
  [3, 10],
  [4, 5]
]

const NOTE_TEXTS = [
  "Client informé de l'avancement du dossier",
  'Pièces justificatives demandées au client',
  'Débiteur indique des difficultés financières passagères',
  'Courrier revenu avec la mention « NPAI »',
  'Recherche d’adresse lancée',
  'Nouvelle adresse confirmée par le débiteur',
  'Contrôle du dossier par le responsable',
  'Copie des factures adressée au débiteur à sa demande',
  'Débiteur en arrêt maladie, rappeler dans quinze jours',
  'Relevé de compte transmis au client'
]

// ---------------------------------------------------------------------------------------------
// Calendar helpers on day numbers (days since 1970-01-01)

const MS_PER_DAY = 86_400_000

const MONTH_NAMES = [
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'
] // prettier-ignore

function monthLabel(day: number): string {
  const { year, month } = parts(dateOf(day))
  return `${MONTH_NAMES[month - 1]} ${year}`
}

const yearCache = new Map<number, number>()

function yearOf(day: number): number {
  let year = yearCache.get(day)
  if (year === undefined) {
    year = parts(dateOf(day)).year
    yearCache.set(day, year)
  }
  return year
}

// Millions of dates and instants are formatted: cache the days, assemble the times by hand.
const dateCache = new Map<number, CalendarDate>()

function dateOf(day: number): CalendarDate {
  let date = dateCache.get(day)
  if (date === undefined) {
    date = fromDayNumber(day)
    dateCache.set(day, date)
  }
  return date
}

const TIME_SUFFIXES: string[] = []

/** `T09:15:00.000Z` for a second of the day; each made once. */
function timeSuffix(second: number): string {
  let suffix = TIME_SUFFIXES[second]
  if (suffix === undefined) {
    suffix = new Date(second * 1000).toISOString().slice(10)
    TIME_SUFFIXES[second] = suffix
  }
  return suffix
}

/** `2026-11-23T09:15:00.000Z`, as `Date#toISOString` writes it, from two cached halves. */
function isoInstant(ms: number): string {
  const day = Math.floor(ms / MS_PER_DAY)
  const millis = ms - day * MS_PER_DAY
  if (millis % 1000 !== 0) return new Date(ms).toISOString()
  return dateOf(day) + timeSuffix(millis / 1000)
}

// ---------------------------------------------------------------------------------------------
// Small text helpers

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
}

function slug(text: string): string {
  return stripAccents(text)
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{(\w)\}/g, (whole, key: string) => values[key] ?? whole)
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

// ---------------------------------------------------------------------------------------------
// The generator

/** Calls are placed on weekdays between 10:00 and 18:59 Paris time: these UTC hours stay inside. */
const CALL_HOURS_UTC = [9, 10, 13, 14, 15, 16]
/** Office work: 08:00–16:59 UTC, i.e. 09:00–18:59 in Paris whatever the season. */
const OFFICE_START_SECONDS = 8 * 3600
const OFFICE_SPAN_SECONDS = 9 * 3600

/** Cases are opened within this many days before today. */
const WINDOW_DAYS = 3 * 365
/** Share of debtors that are companies (the rest are individuals). */
const COMPANY_DEBTOR_SHARE = 0.3

interface UserInfo {
  id: string
}

interface ClientInfo {
  row: ClientRow
  mandateId: string
  sector: Sector
  /** The sector's share, scaled so that the whole portfolio has COMPANY_DEBTOR_SHARE. */
  companyDebtorShare: number
  isLandlord: boolean
  invoicePrefix: string
  nextInvoiceNumber: Map<number, number>
  primaryCollector: UserInfo
}

interface PhoneInfo {
  id: string
  number: string
  kind: PhoneKind
  status: ContactStatus
}

/** What later cases of the same debtor need to know about it. */
interface DebtorInfo {
  id: string
  kind: 'individual' | 'company'
  actsProfessionally: boolean
  displayName: string
  /** The cases' debtor sort key (see CaseEntity.debtorSortName). */
  sortName: string
  phones: PhoneInfo[]
  emails: string[]
  clientIds: string[]
  /** Cases this debtor still owes on, for the ~10 % of debtors with several cases. */
  casesLeft: number
}

interface PlannedEntry {
  day: number
  second: number
  kind: JournalKind
  authorId: string | null
  summary: string
  details: Record<string, unknown> | null
  relatedId: string | null
  callOutcome?: CallOutcome
  /**
   * For the call where a promise is made: called with the call's final instant, returns the
   * promise's id (the entry's related record), then given the entry so the promise can point back.
   */
  promise?: { place: (ms: number) => string; created: (entry: JournalEntryRow) => void }
}

interface PlanRows {
  row: PaymentPlanRow
  installments: InstallmentRow[]
}

interface PlannedPayment {
  day: number
  amountCents: number
  method?: PaymentMethod
  note?: string
}

/** How a case ends up, decided before its details are drawn. */
type CaseFate =
  | { status: 'open' }
  | { status: 'suspended'; reason: SuspensionReason; day: number }
  | { status: 'closed'; reason: ClosureReason; day: number }

export class PortfolioGenerator {
  readonly setup: PortfolioSetup
  readonly totalCases: number

  private readonly rng: SeededRandom
  private readonly history: DemoHistory
  private readonly today: number
  /** Last day events may happen on: yesterday, so no instant lies in the future. */
  private readonly lastDay: number
  private readonly firstOpenDay: number
  private readonly businessDays = new Map<number, boolean>()
  private readonly manager: UserInfo
  private readonly collectors: UserInfo[] = []
  private readonly clients: ClientInfo[] = []
  private readonly clientCumulativeWeights: number[] = []
  private readonly usedSirens = new Set<string>()
  private readonly usedLogins = new Set<string>()
  private readonly referenceSequences = new Map<number, number>()
  private sharedDebtors: DebtorInfo[] = []
  private casesGenerated = 0

  constructor(options: PortfolioOptions) {
    if (!Number.isSafeInteger(options.cases) || options.cases < 1)
      throw new RangeError('cases must be a positive integer')
    this.totalCases = options.cases
    this.history = options.history ?? 'standard'
    this.rng = new SeededRandom(options.seed)
    this.today = toDayNumber(options.today)
    this.lastDay = this.today - 1
    this.firstOpenDay = this.today - WINDOW_DAYS
    for (const login of options.reservedLogins ?? []) this.usedLogins.add(login)

    const users: UserRow[] = []
    const agencyStart = this.firstOpenDay - 430
    const manager = this.makeUser('manager', agencyStart, null)
    users.push(manager)
    this.manager = { id: manager.id }
    const collectorCount = clamp(Math.round(options.cases / 4000), 3, 25)
    for (let i = 0; i < collectorCount; i++) {
      const collector = this.makeUser('collector', agencyStart + 1 + i, manager.id)
      users.push(collector)
      this.collectors.push({ id: collector.id })
    }

    const clients: ClientRow[] = []
    const mandates: MandateRow[] = []
    const clientCount = clamp(Math.round(options.cases / 200), 5, 400)
    const landlordCount = Math.max(1, Math.round(clientCount * 0.06))
    const usedNames = new Set<string>()
    let cumulative = 0
    const companyWeights: number[] = []
    for (let i = 0; i < clientCount; i++) {
      const isLandlord = i >= clientCount - landlordCount
      const { client, mandate, info } = this.makeClient(i, isLandlord, usedNames)
      clients.push(client)
      mandates.push(mandate)
      this.clients.push(info)
      // A few large clients, a long tail (Zipf-like), landlords with a handful of tenants each.
      const weight = isLandlord ? -1 : 1 / Math.pow(i + 1, 0.8)
      companyWeights.push(weight)
    }
    const companyTotal = companyWeights.filter((w) => w > 0).reduce((s, w) => s + w, 0)
    const landlordWeight = (companyTotal * 5) / Math.max(options.cases, 50)
    let expectedCompanyDebtors = 0
    companyWeights.forEach((weight, i) => {
      const effective = weight > 0 ? weight : landlordWeight
      cumulative += effective
      this.clientCumulativeWeights.push(cumulative)
      const client = this.clients[i]!
      if (!client.isLandlord) expectedCompanyDebtors += effective * client.sector.companyDebtorShare
    })
    // Whatever mix of sectors the seed drew, about 30 % of debtors are companies.
    const scale = COMPANY_DEBTOR_SHARE / (expectedCompanyDebtors / cumulative)
    for (const client of this.clients)
      client.companyDebtorShare = Math.min(0.95, client.sector.companyDebtorShare * scale)
    this.setup = { users, clients, mandates }
  }

  get done(): boolean {
    return this.casesGenerated >= this.totalCases
  }

  /** The next `maxCases` cases (fewer at the end) and their records; null when all are out. */
  nextBatch(maxCases: number): PortfolioBatch | null {
    if (this.done) return null
    const batch: PortfolioBatch = {
      debtors: [],
      debtorAddresses: [],
      debtorPhones: [],
      debtorEmails: [],
      cases: [],
      claims: [],
      payments: [],
      allocations: [],
      paymentPlans: [],
      installments: [],
      promises: [],
      journalEntries: [],
      solvencyNotes: []
    }
    const end = Math.min(this.totalCases, this.casesGenerated + maxCases)
    for (; this.casesGenerated < end; this.casesGenerated++) this.makeCase(this.casesGenerated, batch)
    return batch
  }

  // -- time ---------------------------------------------------------------------------------

  private isBusinessDay(day: number): boolean {
    let open = this.businessDays.get(day)
    if (open === undefined) {
      open = isBusinessDay(dateOf(day))
      this.businessDays.set(day, open)
    }
    return open
  }

  /** The nearest business day in [min, max], looking forward first; `day` itself if none. */
  private businessDay(day: number, min: number, max: number): number {
    for (let d = day; d <= max && d <= day + 4; d++) if (this.isBusinessDay(d)) return d
    for (let d = day - 1; d >= min && d >= day - 4; d--) if (this.isBusinessDay(d)) return d
    return clamp(day, min, max)
  }

  private officeSecond(): number {
    return OFFICE_START_SECONDS + this.rng.int(0, OFFICE_SPAN_SECONDS - 1)
  }

  private callSecond(): number {
    return this.rng.pick(CALL_HOURS_UTC) * 3600 + this.rng.int(0, 3599)
  }

  private ms(day: number, second: number): number {
    return day * MS_PER_DAY + second * 1000
  }

  private id(ms: number): string {
    return uuid7From(this.rng, ms)
  }

  // -- people and companies ------------------------------------------------------------------

  private personName(): { civility: string; firstName: string; lastName: string } {
    const female = this.rng.chance(0.5)
    return {
      civility: female ? 'Mme' : 'M.',
      firstName: this.rng.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES),
      lastName: this.rng.pick(LAST_NAMES)
    }
  }

  private makeUser(role: 'manager' | 'collector', day: number, createdBy: string | null): UserRow {
    const { firstName, lastName } = this.personName()
    const base = `${slug(firstName).charAt(0)}.${slug(lastName).replace(/-/g, '')}`
    let login = base
    for (let n = 2; this.usedLogins.has(login); n++) login = `${base}${n}`
    this.usedLogins.add(login)
    const ms = this.ms(day, this.officeSecond())
    const at = isoInstant(ms)
    return {
      id: this.id(ms),
      createdAt: at,
      createdBy,
      updatedAt: at,
      updatedBy: createdBy,
      version: 1,
      login,
      displayName: `${firstName} ${lastName}`,
      email: `${login}@recouvra-demo.${EMAIL_TLD}`,
      role,
      active: true,
      passwordHash: null
    }
  }

  private city(): City {
    return this.rng.weighted(CITY_CHOICES)
  }

  private streetLine(): string {
    const number = this.rng.int(1, 180)
    const suffix = this.rng.chance(0.06) ? ' bis' : ''
    return `${number}${suffix} ${this.rng.pick(STREETS)}`
  }

  private newSiren(): string {
    for (;;) {
      // First digit 3–9: SIRENs of companies registered since the 1970s.
      const payload = String(this.rng.int(3, 9)) + String(this.rng.int(0, 9_999_999)).padStart(7, '0')
      const siren = sirenFromPayload(payload)
      if (!this.usedSirens.has(siren) && !siren.startsWith('356000000')) {
        this.usedSirens.add(siren)
        return siren
      }
    }
  }

  private newSiret(siren: string): string {
    // Head offices are mostly 0001…0003; a few companies have many establishments.
    const establishment = this.rng.chance(0.85) ? this.rng.int(1, 3) : this.rng.int(4, 250)
    return siretFromSiren(siren, String(establishment).padStart(4, '0'))
  }

  private landline(zone: PhoneZone): string {
    return `+33${zone}${this.rng.int(10_000_000, 99_999_999)}`
  }

  private mobile(): string {
    return `+33${this.rng.chance(0.75) ? 6 : 7}${String(this.rng.int(0, 99_999_999)).padStart(8, '0')}`
  }

  private makeClient(
    index: number,
    isLandlord: boolean,
    usedNames: Set<string>
  ): { client: ClientRow; mandate: MandateRow; info: ClientInfo } {
    const rng = this.rng
    const signedDay = this.businessDay(this.firstOpenDay - rng.int(30, 400), -Infinity, this.firstOpenDay - 1)
    const ms = this.ms(signedDay, this.officeSecond())
    const at = isoInstant(ms)
    const city = this.city()
    const contact = this.personName()
    const sector = isLandlord ? SECTORS.find((s) => s.code === 'real_estate')! : rng.weighted(SECTOR_CHOICES)
    let legalName: string
    let contactEmail: string
    if (isLandlord) {
      const owner = this.personName()
      legalName = `${owner.lastName.toUpperCase()} ${owner.firstName}`
      contactEmail = `${slug(owner.firstName)}.${slug(owner.lastName)}@${rng.pick(EMAIL_PROVIDERS)}.${EMAIL_TLD}`
    } else {
      let name = ''
      for (let attempt = 0; attempt < 20; attempt++) {
        name = fill(rng.pick(sector.names), {
          S: rng.pick(LAST_NAMES),
          R: rng.pick(REGION_WORDS),
          C: this.city().name
        })
        if (!usedNames.has(name)) break
      }
      if (usedNames.has(name)) name = `${name} ${index + 1}`
      usedNames.add(name)
      legalName = `${name} ${rng.weighted(CLIENT_LEGAL_FORMS)}`
      const mailbox = rng.pick(['comptabilite', 'recouvrement', 'contentieux', 'daf', slug(contact.firstName)])
      contactEmail = `${mailbox}@${slug(name)}.${EMAIL_TLD}`
    }
    const bank = rng.pick(BANKS)
    const iban = frenchIban(
      bank.code,
      String(rng.int(1, 99_999)).padStart(5, '0'),
      String(rng.int(0, 99_999_999_999)).padStart(11, '0')
    )
    const clientId = this.id(ms)
    const contactName = `${contact.firstName} ${contact.lastName}`
    const client: ClientRow = {
      id: clientId,
      createdAt: at,
      createdBy: this.manager.id,
      updatedAt: at,
      updatedBy: this.manager.id,
      version: 1,
      code: `CLI-${String(index + 1).padStart(4, '0')}`,
      kind: isLandlord ? 'individual' : 'company',
      legalName,
      siren: isLandlord ? null : this.newSiren(),
      actsProfessionally: !isLandlord,
      addressLine1: this.streetLine(),
      addressLine2: !isLandlord && rng.chance(0.3) ? rng.pick(BUSINESS_LINES) : null,
      postalCode: city.postalCode,
      city: city.name,
      country: 'FR',
      contactName: isLandlord ? null : contactName,
      contactEmail,
      contactPhone: rng.chance(0.3) ? this.mobile() : this.landline(city.zone),
      iban,
      bic: bank.bic
    }

    const commissionRateBp = rng.int(16, 50) * 50 // 8 % to 25 %, by half points
    const fixedFeeCents = rng.chance(0.3) ? rng.pick([1500, 2500, 3500, 5000]) : 0
    const commission = `${String(commissionRateBp / 100).replace('.', ',')} %`
    const mandate: MandateRow = {
      id: this.id(ms),
      createdAt: at,
      createdBy: this.manager.id,
      updatedAt: at,
      updatedBy: this.manager.id,
      version: 1,
      clientId,
      reference: `CONV-${yearOf(signedDay)}-${String(index + 1).padStart(4, '0')}`,
      signedOn: dateOf(signedDay),
      endsOn: null,
      status: 'active',
      commissionRateBp,
      fixedFeeCents,
      scope: isLandlord
        ? `Recouvrement amiable des loyers, charges et accessoires impayés dus au bailleur ${legalName} au titre des baux d'habitation qu'il a consentis. Le décompte adressé au débiteur distingue le principal de chaque échéance et les intérêts au taux légal.`
        : `Recouvrement amiable des créances impayées de ${legalName} (secteur ${sectorLabel(sector.code)}) : factures en principal, intérêts ou pénalités de retard et, entre professionnels, indemnité forfaitaire pour frais de recouvrement de 40 €. Chaque élément est indiqué séparément dans le décompte adressé au débiteur.`,
      liabilityGuarantee: `Assurance de responsabilité civile professionnelle souscrite auprès de ${rng.pick(INSURERS)}, contrat n° ${rng.int(1_000_000, 9_999_999)}, garantissant les conséquences pécuniaires de l'activité de recouvrement à hauteur de ${formatCents(rng.pick([75_000_000, 150_000_000, 300_000_000]))} par sinistre. Fonds des débiteurs déposés sur un compte dédié garanti.`,
      feeTerms: `Honoraires à la charge exclusive du créancier : commission de ${commission} HT sur les sommes effectivement encaissées${fixedFeeCents > 0 ? `, plus ${formatCents(fixedFeeCents)} HT de frais fixes par dossier confié` : ''}. Aucuns frais de recouvrement ne sont réclamés au débiteur (art. L111-8 du code des procédures civiles d'exécution).`,
      remittanceTerms: `Reversement des fonds encaissés par virement sur le compte ${iban.slice(0, 4)} … ${iban.slice(-4)} (${bank.name}) dans un délai de trente jours à compter de leur encaissement effectif, accompagné d'un relevé détaillé par dossier. Les paiements reçus directement par le créancier sont signalés au cabinet sous huit jours.`,
      remittanceDelayDays: 30,
      dunningScenarioCode: isLandlord
        ? 'standard_b2c'
        : sector.companyDebtorShare >= 0.5
          ? 'standard_b2b'
          : 'standard_b2c'
    }
    const info: ClientInfo = {
      row: client,
      mandateId: mandate.id,
      sector,
      companyDebtorShare: sector.companyDebtorShare,
      isLandlord,
      invoicePrefix: isLandlord ? 'QT' : rng.pick(['FA', 'FAC', 'F', 'FV', 'FC']),
      nextInvoiceNumber: new Map(),
      primaryCollector: this.collectors[index % this.collectors.length]!
    }
    return { client, mandate, info }
  }

  private pickClient(excluding: readonly string[] = []): ClientInfo {
    const weights = this.clientCumulativeWeights
    const total = weights[weights.length - 1]!
    for (let attempt = 0; ; attempt++) {
      const target = this.rng.next() * total
      let low = 0
      let high = weights.length - 1
      while (low < high) {
        const mid = (low + high) >>> 1
        if (weights[mid]! > target) high = mid
        else low = mid + 1
      }
      const client = this.clients[low]!
      if (!excluding.includes(client.row.id) || attempt >= 10) return client
    }
  }

  // -- debtors ------------------------------------------------------------------------------

  private makeDebtor(client: ClientInfo, openDay: number, batch: PortfolioBatch): DebtorInfo {
    const rng = this.rng
    const ms = this.ms(openDay, this.officeSecond())
    const at = isoInstant(ms)
    const id = this.id(ms)
    const createdBy = this.manager.id
    const common = { createdAt: at, createdBy, updatedAt: at, updatedBy: createdBy, version: 1 }
    const isCompany = !client.isLandlord && rng.chance(client.companyDebtorShare)
    const city = this.city()
    let row: DebtorRow
    let emails: string[] = []
    if (isCompany) {
      const lastName = rng.pick(LAST_NAMES)
      const name = fill(rng.pick(DEBTOR_COMPANY_PATTERNS), {
        S: lastName,
        F: rng.pick(rng.chance(0.5) ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES),
        N: rng.pick(RESTAURANT_NOUNS),
        P: rng.pick(PLACES),
        I: rng.pick(ITALIAN_NAMES),
        C: city.name
      })
      const form = rng.weighted(DEBTOR_LEGAL_FORMS)
      const legalName = form === 'SCI' && name.startsWith('SCI ') ? name : `${name} ${form}`
      const siren = this.newSiren()
      row = {
        id,
        ...common,
        kind: 'company',
        civility: null,
        firstName: null,
        lastName: null,
        legalName,
        displayName: legalName.toUpperCase(),
        siren,
        siret: this.newSiret(siren),
        birthDate: null,
        actsProfessionally: true
      }
      if (rng.chance(0.7))
        emails.push(`${rng.pick(['contact', 'compta', 'gerance', 'info'])}@${slug(name)}.${EMAIL_TLD}`)
      if (rng.chance(0.2)) emails.push(`${slug(lastName)}.gerant@${rng.pick(EMAIL_PROVIDERS)}.${EMAIL_TLD}`)
    } else {
      const person = this.personName()
      // A few individuals are sole traders (entrepreneurs individuels) owing for their business.
      const soleTrader = !client.isLandlord && client.sector.companyDebtorShare >= 0.3 && rng.chance(0.08)
      const siren = soleTrader ? this.newSiren() : null
      const birthYear = rng.int(1945, 2003)
      const birthDate = rng.chance(0.9) ? dateOf(toDayNumber(`${birthYear}-01-01`) + rng.int(0, 364)) : null
      row = {
        id,
        ...common,
        kind: 'individual',
        civility: person.civility,
        firstName: person.firstName,
        lastName: person.lastName,
        legalName: null,
        displayName: `${person.lastName.toUpperCase()} ${person.firstName}`,
        siren,
        siret: siren ? this.newSiret(siren) : null,
        birthDate,
        actsProfessionally: soleTrader
      }
      const local = `${slug(person.firstName)}.${slug(person.lastName)}`
      const emailCount = rng.weighted([
        [0, 40],
        [1, 48],
        [2, 12]
      ] as const)
      for (let i = 0; i < emailCount; i++) {
        const suffix = rng.chance(0.4) ? String(rng.int(1, 99)) : ''
        emails.push(
          `${i === 0 ? local : slug(person.firstName) + slug(person.lastName).charAt(0)}${suffix}@${rng.pick(EMAIL_PROVIDERS)}.${EMAIL_TLD}`
        )
      }
    }
    batch.debtors.push(row)
    emails = [...new Set(emails)]

    // Addresses: the current one, and for ~15 % the former one the client had on file.
    const currentFrom = openDay - rng.int(60, 4000)
    const hasFormer = rng.chance(0.15)
    const line2Pool = isCompany ? BUSINESS_LINES : RESIDENCE_LINES
    batch.debtorAddresses.push({
      id: this.id(ms),
      ...common,
      debtorId: id,
      line1: this.streetLine(),
      line2: rng.chance(0.2) ? rng.pick(line2Pool) : null,
      postalCode: city.postalCode,
      city: city.name,
      country: 'FR',
      validFrom: dateOf(currentFrom),
      validTo: null,
      source: hasFormer ? rng.pick(['Recherche d’adresse', 'Débiteur', 'La Poste (réexpédition)']) : 'Fichier client'
    })
    if (hasFormer) {
      const formerCity = rng.chance(0.5) ? city : this.city()
      batch.debtorAddresses.push({
        id: this.id(ms),
        ...common,
        debtorId: id,
        line1: this.streetLine(),
        line2: null,
        postalCode: formerCity.postalCode,
        city: formerCity.name,
        country: 'FR',
        validFrom: dateOf(currentFrom - rng.int(300, 3000)),
        validTo: dateOf(currentFrom - 1),
        source: 'Fichier client'
      })
    }

    // Phones: 1–3, mobiles first for people, the switchboard first for companies.
    const phoneCount = rng.weighted([
      [1, 45],
      [2, 40],
      [3, 15]
    ] as const)
    const phones: PhoneInfo[] = []
    for (let i = 0; i < phoneCount; i++) {
      const landline = isCompany ? i === 0 || rng.chance(0.5) : i > 0 && rng.chance(0.5)
      const number = landline ? this.landline(city.zone) : this.mobile()
      if (phones.some((p) => p.number === number)) continue
      const status: ContactStatus = rng.weighted([
        ['valid', 55],
        ['unverified', 33],
        ['invalid', 12]
      ] as const)
      const kind: PhoneKind = landline ? (isCompany ? 'work' : 'landline') : 'mobile'
      const phoneId = this.id(ms)
      phones.push({ id: phoneId, number, kind, status })
      const changedDay = openDay + rng.int(0, Math.max(0, this.lastDay - openDay))
      batch.debtorPhones.push({
        id: phoneId,
        ...common,
        debtorId: id,
        number,
        kind,
        status,
        statusChangedAt: status === 'unverified' ? null : isoInstant(this.ms(changedDay, this.officeSecond())),
        source: rng.pick(['Fichier client', 'Fichier client', 'Débiteur', 'Annuaire', 'Recherche'])
      })
    }
    const validEmails: string[] = []
    for (const address of emails) {
      const status: ContactStatus = rng.weighted([
        ['valid', 50],
        ['unverified', 42],
        ['invalid', 8]
      ] as const)
      if (status !== 'invalid') validEmails.push(address)
      batch.debtorEmails.push({
        id: this.id(ms),
        ...common,
        debtorId: id,
        address,
        status,
        source: rng.pick(['Fichier client', 'Débiteur'])
      })
    }

    const shared = rng.chance(0.1)
    return {
      id,
      kind: row.kind === 'company' ? 'company' : 'individual',
      actsProfessionally: row.actsProfessionally,
      displayName: row.displayName,
      sortName: nameSortKey(row.displayName),
      phones,
      emails: validEmails,
      clientIds: [client.row.id],
      casesLeft: shared ? rng.int(1, 2) : 0
    }
  }

  /** A debtor already owing on another case, with another client, ~13 % of cases. */
  private takeSharedDebtor(): DebtorInfo | null {
    if (this.sharedDebtors.length === 0 || !this.rng.chance(0.13)) return null
    const index = this.rng.int(0, Math.min(this.sharedDebtors.length, 50) - 1)
    const debtor = this.sharedDebtors[index]!
    debtor.casesLeft--
    if (debtor.casesLeft <= 0) this.sharedDebtors.splice(index, 1)
    return debtor
  }

  private makeSolvencyNotes(
    debtor: DebtorInfo,
    caseId: string,
    collectorId: string,
    openDay: number,
    batch: PortfolioBatch
  ): void {
    const rng = this.rng
    const categories: FactCategory[] =
      debtor.kind === 'company'
        ? ['company_health', 'real_estate', 'vehicle', 'bank_account', 'other']
        : ['employment', 'income', 'charges', 'household', 'real_estate', 'vehicle', 'bank_account', 'other_debts']
    // Distinct facts: one employer, one income… per debtor.
    const chosen = new Set<FactCategory>()
    const count = rng.int(1, 3)
    while (chosen.size < count) chosen.add(rng.pick(categories))
    const city = this.city().name
    for (const category of chosen) {
      const day = this.businessDay(openDay + rng.int(0, Math.max(0, this.lastDay - openDay)), openDay, this.lastDay)
      const { fields, comment, source } = this.solvencyFact(category, city, day)
      const ms = this.ms(day, this.officeSecond())
      batch.solvencyNotes.push({
        id: this.id(ms),
        createdAt: isoInstant(ms),
        createdBy: collectorId,
        debtorId: debtor.id,
        caseId,
        category,
        summary: factSummary(fields, comment ?? undefined),
        amountCents: solvencyFactAmountCents(fields),
        observedOn: dateOf(day),
        source,
        supersedesNoteId: null,
        facts: JSON.stringify({ fields, comment })
      })
    }
  }

  /** A fact as the solvency form records it: structured fields, a comment where they say too little. */
  private solvencyFact(
    category: FactCategory,
    city: string,
    day: number
  ): { fields: SolvencyFactFields; comment: string | null; source: string } {
    const rng = this.rng
    const year = yearOf(day)
    switch (category) {
      case 'employment': {
        const status: EmploymentStatus = rng.weighted(EMPLOYMENT_CHOICES)
        const employed = status === 'permanent' || status === 'fixed_term' || status === 'temporary'
        return {
          fields: employed
            ? { category, status, employer: fill(rng.pick(EMPLOYERS), { C: city }) }
            : { category, status },
          comment: null,
          source: rng.pick(['Déclaration du débiteur', 'Enquête', 'Client'])
        }
      }
      case 'income':
        return rng.chance(0.6)
          ? {
              fields: { category, monthlyCents: rng.int(90, 480) * 1000 },
              comment: null,
              source: 'Déclaration du débiteur'
            }
          : {
              fields: { category, range: rng.pick(INCOME_RANGE_CHOICES) },
              comment: null,
              source: 'Déclaration du débiteur'
            }
      case 'charges':
        return {
          fields: { category, monthlyCents: rng.int(40, 160) * 1000 },
          comment: rng.chance(0.5) ? 'Loyer et crédit automobile' : null,
          source: 'Déclaration du débiteur'
        }
      case 'household':
        return {
          fields: { category, dependants: rng.weighted(DEPENDANTS_CHOICES), livesInCouple: rng.chance(0.55) },
          comment: null,
          source: 'Déclaration du débiteur'
        }
      case 'real_estate': {
        const owner = rng.chance(0.4)
        return {
          fields: owner
            ? { category, tenure: 'owner', estimatedValueCents: rng.int(90, 520) * 1_000_00 }
            : { category, tenure: rng.chance(0.85) ? 'tenant' : 'hosted' },
          comment: null,
          source: owner ? rng.pick(['Enquête', 'Service de publicité foncière']) : 'Enquête'
        }
      }
      case 'vehicle':
        return {
          fields: {
            category,
            description: `${rng.pick(VEHICLES)} immatriculé${rng.chance(0.1) ? 'e' : ''} en ${year - rng.int(0, 12)}`,
            estimatedValueCents: rng.int(20, 250) * 100_00
          },
          comment: null,
          source: rng.pick(['Enquête', 'Déclaration du débiteur', 'Commissaire de justice'])
        }
      case 'bank_account':
        return {
          fields: { category, bank: rng.pick(BANKS).name },
          comment: null,
          source: rng.pick(['Commissaire de justice', 'Chèque reçu', 'Enquête'])
        }
      case 'other_debts':
        return {
          fields: { category, creditor: rng.pick(OTHER_CREDITORS), amountCents: rng.int(5, 150) * 100_00 },
          comment: null,
          source: 'Déclaration du débiteur'
        }
      case 'company_health': {
        const revenue = rng.int(80, 4_000) * 1_000_00
        const result = Math.round((revenue * rng.int(1, 15)) / 100 / 100_000) * 100_000
        return {
          fields: { category },
          comment: `Comptes ${year - 1} déposés : chiffre d'affaires ${formatCents(revenue)}, ${rng.chance(0.45) ? 'perte' : 'bénéfice'} de ${formatCents(result)}`,
          source: rng.pick(['Infogreffe', 'BODACC', 'Pappers'])
        }
      }
      default:
        return {
          fields: { category: 'other' },
          comment: rng.pick([
            'Aucune procédure collective en cours (BODACC)',
            'Inscription de privilège URSSAF relevée',
            'Société en activité, dirigeant joignable',
            'Fonds de commerce mis en vente'
          ]),
          source: rng.pick(['BODACC', 'Infogreffe', 'Enquête'])
        }
    }
  }

  // -- cases --------------------------------------------------------------------------------

  private makeCase(index: number, batch: PortfolioBatch): void {
    const rng = this.rng
    // Cases come in the order they were opened; a little busier lately (u^1.2 stretches the past).
    const position = (index + rng.next()) / this.totalCases
    const rawOpenDay = this.firstOpenDay + Math.floor((WINDOW_DAYS - 1) * Math.pow(position, 1.2))
    const openDay = this.businessDay(rawOpenDay, this.firstOpenDay, this.lastDay)
    const openYear = yearOf(openDay)
    const sequence = (this.referenceSequences.get(openYear) ?? 0) + 1
    this.referenceSequences.set(openYear, sequence)

    // Debtor: mostly new; ~13 % of cases go to a debtor who already owes another client.
    let debtor = this.takeSharedDebtor()
    let client: ClientInfo
    if (debtor) {
      client = this.pickClient(debtor.clientIds)
      debtor.clientIds.push(client.row.id)
    } else {
      client = this.pickClient()
    }
    const collector = rng.chance(0.75) ? client.primaryCollector : rng.pick(this.collectors)
    const caseCreatedMs = this.ms(openDay, OFFICE_START_SECONDS + rng.int(0, 2 * 3600))
    const caseId = this.id(caseCreatedMs)
    let newDebtor = false
    if (!debtor) {
      debtor = this.makeDebtor(client, openDay, batch)
      newDebtor = true
      if (debtor.casesLeft > 0) this.sharedDebtors.push(debtor)
    }
    if (newDebtor && rng.chance(0.25)) this.makeSolvencyNotes(debtor, caseId, collector.id, openDay, batch)

    const businessToBusiness = client.row.actsProfessionally && debtor.actsProfessionally
    const claims = this.makeClaims(client, debtor, caseId, openDay, caseCreatedMs, businessToBusiness)
    const principalCents = claims.reduce((sum, claim) => sum + claim.principalCents, 0)

    const fate = this.caseFate(openDay, debtor)
    const endDay = fate.status === 'open' ? this.lastDay : fate.day
    // Phase transitions: mise en demeure, judicial, enforcement; reached if there was time.
    const targetDepth = rng.weighted([
      [0, 40],
      [1, 33],
      [2, 17],
      [3, 10]
    ] as const)
    const transitions: number[] = []
    let previous = openDay
    for (let depth = 1; depth <= targetDepth; depth++) {
      const gap = depth === 1 ? rng.int(15, 45) : depth === 2 ? rng.int(30, 90) : rng.int(60, 180)
      const day = this.businessDay(previous + gap, previous + 1, endDay)
      if (day > endDay || day <= previous) break
      transitions.push(day)
      previous = day
    }
    const phases: CasePhase[] = ['amicable', 'formal_notice', 'judicial', 'enforcement']
    const reachedPhase = phases[transitions.length]!
    const phaseOn = (day: number): CasePhase => phases[transitions.filter((t) => t <= day).length]!

    const entries: PlannedEntry[] = []
    const payments: PlannedPayment[] = []
    const collectorId = collector.id
    let promise: PromiseRow | null = null
    let plan: PlanRows | null = null

    // Money: who paid what, and when.
    if (fate.status === 'closed') {
      plan = this.closedCasePayments(fate, openDay, principalCents, payments, caseId, collectorId, entries)
    } else {
      const category = rng.weighted([
        ['plan', fate.status === 'open' ? 8 : 0],
        ['promise', fate.status === 'open' ? 15 : 0],
        ['partial', 17],
        ['none', 60]
      ] as const)
      if (category === 'plan') {
        plan = this.openPlan(openDay, principalCents, payments, caseId, collectorId, entries)
      } else if (category === 'promise') {
        promise = this.promiseWithPayment(openDay, principalCents, payments, caseId, collectorId, debtor, entries)
      }
      if (category === 'partial' || (category === 'plan' && !plan) || (category === 'promise' && !promise)) {
        this.partialPayments(openDay, endDay, principalCents, payments)
      }
    }
    payments.sort((a, b) => a.day - b.day)
    const paidCents = payments.reduce((sum, p) => sum + p.amountCents, 0)
    const balanceCents = principalCents - paidCents

    // Journal: the first reminder, phase changes, the end, then ordinary work in between.
    entries.push({
      day: openDay,
      second: OFFICE_START_SECONDS + 3 * 3600 + rng.int(0, 3600),
      kind: 'letter',
      authorId: null,
      summary: client.isLandlord ? 'Lettre de relance amiable (loyers impayés)' : 'Lettre de relance amiable n° 1',
      details: { template: 'relance_amiable_1', channel: 'post', registered: false },
      relatedId: null
    })
    const phaseSummaries = [
      'Passage en mise en demeure',
      'Passage en phase judiciaire : requête en injonction de payer déposée',
      'Titre exécutoire obtenu : dossier transmis au commissaire de justice pour exécution'
    ]
    transitions.forEach((day, i) => {
      const second = this.officeSecond()
      entries.push({
        day,
        second,
        kind: 'phase_change',
        authorId: collectorId,
        summary: phaseSummaries[i]!,
        details: { from: phases[i], to: phases[i + 1] },
        relatedId: null
      })
      if (i === 0) {
        entries.push({
          day,
          second: second + 60,
          kind: 'letter',
          authorId: collectorId,
          summary: 'Mise en demeure adressée en recommandé avec accusé de réception',
          details: {
            template: 'mise_en_demeure',
            channel: 'post',
            registered: true,
            trackingNumber: `1A${String(rng.int(0, 99_999_999_999)).padStart(11, '0')}`
          },
          relatedId: null
        })
      }
    })
    if (fate.status !== 'open') {
      const summary =
        fate.status === 'closed'
          ? `Dossier clôturé : ${CLOSURE_LABELS[fate.reason]}`
          : `Dossier suspendu : ${SUSPENSION_LABELS[fate.reason]}`
      entries.push({
        day: fate.day,
        second: 17 * 3600 + rng.int(0, 1799), // after the day's office work: the last entry
        kind: 'status_change',
        authorId: collectorId,
        summary,
        details:
          fate.status === 'closed'
            ? { from: 'open', to: 'closed', phaseFrom: reachedPhase, phaseTo: 'closed', reason: fate.reason }
            : { from: 'open', to: 'suspended', reason: fate.reason },
        relatedId: null
      })
      if (fate.status === 'suspended' && fate.reason === 'dispute') {
        const disputed = claims[claims.length - 1]!
        disputed.disputed = true
        const day = this.businessDay(fate.day - rng.int(0, 3), openDay, fate.day)
        entries.push(this.callEntry(day, collectorId, debtor, 'disputes_debt', balanceCents))
      }
    }

    if (plan) {
      // The debtor asked for the plan a few days before it was agreed.
      const agreedDay = toDayNumber(plan.row.createdAt.slice(0, 10))
      const callDay = this.businessDay(agreedDay - rng.int(1, 4), openDay, agreedDay - 1)
      entries.push(this.callEntry(Math.min(callDay, agreedDay), collectorId, debtor, 'asks_payment_plan', balanceCents))
    }

    // Payments recorded in the journal, while the entry budget allows.
    const paymentRows = this.paymentRows(payments, caseId, collectorId, claims, batch)
    const density = JOURNAL_DENSITY[this.history]
    const maxEntries = density.max
    for (const payment of paymentRows) {
      if (entries.length >= maxEntries) break
      entries.push({
        day: toDayNumber(payment.receivedOn),
        second: (Date.parse(payment.createdAt) % MS_PER_DAY) / 1000,
        kind: 'payment',
        authorId: collectorId,
        summary: `Paiement reçu : ${formatCents(payment.amountCents)} (${PAYMENT_METHOD_LABELS[payment.method]})`,
        details: { amountCents: payment.amountCents, method: payment.method, receivedBy: payment.receivedBy },
        relatedId: payment.id
      })
    }

    // Ordinary work: calls, reminders, e-mails, SMS, notes; more for older cases.
    const age = endDay - openDay
    const target = clamp(
      density.base + rng.int(0, density.spread) + Math.floor(Math.min(age, 720) / density.perDays),
      density.base,
      maxEntries
    )
    const fillers = Math.max(0, target - entries.length)
    for (let i = 0; i < fillers; i++) {
      const day = this.businessDay(openDay + 1 + rng.int(0, Math.max(0, endDay - openDay - 1)), openDay, endDay)
      entries.push(this.fillerEntry(day, phaseOn(day), collectorId, debtor, balanceCents, client))
    }

    const journal = this.writeJournal(entries, caseId, batch)
    let lastCall: JournalEntryRow | null = null
    let lastCallOutcome: CallOutcome | null = null
    for (let i = journal.length - 1; i >= 0; i--) {
      if (journal[i]!.row.kind === 'call') {
        lastCall = journal[i]!.row
        lastCallOutcome = journal[i]!.outcome
        break
      }
    }
    // The case changed last with its latest entry, payment, promise or plan (ISO instants sort as text).
    const createdAt = isoInstant(caseCreatedMs)
    const updatedAt = [
      createdAt,
      journal.at(-1)?.row.occurredAt ?? createdAt,
      paymentRows.at(-1)?.createdAt ?? createdAt,
      promise?.updatedAt ?? createdAt,
      plan?.row.updatedAt ?? createdAt
    ].reduce((latest, at) => (at > latest ? at : latest))

    if (promise) batch.promises.push(promise)
    if (plan) {
      batch.paymentPlans.push(plan.row)
      batch.installments.push(...plan.installments)
    }

    const caseRow: CaseRow = {
      id: caseId,
      createdAt,
      createdBy: this.manager.id,
      updatedAt,
      updatedBy: collectorId,
      version: 1,
      reference: `REC-${openYear}-${String(sequence).padStart(6, '0')}`,
      clientId: client.row.id,
      mandateId: client.mandateId,
      debtorId: debtor.id,
      debtorSortName: debtor.sortName,
      collectorId,
      phase: fate.status === 'closed' ? 'closed' : reachedPhase,
      status: fate.status,
      suspensionReason: fate.status === 'suspended' ? fate.reason : null,
      closureReason: fate.status === 'closed' ? fate.reason : null,
      priority: this.priority(balanceCents, reachedPhase),
      openedOn: dateOf(openDay),
      closedOn: fate.status === 'closed' ? dateOf(fate.day) : null,
      nextActionOn: this.nextAction(fate, openDay, promise, plan),
      principalCents,
      paidCents,
      balanceCents,
      claimCount: claims.length,
      prescribedClaims: 0, // filled by refreshCasePrescriptions once the batch is written
      oldestDueOn:
        balanceCents > 0 ? claims.reduce((min, c) => (c.dueOn < min ? c.dueOn : min), claims[0]!.dueOn) : null,
      lastContactAt: lastCall ? lastCall.occurredAt : null,
      lastContactOutcome: lastCallOutcome
    }
    batch.cases.push(caseRow)
    batch.claims.push(...claims)
  }

  private caseFate(openDay: number, debtor: DebtorInfo): CaseFate {
    const rng = this.rng
    const age = this.lastDay - openDay
    // Older cases are more often finished: ~15 % closed and ~8 % suspended overall.
    if (age >= 45 && rng.chance(Math.min(0.4, 0.02 + (0.3 * age) / WINDOW_DAYS))) {
      const reason = rng.weighted([
        ['paid', 50],
        ['partially_paid', 15],
        ['irrecoverable', 25],
        ['returned_to_client', 10]
      ] as const)
      const minDay = openDay + (reason === 'paid' ? 20 : 60)
      const day = this.businessDay(rng.int(Math.min(minDay, this.lastDay), this.lastDay), openDay + 1, this.lastDay)
      return { status: 'closed', reason, day }
    }
    if (age >= 10 && rng.chance(0.09)) {
      const reason: SuspensionReason = rng.weighted([
        ['dispute', 40],
        ['collective_proceedings', debtor.kind === 'company' ? 30 : 0],
        ['over_indebtedness', debtor.kind === 'individual' ? 25 : 0],
        ['client_request', 10]
      ] as const)
      const day = this.businessDay(rng.int(openDay + 10, this.lastDay), openDay + 1, this.lastDay)
      return { status: 'suspended', reason, day }
    }
    return { status: 'open' }
  }

  private makeClaims(
    client: ClientInfo,
    debtor: DebtorInfo,
    caseId: string,
    openDay: number,
    createdMs: number,
    businessToBusiness: boolean
  ): ClaimRow[] {
    const rng = this.rng
    const count = rng.weighted(CLAIM_COUNT_WEIGHTS[this.history])
    const professionalDebtor = debtor.actsProfessionally
    const sector = client.sector
    const median = professionalDebtor ? sector.businessMedianCents : sector.consumerMedianCents
    const sigma = professionalDebtor ? 1.0 : 0.75
    const oldestDue = openDay - rng.int(20, 300)
    const newestDue = Math.max(oldestDue, openDay - 5)
    // Rents fall due month after month; other invoices at random dates in the period.
    const rent = client.isLandlord || (sector.code === 'real_estate' && !professionalDebtor && rng.chance(0.7))
    const monthlyRent = rng.int(450, 1400) * 100 + rng.int(0, 99)
    const dueDays: number[] = []
    for (let i = 0; i < count; i++) {
      dueDays.push(rent ? Math.min(newestDue, oldestDue + i * 30) : i === 0 ? oldestDue : rng.int(oldestDue, newestDue))
    }
    dueDays.sort((a, b) => a - b)
    const contractual = rng.chance(0.08)
    const contractualRateBp = contractual ? (businessToBusiness ? rng.int(32, 44) * 50 : rng.int(8, 20) * 50) : null
    const createdAt = isoInstant(createdMs)
    const claims: ClaimRow[] = []
    for (const dueDay of dueDays) {
      const term = rent ? 30 : rng.pick([30, 30, 45, 60])
      const issueDay = dueDay - term
      const year = yearOf(issueDay)
      const number = client.nextInvoiceNumber.get(year) ?? rng.int(1, 400)
      client.nextInvoiceNumber.set(year, number + rng.int(1, 3))
      let principalCents = rent ? monthlyRent : Math.round(median * Math.exp(sigma * rng.normal())) + rng.int(0, 99)
      principalCents = clamp(principalCents, 5_000, 2_500_000)
      const interestBasis: InterestBasis = contractual ? 'contractual' : businessToBusiness ? 'b2b_penalty' : 'legal'
      const label = fill(rng.pick(sector.claimLabels), {
        m: monthLabel(issueDay),
        d: formatDate(dateOf(issueDay - rng.int(0, 20))),
        n: String(rng.int(1, 9))
      })
      claims.push({
        id: this.id(createdMs),
        createdAt,
        createdBy: this.manager.id,
        updatedAt: createdAt,
        updatedBy: this.manager.id,
        version: 1,
        caseId,
        clientId: client.row.id,
        invoiceNumber: `${client.invoicePrefix}-${year}-${String(number).padStart(5, '0')}`,
        issuedOn: dateOf(issueDay),
        dueOn: dateOf(dueDay),
        principalCents,
        interestBasis,
        contractualRateBp,
        interestFrom: null,
        indemnityApplies: businessToBusiness,
        disputed: false,
        description: rent ? `Loyer et charges – ${monthLabel(dueDay)}` : label
      })
    }
    return claims
  }

  // -- money --------------------------------------------------------------------------------

  /** Splits `total` into `count` positive parts, in euros when it can. */
  private split(total: number, count: number): number[] {
    if (count <= 1 || total < count * 1000) return [total]
    const cuts: number[] = []
    for (let i = 0; i < count - 1; i++) cuts.push(this.rng.int(1, total - 1))
    cuts.sort((a, b) => a - b)
    const result: number[] = []
    let previous = 0
    for (const cut of [...cuts, total]) {
      result.push(cut - previous)
      previous = cut
    }
    return result.some((part) => part <= 0) ? [total] : result
  }

  private roundedAmount(amount: number, max: number): number {
    // People pay round sums when they choose the amount.
    const rounded = this.rng.chance(0.6) ? Math.round(amount / 1000) * 1000 : amount
    return clamp(rounded, 100, max)
  }

  private closedCasePayments(
    fate: Extract<CaseFate, { status: 'closed' }>,
    openDay: number,
    principalCents: number,
    payments: PlannedPayment[],
    caseId: string,
    collectorId: string,
    entries: PlannedEntry[]
  ): PlanRows | null {
    const rng = this.rng
    const closeDay = fate.day
    if (fate.reason === 'paid') {
      // A quarter of the cases closed as paid were paid through a plan that ran to its end.
      if (rng.chance(0.25)) {
        const plan = this.completedPlan(openDay, closeDay, principalCents, payments, caseId, collectorId, entries)
        if (plan) return plan
      }
      const parts = this.split(
        principalCents,
        rng.weighted([
          [1, 55],
          [2, 30],
          [3, 15]
        ] as const)
      )
      const firstDay = Math.max(openDay + 1, closeDay - 180)
      const days = parts.map((_, i) =>
        i === parts.length - 1 ? Math.max(openDay + 1, closeDay - rng.int(0, 5)) : rng.int(firstDay, closeDay)
      )
      days.sort((a, b) => a - b)
      parts.forEach((amountCents, i) =>
        payments.push({ day: this.payDay(days[i]!, openDay + 1, closeDay), amountCents })
      )
      return null
    }
    if (fate.reason === 'partially_paid' || (fate.reason === 'irrecoverable' && rng.chance(0.15))) {
      const share = fate.reason === 'partially_paid' ? 0.2 + rng.next() * 0.6 : 0.05 + rng.next() * 0.25
      const total = clamp(Math.round(principalCents * share), 100, principalCents - 100)
      const parts = this.split(total, rng.int(1, 2))
      for (const amountCents of parts) {
        payments.push({ day: this.payDay(rng.int(openDay + 1, closeDay), openDay + 1, closeDay), amountCents })
      }
    }
    return null
  }

  private payDay(day: number, min: number, max: number): number {
    // Money arrives on business days (bank value dates).
    return this.businessDay(clamp(day, min, max), min, max)
  }

  private partialPayments(openDay: number, endDay: number, principalCents: number, payments: PlannedPayment[]): void {
    const rng = this.rng
    if (endDay <= openDay) return
    const total = this.roundedAmount(Math.round(principalCents * (0.1 + rng.next() * 0.5)), principalCents - 100)
    if (total <= 0 || total >= principalCents) return
    for (const amountCents of this.split(total, rng.int(1, 3))) {
      payments.push({ day: this.payDay(rng.int(openDay + 1, endDay), openDay + 1, endDay), amountCents })
    }
  }

  private promiseWithPayment(
    openDay: number,
    principalCents: number,
    payments: PlannedPayment[],
    caseId: string,
    collectorId: string,
    debtor: DebtorInfo,
    entries: PlannedEntry[]
  ): PromiseRow | null {
    const rng = this.rng
    const span = this.lastDay - (openDay + 3)
    if (span < 0) return null
    // Promises cluster in recent weeks: the portfolio shows some still pending.
    const madeDay = this.businessDay(
      this.lastDay - Math.floor(span * Math.pow(rng.next(), 2)),
      openDay + 3,
      this.lastDay
    )
    const dueDay = madeDay + rng.int(7, 30)
    const amountCents = this.roundedAmount(Math.round(principalCents * (0.2 + rng.next() * 0.4)), principalCents - 100)
    if (amountCents >= principalCents) return null
    let status: PromiseStatus
    let resolvedMs: number | null = null
    if (dueDay >= this.today) {
      status = 'pending'
    } else if (rng.chance(0.55)) {
      status = 'kept'
      const payDay = this.payDay(rng.int(madeDay + 1, dueDay), madeDay + 1, Math.min(dueDay, this.lastDay))
      payments.push({ day: payDay, amountCents })
      resolvedMs = this.ms(payDay, 17 * 3600)
    } else {
      status = 'broken'
      resolvedMs = this.ms(Math.min(dueDay + 1, this.lastDay), OFFICE_START_SECONDS)
    }
    const call = this.callEntry(madeDay, collectorId, debtor, 'promise_to_pay', amountCents, {
      amountCents,
      dueDay
    })
    const row: PromiseRow = {
      id: '',
      createdAt: '',
      createdBy: collectorId,
      updatedAt: '',
      updatedBy: collectorId,
      version: 1,
      caseId,
      amountCents,
      dueOn: dateOf(dueDay),
      madeOn: dateOf(madeDay),
      status,
      journalEntryId: null
    }
    // The promise is made during the call: same instant, each pointing at the other.
    call.promise = {
      place: (madeMs) => {
        row.id = this.id(madeMs)
        row.createdAt = isoInstant(madeMs)
        row.updatedAt = resolvedMs !== null && resolvedMs > madeMs ? isoInstant(resolvedMs) : row.createdAt
        return row.id
      },
      created: (entry) => {
        row.journalEntryId = entry.id
      }
    }
    entries.push(call)
    return row
  }

  /** A plan agreed on an open case: still running, or defaulted by a missed installment. */
  private openPlan(
    openDay: number,
    principalCents: number,
    payments: PlannedPayment[],
    caseId: string,
    collectorId: string,
    entries: PlannedEntry[]
  ): PlanRows | null {
    const rng = this.rng
    if (this.lastDay - openDay < 12) return null
    const frequency: PlanFrequency = rng.weighted([
      ['monthly', 80],
      ['biweekly', 8],
      ['weekly', 5],
      ['quarterly', 7]
    ] as const)
    const count = frequency === 'quarterly' ? rng.int(2, 4) : frequency === 'monthly' ? rng.int(3, 12) : rng.int(4, 10)
    const period = frequency === 'weekly' ? 7 : frequency === 'biweekly' ? 14 : frequency === 'monthly' ? 30 : 91
    const firstDueOffset = rng.int(7, 30)
    const proposed = rng.chance(0.1)
    const defaulter = !proposed && rng.chance(0.35)
    // Good payers' plans still run today (a finished plan would have closed the case).
    const span = firstDueOffset + (count - 1) * period
    const earliest = proposed
      ? Math.max(openDay + 10, this.lastDay - 10)
      : defaulter
        ? openDay + 10
        : Math.max(openDay + 10, this.today - span + 1)
    if (earliest > this.lastDay) return null
    const agreedDay = this.businessDay(rng.int(earliest, this.lastDay), openDay + 1, this.lastDay)
    return this.planRows({
      agreedDay,
      firstDueDay: Math.max(agreedDay + firstDueOffset, proposed ? this.today : 0),
      frequency,
      count,
      balanceCents: principalCents,
      proposed,
      defaultAt: defaulter ? rng.int(1, count - 1) : null,
      mustComplete: false,
      payments,
      caseId,
      collectorId,
      entries
    })
  }

  /** A plan paid to its last installment, on a case then closed as paid. */
  private completedPlan(
    openDay: number,
    closeDay: number,
    principalCents: number,
    payments: PlannedPayment[],
    caseId: string,
    collectorId: string,
    entries: PlannedEntry[]
  ): PlanRows | null {
    const rng = this.rng
    const count = rng.int(2, 8)
    const firstDueOffset = rng.int(7, 20)
    const latestAgreement = closeDay - 3 - firstDueOffset - (count - 1) * 31
    if (latestAgreement < openDay + 10) return null
    const agreedDay = this.businessDay(rng.int(openDay + 10, latestAgreement), openDay + 1, latestAgreement)
    return this.planRows({
      agreedDay,
      firstDueDay: agreedDay + firstDueOffset,
      frequency: 'monthly',
      count,
      balanceCents: principalCents,
      proposed: false,
      defaultAt: null,
      mustComplete: true,
      completeBy: closeDay,
      payments,
      caseId,
      collectorId,
      entries
    })
  }

  private planRows(input: {
    agreedDay: number
    firstDueDay: number
    frequency: PlanFrequency
    count: number
    balanceCents: number
    proposed: boolean
    /** Index of the first installment missed, for a debtor who stops paying. */
    defaultAt: number | null
    /** For a case closed as paid: every installment is paid, by this day. */
    mustComplete: boolean
    completeBy?: number
    payments: PlannedPayment[]
    caseId: string
    collectorId: string
    entries: PlannedEntry[]
  }): PlanRows | null {
    const rng = this.rng
    const { agreedDay, frequency, proposed, collectorId } = input
    const downPaymentCents =
      !proposed && rng.chance(0.3) ? Math.round((input.balanceCents * rng.int(10, 20)) / 100 / 100) * 100 : 0
    let count = input.count
    while (count > 1 && Math.floor((input.balanceCents - downPaymentCents) / count) < 1000) count--
    const schedule = buildSchedule({
      balanceCents: input.balanceCents,
      downPaymentCents,
      sizing: { installmentCount: count },
      frequency,
      firstDueDate: dateOf(input.firstDueDay),
      startDate: dateOf(agreedDay)
    })
    const lastIndex = schedule.installments.length - 1
    let defaultAt = input.defaultAt === null ? null : Math.min(input.defaultAt, lastIndex)
    // On a case still open, the plan cannot be fully paid: that would have closed the case.
    if (!input.mustComplete && defaultAt === null && schedule.endDate < dateOf(this.today)) defaultAt = lastIndex

    const createdMs = this.ms(agreedDay, this.officeSecond())
    const createdAt = isoInstant(createdMs)
    const planId = this.id(createdMs)
    const paidLimit = input.completeBy ?? this.lastDay
    const installments: InstallmentRow[] = []
    let lastUpdateMs = createdMs
    let missedDay: number | null = null
    if (downPaymentCents > 0) {
      input.payments.push({
        day: agreedDay,
        amountCents: downPaymentCents,
        note: 'Acompte à la signature de l’échéancier'
      })
    }
    for (const installment of schedule.installments) {
      const index = installment.index - 1
      const dueDay = toDayNumber(installment.dueDate)
      let status: InstallmentStatus = 'due'
      let paidCents = 0
      let changedMs = createdMs
      if (!proposed && dueDay < this.today) {
        if (defaultAt !== null && index >= defaultAt) {
          // The first missed installment is sometimes paid in part; the rest are missed.
          const partial = index === defaultAt && rng.chance(0.3)
          status = partial ? 'partial' : 'missed'
          paidCents = partial ? Math.max(100, Math.round((installment.amountCents * rng.int(30, 70)) / 100)) : 0
          missedDay ??= dueDay
          changedMs = this.ms(Math.min(dueDay + 1, this.lastDay), OFFICE_START_SECONDS)
        } else {
          status = 'paid'
          paidCents = installment.amountCents
        }
        if (paidCents > 0) {
          const payDay = this.payDay(dueDay + rng.int(-3, 4), agreedDay, paidLimit)
          input.payments.push({
            day: payDay,
            amountCents: paidCents,
            method: rng.weighted([
              ['direct_debit', 45],
              ['transfer', 40],
              ['cheque', 10],
              ['card', 5]
            ] as const),
            note: `Échéance ${installment.index}/${schedule.installments.length}`
          })
          changedMs = Math.max(changedMs, this.ms(payDay, 17 * 3600))
        }
        lastUpdateMs = Math.max(lastUpdateMs, changedMs)
      }
      installments.push({
        id: this.id(createdMs),
        createdAt,
        createdBy: collectorId,
        updatedAt: isoInstant(Math.max(changedMs, createdMs)),
        updatedBy: collectorId,
        version: 1,
        planId,
        sequence: installment.index,
        dueOn: installment.dueDate,
        amountCents: installment.amountCents,
        paidCents,
        status
      })
    }
    let status: PlanStatus
    let endedDay: number | null = null
    if (proposed) {
      status = 'proposed'
    } else if (missedDay !== null && missedDay + 15 <= this.lastDay) {
      status = 'defaulted'
      endedDay = this.businessDay(Math.min(missedDay + rng.int(15, 30), this.lastDay), missedDay + 1, this.lastDay)
      lastUpdateMs = Math.max(lastUpdateMs, this.ms(endedDay, 16 * 3600))
    } else if (installments.every((row) => row.status === 'paid')) {
      status = 'completed'
      endedDay = Math.floor(lastUpdateMs / MS_PER_DAY)
    } else {
      status = 'active'
    }
    const row: PaymentPlanRow = {
      id: planId,
      createdAt: isoInstant(createdMs),
      createdBy: collectorId,
      updatedAt: isoInstant(lastUpdateMs),
      updatedBy: collectorId,
      version: 1,
      caseId: input.caseId,
      status,
      totalCents: schedule.totalCents,
      downPaymentCents,
      installmentCount: schedule.installments.length,
      frequency,
      firstDueOn: dateOf(input.firstDueDay),
      interestMode: rng.chance(0.8) ? 'frozen' : 'running',
      agreedOn: proposed ? null : dateOf(agreedDay),
      endedOn: endedDay === null ? null : dateOf(endedDay)
    }
    input.entries.push({
      day: agreedDay,
      second: (createdMs % MS_PER_DAY) / 1000,
      kind: 'plan',
      authorId: collectorId,
      summary: proposed
        ? `Échéancier proposé : ${schedule.installments.length} échéances ${FREQUENCY_LABELS[frequency]}`
        : `Échéancier accordé : ${schedule.installments.length} échéances ${FREQUENCY_LABELS[frequency]} de ${formatCents(schedule.installments[0]?.amountCents ?? 0)}`,
      details: {
        totalCents: schedule.totalCents,
        downPaymentCents,
        installmentCount: schedule.installments.length,
        frequency
      },
      relatedId: planId
    })
    return { row, installments }
  }

  /** Payment rows and their allocations to principal, oldest claim first. */
  private paymentRows(
    planned: readonly PlannedPayment[],
    caseId: string,
    collectorId: string,
    claims: readonly ClaimRow[],
    batch: PortfolioBatch
  ): PaymentRow[] {
    const rng = this.rng
    const remaining = claims.map((claim) => claim.principalCents)
    const rows: PaymentRow[] = []
    for (const payment of planned) {
      const method: PaymentMethod =
        payment.method ??
        rng.weighted([
          ['transfer', 45],
          ['cheque', 22],
          ['card', 22],
          ['direct_debit', 6],
          ['cash', 5]
        ] as const)
      const receivedBy: PaymentReceiver = method !== 'direct_debit' && rng.chance(0.15) ? 'client' : 'agency'
      const collectDelay =
        method === 'cheque' ? rng.int(2, 3) : method === 'card' ? 1 : method === 'cash' ? rng.int(0, 1) : 0
      const collectedDay = payment.day + collectDelay
      const ms = this.ms(payment.day, this.officeSecond())
      const row: PaymentRow = {
        id: this.id(ms),
        createdAt: isoInstant(ms),
        createdBy: collectorId,
        caseId,
        receivedOn: dateOf(payment.day),
        amountCents: payment.amountCents,
        method,
        reference: this.paymentReference(method),
        receivedBy,
        // Not yet cashed: a cheque received yesterday is collected in the coming days.
        collectedOn: collectedDay <= this.lastDay ? dateOf(collectedDay) : null,
        reversesPaymentId: null,
        note: payment.note ?? (receivedBy === 'client' ? 'Paiement direct au créancier, signalé par le client' : null)
      }
      rows.push(row)
      batch.payments.push(row)
      let left = payment.amountCents
      for (let i = 0; i < claims.length && left > 0; i++) {
        const amount = Math.min(left, remaining[i]!)
        if (amount <= 0) continue
        remaining[i]! -= amount
        left -= amount
        batch.allocations.push({
          id: this.id(ms),
          createdAt: row.createdAt,
          createdBy: collectorId,
          paymentId: row.id,
          claimId: claims[i]!.id,
          component: 'principal',
          amountCents: amount,
          manual: false,
          reason: null
        })
      }
      if (left > 0) throw new Error(`Demo generator bug: payment exceeds the principal of case ${caseId}`)
    }
    return rows
  }

  private paymentReference(method: PaymentMethod): string | null {
    const rng = this.rng
    switch (method) {
      case 'transfer':
        return `VIR SEPA ${String(rng.int(0, 999_999_999)).padStart(9, '0')}`
      case 'cheque':
        return `Chèque n° ${rng.int(1_000_000, 9_999_999)}`
      case 'card':
        return `CB autorisation ${String(rng.int(0, 999_999)).padStart(6, '0')}`
      case 'direct_debit':
        return `PRLV SEPA RUM ${String(rng.int(0, 99_999_999)).padStart(8, '0')}`
      case 'cash':
        return null
    }
  }

  // -- journal --------------------------------------------------------------------------------

  private callEntry(
    day: number,
    collectorId: string,
    debtor: DebtorInfo,
    outcome: CallOutcome,
    amountCents: number,
    promise?: { amountCents: number; dueDay: number }
  ): PlannedEntry {
    const rng = this.rng
    const reachable = debtor.phones.filter((p) => p.status !== 'invalid')
    const phone = reachable.length > 0 ? rng.pick(reachable) : (debtor.phones[0] ?? null)
    const direction: CallDirection =
      outcome === 'promise_to_pay' || outcome === 'disputes_debt'
        ? rng.chance(0.3)
          ? 'inbound'
          : 'outbound'
        : 'outbound'
    const spoke = !['no_answer', 'message_left', 'wrong_number'].includes(outcome)
    // A spouse, a colleague or the accountant sometimes picks up instead of the debtor.
    const answeredBy: CallAnswerer = spoke
      ? outcome === 'promise_to_pay' || outcome === 'asks_payment_plan' || rng.chance(0.85)
        ? 'debtor'
        : 'third_party'
      : outcome === 'wrong_number'
        ? 'wrong_number'
        : outcome === 'message_left'
          ? 'voicemail'
          : 'no_answer'
    const durationSeconds =
      outcome === 'no_answer'
        ? 0
        : outcome === 'message_left'
          ? rng.int(20, 60)
          : outcome === 'wrong_number'
            ? rng.int(10, 40)
            : rng.int(60, 720)
    const who = debtor.kind === 'company' ? 'le gérant' : 'le débiteur'
    const summaries: Record<CallOutcome, string> = {
      promise_to_pay: promise
        ? `${direction === 'inbound' ? 'Appel entrant' : 'Appel sortant'} : ${who} s'engage à régler ${formatCents(promise.amountCents)} avant le ${formatDate(dateOf(promise.dueDay))}`
        : `Appel : ${who} promet un règlement`,
      asks_payment_plan: `Appel sortant : ${who} demande un échéancier`,
      disputes_debt: `${direction === 'inbound' ? 'Appel entrant' : 'Appel sortant'} : ${who} conteste la créance`,
      refuses: `Appel sortant : ${who} refuse de payer ${formatCents(amountCents)}`,
      says_already_paid: `Appel sortant : ${who} affirme avoir déjà réglé, justificatif demandé`,
      call_back_requested: `Appel sortant : ${who} demande à être rappelé`,
      message_left: 'Appel sortant : message laissé sur le répondeur',
      no_answer: 'Appel sortant : pas de réponse',
      wrong_number: 'Appel sortant : faux numéro'
    }
    const details: Record<string, unknown> = {
      direction,
      answeredBy,
      outcome,
      phoneId: phone?.id ?? null,
      phoneNumber: phone?.number ?? null,
      durationSeconds
    }
    if (promise) {
      details.promisedAmountCents = promise.amountCents
      details.promisedBy = dateOf(promise.dueDay)
    }
    return {
      day,
      second: this.callSecond(),
      kind: 'call',
      authorId: collectorId,
      summary: summaries[outcome],
      details,
      relatedId: null,
      callOutcome: outcome
    }
  }

  private fillerEntry(
    day: number,
    phase: CasePhase,
    collectorId: string,
    debtor: DebtorInfo,
    balanceCents: number,
    client: ClientInfo
  ): PlannedEntry {
    const rng = this.rng
    const mobiles = debtor.phones.filter((p) => p.kind === 'mobile' && p.status !== 'invalid')
    const kind = rng.weighted([
      ['call', 58],
      ['letter', 9],
      ['email', debtor.emails.length > 0 ? 10 : 0],
      ['sms', mobiles.length > 0 ? 10 : 0],
      ['note', 11],
      ['visit', debtor.kind === 'company' ? 2 : 0.5]
    ] as const)
    switch (kind) {
      case 'call': {
        const phone = rng.pick(debtor.phones)
        const outcome: CallOutcome =
          phone.status === 'invalid'
            ? 'wrong_number'
            : rng.weighted([
                ['no_answer', 33],
                ['message_left', 27],
                ['call_back_requested', 10],
                ['refuses', 8],
                ['says_already_paid', 4],
                ['disputes_debt', 3]
              ] as const)
        const entry = this.callEntry(day, collectorId, debtor, outcome, balanceCents)
        Object.assign(entry.details!, { phoneId: phone.id, phoneNumber: phone.number })
        return entry
      }
      case 'letter': {
        const letter =
          phase === 'amicable'
            ? rng.pick([
                ['relance_amiable_2', 'Lettre de relance amiable n° 2', null],
                ['relance_amiable_3', 'Dernière relance amiable avant mise en demeure', null]
              ] as const)
            : phase === 'formal_notice'
              ? (['dernier_avis', 'Dernier avis avant poursuites judiciaires', collectorId] as const)
              : phase === 'judicial'
                ? ([
                    'info_procedure',
                    "Courrier d'information : procédure d'injonction de payer en cours",
                    collectorId
                  ] as const)
                : (['info_execution', 'Courrier du commissaire de justice transmis au débiteur', collectorId] as const)
        return {
          day,
          second: OFFICE_START_SECONDS + rng.int(0, 3600),
          kind: 'letter',
          authorId: letter[2],
          summary: letter[1],
          details: { template: letter[0], channel: 'post', registered: false },
          relatedId: null
        }
      }
      case 'email':
        return {
          day,
          second: this.officeSecond(),
          kind: 'email',
          authorId: collectorId,
          summary: `E-mail de relance envoyé (solde ${formatCents(balanceCents)})`,
          details: {
            to: rng.pick(debtor.emails),
            subject: `${client.row.legalName} : règlement en attente`,
            template: phase === 'amicable' ? 'relance_email' : 'relance_email_mdn'
          },
          relatedId: null
        }
      case 'sms':
        return {
          day,
          second: this.callSecond(),
          kind: 'sms',
          authorId: collectorId,
          summary: 'SMS de relance envoyé',
          details: { to: rng.pick(mobiles).number, template: 'relance_sms' },
          relatedId: null
        }
      case 'visit':
        return {
          day,
          second: this.officeSecond(),
          kind: 'visit',
          authorId: collectorId,
          summary:
            debtor.kind === 'company'
              ? 'Visite sur place : établissement ouvert, gérant absent'
              : 'Visite domiciliaire : avis de passage déposé',
          details: null,
          relatedId: null
        }
      case 'note':
      default:
        return {
          day,
          second: this.officeSecond(),
          kind: 'note',
          authorId: collectorId,
          summary: rng.pick(NOTE_TEXTS),
          details: null,
          relatedId: null
        }
    }
  }

  /** Orders the entries, gives each a distinct instant (so ids sort like instants) and an id. */
  private writeJournal(
    entries: PlannedEntry[],
    caseId: string,
    batch: PortfolioBatch
  ): Array<{ row: JournalEntryRow; outcome: CallOutcome | null }> {
    entries.sort((a, b) => a.day - b.day || a.second - b.second)
    const written: Array<{ row: JournalEntryRow; outcome: CallOutcome | null }> = []
    let previousMs = 0
    for (const entry of entries) {
      let ms = this.ms(entry.day, entry.second)
      if (ms <= previousMs) ms = previousMs + 60_000 * this.rng.int(1, 5)
      previousMs = ms
      const occurredAt = isoInstant(ms)
      const promiseId = entry.promise?.place(ms)
      if (promiseId) entry.details = { ...entry.details, promiseId }
      const row: JournalEntryRow = {
        id: this.id(ms),
        createdAt: occurredAt,
        createdBy: entry.authorId,
        caseId,
        kind: entry.kind,
        occurredAt,
        authorId: entry.authorId,
        summary: entry.summary,
        details: entry.details ? JSON.stringify(entry.details) : null,
        correctsEntryId: null,
        relatedId: promiseId ?? entry.relatedId
      }
      entry.promise?.created(row)
      batch.journalEntries.push(row)
      written.push({ row, outcome: entry.callOutcome ?? null })
    }
    return written
  }

  // -- summary --------------------------------------------------------------------------------

  private priority(balanceCents: number, phase: CasePhase): CasePriority {
    const large = balanceCents >= 500_000
    return this.rng.weighted([
      ['low', large ? 5 : 18],
      ['normal', large ? 45 : 62],
      ['high', large ? 35 : 16],
      ['urgent', large || phase === 'enforcement' ? 15 : 4]
    ] as const)
  }

  private nextAction(
    fate: CaseFate,
    openDay: number,
    promise: PromiseRow | null,
    plan: PlanRows | null
  ): CalendarDate | null {
    const rng = this.rng
    if (fate.status === 'closed') return null
    if (fate.status === 'suspended') return dateOf(fate.day + rng.int(30, 120)) // review date
    // Check the promise the day after it falls due; the next installment likewise.
    if (promise?.status === 'pending') return dateOf(toDayNumber(promise.dueOn) + 1)
    if (plan?.row.status === 'active') {
      const next = plan.installments.find((i) => i.status === 'due')
      if (next) return dateOf(toDayNumber(next.dueOn) + 3)
    }
    const when = rng.weighted([
      ['overdue', 25],
      ['today', 10],
      ['future', 65]
    ] as const)
    const day =
      when === 'overdue'
        ? Math.max(openDay + 1, this.today - rng.int(1, 20))
        : when === 'today'
          ? this.today
          : this.today + rng.int(1, 30)
    return dateOf(Math.min(day, this.today + 30))
  }
}

const CLOSURE_LABELS: Record<ClosureReason, string> = {
  paid: 'soldé',
  partially_paid: 'paiement partiel, solde abandonné par le client',
  irrecoverable: 'créance irrécouvrable (débiteur insolvable)',
  returned_to_client: 'dossier restitué au client'
}

const SUSPENSION_LABELS: Record<SuspensionReason, string> = {
  dispute: 'litige sur la créance',
  collective_proceedings: 'procédure collective ouverte (déclaration de créance au mandataire)',
  over_indebtedness: 'dossier de surendettement déclaré recevable',
  client_request: 'à la demande du client'
}

const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  transfer: 'virement',
  cheque: 'chèque',
  card: 'carte bancaire',
  direct_debit: 'prélèvement',
  cash: 'espèces'
}

const FREQUENCY_LABELS: Record<PlanFrequency, string> = {
  weekly: 'hebdomadaires',
  biweekly: 'bimensuelles',
  monthly: 'mensuelles',
  quarterly: 'trimestrielles'
}

function sectorLabel(code: SectorCode): string {
  const labels: Record<SectorCode, string> = {
    btp: 'bâtiment et travaux publics',
    transport: 'transport et logistique',
    telecom: 'télécommunications',
    energy: 'énergie',
    distribution: 'distribution',
    health: 'santé',
    real_estate: 'immobilier',
    services: 'services aux entreprises'
  }
  return labels[code]
}
