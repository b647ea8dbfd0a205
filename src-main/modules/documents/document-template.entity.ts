import { Entity, Index } from 'typeorm'
import { AppendOnlyRecord, CodeColumn, IntColumn, TextColumn } from '../../db/columns'
import type { SendChannel, TemplateProfile } from '@shared/documents'

/**
 * One version of a letter template. Append-only: editing a template adds the next version, and
 * every generated document records the version it used, so an old letter can be explained.
 */
@Entity('document_template')
@Index('uq_document_template_code_version', ['code', 'version'], { unique: true })
export class DocumentTemplateEntity extends AppendOnlyRecord {
  @TextColumn({ length: 60 }) code: string
  @IntColumn() version: number
  @TextColumn({ length: 200 }) name: string
  @CodeColumn() profile: TemplateProfile
  @CodeColumn() defaultChannel: SendChannel
  @TextColumn() title: string
  @TextColumn() subject: string
  @TextColumn() body: string
  @TextColumn() closing: string
  @TextColumn() sms: string
  /** Why the manager changed it (shown in the version history). */
  @TextColumn({ length: 500, nullable: true }) note: string | null
}
