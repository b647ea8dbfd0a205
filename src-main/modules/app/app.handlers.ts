import type { HandlerGroup } from '../../ipc/handlers'
import type { UsersService } from '../users/users.service'
import type { DemoService } from '../demo/demo.service'
import type { AppService } from './app.service'
import type { DailyMoneyChecks } from '../money/money-checks'

export function appHandlers(
  app: AppService,
  users: UsersService,
  demo: DemoService,
  dailyChecks: DailyMoneyChecks
): HandlerGroup<'app:info' | 'session:current' | 'app:daily-checks' | 'demo:generate'> {
  return {
    'app:info': () => app.info(),
    'session:current': (_input, ctx) => Promise.resolve(ctx.user),
    'app:daily-checks': () => Promise.resolve(dailyChecks.status()),
    'demo:generate': (input) => demo.generate(input)
  }
}
