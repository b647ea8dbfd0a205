import { ScrollArea, Table } from '@mantine/core'
import type { CaseSummary } from '@shared/contract'
import { useNavigation } from '../../app/navigation'
import { CaseCells, COLUMNS, SortableHeader, type SortState } from './columns'

export type { SortState } from './columns'

/**
 * A plain table of one page of cases (the agenda's). The portfolio itself uses
 * VirtualCaseTable, which pages through the whole filtered set as it scrolls.
 */
export function CaseTable({
  rows,
  sort,
  onSort
}: {
  rows: CaseSummary[]
  sort: SortState
  onSort: (sort: SortState) => void
}) {
  const { openCase } = useNavigation()
  return (
    <ScrollArea type="auto">
      <Table
        striped
        highlightOnHover
        stickyHeader
        verticalSpacing={6}
        horizontalSpacing="xs"
        data-testid="portfolio-table"
        className="case-table"
      >
        <Table.Thead>
          <Table.Tr>
            {COLUMNS.map((column) => (
              <SortableHeader key={column.field} {...column} sort={sort} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr
              key={row.id}
              className="portfolio-row"
              data-testid="case-row"
              tabIndex={0}
              onClick={() => openCase(row.id)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') openCase(row.id)
              }}
            >
              <CaseCells row={row} />
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  )
}
