import { createContext, useContext } from 'react'

export const PAGES = [
  { id: 'portfolio', label: 'Portefeuille', shortcut: '1' },
  { id: 'agenda', label: 'Agenda', shortcut: '2' },
  { id: 'reports', label: 'Rapports', shortcut: '3' },
  { id: 'remittances', label: 'Reversements', shortcut: '5' },
  { id: 'dunning', label: 'Relances', shortcut: '6' },
  { id: 'imports', label: 'Import', shortcut: '7' },
  { id: 'field', label: 'Terrain', shortcut: '8' },
  { id: 'settings', label: 'Paramètres', shortcut: '4' }
] as const
export type PageId = (typeof PAGES)[number]['id']

export interface Navigation {
  page: PageId
  goTo(page: PageId): void
  /** The case file open over the current page, if any. */
  openCaseId: string | null
  openCase(caseId: string): void
  /** Back to the page the case was opened from (Esc). */
  closeCase(): void
}

export const NavigationContext = createContext<Navigation | null>(null)

export function useNavigation(): Navigation {
  const navigation = useContext(NavigationContext)
  if (!navigation) throw new Error('useNavigation outside NavigationContext')
  return navigation
}
