import type { HandlerGroup } from '../../ipc/handlers'
import type { UsersService } from './users.service'

export function usersHandlers(
  users: UsersService
): HandlerGroup<
  | 'auth:status'
  | 'auth:setup'
  | 'auth:sign-in'
  | 'auth:sign-out'
  | 'users:set-idle-lock'
  | 'users:security-settings'
  | 'users:set-portfolio-open'
  | 'users:accounts'
  | 'users:create'
  | 'users:update'
  | 'users:set-password'
> {
  return {
    'auth:status': (_input, ctx) => users.status(ctx.transport, ctx.sessionKey ?? null),
    'auth:setup': (input, ctx) => users.setup(ctx.sessionKey ?? null, input),
    'auth:sign-in': (input, ctx) => users.signIn(ctx.sessionKey ?? null, input.login, input.password),
    'auth:sign-out': (_input, ctx) => Promise.resolve(users.signOut(ctx.sessionKey ?? null)),
    'users:set-idle-lock': async (input, ctx) => {
      await users.setIdleLockMinutes(input.minutes, ctx.user.id)
      return users.status(ctx.transport, ctx.sessionKey ?? null)
    },
    'users:security-settings': () => users.securitySettings(),
    'users:set-portfolio-open': (input, ctx) => users.setPortfolioOpen(input.open, ctx.user.id),
    'users:accounts': () => users.accounts(),
    'users:create': (input, ctx) => users.create(input, ctx.user.id),
    'users:update': (input, ctx) => users.update(input, ctx.user.id),
    'users:set-password': (input, ctx) => users.setPassword(input.userId, input.password, ctx.user.id)
  }
}
