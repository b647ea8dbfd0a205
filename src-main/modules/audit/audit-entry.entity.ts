import { Entity, Index, PrimaryColumn } from 'typeorm'
import { CodeColumn, InstantColumn, RefColumn, TextColumn } from '../../db/columns'

/**
 * One change to the database, in the tamper-evident audit trail: who, when, through which
 * operation, which row of which table, and the values before and after. Append-only (triggers);
 * each row's hash covers its content and the previous row's hash, so editing or removing a row
 * outside the app breaks the chain from that row on (`npm run cli -- audit verify`).
 */
@Entity('audit_entry')
@Index('ix_audit_entry_row', ['tableName', 'rowId'])
export class AuditEntryEntity {
  /** 1, 2, 3… in the order the changes were committed; the chain follows it. */
  @PrimaryColumn('integer') seq: number
  @Index('ix_audit_entry_at')
  @InstantColumn()
  at: string
  /** The signed-in user; null for the system (start-up, migrations, command line). */
  @RefColumn({ nullable: true }) userId: string | null
  /** The channel or command that made the change ("money:record-payment", "system"…). */
  @TextColumn({ length: 60 }) action: string
  @TextColumn({ length: 64 }) tableName: string
  /** Primary key of the row; null for a bulk insert summary. */
  @TextColumn({ length: 200, nullable: true }) rowId: string | null
  /** insert, update, delete, bulk-insert, restore. */
  @CodeColumn({ length: 16 }) operation: string
  /** JSON: the row before (delete), the changed columns before (update); null for an insert. */
  @TextColumn({ nullable: true }) beforeJson: string | null
  /** JSON: the row after (insert), the changed columns after (update), a summary (bulk insert). */
  @TextColumn({ nullable: true }) afterJson: string | null
  /** The debtor whose personal values were set aside in `audit_personal` (see audit-trail.ts). */
  @Index('ix_audit_entry_subject')
  @RefColumn({ nullable: true })
  subjectId: string | null
  /** Salted SHA-256 of the values set aside: the chain covers it, never the values. */
  @TextColumn({ length: 64, nullable: true }) personalSha256: string | null
  /** SHA-256 (hex) of the previous row's hash and this row's content. */
  @TextColumn({ length: 64 }) hash: string
}

/**
 * The personal values (personal-columns.ts) of an audit entry, outside the hash chain: deleted
 * when their debtor is anonymised. `salt` makes the chained digest unguessable once they are gone.
 */
@Entity('audit_personal')
export class AuditPersonalEntity {
  /** The audit entry's seq. */
  @PrimaryColumn('integer') seq: number
  @Index('ix_audit_personal_subject')
  @RefColumn()
  subjectId: string
  @TextColumn({ length: 32 }) salt: string
  @TextColumn({ nullable: true }) beforeJson: string | null
  @TextColumn({ nullable: true }) afterJson: string | null
}
