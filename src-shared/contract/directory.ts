import { channel } from './define'
import { noInput } from './schemas'
import type { PartyKind, UserRole } from '../domain/enums'

/** Reference lists used by filters and pickers (small: clients and users, never cases). */

export interface ClientSummary {
  id: string
  code: string
  legalName: string
  kind: PartyKind
  siren: string | null
  city: string | null
  openCaseCount: number
}

export interface UserSummary {
  id: string
  displayName: string
  role: UserRole
  active: boolean
}

export const directoryChannels = {
  'clients:list': channel<ClientSummary[]>()(noInput, 'All clients (créanciers) with their open case count, by name.'),
  'users:list': channel<UserSummary[]>()(noInput, 'All users, by name (collectors for assignment and filters).')
}
