import { In, type EntityManager } from 'typeorm'
import {
  LEGAL_EVENT_LABELS,
  notFound,
  type ChannelParsedInput,
  type LegalEventDto,
  type SessionUser
} from '@shared/contract'
import { formatDate } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import { addMonths, addYears } from '@shared/dates/calendar-date'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { CaseEntity } from '../cases/case.entity'
import { ClaimEntity } from '../cases/claim.entity'
import { appendJournalEntry, authorOf } from '../journal/journal.service'
import { refreshCasePrescriptions } from './case-prescription'
import { LegalEventEntity } from './legal-event.entity'
import { businessRule } from './money-errors'

type RecordInput = ChannelParsedInput<'money:record-legal-event'>

/**
 * Judgments, signed acknowledgements of debt, court claims and enforcement acts. They are facts the money engine reads (see
 * money-context): recording one is enough for the statement, the +5 points and the prescription.
 */
export class LegalEventsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock
  ) {}

  record(input: RecordInput, user: SessionUser): Promise<LegalEventDto> {
    const today = this.clock.today()
    if (input.occurredOn > today) {
      throw businessRule(
        {
          judgment: 'La date du jugement ne peut pas être postérieure à aujourd’hui.',
          acknowledgement: 'La date de signature ne peut pas être postérieure à aujourd’hui.',
          court_claim: 'La date de la demande en justice ne peut pas être postérieure à aujourd’hui.',
          enforcement_act: 'La date de l’acte d’exécution ne peut pas être postérieure à aujourd’hui.'
        }[input.kind],
        'Legal event in the future'
      )
    }
    if (input.enforceableOn && input.enforceableOn > today) {
      throw businessRule(
        'Le jugement doit être exécutoire pour être enregistré : la date indiquée est postérieure à aujourd’hui.',
        'Judgment enforceable in the future'
      )
    }
    return this.db.write(async (manager) => {
      const author = authorOf(user, this.clock)
      const caseRow = await manager.findOne(CaseEntity, { where: { id: input.caseId }, select: { id: true } })
      if (!caseRow) throw notFound('Case', input.caseId, 'Dossier')
      const claims = await manager.find(ClaimEntity, { where: { caseId: input.caseId } })
      const claim = input.claimId ? claims.find((c) => c.id === input.claimId) : null
      if (input.claimId && !claim) {
        throw businessRule('Cette créance n’appartient pas à ce dossier.', 'Claim not in case')
      }
      const row: LegalEventEntity = {
        id: uuid7(),
        createdAt: author.now,
        createdBy: author.userId,
        caseId: input.caseId,
        claimId: claim?.id ?? null,
        kind: input.kind,
        occurredOn: input.occurredOn,
        enforceableOn: input.kind === 'judgment' ? (input.enforceableOn ?? null) : null,
        court: input.court || null,
        reference: input.reference || null,
        note: input.note || null
      }
      await manager.insert(LegalEventEntity, row)
      const scope = claim ? `facture ${claim.invoiceNumber}` : 'toutes les créances du dossier'
      const summary =
        input.kind === 'court_claim'
          ? `Demande en justice du ${formatDate(row.occurredOn)}${row.court ? ` (${row.court})` : ''}` +
            `${row.reference ? `, n° ${row.reference}` : ''} — ${scope} : la prescription est interrompue (C. civ. 2241)`
          : input.kind === 'enforcement_act'
            ? `Acte d’exécution forcée du ${formatDate(row.occurredOn)}${row.reference ? `, n° ${row.reference}` : ''}` +
              ` — ${scope} : la prescription est interrompue et recommence à courir (C. civ. 2244)`
            : input.kind === 'judgment'
              ? `Jugement du ${formatDate(row.occurredOn)}${row.court ? ` (${row.court})` : ''}` +
                `${row.reference ? `, n° ${row.reference}` : ''}, exécutoire le ${formatDate(row.enforceableOn!)} — ${scope} : ` +
                `intérêt légal majoré de 5 points à compter du ${formatDate(addMonths(row.enforceableOn!, 2))} ` +
                `(C. mon. fin. L313-3), prescription de 10 ans jusqu’au ${formatDate(addYears(row.enforceableOn!, 10))} (CPCE L111-4)`
              : `Reconnaissance de dette signée le ${formatDate(row.occurredOn)} — ${scope} : ` +
                'la prescription est interrompue et recommence à courir (C. civ. 2240)'
      await appendJournalEntry(
        manager,
        {
          caseId: input.caseId,
          kind: 'legal_event',
          summary: row.note ? `${summary}. ${row.note}` : summary,
          details: {
            legalEventId: row.id,
            kind: row.kind,
            label: LEGAL_EVENT_LABELS[row.kind],
            claimId: row.claimId,
            occurredOn: row.occurredOn,
            enforceableOn: row.enforceableOn,
            court: row.court,
            reference: row.reference
          },
          relatedId: row.id
        },
        author
      )
      await refreshCasePrescriptions(manager, [input.caseId], this.clock.today())
      return (await legalEventDtos(manager, [row]))[0]!
    })
  }

  list(caseId: string): Promise<LegalEventDto[]> {
    return this.db.read(async (manager) => {
      const rows = await manager.find(LegalEventEntity, {
        where: { caseId },
        order: { occurredOn: 'ASC', createdAt: 'ASC', id: 'ASC' }
      })
      return legalEventDtos(manager, rows)
    })
  }
}

async function legalEventDtos(manager: EntityManager, rows: readonly LegalEventEntity[]): Promise<LegalEventDto[]> {
  const claimIds = [...new Set(rows.map((r) => r.claimId).filter((id): id is string => id !== null))]
  const claims = claimIds.length
    ? await manager.find(ClaimEntity, { where: { id: In(claimIds) }, select: { id: true, invoiceNumber: true } })
    : []
  const invoice = new Map(claims.map((c) => [c.id, c.invoiceNumber]))
  return rows.map((r) => ({
    id: r.id,
    caseId: r.caseId,
    claimId: r.claimId,
    invoiceNumber: r.claimId ? (invoice.get(r.claimId) ?? null) : null,
    kind: r.kind,
    occurredOn: r.occurredOn,
    enforceableOn: r.enforceableOn,
    court: r.court,
    reference: r.reference,
    note: r.note,
    createdAt: r.createdAt,
    createdBy: r.createdBy
  }))
}
