import { forwardRef, useEffect, useImperativeHandle, useRef, type KeyboardEvent } from 'react'
import { Skeleton, Table } from '@mantine/core'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { CaseSummary } from '@shared/contract'
import { CaseCells, COLUMNS, SortableHeader, type SortState } from './columns'

/** Fixed row height: two lines of text (name and kind, date and outcome) and the padding. */
export const ROW_HEIGHT = 46
const HEADER_HEIGHT = 46

export interface VirtualCaseTableHandle {
  focus(): void
}

interface Props {
  total: number
  rowAt(index: number): CaseSummary | null
  sort: SortState
  onSort(sort: SortState): void
  selectedIndex: number
  onSelect(index: number): void
  onOpen(row: CaseSummary): void
  initialScrollTop: number
  onScrollTopChange(scrollTop: number): void
  /** Rows the user can see now (and a margin), for the pages to fetch. */
  onVisibleRange(range: { start: number; end: number }): void
}

/**
 * The portfolio as one long table of `total` rows, of which only those on screen exist in the
 * page; their data comes page by page from the main process. Keyboard: ↑/↓ or k/j move the
 * selection, Page Up/Down by a screen, Home/End to the ends, Enter opens the selected case.
 */
export const VirtualCaseTable = forwardRef<VirtualCaseTableHandle, Props>(function VirtualCaseTable(props, ref) {
  const { total, rowAt, sort, onSort, selectedIndex, onSelect, onOpen, onVisibleRange } = props
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    initialOffset: props.initialScrollTop
  })
  useImperativeHandle(ref, () => ({ focus: () => scrollRef.current?.focus({ preventScroll: true }) }), [])

  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items.at(-1)?.index ?? -1
  useEffect(() => onVisibleRange({ start: first, end: last }), [first, last, onVisibleRange])

  // The selection stays on screen when it moves by keyboard.
  const previousSelection = useRef(selectedIndex)
  useEffect(() => {
    if (previousSelection.current !== selectedIndex && total > 0) {
      virtualizer.scrollToIndex(Math.min(selectedIndex, total - 1), { align: 'auto' })
    }
    previousSelection.current = selectedIndex
  }, [selectedIndex, total, virtualizer])

  const move = (to: number) => onSelect(Math.max(0, Math.min(total - 1, to)))
  const screenRows = Math.max(
    1,
    Math.floor(((scrollRef.current?.clientHeight ?? 600) - HEADER_HEIGHT) / ROW_HEIGHT) - 1
  )
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || total === 0) return
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(selectedIndex + 1),
      j: () => move(selectedIndex + 1),
      ArrowUp: () => move(selectedIndex - 1),
      k: () => move(selectedIndex - 1),
      PageDown: () => move(selectedIndex + screenRows),
      PageUp: () => move(selectedIndex - screenRows),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: () => {
        const row = rowAt(selectedIndex)
        if (row) onOpen(row)
      }
    }
    const action = keys[event.key]
    if (!action) return
    event.preventDefault()
    action()
  }

  const paddingTop = items.length ? items[0]!.start - HEADER_HEIGHT : 0
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items.at(-1)!.end : 0
  const selectedRow = rowAt(selectedIndex)

  return (
    <div
      ref={scrollRef}
      className="portfolio-scroll"
      tabIndex={0}
      role="region"
      aria-label="Dossiers du portefeuille (flèches ou j/k pour se déplacer, Entrée pour ouvrir)"
      aria-activedescendant={selectedRow ? `case-row-${selectedIndex}` : undefined}
      data-testid="portfolio-scroll"
      onKeyDown={onKeyDown}
      onScroll={(event) => props.onScrollTopChange(event.currentTarget.scrollTop)}
    >
      <Table
        stickyHeader
        highlightOnHover
        horizontalSpacing={6}
        verticalSpacing={3}
        className="case-table virtual-case-table"
        data-testid="portfolio-table"
        aria-rowcount={total + 1}
      >
        <colgroup>
          {COLUMNS.map((column) => (
            <col key={column.field} style={column.width ? { width: column.width } : undefined} />
          ))}
        </colgroup>
        <Table.Thead>
          <Table.Tr aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
            {COLUMNS.map((column) => (
              <SortableHeader key={column.field} {...column} sort={sort} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {paddingTop > 0 && <tr aria-hidden style={{ height: paddingTop }} />}
          {items.map((item) => {
            const row = rowAt(item.index)
            const striped = item.index % 2 === 1 ? 'true' : undefined
            if (!row) {
              return (
                <tr key={`loading-${item.index}`} className="portfolio-row loading" style={{ height: ROW_HEIGHT }}>
                  <td colSpan={COLUMNS.length}>
                    <Skeleton height={14} width="60%" radius="sm" />
                  </td>
                </tr>
              )
            }
            return (
              <Table.Tr
                key={row.id}
                id={`case-row-${item.index}`}
                className="portfolio-row"
                data-testid="case-row"
                data-striped={striped}
                data-active={item.index === selectedIndex ? 'true' : undefined}
                aria-selected={item.index === selectedIndex}
                aria-rowindex={item.index + 2}
                tabIndex={-1}
                style={{ height: ROW_HEIGHT }}
                onClick={() => {
                  onSelect(item.index)
                  onOpen(row)
                }}
                onFocus={() => onSelect(item.index)}
              >
                <CaseCells row={row} />
              </Table.Tr>
            )
          })}
          {paddingBottom > 0 && <tr aria-hidden style={{ height: paddingBottom }} />}
        </Table.Tbody>
      </Table>
    </div>
  )
})
