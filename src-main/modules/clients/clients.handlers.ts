import type { HandlerGroup } from '../../ipc/handlers'
import type { UsersService } from '../users/users.service'
import type { ClientsService } from './clients.service'

export function directoryHandlers(
  clients: ClientsService,
  users: UsersService
): HandlerGroup<'clients:list' | 'users:list'> {
  return {
    'clients:list': () => clients.list(),
    'users:list': () => users.list()
  }
}
