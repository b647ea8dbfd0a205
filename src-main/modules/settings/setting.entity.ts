import { Entity, PrimaryColumn } from 'typeorm'
import { InstantColumn, RefColumn, TextColumn } from '../../db/columns'

/** One application setting, its value as JSON. */
@Entity('app_setting')
export class SettingEntity {
  @PrimaryColumn('varchar', { length: 100 }) key: string
  @TextColumn() value: string
  @InstantColumn() updatedAt: string
  @RefColumn({ nullable: true }) updatedBy: string | null
}
