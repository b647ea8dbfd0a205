import { Entity, Index } from 'typeorm'
import { BoolColumn, CodeColumn, DateColumn, MutableRecord, TextColumn } from '../../db/columns'
import type { PartyKind } from '@shared/domain/enums'

/** Débiteur: a person or a company that owes one or more clients. */
@Entity('debtor')
export class DebtorEntity extends MutableRecord {
  @CodeColumn() kind: PartyKind
  /** M. / Mme for individuals. */
  @TextColumn({ length: 10, nullable: true }) civility: string | null
  @TextColumn({ length: 100, nullable: true }) firstName: string | null
  @TextColumn({ length: 100, nullable: true }) lastName: string | null
  /** Raison sociale for companies. */
  @TextColumn({ length: 200, nullable: true }) legalName: string | null
  /** "RAISON SOCIALE" or "NOM Prénom": what lists show and sort by. */
  @Index('ix_debtor_display_name')
  @TextColumn({ length: 200 })
  displayName: string
  @Index('ix_debtor_siren')
  @TextColumn({ length: 9, nullable: true })
  siren: string | null
  @TextColumn({ length: 14, nullable: true }) siret: string | null
  @DateColumn({ nullable: true }) birthDate: string | null
  /** True for companies and sole traders acting for their business (B2B rules apply). */
  @BoolColumn({ default: false }) actsProfessionally: boolean
}
