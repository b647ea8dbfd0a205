import { z } from 'zod'
import { channel } from './define'
import { noInput, uuidSchema } from './schemas'
import { USER_ROLES, type UserRole } from '../domain/enums'
import type { SessionUser } from './app'

/** Local accounts, sign-in and sessions. */

export const PASSWORD_MIN_LENGTH = 10

export interface AuthStatus {
  /** No account has a password yet: the first-run wizard creates the administrator's. */
  needsSetup: boolean
  /** The user signed in on this window, or the one the app acts as before set-up. */
  user: SessionUser | null
  /** The window locks after this many minutes without activity. */
  idleLockMinutes: number
}

export interface SecuritySettings {
  idleLockMinutes: number
  /** Collectors see and work every case, not only those assigned to them. */
  portfolioOpenToCollectors: boolean
}

export interface UserAccount {
  id: string
  login: string
  displayName: string
  email: string | null
  role: UserRole
  active: boolean
  hasPassword: boolean
}

const loginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,60}$/, 'Identifiant : 3 à 60 lettres sans accent, chiffres, points, tirets')
const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Mot de passe : au moins ${PASSWORD_MIN_LENGTH} caractères`)
  .max(200, 'Mot de passe trop long')
const displayNameSchema = z.string().trim().min(2, 'Nom : au moins 2 caractères').max(120)
const roleSchema = z.enum(USER_ROLES.values)

export const userChannels = {
  'auth:status': channel<AuthStatus>()(noInput, 'Whether set-up is needed and who is signed in on this window.'),
  'auth:setup': channel<SessionUser>()(
    z.object({ login: loginSchema, displayName: displayNameSchema, password: passwordSchema }).strict(),
    'First run only (no account has a password): gives the administrator a login and password, and signs in.'
  ),
  'auth:sign-in': channel<SessionUser>()(
    z.object({ login: z.string().trim().toLowerCase().min(1).max(60), password: z.string().min(1).max(200) }).strict(),
    'Signs this window in (scrypt-checked password); the same refusal whatever was wrong.'
  ),
  'auth:sign-out': channel<{ signedOut: true }>()(noInput, 'Signs this window out (also what the idle lock does).'),
  'users:set-idle-lock': channel<AuthStatus>()(
    z
      .object({
        minutes: z
          .number()
          .int('Nombre de minutes entier attendu')
          .min(1, 'Au moins 1 minute')
          .max(480, 'Au plus 480 minutes')
      })
      .strict(),
    'Sets after how many idle minutes a window locks (admins).'
  ),
  'users:security-settings': channel<SecuritySettings>()(noInput, 'Idle lock and portfolio opening (admins).'),
  'users:set-portfolio-open': channel<SecuritySettings>()(
    z.object({ open: z.boolean() }).strict(),
    'Opens the whole portfolio to collectors, or limits them to their assigned cases (admins).'
  ),
  'users:accounts': channel<UserAccount[]>()(noInput, 'Every account with its role and state (admins).'),
  'users:create': channel<UserAccount>()(
    z
      .object({
        login: loginSchema,
        displayName: displayNameSchema,
        email: z.string().trim().email('Adresse e-mail invalide').max(254).nullish(),
        role: roleSchema,
        password: passwordSchema
      })
      .strict(),
    'Creates an account (admins).'
  ),
  'users:update': channel<UserAccount>()(
    z
      .object({
        userId: uuidSchema,
        displayName: displayNameSchema.optional(),
        role: roleSchema.optional(),
        active: z.boolean().optional()
      })
      .strict(),
    'Changes an account’s name, role or state; the last active administrator cannot be removed (admins).'
  ),
  'users:set-password': channel<UserAccount>()(
    z.object({ userId: uuidSchema, password: passwordSchema }).strict(),
    'Sets a new password for an account (admins); its open sessions end.'
  )
}
