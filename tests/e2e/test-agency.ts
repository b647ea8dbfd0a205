import type { Page } from '@playwright/test'
import type { AgencyIdentity } from '../../src-shared/contract'

/**
 * TEST DATA: a fictitious agency, complete enough for R124-2/R124-4 and the GDPR block, saved by
 * every spec that makes letters, receipts or batches (each before its own use: specs share servers).
 */
export const TEST_AGENCY: AgencyIdentity = {
  name: 'Cabinet Lumière Recouvrement',
  legalForm: 'SAS',
  siren: '812345678',
  capital: '10 000 €',
  rcsCity: 'Lyon',
  addressLine1: '18 quai Saint-Antoine',
  addressLine2: '',
  postalCode: '69002',
  city: 'Lyon',
  phone: '04 72 10 20 30',
  email: 'contact@lumiere-recouvrement.fr',
  insurer: 'Mutuelle des Professions Libérales',
  insurancePolicy: 'RCP-2026-4411',
  clientAccountBank: 'Banque Populaire Auvergne Rhône Alpes',
  clientAccountHolder: 'Cabinet Lumière Recouvrement – fonds de tiers',
  clientAccountIban: 'FR76 1680 7000 0112 3456 7890 123',
  clientAccountBic: 'CCBPFRPPGRE',
  chequePayee: 'Cabinet Lumière Recouvrement',
  prosecutorDeclaration: 'déclarée au procureur de la République de Lyon le 12/01/2021',
  dpoContact: 'dpo@lumiere-recouvrement.fr',
  retention: 'pendant la durée du recouvrement, puis cinq ans en archive intermédiaire',
  paymentDelayDays: 8,
  signatory: 'Claire Martin',
  logoSha256: null
}

/** A button of the main navigation. */
export const nav = (page: Page, name: RegExp) =>
  page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('button', { name })
