import { Column, PrimaryColumn, VersionColumn, type ColumnOptions } from 'typeorm'

/**
 * Column conventions, so every entity stores the same kinds of values the same way.
 * Types are always explicit: decorator metadata differs between bundlers (see toolchain notes).
 */

/** App-made UUID v7 primary key. */
export const IdColumn = (): PropertyDecorator => PrimaryColumn('varchar', { length: 36 })

/** Foreign key to another record's UUID. */
export const RefColumn = (options: { nullable?: boolean } = {}): PropertyDecorator =>
  Column('varchar', { length: 36, nullable: options.nullable ?? false })

/** Instant in UTC, ISO 8601 with milliseconds (`2026-11-23T09:15:00.000Z`): sorts as text. */
export const InstantColumn = (options: { nullable?: boolean } = {}): PropertyDecorator =>
  Column('varchar', { length: 24, nullable: options.nullable ?? false })

/** Calendar date `YYYY-MM-DD`: legal dates never carry a time zone. */
export const DateColumn = (options: { nullable?: boolean } = {}): PropertyDecorator =>
  Column('varchar', { length: 10, nullable: options.nullable ?? false })

const bigintAsNumber = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value))
}

/**
 * Money in integer cents. 64-bit in the database (a portfolio total overflows 32 bits at
 * 21 M€); read back as a JS number, exact up to 90 000 billion euros.
 */
export const MoneyColumn = (options: { nullable?: boolean; default?: number } = {}): PropertyDecorator => {
  const column: ColumnOptions = { nullable: options.nullable ?? false, transformer: bigintAsNumber }
  if (options.default !== undefined) column.default = options.default
  return Column('bigint', column)
}

export const TextColumn = (options: { nullable?: boolean; length?: number } = {}): PropertyDecorator =>
  options.length
    ? Column('varchar', { length: options.length, nullable: options.nullable ?? false })
    : Column('text', { nullable: options.nullable ?? false })

export const BoolColumn = (options: { default?: boolean } = {}): PropertyDecorator =>
  Column('boolean', { default: options.default ?? false })

export const IntColumn = (options: { nullable?: boolean; default?: number } = {}): PropertyDecorator => {
  const column: ColumnOptions = { nullable: options.nullable ?? false }
  if (options.default !== undefined) column.default = options.default
  return Column('integer', column)
}

/** A stable code from one of the enums in src-shared/domain/enums.ts. */
export const CodeColumn = (options: { nullable?: boolean; length?: number } = {}): PropertyDecorator =>
  Column('varchar', { length: options.length ?? 32, nullable: options.nullable ?? false })

/**
 * Every row says when and by whom it was made: the field laptops of the agency mode sync
 * records by these, and the audit trail relies on them.
 */
export abstract class AppendOnlyRecord {
  @IdColumn() id: string
  @InstantColumn() createdAt: string
  @RefColumn({ nullable: true }) createdBy: string | null
}

/** Shared records (a debtor, a case) also carry an optimistic-locking version. */
export abstract class MutableRecord extends AppendOnlyRecord {
  @InstantColumn() updatedAt: string
  @RefColumn({ nullable: true }) updatedBy: string | null
  @VersionColumn({ type: 'integer' }) version: number
}
