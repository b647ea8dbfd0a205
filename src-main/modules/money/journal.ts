import type { EntityManager } from 'typeorm'
import type { JournalKind } from '@shared/domain/enums'
import { uuid7 } from '@shared/ids/uuid7'
import type { Clock } from '../../platform/clock'
import { JournalEntryEntity } from '../journal/journal-entry.entity'

/** Who acts, and when: every write of the money engine is authored and dated. */
export interface Author {
  userId: string
  /** ISO instant of the write. */
  now: string
}

/** The author of a write made now by the session user. */
export function authorOf(user: { id: string }, clock: Clock): Author {
  return { userId: user.id, now: clock.now().toISOString() }
}

/** Appends a case journal entry (evidence: append-only) in the caller's transaction. */
export async function appendJournal(
  manager: EntityManager,
  entry: { caseId: string; kind: JournalKind; summary: string; details: unknown; relatedId: string | null },
  author: Author
): Promise<string> {
  const id = uuid7()
  await manager.insert(JournalEntryEntity, {
    id,
    createdAt: author.now,
    createdBy: author.userId,
    caseId: entry.caseId,
    kind: entry.kind,
    occurredAt: author.now,
    authorId: author.userId,
    summary: entry.summary,
    details: JSON.stringify(entry.details),
    correctsEntryId: null,
    relatedId: entry.relatedId
  })
  return id
}
