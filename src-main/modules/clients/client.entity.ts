import { Entity, Index } from 'typeorm'
import { BoolColumn, CodeColumn, MutableRecord, TextColumn } from '../../db/columns'
import type { PartyKind } from '@shared/domain/enums'

/** Client of the agency: the creditor (créancier, mandant) whose invoices it recovers. */
@Entity('client')
export class ClientEntity extends MutableRecord {
  @Index('uq_client_code', { unique: true })
  @TextColumn({ length: 20 })
  code: string

  @CodeColumn() kind: PartyKind
  @Index('ix_client_legal_name')
  @TextColumn({ length: 200 })
  legalName: string
  @TextColumn({ length: 9, nullable: true }) siren: string | null
  /**
   * False only for a natural person not acting for professional needs: that creditor gets the
   * higher legal-interest column, and B2B rules (penalties, €40 indemnity) never apply.
   */
  @BoolColumn({ default: true }) actsProfessionally: boolean
  @TextColumn({ length: 200 }) addressLine1: string
  @TextColumn({ length: 200, nullable: true }) addressLine2: string | null
  @TextColumn({ length: 10 }) postalCode: string
  @TextColumn({ length: 100 }) city: string
  @TextColumn({ length: 2 }) country: string
  @TextColumn({ length: 120, nullable: true }) contactName: string | null
  @TextColumn({ length: 254, nullable: true }) contactEmail: string | null
  @TextColumn({ length: 20, nullable: true }) contactPhone: string | null
  /** Where remittances (reversements) are paid. */
  @TextColumn({ length: 34, nullable: true }) iban: string | null
  @TextColumn({ length: 11, nullable: true }) bic: string | null
}
