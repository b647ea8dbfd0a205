import type { HandlerGroup } from '../../ipc/handlers'
import type { UsersService } from '../users/users.service'
import type { DemoService } from '../demo/demo.service'
import type { AppService } from './app.service'

export function appHandlers(
  app: AppService,
  users: UsersService,
  demo: DemoService
): HandlerGroup<'app:info' | 'session:current' | 'demo:generate'> {
  return {
    'app:info': () => app.info(),
    'session:current': (_input, ctx) => Promise.resolve(ctx.user),
    'demo:generate': (input) => demo.generate(input)
  }
}
