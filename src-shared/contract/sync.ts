import { z } from 'zod'
import { channel } from './define'
import { uuidSchema } from './schemas'

/**
 * Offline field work (agency mode): checking cases out of the office database into a laptop's
 * own Recouvra file, syncing back, and resolving the conflicts a sync finds.
 */

export const syncCheckoutInput = z
  .object({
    /** The collector the cases go out to (a collector can only check out for themselves). */
    collectorId: uuidSchema,
    /** The laptop, as named by the agency ("PC-Julie"). */
    deviceId: z
      .string()
      .trim()
      .min(1, 'Indiquez le poste (nom de l’ordinateur portable)')
      .max(100, 'Nom de poste trop long'),
    /** Empty folder the laptop's copy is written to (a USB key, a shared folder, the laptop's data folder). */
    targetDir: z.string().trim().min(1, 'Indiquez le dossier de destination').max(500, 'Chemin trop long'),
    /** A client's whole portfolio (open and suspended cases)… */
    clientId: uuidSchema.optional(),
    /** …or the cases of a saved portfolio view… */
    viewId: uuidSchema.optional(),
    /** …or these cases. */
    caseIds: z.array(uuidSchema).max(20_000).optional()
  })
  .strict()
  .refine((v) => [v.clientId, v.viewId, v.caseIds].filter((x) => x !== undefined).length === 1, {
    message: 'Choisissez un client, une vue enregistrée ou des dossiers',
    path: ['clientId']
  })

export type SyncCheckoutInput = z.output<typeof syncCheckoutInput>

export interface SyncCheckoutResult {
  checkoutId: string
  caseCount: number
  rowCount: number
  fileCount: number
  targetDir: string
}

export interface SyncCheckoutSummary {
  id: string
  createdAt: string
  collectorId: string
  collectorName: string | null
  deviceId: string
  label: string
  status: string
  caseCount: number
  lastSyncAt: string | null
  openConflicts: number
}

/** A case out on a laptop (the portfolio marks it). */
export interface CheckedOutCase {
  caseId: string
  checkoutId: string
  collectorName: string | null
  deviceId: string
  checkedOutAt: string
}

export interface SyncConflictView {
  id: string
  createdAt: string
  tableName: string
  rowId: string
  caseId: string | null
  /**
   * field: a value changed on both sides; case-closed: an agreement made on a case the office
   * closed; office-deleted: a record the office deleted that the field changed (office values null).
   */
  kind: 'field' | 'case-closed' | 'office-deleted'
  label: string
  /** Per column: the value at checkout, the field's, the office's. */
  columns: Record<string, { base: unknown; mine: unknown; office: unknown }>
  status: 'open' | 'resolved'
  resolution: 'mine' | 'office' | 'edit' | null
  resolvedAt: string | null
  /** Field records held back (not sent, not dropped) until this conflict is resolved: their parent is not at the office. */
  waitingRecords: number
  /** French, for the Terrain page and `sync status`: what waits on this conflict; null when nothing does. */
  waitingLine: string | null
}

export type SyncStatus =
  | { fieldCopy: false }
  | {
      fieldCopy: true
      checkoutId: string
      officeLocation: string
      deviceId: string
      collectorId: string
      label: string
      checkedOutAt: string
      lastSyncAt: string | null
      /** done, running, interrupted. */
      lastRunStatus: string
      lastError: string | null
      /** A sync was cut: the next one resumes where it stopped. */
      resumable: boolean
      caseCount: number
      /** Records made in the field the office has not received yet. */
      pendingNew: number
      /** Shared records edited in the field not yet sent. */
      pendingEdits: number
      /** Field records held back behind an open conflict on their parent (see SyncConflictView.waitingLine). */
      pendingWaiting: number
      conflicts: SyncConflictView[]
    }

export interface SyncRunResult {
  sent: number
  applied: number
  pulled: number
  conflicts: number
  openConflicts: number
  /** Field records held back behind an open conflict on their parent, sent once it is resolved. */
  waiting: number
  batches: number
  resumed: boolean
  durationMs: number
}

/** "Rendre les dossiers": the end of a checkout, after its final sync. */
export interface SyncReturnResult {
  checkoutId: string
  returnedAt: string
  /** Records the final sync sent and pulled. */
  sent: number
  pulled: number
  caseCount: number
}

export const syncResolveInput = z
  .object({
    conflictId: uuidSchema,
    choice: z.enum(['mine', 'office', 'edit']),
    /** choice "edit": the new value of each column in conflict. */
    values: z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()])).optional()
  })
  .strict()

export type SyncResolveInput = z.output<typeof syncResolveInput>

export const syncChannels = {
  'sync:status': channel<SyncStatus>()(
    z.object({}).strict(),
    'Whether this database is a field copy (checkout) of an office database, its last sync, what waits to be sent, and its conflicts.'
  ),
  'sync:checkouts': channel<SyncCheckoutSummary[]>()(
    z.object({}).strict(),
    'The office’s checkouts: who took which cases to which laptop, last sync, open conflicts.'
  ),
  'sync:checked-out-cases': channel<CheckedOutCase[]>()(
    z.object({}).strict(),
    'The cases out on laptops (active checkouts), with who has them, on which laptop, since when: the portfolio marks them.'
  ),
  'sync:checkout': channel<SyncCheckoutResult>()(
    syncCheckoutInput,
    'Checks a client’s portfolio, a saved view’s cases or a selection out to a new laptop copy in an empty folder; the office marks them checked out.'
  ),
  'sync:run': channel<SyncRunResult>()(
    z.object({}).strict(),
    'Syncs this field copy with its office: sends new records and edits (with their base values), lists conflicts, pulls the office’s changes; resumes a cut sync.'
  ),
  'sync:resolve': channel<SyncConflictView>()(
    syncResolveInput,
    'Resolves a sync conflict: keep the field’s value, the office’s, or a new one; journaled on the case.'
  ),
  'sync:return': channel<SyncReturnResult>()(
    z.object({}).strict(),
    'Hands this field copy’s cases back to the office: a final sync (refused while a conflict is open), the office marks the checkout returned, this copy becomes read-only.'
  )
}
