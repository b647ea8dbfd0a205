import { Entity, Index, PrimaryColumn } from 'typeorm'
import { CodeColumn, IdColumn, InstantColumn, IntColumn, RefColumn, TextColumn } from '../../db/columns'

/**
 * Offline field work (agency mode). Every Recouvra database has these tables; the office uses
 * sync_checkout and sync_checkout_case, a field laptop's copy uses sync_marker, sync_base and
 * sync_conflict. None of them is copied by a sync.
 */

/** At the office: a set of cases checked out to a collector's laptop. */
@Entity('sync_checkout')
export class SyncCheckoutEntity {
  @IdColumn() id: string
  @InstantColumn() createdAt: string
  /** Who made the checkout (the collector, or a manager for them). */
  @RefColumn({ nullable: true }) createdBy: string | null
  @Index('ix_sync_checkout_collector')
  @RefColumn()
  collectorId: string
  @TextColumn({ length: 100 }) deviceId: string
  /** What was checked out, for people ("Client ACME — tout le portefeuille"). */
  @TextColumn({ length: 200 }) label: string
  /** active, returned. */
  @CodeColumn({ length: 16 }) status: string
  @IntColumn() caseCount: number
  @InstantColumn({ nullable: true }) lastSyncAt: string | null
  /** Conflicts the laptop reported at its last sync and had not resolved yet. */
  @IntColumn({ default: 0 }) openConflicts: number
}

/** At the office: which cases a checkout holds (the portfolio shows them as checked out). */
@Entity('sync_checkout_case')
export class SyncCheckoutCaseEntity {
  @PrimaryColumn('varchar', { length: 36 }) checkoutId: string
  @Index('ix_sync_checkout_case_case')
  @PrimaryColumn('varchar', { length: 36 })
  caseId: string
}

/**
 * On a field laptop: the one row saying this database is a checkout of an office database
 * (which office, which checkout, which device), and where the last sync stopped.
 */
@Entity('sync_marker')
export class SyncMarkerEntity {
  /** The checkout's id (the same as the office's sync_checkout row). */
  @IdColumn() id: string
  /** The office database: its data folder (SQLite) or its postgres:// address. */
  @TextColumn({ length: 500 }) officeLocation: string
  @TextColumn({ length: 100 }) deviceId: string
  @RefColumn() collectorId: string
  @TextColumn({ length: 200 }) label: string
  @InstantColumn() checkedOutAt: string
  @InstantColumn({ nullable: true }) lastSyncAt: string | null
  /** JSON {phase, table, afterId} of a sync in progress; null when the last one finished. */
  @TextColumn({ nullable: true }) cursor: string | null
  /** done, interrupted, running. */
  @CodeColumn({ length: 16 }) lastRunStatus: string
  @TextColumn({ nullable: true }) lastError: string | null
}

/**
 * On a field laptop: every row the office is known to hold (copied at checkout, sent or pulled
 * since), with its version and values then for shared mutable rows: the base a field edit is
 * compared against at sync.
 */
@Entity('sync_base')
export class SyncBaseEntity {
  @PrimaryColumn('varchar', { length: 64 }) tableName: string
  @PrimaryColumn('varchar', { length: 200 }) rowId: string
  @IntColumn({ nullable: true }) version: number | null
  /** JSON of the row's columns (mutable rows only). */
  @TextColumn({ nullable: true }) rowJson: string | null
}

/** On a field laptop: a change made on both sides, kept until the collector resolves it. */
@Entity('sync_conflict')
@Index('ix_sync_conflict_row', ['tableName', 'rowId'])
export class SyncConflictEntity {
  @IdColumn() id: string
  @InstantColumn() createdAt: string
  @TextColumn({ length: 64 }) tableName: string
  @TextColumn({ length: 200 }) rowId: string
  @RefColumn({ nullable: true }) caseId: string | null
  /** field (a column changed on both sides), case-closed (a plan or promise on a case closed at the office). */
  @CodeColumn({ length: 16 }) kind: string
  /** For people: "Téléphone du débiteur DUPONT Jean". */
  @TextColumn({ length: 300 }) label: string
  /** JSON {column: {base, mine, office}}. */
  @TextColumn() columns: string
  @IntColumn() officeVersion: number
  /** JSON of the office row when the conflict was found. */
  @TextColumn() officeRowJson: string
  /** open, resolved. */
  @CodeColumn({ length: 16 }) status: string
  /** mine, office, edit. */
  @CodeColumn({ length: 16, nullable: true }) resolution: string | null
  @InstantColumn({ nullable: true }) resolvedAt: string | null
  @RefColumn({ nullable: true }) resolvedBy: string | null
}
