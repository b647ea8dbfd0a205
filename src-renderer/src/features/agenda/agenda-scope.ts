import { useSyncExternalStore } from 'react'

/**
 * Whose agenda is shown: the session user ('me', the default), the whole team ('team', managers)
 * or a collector's id. Shared by the agenda page and the navigation badge so both count the same
 * thing; kept for the session.
 */
export type AgendaScope = 'me' | 'team' | string

const KEY = 'recouvra.agenda.scope'
const listeners = new Set<() => void>()

function read(): AgendaScope {
  return sessionStorage.getItem(KEY) ?? 'me'
}

export function setAgendaScope(scope: AgendaScope): void {
  sessionStorage.setItem(KEY, scope)
  for (const listener of listeners) listener()
}

export function useAgendaScope(): AgendaScope {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    read,
    () => 'me'
  )
}

/** The channel input for a scope: omitted = the session user, null = the team. */
export function scopeInput(scope: AgendaScope): { collectorId?: string | null } {
  return scope === 'me' ? {} : scope === 'team' ? { collectorId: null } : { collectorId: scope }
}
