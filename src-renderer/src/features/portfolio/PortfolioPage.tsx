import { useCallback, useEffect, useRef, useState } from 'react'
import { Card, Group, Kbd, Loader, Stack, Text, TextInput, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { CASE_SEARCH_MIN_CHARS, type CaseListFilters, type CaseSummary, type PortfolioView } from '@shared/contract'
import { formatCents, formatInteger } from '@shared/format/french'
import { useNavigation } from '../../app/navigation'
import { ErrorPanel } from '../../components/ErrorPanel'
import type { SortState } from './columns'
import { FilterBar } from './FilterBar'
import {
  cleanFilters,
  getPortfolioState,
  rememberScrollTop,
  setPortfolioState,
  usePortfolioState
} from './portfolio-state'
import { SavedViews } from './SavedViews'
import { usePortfolioPages } from './usePortfolioPages'
import { VirtualCaseTable, type VirtualCaseTableHandle } from './VirtualCaseTable'
import { ExportButton } from '../reports/ExportButton'
import './portfolio.css'

/** Where a key press comes from someone typing or using another control: leave it alone. */
function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    Boolean(
      target.closest(
        'input, textarea, select, [contenteditable="true"], [role="listbox"], [role="dialog"], [role="menu"], [role="combobox"]'
      )
    )
  )
}

/**
 * The portfolio: every case of the agency, filtered, searched and sorted in the main process,
 * shown as one long table that fetches its rows page by page as it scrolls. Totals of the
 * filtered set stay above the table. Keyboard: `/` search, ↑/↓ or j/k move, Enter open,
 * Esc clear the search (then leave it).
 */
export function PortfolioPage() {
  const state = usePortfolioState()
  const { openCase } = useNavigation()
  const tableRef = useRef<VirtualCaseTableHandle>(null)
  const searchRef = useRef<HTMLInputElement>(null)
  const [text, setText] = useState(state.filters.text ?? '')
  const [debouncedText] = useDebouncedValue(text.trim(), 150)
  const [visible, setVisible] = useState({ start: 0, end: 30 })
  const pageRef = useRef<HTMLDivElement>(null)
  const height = useFillWindowHeight(pageRef)

  // A new search, filter or sort starts again from the first row.
  const update = useCallback((patch: { filters?: CaseListFilters; sort?: SortState; viewId?: string | null }) => {
    setPortfolioState({ ...patch, selectedIndex: 0, scrollTop: 0 })
  }, [])
  useEffect(() => {
    const current = getPortfolioState().filters
    if ((current.text ?? '') !== debouncedText) {
      update({ filters: cleanFilters({ ...current, text: debouncedText || undefined }) })
    }
  }, [debouncedText, update])

  const filters = cleanFilters(state.filters)
  const pages = usePortfolioPages(filters, state.sort, visible)
  const total = pages.total

  const open = useCallback((row: CaseSummary) => openCase(row.id), [openCase])
  const onVisibleRange = useCallback((range: { start: number; end: number }) => setVisible(range), [])

  // Back from a case file (Esc) or at first display: the keyboard goes to the table.
  useEffect(() => {
    if (!state.filters.text) tableRef.current?.focus()
    // Only when the page appears.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  // `/` focuses the search from anywhere on the page; navigation keys typed outside any control
  // go to the table.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return
      if (isTyping(event.target)) return
      if (event.key === '/') {
        event.preventDefault()
        searchRef.current?.focus()
        searchRef.current?.select()
        return
      }
      const onBody = event.target === document.body || event.target === document.documentElement
      if (
        onBody &&
        ['ArrowDown', 'ArrowUp', 'j', 'k', 'Enter', 'PageDown', 'PageUp', 'Home', 'End'].includes(event.key)
      ) {
        tableRef.current?.focus()
        const selected = pages.rowAt(state.selectedIndex)
        event.preventDefault()
        if (event.key === 'Enter') {
          if (selected) open(selected)
        } else {
          const step =
            event.key === 'ArrowDown' || event.key === 'j' ? 1 : event.key === 'ArrowUp' || event.key === 'k' ? -1 : 0
          if (step) setPortfolioState({ selectedIndex: Math.max(0, Math.min(total - 1, state.selectedIndex + step)) })
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open, pages, state.selectedIndex, total])

  const applyView = (view: PortfolioView | null) => {
    if (!view) {
      update({ viewId: null })
      return
    }
    setText('')
    update({ viewId: view.id, filters: cleanFilters(view.filters), sort: view.sort })
  }

  const tooShort = pages.searchIgnored && debouncedText !== ''

  return (
    <Stack gap="xs" className="portfolio-page" ref={pageRef} style={height ? { height } : undefined}>
      <Group justify="space-between" align="center" wrap="nowrap">
        <Group gap="md" wrap="nowrap">
          <Title order={2}>Portefeuille</Title>
          <SavedViews viewId={state.viewId} filters={filters} sort={state.sort} onApply={applyView} />
        </Group>
        <Group gap="lg" data-testid="portfolio-totals" wrap="nowrap">
          {pages.isFetching && <Loader size="xs" aria-label="Chargement" />}
          {pages.totals ? (
            <>
              <Text size="sm">
                <Text span fw={700} className="tabular" data-testid="portfolio-count">
                  {formatInteger(pages.totals.total)}
                </Text>{' '}
                dossier{pages.totals.total > 1 ? 's' : ''}
              </Text>
              <Text size="sm">
                Solde total{' '}
                <Text span fw={700} className="tabular" data-testid="portfolio-balance">
                  {formatCents(pages.totals.totalBalanceCents)}
                </Text>
              </Text>
            </>
          ) : (
            // A broad search shows its first rows before its totals: they follow in a moment.
            <Text
              size="sm"
              c="dimmed"
              data-testid="portfolio-totals-pending"
              title="Les premiers dossiers sont affichés ; le nombre et le solde total sont en cours de calcul"
            >
              {pages.first.data ? `${formatInteger(pages.first.data.rows.length)}+ dossiers · ` : ''}calcul…
            </Text>
          )}
          <ExportButton
            input={{ kind: 'cases', filters, sort: state.sort }}
            label="Exporter"
            testId="portfolio-export"
            disabled={total === 0}
            title="Exporter la vue (filtres et tri) dans un classeur Excel"
          />
        </Group>
      </Group>

      <Card withBorder padding="xs">
        <FilterBar
          filters={filters}
          onChange={(next) => update({ filters: cleanFilters({ ...next, text: filters.text }) })}
          search={
            <TextInput
              ref={searchRef}
              label="Recherche"
              placeholder="Nom, référence, facture, téléphone, e-mail, SIREN…"
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') {
                  event.preventDefault()
                  if (text) setText('')
                  else tableRef.current?.focus()
                } else if (event.key === 'ArrowDown' || event.key === 'Enter') {
                  event.preventDefault()
                  setPortfolioState({ selectedIndex: 0 })
                  tableRef.current?.focus()
                }
              }}
              rightSection={<Kbd size="xs">/</Kbd>}
              maxLength={200}
              size="xs"
              w={300}
              error={tooShort ? `Au moins ${CASE_SEARCH_MIN_CHARS} lettres ou 3 chiffres pour rechercher` : undefined}
              title="Accents et majuscules ignorés ; début des mots ; téléphone sous toute forme (06 12…, +33 6…)"
              data-testid="portfolio-search"
            />
          }
        />
      </Card>

      {pages.error ? (
        <ErrorPanel error={pages.error} title="Le portefeuille ne peut pas être affiché" />
      ) : (
        <Card withBorder padding={0} className="portfolio-table-card">
          {pages.first.data && total === 0 ? (
            <Text p="xl" c="dimmed" ta="center" data-testid="portfolio-empty">
              Aucun dossier ne correspond à ces critères.
            </Text>
          ) : (
            <VirtualCaseTable
              ref={tableRef}
              total={total}
              rowAt={pages.rowAt}
              sort={state.sort}
              onSort={(sort) => update({ sort })}
              selectedIndex={state.selectedIndex}
              onSelect={(selectedIndex) => setPortfolioState({ selectedIndex })}
              onOpen={open}
              initialScrollTop={state.scrollTop}
              onScrollTopChange={rememberScrollTop}
              onVisibleRange={onVisibleRange}
            />
          )}
        </Card>
      )}
      <Text size="xs" c="dimmed" className="portfolio-keys">
        <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> ou <Kbd size="xs">j</Kbd> <Kbd size="xs">k</Kbd> se déplacer ·{' '}
        <Kbd size="xs">Entrée</Kbd> ouvrir le dossier · <Kbd size="xs">/</Kbd> rechercher · <Kbd size="xs">Échap</Kbd>{' '}
        effacer la recherche · <Kbd size="xs">Alt</Kbd>+<Kbd size="xs">1</Kbd>…<Kbd size="xs">4</Kbd> changer de page
      </Text>
    </Stack>
  )
}

/**
 * The page's height so that it ends at the bottom of the window whatever sits above it (a
 * banner, the header): the table then scrolls inside, with the totals and filters in view.
 */
function useFillWindowHeight(ref: React.RefObject<HTMLDivElement | null>): number | null {
  const [height, setHeight] = useState<number | null>(null)
  useEffect(() => {
    const element = ref.current
    if (!element) return
    const measure = () => {
      const top = element.getBoundingClientRect().top + window.scrollY
      const bottom = parseFloat(getComputedStyle(element.parentElement ?? element).paddingBottom) || 0
      setHeight(Math.max(420, Math.floor(window.innerHeight - top - bottom)))
    }
    measure()
    const observer = new ResizeObserver(measure)
    if (element.parentElement) observer.observe(element.parentElement)
    window.addEventListener('resize', measure)
    return () => {
      observer.disconnect()
      window.removeEventListener('resize', measure)
    }
  }, [ref])
  return height
}
