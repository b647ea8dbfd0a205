import type { EntityManager } from 'typeorm'
import type {
  AddressDto,
  CallStats,
  CaseFile,
  ClaimDto,
  DeadlineDto,
  DocumentDto,
  EmailDto,
  PhoneDto,
  ProceedingDto,
  RelatedCaseDto
} from '@shared/contract'
import { debtorLocale } from '@shared/calls/holidays'
import { CALL_COUNT_WINDOW_DAYS } from '@shared/calls/call-policy'
import type { JournalKind } from '@shared/domain/enums'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { readCaseState } from './case-state'

type Row = Record<string, unknown>

const str = (v: unknown) => v as string
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v))
const num = (v: unknown) => Number(v)
const bool = (v: unknown) => v === 1 || v === true || v === '1'

const CONTACT_ORDER: Record<string, number> = { valid: 0, unverified: 1, invalid: 2 }

export function toProceedingDto(r: Row): ProceedingDto {
  return {
    id: str(r.id),
    version: num(r.version),
    debtorId: str(r.debtor_id),
    kind: r.kind as ProceedingDto['kind'],
    judgmentOn: str(r.judgment_on),
    bodaccPublishedOn: strOrNull(r.bodacc_published_on),
    noticeReceivedOn: strOrNull(r.notice_received_on),
    court: strOrNull(r.court),
    reference: strOrNull(r.reference),
    administrator: strOrNull(r.administrator),
    comment: strOrNull(r.comment),
    createdAt: str(r.created_at)
  }
}

export function toDeadlineDto(r: Row): DeadlineDto {
  return {
    id: str(r.id),
    caseId: str(r.case_id),
    proceedingId: strOrNull(r.proceeding_id),
    kind: r.kind as DeadlineDto['kind'],
    dueOn: str(r.due_on),
    basis: str(r.basis),
    completedOn: strOrNull(r.completed_on),
    note: strOrNull(r.note)
  }
}

/**
 * Outbound calls to a debtor over the 30 days before `at` (every case of theirs), and whether
 * their last call asked for a call-back: the frequency rule of the call policy.
 */
export async function debtorCallStats(manager: EntityManager, debtorId: string, at: Date): Promise<CallStats> {
  const since = new Date(at.getTime() - CALL_COUNT_WINDOW_DAYS * 86_400_000).toISOString()
  const rows: Row[] = await manager.query(
    `SELECT j.occurred_at, j.details FROM journal_entry j
      WHERE j.case_id IN (SELECT id FROM collection_case WHERE debtor_id = ?)
        AND j.kind = 'call' AND j.corrects_entry_id IS NULL AND j.occurred_at >= ? AND j.occurred_at <= ?
      ORDER BY j.occurred_at DESC`,
    [debtorId, since, at.toISOString()]
  )
  let outbound = 0
  let callBackRequested = false
  rows.forEach((row, index) => {
    let details: { direction?: string; outcome?: string } = {}
    try {
      details = JSON.parse(String(row.details ?? '{}')) as typeof details
    } catch {
      // an unreadable entry counts as an outbound call: the cautious reading
    }
    if (details.direction !== 'inbound') outbound++
    if (index === 0) callBackRequested = details.outcome === 'call_back_requested'
  })
  return { outboundLast30Days: outbound, callBackRequested, lastCallAt: rows[0] ? str(rows[0].occurred_at) : null }
}

/**
 * The case file in one read: a dozen lookups, each by primary key or an indexed foreign key
 * (case, debtor, client, mandate, journal by (case_id, occurred_at)…), so opening a case costs
 * the same in a 200-case database as in a 200,000-case one.
 */
export class CaseFileService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock
  ) {}

  get(caseId: string): Promise<CaseFile> {
    return this.db.read(async (manager) => {
      const now = this.clock.now()
      const state = await readCaseState(manager, caseId)
      const [head] = (await manager.query(
        `SELECT c.debtor_id, c.client_id, c.mandate_id,
                d.kind AS d_kind, d.civility, d.first_name, d.last_name, d.legal_name, d.display_name, d.siren, d.siret,
                d.birth_date, d.acts_professionally,
                cl.code AS cl_code, cl.legal_name AS cl_name, cl.kind AS cl_kind, cl.postal_code AS cl_postal_code,
                cl.city AS cl_city, cl.country AS cl_country, cl.contact_name, cl.contact_email, cl.contact_phone,
                m.reference AS m_reference, m.signed_on, m.status AS m_status, m.commission_rate_bp
           FROM collection_case c
           JOIN debtor d ON d.id = c.debtor_id
           JOIN client cl ON cl.id = c.client_id
           JOIN mandate m ON m.id = c.mandate_id
          WHERE c.id = ?`,
        [caseId]
      )) as Row[]
      const debtorId = str(head!.debtor_id)

      const addressRows: Row[] = await manager.query(
        `SELECT id, line1, line2, postal_code, city, country, valid_from, valid_to, source FROM debtor_address
          WHERE debtor_id = ? ORDER BY (valid_to IS NULL) DESC, valid_from DESC, id DESC`,
        [debtorId]
      )
      const addresses: AddressDto[] = addressRows.map((r) => ({
        id: str(r.id),
        line1: str(r.line1),
        line2: strOrNull(r.line2),
        postalCode: str(r.postal_code),
        city: str(r.city),
        country: str(r.country),
        validFrom: str(r.valid_from),
        validTo: strOrNull(r.valid_to),
        current: r.valid_to === null || str(r.valid_to) >= this.clock.today(),
        source: strOrNull(r.source)
      }))
      const phoneRows: Row[] = await manager.query(
        `SELECT id, number, kind, status, status_changed_at, source FROM debtor_phone WHERE debtor_id = ? ORDER BY created_at, id`,
        [debtorId]
      )
      const phones: PhoneDto[] = phoneRows
        .map((r) => ({
          id: str(r.id),
          number: str(r.number),
          kind: r.kind as PhoneDto['kind'],
          status: r.status as PhoneDto['status'],
          statusChangedAt: strOrNull(r.status_changed_at),
          source: strOrNull(r.source)
        }))
        .sort((a, b) => CONTACT_ORDER[a.status]! - CONTACT_ORDER[b.status]!)
      const emailRows: Row[] = await manager.query(
        `SELECT id, address, status, source FROM debtor_email WHERE debtor_id = ? ORDER BY created_at, id`,
        [debtorId]
      )
      const emails: EmailDto[] = emailRows
        .map((r) => ({
          id: str(r.id),
          address: str(r.address),
          status: r.status as EmailDto['status'],
          source: strOrNull(r.source)
        }))
        .sort((a, b) => CONTACT_ORDER[a.status]! - CONTACT_ORDER[b.status]!)

      const claimRows: Row[] = await manager.query(
        `SELECT id, invoice_number, issued_on, due_on, principal_cents, interest_basis, disputed, description
           FROM claim WHERE case_id = ? ORDER BY due_on, invoice_number`,
        [caseId]
      )
      const claims: ClaimDto[] = claimRows.map((r) => ({
        id: str(r.id),
        invoiceNumber: str(r.invoice_number),
        issuedOn: str(r.issued_on),
        dueOn: str(r.due_on),
        principalCents: num(r.principal_cents),
        interestBasis: r.interest_basis as ClaimDto['interestBasis'],
        disputed: bool(r.disputed),
        description: strOrNull(r.description)
      }))
      const documentRows: Row[] = await manager.query(
        `SELECT id, kind, title, file_name, mime_type, size_bytes, claim_id, created_at
           FROM document WHERE case_id = ? ORDER BY created_at DESC, id DESC`,
        [caseId]
      )
      const documents: DocumentDto[] = documentRows.map((r) => ({
        id: str(r.id),
        kind: r.kind as DocumentDto['kind'],
        title: str(r.title),
        fileName: str(r.file_name),
        mimeType: str(r.mime_type),
        sizeBytes: num(r.size_bytes),
        claimId: strOrNull(r.claim_id),
        createdAt: str(r.created_at)
      }))
      const relatedRows: Row[] = await manager.query(
        `SELECT c.id, c.reference, cl.legal_name AS client_name, c.phase, c.status, c.balance_cents
           FROM collection_case c JOIN client cl ON cl.id = c.client_id
          WHERE c.debtor_id = ? AND c.id <> ? ORDER BY c.opened_on DESC, c.reference LIMIT 50`,
        [debtorId, caseId]
      )
      const relatedCases: RelatedCaseDto[] = relatedRows.map((r) => ({
        id: str(r.id),
        reference: str(r.reference),
        clientName: str(r.client_name),
        phase: r.phase as RelatedCaseDto['phase'],
        status: r.status as RelatedCaseDto['status'],
        balanceCents: num(r.balance_cents)
      }))
      const countRows: Row[] = await manager.query(
        `SELECT kind, COUNT(*) AS n FROM journal_entry WHERE case_id = ? AND corrects_entry_id IS NULL GROUP BY kind`,
        [caseId]
      )
      const journalCounts: Partial<Record<JournalKind, number>> = {}
      for (const r of countRows) journalCounts[r.kind as JournalKind] = num(r.n)

      const calls = await debtorCallStats(manager, debtorId, now)
      const proceedings = (
        (await manager.query(
          `SELECT * FROM insolvency_proceeding WHERE debtor_id = ? ORDER BY judgment_on DESC, created_at DESC`,
          [debtorId]
        )) as Row[]
      ).map(toProceedingDto)
      const deadlines = (
        (await manager.query(`SELECT * FROM case_deadline WHERE case_id = ? ORDER BY due_on, id`, [caseId])) as Row[]
      ).map(toDeadlineDto)
      const [assessment] = (await manager.query(
        `SELECT assessment, monthly_capacity_cents, assessed_on FROM solvency_assessment
          WHERE debtor_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`,
        [debtorId]
      )) as Row[]

      const current = addresses.find((a) => a.current) ?? null
      return {
        case: state,
        debtor: {
          id: debtorId,
          kind: head!.d_kind as CaseFile['debtor']['kind'],
          civility: strOrNull(head!.civility),
          firstName: strOrNull(head!.first_name),
          lastName: strOrNull(head!.last_name),
          legalName: strOrNull(head!.legal_name),
          displayName: str(head!.display_name),
          siren: strOrNull(head!.siren),
          siret: strOrNull(head!.siret),
          birthDate: strOrNull(head!.birth_date),
          actsProfessionally: bool(head!.acts_professionally),
          addresses,
          phones,
          emails,
          locale: debtorLocale(current)
        },
        client: {
          id: str(head!.client_id),
          code: str(head!.cl_code),
          legalName: str(head!.cl_name),
          kind: head!.cl_kind as CaseFile['client']['kind'],
          postalCode: str(head!.cl_postal_code),
          city: str(head!.cl_city),
          country: str(head!.cl_country),
          contactName: strOrNull(head!.contact_name),
          contactEmail: strOrNull(head!.contact_email),
          contactPhone: strOrNull(head!.contact_phone)
        },
        mandate: {
          id: str(head!.mandate_id),
          reference: str(head!.m_reference),
          signedOn: str(head!.signed_on),
          status: str(head!.m_status),
          commissionRateBp: num(head!.commission_rate_bp)
        },
        claims,
        documents,
        relatedCases,
        journalCounts,
        calls,
        proceedings,
        deadlines,
        assessment: assessment
          ? {
              assessment: assessment.assessment as NonNullable<CaseFile['assessment']>['assessment'],
              monthlyCapacityCents:
                assessment.monthly_capacity_cents === null ? null : num(assessment.monthly_capacity_cents),
              assessedOn: str(assessment.assessed_on)
            }
          : null,
        today: this.clock.today(),
        now: now.toISOString()
      }
    })
  }
}
