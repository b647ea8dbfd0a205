import type { HandlerGroup } from '../../ipc/handlers'
import type { PortfolioViewsService } from './portfolio-views.service'

export function portfolioHandlers(
  views: PortfolioViewsService
): HandlerGroup<'portfolio:list-views' | 'portfolio:create-view' | 'portfolio:update-view' | 'portfolio:delete-view'> {
  return {
    'portfolio:list-views': (_input, ctx) => views.list(ctx.user),
    'portfolio:create-view': (input, ctx) => views.create(input, ctx.user),
    'portfolio:update-view': (input, ctx) => views.update(input, ctx.user),
    'portfolio:delete-view': (input, ctx) => views.delete(input.id, ctx.user)
  }
}
