import type { InterestBasis, PartyKind } from '@shared/domain/enums'
import { uuid7 } from '@shared/ids/uuid7'
import { RpcCallError, type ChannelInput, type ChannelName, type ChannelResult } from '@shared/contract'
import { expect } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { CaseEntity } from '../../../src-main/modules/cases/case.entity'
import { ClaimEntity } from '../../../src-main/modules/cases/claim.entity'
import { ClientEntity } from '../../../src-main/modules/clients/client.entity'
import { MandateEntity } from '../../../src-main/modules/clients/mandate.entity'
import { DebtorEntity } from '../../../src-main/modules/debtors/debtor.entity'
import { TEST_NOW } from '../helpers/temp-app'

/** A party as the fixtures describe it: a person or a company, acting professionally or not. */
export interface PartySpec {
  kind: PartyKind
  actsProfessionally: boolean
}

export const COMPANY: PartySpec = { kind: 'company', actsProfessionally: true }
export const CONSUMER: PartySpec = { kind: 'individual', actsProfessionally: false }

export interface ClaimSpec {
  invoiceNumber?: string
  principalCents: number
  dueOn: string
  interestBasis?: InterestBasis
  interestFrom?: string | null
  contractualRateBp?: number | null
  indemnityApplies?: boolean
}

export interface SeededCase {
  caseId: string
  reference: string
  clientId: string
  mandateId: string
  debtorId: string
  claimIds: string[]
}

let counter = 0

/** A client with one mandate (commission in basis points, remittance delay in days). */
export async function seedClient(
  app: RecouvraApp,
  options: { party?: PartySpec; commissionRateBp?: number; remittanceDelayDays?: number; name?: string } = {}
): Promise<{ clientId: string; mandateId: string }> {
  const n = ++counter
  const clientId = uuid7()
  const mandateId = uuid7()
  const party = options.party ?? COMPANY
  const stamp = { createdAt: TEST_NOW, createdBy: null, updatedAt: TEST_NOW, updatedBy: null, version: 1 }
  await app.db.write(async (manager) => {
    await manager.insert(ClientEntity, {
      id: clientId,
      ...stamp,
      code: `CLT${n}`,
      kind: party.kind,
      legalName: options.name ?? `CLIENT ${n} SAS`,
      siren: null,
      actsProfessionally: party.actsProfessionally,
      addressLine1: '1 rue de la Paix',
      addressLine2: null,
      postalCode: '75002',
      city: 'Paris',
      country: 'FR',
      contactName: null,
      contactEmail: null,
      contactPhone: null,
      iban: null,
      bic: null
    })
    await addMandate(
      manager,
      clientId,
      mandateId,
      n,
      options.commissionRateBp ?? 1500,
      options.remittanceDelayDays ?? 30
    )
  })
  return { clientId, mandateId }
}

async function addMandate(
  manager: Parameters<Parameters<RecouvraApp['db']['write']>[0]>[0],
  clientId: string,
  mandateId: string,
  n: number,
  commissionRateBp: number,
  remittanceDelayDays: number
): Promise<void> {
  await manager.insert(MandateEntity, {
    id: mandateId,
    createdAt: TEST_NOW,
    createdBy: null,
    updatedAt: TEST_NOW,
    updatedBy: null,
    version: 1,
    clientId,
    reference: `MAN-${n}-${mandateId.slice(-6)}`,
    signedOn: '2020-01-01',
    endsOn: null,
    status: 'active',
    commissionRateBp,
    fixedFeeCents: 0,
    scope: 'Factures impayées',
    liabilityGuarantee: 'RC Pro',
    feeTerms: 'Commission sur encaissements',
    remittanceTerms: 'Virement mensuel',
    remittanceDelayDays,
    dunningScenarioCode: null
  })
}

/** A second mandate for an existing client. */
export async function seedMandate(
  app: RecouvraApp,
  clientId: string,
  commissionRateBp: number,
  remittanceDelayDays = 30
): Promise<string> {
  const mandateId = uuid7()
  await app.db.write((manager) =>
    addMandate(manager, clientId, mandateId, ++counter, commissionRateBp, remittanceDelayDays)
  )
  return mandateId
}

/**
 * A case with its claims and the summary columns the cases service keeps (principal, balance,
 * oldest due date), as an import would leave them.
 */
export async function seedCase(
  app: RecouvraApp,
  options: {
    claims: ClaimSpec[]
    creditor?: PartySpec
    debtor?: PartySpec
    client?: { clientId: string; mandateId: string }
    commissionRateBp?: number
  }
): Promise<SeededCase> {
  const n = ++counter
  const { clientId, mandateId } =
    options.client ??
    (await seedClient(app, {
      party: options.creditor ?? COMPANY,
      ...(options.commissionRateBp !== undefined && { commissionRateBp: options.commissionRateBp })
    }))
  const debtorParty = options.debtor ?? COMPANY
  const debtorId = uuid7()
  const caseId = uuid7()
  const reference = `REC-T-${String(n).padStart(5, '0')}`
  const stamp = { createdAt: TEST_NOW, createdBy: null, updatedAt: TEST_NOW, updatedBy: null, version: 1 }
  const claimIds = options.claims.map(() => uuid7())
  await app.db.write(async (manager) => {
    await manager.insert(DebtorEntity, {
      id: debtorId,
      ...stamp,
      kind: debtorParty.kind,
      civility: debtorParty.kind === 'individual' ? 'M.' : null,
      firstName: debtorParty.kind === 'individual' ? 'Jean' : null,
      lastName: debtorParty.kind === 'individual' ? `DUPONT${n}` : null,
      legalName: debtorParty.kind === 'company' ? `DEBITEUR ${n} SARL` : null,
      displayName: debtorParty.kind === 'individual' ? `DUPONT${n} Jean` : `DEBITEUR ${n} SARL`,
      siren: null,
      siret: null,
      birthDate: null,
      actsProfessionally: debtorParty.actsProfessionally
    })
    const principal = options.claims.reduce((s, c) => s + c.principalCents, 0)
    await manager.insert(CaseEntity, {
      id: caseId,
      ...stamp,
      reference,
      clientId,
      mandateId,
      debtorId,
      collectorId: null,
      phase: 'amicable',
      status: 'open',
      suspensionReason: null,
      closureReason: null,
      priority: 'normal',
      openedOn: '2023-01-02',
      closedOn: null,
      nextActionOn: null,
      principalCents: principal,
      paidCents: 0,
      balanceCents: principal,
      claimCount: options.claims.length,
      oldestDueOn: options.claims.map((c) => c.dueOn).sort()[0] ?? null,
      lastContactAt: null,
      lastContactOutcome: null
    })
    await manager.insert(
      ClaimEntity,
      options.claims.map((claim, i) => ({
        id: claimIds[i]!,
        ...stamp,
        caseId,
        clientId,
        invoiceNumber: claim.invoiceNumber ?? `F-${n}-${i + 1}`,
        issuedOn: claim.dueOn,
        dueOn: claim.dueOn,
        principalCents: claim.principalCents,
        interestBasis: claim.interestBasis ?? 'none',
        contractualRateBp: claim.contractualRateBp ?? null,
        interestFrom: claim.interestFrom ?? null,
        indemnityApplies: claim.indemnityApplies ?? false,
        disputed: false,
        description: null
      }))
    )
  })
  return { caseId, reference, clientId, mandateId, debtorId, claimIds }
}

/** Calls a channel that must be refused; returns its error (code and French message). */
export async function refusal<C extends ChannelName>(
  app: RecouvraApp,
  channel: C,
  input: ChannelInput<C>
): Promise<{ code: string; message: string }> {
  try {
    await app.call(channel, input)
  } catch (error) {
    expect(error).toBeInstanceOf(RpcCallError)
    const e = error as RpcCallError
    return { code: e.code, message: e.message }
  }
  throw new Error(`${channel} was expected to be refused`)
}

export type Result<C extends ChannelName> = ChannelResult<C>

/** Rows of a table, for before/after comparisons (counts, never SQL logic under test). */
export async function countRows(app: RecouvraApp, table: string): Promise<number> {
  return app.db.read(async (manager) => {
    const row = await manager.createQueryBuilder().select('COUNT(*)', 'n').from(table, 't').getRawOne<{ n: number }>()
    return Number(row?.n ?? 0)
  })
}
