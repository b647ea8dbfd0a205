import { Badge } from '@mantine/core'
import {
  CASE_PHASES,
  CASE_STATUSES,
  CLOSURE_REASONS,
  SUSPENSION_REASONS,
  type CasePhase,
  type CaseStatus
} from '@shared/domain/enums'
import type { CaseSummary } from '@shared/contract'

const PHASE_COLORS: Record<CasePhase, string> = {
  amicable: 'blue',
  formal_notice: 'orange',
  judicial: 'grape',
  enforcement: 'red',
  closed: 'gray'
}

const STATUS_COLORS: Record<CaseStatus, string> = { open: 'teal', suspended: 'yellow', closed: 'gray' }

export function PhaseBadge({ phase }: { phase: CasePhase }) {
  return (
    <Badge color={PHASE_COLORS[phase]} variant="light" radius="sm" tt="none" style={{ minWidth: 'max-content' }}>
      {CASE_PHASES.labels[phase]}
    </Badge>
  )
}

export function StatusBadge({ row }: { row: Pick<CaseSummary, 'status' | 'suspensionReason' | 'closureReason'> }) {
  const reason =
    row.status === 'suspended' && row.suspensionReason
      ? SUSPENSION_REASONS.labels[row.suspensionReason]
      : row.status === 'closed' && row.closureReason
        ? CLOSURE_REASONS.labels[row.closureReason]
        : null
  return (
    <Badge
      color={STATUS_COLORS[row.status]}
      variant="dot"
      radius="sm"
      tt="none"
      style={{ minWidth: 'max-content' }}
      title={reason ?? undefined}
    >
      {CASE_STATUSES.labels[row.status]}
      {reason ? ` · ${reason}` : ''}
    </Badge>
  )
}
