import type { EntityManager } from 'typeorm'
import { AppError, notFound, type ChannelParsedInput, type TimelineEntry, type TimelinePage } from '@shared/contract'
import type { JournalKind } from '@shared/domain/enums'
import { uuid7 } from '@shared/ids/uuid7'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { JournalEntryEntity } from './journal-entry.entity'

/** Who acts, and when: every write is authored and dated. */
export interface Author {
  userId: string
  /** ISO instant of the write. */
  now: string
}

/** The author of a write made now by the session user. */
export function authorOf(user: { id: string }, clock: Clock): Author {
  return { userId: user.id, now: clock.now().toISOString() }
}

export interface JournalAppend {
  caseId: string
  kind: JournalKind
  /** French, one line: what the timeline shows. */
  summary: string
  /** Kind-specific facts, stored as JSON. */
  details?: Record<string, unknown> | null
  /** When it happened, if not now (a call logged after it ended). */
  occurredAt?: string
  relatedId?: string | null
  correctsEntryId?: string | null
}

interface TimelineRow {
  id: string
  kind: JournalKind
  occurred_at: string
  created_at: string
  author_id: string | null
  author_name: string | null
  summary: string
  details: string | null
  related_id: string | null
  corrects_entry_id: string | null
}

const TIMELINE_COLUMNS = [
  'j.id AS id',
  'j.kind AS kind',
  'j.occurred_at AS occurred_at',
  'j.created_at AS created_at',
  'j.author_id AS author_id',
  'u.display_name AS author_name',
  'j.summary AS summary',
  'j.details AS details',
  'j.related_id AS related_id',
  'j.corrects_entry_id AS corrects_entry_id'
]

function parseDetails(details: string | null): Record<string, unknown> | null {
  if (!details) return null
  try {
    const value: unknown = JSON.parse(details)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

function toEntry(row: TimelineRow): TimelineEntry {
  return {
    id: row.id,
    kind: row.kind,
    occurredAt: row.occurred_at,
    createdAt: row.created_at,
    authorId: row.author_id,
    authorName: row.author_name,
    summary: row.summary,
    details: parseDetails(row.details),
    relatedId: row.related_id,
    correctsEntryId: row.corrects_entry_id,
    corrections: []
  }
}

/**
 * Appends a case journal entry in the caller's transaction, next to the change it records;
 * returns its id. The one way any module writes to the journal.
 */
export async function appendJournalEntry(
  manager: EntityManager,
  entry: JournalAppend,
  author: Author
): Promise<string> {
  const id = uuid7()
  await manager.insert(JournalEntryEntity, {
    id,
    createdAt: author.now,
    createdBy: author.userId,
    caseId: entry.caseId,
    kind: entry.kind,
    occurredAt: entry.occurredAt ?? author.now,
    authorId: author.userId,
    summary: entry.summary,
    details: entry.details ? JSON.stringify(entry.details) : null,
    correctsEntryId: entry.correctsEntryId ?? null,
    relatedId: entry.relatedId ?? null
  })
  return id
}

/**
 * The case journal: evidence for court, so it is only ever appended to (database triggers
 * refuse UPDATE and DELETE). Every module writes its entries through `append`, inside its own
 * transaction, next to the change the entry records; a mistake is corrected by a new entry
 * pointing at the wrong one, shown struck through with its correction in the timeline.
 */
export class JournalService {
  constructor(private readonly db: Database) {}

  /** Appends an entry in the caller's transaction; returns its id. */
  append(manager: EntityManager, entry: JournalAppend, author: Author): Promise<string> {
    return appendJournalEntry(manager, entry, author)
  }

  /**
   * Appends the correction of an entry (in the caller's transaction). Only original entries are
   * corrected: correcting a correction means correcting the original again, the latest
   * correction being what stands.
   */
  async appendCorrection(
    manager: EntityManager,
    input: { entryId: string; text: string; reason: string },
    author: Author
  ): Promise<{ entryId: string; caseId: string }> {
    const original = await manager.findOne(JournalEntryEntity, { where: { id: input.entryId } })
    if (!original) throw notFound('JournalEntry', input.entryId, 'Entrée du journal')
    if (original.correctsEntryId) {
      throw new AppError(
        'BUSINESS_RULE',
        'Cette entrée est déjà une rectification : rectifiez l’entrée d’origine, la dernière rectification fait foi.',
        `Refused correcting correction ${input.entryId}`
      )
    }
    const entryId = await this.append(
      manager,
      {
        caseId: original.caseId,
        kind: 'correction',
        summary: input.text,
        details: {
          reason: input.reason,
          correctedKind: original.kind,
          correctedSummary: original.summary,
          correctedOccurredAt: original.occurredAt
        },
        correctsEntryId: original.id,
        relatedId: original.relatedId
      },
      author
    )
    return { entryId, caseId: original.caseId }
  }

  /**
   * One page of a case's timeline, newest first. Paging and the kind filter apply to original
   * entries; each comes with its corrections. Served by the (case_id, occurred_at) index.
   */
  timeline(input: ChannelParsedInput<'journal:list'>): Promise<TimelinePage> {
    return this.db.read(async (manager) => {
      const exists = await manager.query('SELECT 1 FROM collection_case WHERE id = ?', [input.caseId])
      if (exists.length === 0) throw notFound('Case', input.caseId, 'Dossier')
      const base = () => {
        const qb = manager
          .createQueryBuilder()
          .from(JournalEntryEntity, 'j')
          .where('j.case_id = :caseId', { caseId: input.caseId })
          .andWhere('j.corrects_entry_id IS NULL')
        if (input.kinds?.length) qb.andWhere('j.kind IN (:...kinds)', { kinds: input.kinds })
        return qb
      }
      const total = await base().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>()
      const rows = await base()
        .leftJoin('app_user', 'u', 'u.id = j.author_id')
        .select(TIMELINE_COLUMNS)
        .orderBy('j.occurred_at', 'DESC')
        .addOrderBy('j.id', 'DESC')
        .offset(input.offset)
        .limit(input.limit)
        .getRawMany<TimelineRow>()
      const entries = rows.map(toEntry)
      if (entries.length > 0) {
        const corrections = await manager
          .createQueryBuilder()
          .from(JournalEntryEntity, 'j')
          .leftJoin('app_user', 'u', 'u.id = j.author_id')
          .select(TIMELINE_COLUMNS)
          .where('j.case_id = :caseId', { caseId: input.caseId })
          .andWhere('j.corrects_entry_id IN (:...ids)', { ids: entries.map((e) => e.id) })
          .orderBy('j.created_at', 'ASC')
          .addOrderBy('j.id', 'ASC')
          .getRawMany<TimelineRow>()
        const byId = new Map(entries.map((e) => [e.id, e]))
        for (const row of corrections) byId.get(row.corrects_entry_id!)?.corrections.push(toEntry(row))
      }
      return { entries, total: Number(total?.n ?? 0), offset: input.offset }
    })
  }
}
