import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import { AppendOnlyRecord, CodeColumn, IntColumn, RefColumn, TextColumn } from '../../db/columns'
import type { DocumentKind } from '@shared/domain/enums'
import { CaseEntity } from '../cases/case.entity'

/**
 * A stored file (invoice, contract, letter sent…). Its SHA-256 proves to a judge that the file
 * produced is the one that was sent or received; a new version is a new document.
 */
@Entity('document')
export class DocumentEntity extends AppendOnlyRecord {
  @Index('ix_document_case')
  @RefColumn({ nullable: true })
  caseId: string | null
  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity | null

  @Index('ix_document_claim')
  @RefColumn({ nullable: true })
  claimId: string | null
  @CodeColumn() kind: DocumentKind
  @TextColumn({ length: 200 }) title: string
  @TextColumn({ length: 255 }) fileName: string
  @TextColumn({ length: 100 }) mimeType: string
  @IntColumn() sizeBytes: number
  @TextColumn({ length: 64 }) sha256: string
  /** Relative to the data folder, so a moved or restored folder keeps working. */
  @TextColumn({ length: 500 }) storagePath: string
  @TextColumn({ length: 60, nullable: true }) templateCode: string | null
  @IntColumn({ nullable: true }) templateVersion: number | null
}
