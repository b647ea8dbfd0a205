import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm'
import { CodeColumn, DateColumn, InstantColumn, MutableRecord, RefColumn, TextColumn } from '../../db/columns'
import type { ContactStatus, PhoneKind } from '@shared/domain/enums'
import { DebtorEntity } from './debtor.entity'

/**
 * A postal address, kept with its period of validity: a move closes the old row (validTo) and
 * adds a new one, so letters sent to a former address stay explainable.
 */
@Entity('debtor_address')
export class DebtorAddressEntity extends MutableRecord {
  @Index('ix_debtor_address_debtor')
  @RefColumn()
  debtorId: string
  @ManyToOne(() => DebtorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'debtor_id' })
  debtor?: DebtorEntity

  @TextColumn({ length: 200 }) line1: string
  @TextColumn({ length: 200, nullable: true }) line2: string | null
  @TextColumn({ length: 10 }) postalCode: string
  @TextColumn({ length: 100 }) city: string
  @TextColumn({ length: 2 }) country: string
  @DateColumn() validFrom: string
  @DateColumn({ nullable: true }) validTo: string | null
  /** Where it came from: client file, debtor, skip tracing… */
  @TextColumn({ length: 100, nullable: true }) source: string | null
}

@Entity('debtor_phone')
export class DebtorPhoneEntity extends MutableRecord {
  @Index('ix_debtor_phone_debtor')
  @RefColumn()
  debtorId: string
  @ManyToOne(() => DebtorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'debtor_id' })
  debtor?: DebtorEntity

  /** E.164 (+33612345678): one form to search whatever way it was typed. */
  @Index('ix_debtor_phone_number')
  @TextColumn({ length: 20 })
  number: string
  @CodeColumn() kind: PhoneKind
  @CodeColumn() status: ContactStatus
  @InstantColumn({ nullable: true }) statusChangedAt: string | null
  @TextColumn({ length: 100, nullable: true }) source: string | null
}

@Entity('debtor_email')
export class DebtorEmailEntity extends MutableRecord {
  @Index('ix_debtor_email_debtor')
  @RefColumn()
  debtorId: string
  @ManyToOne(() => DebtorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'debtor_id' })
  debtor?: DebtorEntity

  @Index('ix_debtor_email_address')
  @TextColumn({ length: 254 })
  address: string
  @CodeColumn() status: ContactStatus
  @TextColumn({ length: 100, nullable: true }) source: string | null
}
