import type { SessionUser, UserSummary } from '@shared/contract'
import { uuid7 } from '@shared/ids/uuid7'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { SettingEntity } from '../settings/setting.entity'
import { UserEntity } from './user.entity'

const SESSION_USER_KEY = 'session.userId'

export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock
  ) {}

  /**
   * A database always has an administrator, so every write has an author. Until accounts with
   * sign-in exist, the app acts as the session user kept in settings, else the first admin.
   */
  async ensureAdministrator(): Promise<void> {
    await this.db.write(async (manager) => {
      const count = await manager.count(UserEntity, { where: { role: 'admin' } })
      if (count > 0) return
      const now = this.clock.now().toISOString()
      await manager.insert(UserEntity, {
        id: uuid7(),
        createdAt: now,
        createdBy: null,
        updatedAt: now,
        updatedBy: null,
        version: 1,
        login: 'admin',
        displayName: 'Administrateur',
        email: null,
        role: 'admin',
        active: true,
        passwordHash: null
      })
    })
  }

  async sessionUser(): Promise<SessionUser> {
    return this.db.read(async (manager) => {
      const setting = await manager.findOne(SettingEntity, { where: { key: SESSION_USER_KEY } })
      const chosenId = setting ? (JSON.parse(setting.value) as string) : null
      const user =
        (chosenId && (await manager.findOne(UserEntity, { where: { id: chosenId, active: true } }))) ||
        (await manager.findOne(UserEntity, { where: { role: 'admin', active: true }, order: { createdAt: 'ASC' } }))
      if (!user) throw new Error('No active administrator in the database')
      return { id: user.id, displayName: user.displayName, role: user.role }
    })
  }

  async list(): Promise<UserSummary[]> {
    return this.db.read(async (manager) => {
      const users = await manager.find(UserEntity, { order: { displayName: 'ASC' } })
      return users.map((u) => ({ id: u.id, displayName: u.displayName, role: u.role, active: u.active }))
    })
  }
}
