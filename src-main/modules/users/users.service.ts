import type { EntityManager } from 'typeorm'
import {
  AppError,
  type AuthStatus,
  type SecuritySettings,
  type SessionUser,
  type UserAccount,
  type UserSummary
} from '@shared/contract'
import type { UserRole } from '@shared/domain/enums'
import { uuid7 } from '@shared/ids/uuid7'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { log } from '../../platform/log'
import { SettingEntity } from '../settings/setting.entity'
import { UserEntity } from './user.entity'
import { hashPassword, verifyPassword } from './password'

const SESSION_USER_KEY = 'session.userId'
const IDLE_LOCK_KEY = 'auth.idleLockMinutes'
const OPEN_PORTFOLIO_KEY = 'portfolio.openToCollectors'
const DEFAULT_IDLE_LOCK_MINUTES = 15

export type SessionTransport = 'ipc' | 'http' | 'direct'

interface Session {
  userId: string
  lastSeen: number
}

function toAccount(u: UserEntity): UserAccount {
  return {
    id: u.id,
    login: u.login,
    displayName: u.displayName,
    email: u.email,
    role: u.role,
    active: u.active,
    hasPassword: u.passwordHash !== null
  }
}

const BAD_CREDENTIALS = new AppError(
  'UNAUTHORIZED',
  'Identifiant ou mot de passe incorrect.',
  'Sign-in refused: unknown login, wrong password or inactive account'
)

/**
 * Accounts, sign-in and the sessions of the windows. Until some account has a password (a new
 * installation, the tests, a database made by the CLI) every call acts as the first
 * administrator, and the window shows the first-run wizard. From then on a window (an Electron
 * renderer, a browser tab on `npm run serve`) must sign in; its session ends on sign-out, after
 * the idle time, or when its user is deactivated or given a new password. In-process calls
 * (`app.call`, the CLI) act as the first administrator unless bound to a session.
 */
export class UsersService {
  private readonly sessions = new Map<string, Session>()
  private secured: boolean | null = null

  constructor(
    private readonly db: Database,
    private readonly clock: Clock
  ) {}

  /** A database always has an administrator, so every write has an author. */
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

  /** The user in-process calls act as: the one kept in settings, else the first administrator. */
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

  /** True once some account has a password: windows must then sign in. */
  async isSecured(): Promise<boolean> {
    if (this.secured === null) {
      const rows = (await this.db.read((m) =>
        m.query('SELECT COUNT(*) AS n FROM app_user WHERE password_hash IS NOT NULL AND active = TRUE')
      )) as Array<{ n: number }>
      this.secured = Number(rows[0]?.n ?? 0) > 0
    }
    return this.secured
  }

  async idleLockMinutes(): Promise<number> {
    const setting = await this.db.read((m) => m.findOne(SettingEntity, { where: { key: IDLE_LOCK_KEY } }))
    const minutes = setting ? Number(JSON.parse(setting.value)) : NaN
    return Number.isInteger(minutes) && minutes > 0 ? minutes : DEFAULT_IDLE_LOCK_MINUTES
  }

  async setIdleLockMinutes(minutes: number, authorId: string): Promise<void> {
    await this.db.write((m) =>
      m.save(SettingEntity, {
        key: IDLE_LOCK_KEY,
        value: JSON.stringify(minutes),
        updatedAt: this.clock.now().toISOString(),
        updatedBy: authorId
      })
    )
  }

  async securitySettings(): Promise<SecuritySettings> {
    return {
      idleLockMinutes: await this.idleLockMinutes(),
      portfolioOpenToCollectors: await this.portfolioOpenToCollectors()
    }
  }

  async setPortfolioOpen(open: boolean, authorId: string): Promise<SecuritySettings> {
    await this.db.write((m) =>
      m.save(SettingEntity, {
        key: OPEN_PORTFOLIO_KEY,
        value: JSON.stringify(open),
        updatedAt: this.clock.now().toISOString(),
        updatedBy: authorId
      })
    )
    return this.securitySettings()
  }

  /** Whether collectors see every case (a setting) or only those assigned to them. */
  async portfolioOpenToCollectors(): Promise<boolean> {
    const setting = await this.db.read((m) => m.findOne(SettingEntity, { where: { key: OPEN_PORTFOLIO_KEY } }))
    return setting ? JSON.parse(setting.value) === true : false
  }

  /**
   * Who a call comes from: null when the window must sign in first. Each call refreshes the
   * session's idle clock; an idle session has ended.
   */
  async resolve(transport: SessionTransport, sessionKey: string | null): Promise<SessionUser | null> {
    const session = sessionKey ? this.sessions.get(sessionKey) : undefined
    if (session) {
      const idleMs = (await this.idleLockMinutes()) * 60_000
      const now = Date.now()
      if (transport !== 'direct' && now - session.lastSeen > idleMs) {
        this.sessions.delete(sessionKey!)
        log.info(`Session ${sessionKey} locked after inactivity`)
      } else {
        const user = await this.db.read((m) => m.findOne(UserEntity, { where: { id: session.userId, active: true } }))
        if (user) {
          session.lastSeen = now
          return { id: user.id, displayName: user.displayName, role: user.role }
        }
        this.sessions.delete(sessionKey!)
      }
    }
    if (transport === 'direct' || !(await this.isSecured())) return this.sessionUser()
    return null
  }

  async status(transport: SessionTransport, sessionKey: string | null): Promise<AuthStatus> {
    return {
      needsSetup: !(await this.isSecured()),
      user: await this.resolve(transport, sessionKey),
      idleLockMinutes: await this.idleLockMinutes()
    }
  }

  /** Binds a session to a user (sign-in; tests acting as a role). */
  bind(sessionKey: string, userId: string): void {
    this.sessions.set(sessionKey, { userId, lastSeen: Date.now() })
  }

  /** First run: the first administrator gets a login and a password; this window signs in. */
  async setup(
    sessionKey: string | null,
    input: { login: string; displayName: string; password: string }
  ): Promise<SessionUser> {
    if (await this.isSecured()) {
      throw new AppError(
        'FORBIDDEN',
        'Recouvra est déjà configuré : connectez-vous avec votre compte.',
        'auth:setup refused: an account already has a password'
      )
    }
    const admin = await this.sessionUser()
    const hash = await hashPassword(input.password)
    await this.db.write(async (manager) => {
      await this.assertLoginFree(manager, input.login, admin.id)
      await manager.update(
        UserEntity,
        { id: admin.id },
        {
          login: input.login,
          displayName: input.displayName,
          passwordHash: hash,
          updatedAt: this.clock.now().toISOString(),
          updatedBy: admin.id,
          version: () => 'version + 1'
        }
      )
    })
    this.secured = true
    if (sessionKey) this.bind(sessionKey, admin.id)
    log.info(`First-run set-up: administrator ${input.login} created`)
    return { id: admin.id, displayName: input.displayName, role: 'admin' }
  }

  async signIn(sessionKey: string | null, login: string, password: string): Promise<SessionUser> {
    const user = await this.db.read((m) => m.findOne(UserEntity, { where: { login } }))
    const ok = await verifyPassword(password, user?.passwordHash ?? null)
    if (!user || !ok || !user.active) {
      log.warn(`Sign-in refused for login ${JSON.stringify(login).slice(0, 70)}`)
      throw BAD_CREDENTIALS
    }
    if (!sessionKey)
      throw new AppError('UNAUTHORIZED', 'Cette fenêtre ne peut pas ouvrir de session.', 'No session key')
    this.bind(sessionKey, user.id)
    log.info(`Signed in: ${user.login} (${user.role})`)
    return { id: user.id, displayName: user.displayName, role: user.role }
  }

  signOut(sessionKey: string | null): { signedOut: true } {
    if (sessionKey) this.sessions.delete(sessionKey)
    return { signedOut: true }
  }

  async accounts(): Promise<UserAccount[]> {
    const users = await this.db.read((m) => m.find(UserEntity, { order: { displayName: 'ASC' } }))
    return users.map(toAccount)
  }

  async create(
    input: { login: string; displayName: string; email?: string | null; role: UserRole; password: string },
    authorId: string
  ): Promise<UserAccount> {
    const hash = await hashPassword(input.password)
    const id = uuid7()
    const now = this.clock.now().toISOString()
    await this.db.write(async (manager) => {
      await this.assertLoginFree(manager, input.login, null)
      await manager.insert(UserEntity, {
        id,
        createdAt: now,
        createdBy: authorId,
        updatedAt: now,
        updatedBy: authorId,
        version: 1,
        login: input.login,
        displayName: input.displayName,
        email: input.email ?? null,
        role: input.role,
        active: true,
        passwordHash: hash
      })
    })
    this.secured = true
    return this.account(id)
  }

  async update(
    input: { userId: string; displayName?: string; role?: UserRole; active?: boolean },
    authorId: string
  ): Promise<UserAccount> {
    await this.db.write(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: input.userId } })
      if (!user) throw new AppError('NOT_FOUND', 'Compte introuvable.', `User ${input.userId} not found`)
      const losesAdmin =
        user.role === 'admin' && user.active && (input.role !== undefined ? input.role !== 'admin' : false)
      const deactivated = input.active === false && user.active
      if ((losesAdmin || (deactivated && user.role === 'admin')) && (await this.activeAdmins(manager)) <= 1) {
        throw new AppError(
          'BUSINESS_RULE',
          'C’est le dernier administrateur actif : nommez-en un autre avant de changer ce compte.',
          'Refused to remove the last active administrator'
        )
      }
      await manager.update(
        UserEntity,
        { id: user.id },
        {
          ...(input.displayName !== undefined && { displayName: input.displayName }),
          ...(input.role !== undefined && { role: input.role }),
          ...(input.active !== undefined && { active: input.active }),
          updatedAt: this.clock.now().toISOString(),
          updatedBy: authorId,
          version: () => 'version + 1'
        }
      )
    })
    this.secured = null
    if (input.active === false || input.role !== undefined) this.endSessionsOf(input.userId)
    return this.account(input.userId)
  }

  async setPassword(userId: string, password: string, authorId: string): Promise<UserAccount> {
    const hash = await hashPassword(password)
    await this.db.write(async (manager) => {
      const result = await manager.update(
        UserEntity,
        { id: userId },
        {
          passwordHash: hash,
          updatedAt: this.clock.now().toISOString(),
          updatedBy: authorId,
          version: () => 'version + 1'
        }
      )
      if (!result.affected) throw new AppError('NOT_FOUND', 'Compte introuvable.', `User ${userId} not found`)
    })
    this.secured = null
    if (userId !== authorId) this.endSessionsOf(userId)
    return this.account(userId)
  }

  private endSessionsOf(userId: string): void {
    for (const [key, session] of this.sessions) if (session.userId === userId) this.sessions.delete(key)
  }

  private async account(id: string): Promise<UserAccount> {
    const user = await this.db.read((m) => m.findOne(UserEntity, { where: { id } }))
    if (!user) throw new AppError('NOT_FOUND', 'Compte introuvable.', `User ${id} not found`)
    return toAccount(user)
  }

  private async activeAdmins(manager: EntityManager): Promise<number> {
    return manager.count(UserEntity, { where: { role: 'admin', active: true } })
  }

  private async assertLoginFree(manager: EntityManager, login: string, exceptId: string | null): Promise<void> {
    const existing = await manager.findOne(UserEntity, { where: { login } })
    if (existing && existing.id !== exceptId) {
      throw new AppError('CONFLICT', `L’identifiant « ${login} » est déjà pris.`, `Login ${login} already used`)
    }
  }
}
