import { Entity, Index } from 'typeorm'
import { BoolColumn, CodeColumn, MutableRecord, TextColumn } from '../../db/columns'
import type { UserRole } from '@shared/domain/enums'

/** A person who uses the app: admin, manager (responsable) or collector (chargé de recouvrement). */
@Entity('app_user')
export class UserEntity extends MutableRecord {
  @Index('uq_app_user_login', { unique: true })
  @TextColumn({ length: 60 })
  login: string

  @TextColumn({ length: 120 }) displayName: string
  @TextColumn({ length: 254, nullable: true }) email: string | null
  @CodeColumn() role: UserRole
  @BoolColumn({ default: true }) active: boolean
  /** scrypt hash; null until the accounts issue adds sign-in. */
  @TextColumn({ nullable: true }) passwordHash: string | null
}
