import { useState } from 'react'
import { Anchor, Badge, Button, Chip, Group, Loader, Modal, Pagination, Stack, Text, Tooltip } from '@mantine/core'
import { keepPreviousData } from '@tanstack/react-query'
import type { CaseFile, TimelineEntry } from '@shared/contract'
import { formatPhone } from '@shared/calls/phone'
import {
  CALL_ANSWERERS,
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  JOURNAL_KINDS,
  type CallOutcome,
  type JournalKind
} from '@shared/domain/enums'
import { formatInstant } from '@shared/format/french'
import { useChannel } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { ScreenedTextarea, useScreening } from './ScreenedTextarea'
import { useAction } from './use-action'

const PAGE_SIZE = 50

/** Labels for who answered, including the finer ones older entries carry. */
const ANSWERER_LABELS: Record<string, string> = {
  ...CALL_ANSWERERS.labels,
  relative: 'Un proche',
  manager: 'Le gérant',
  accountant: 'Le comptable'
}

const KIND_COLORS: Partial<Record<JournalKind, string>> = {
  call: 'blue',
  payment: 'teal',
  promise: 'teal',
  plan: 'teal',
  status_change: 'yellow',
  proceedings: 'yellow',
  phase_change: 'orange',
  correction: 'gray',
  solvency: 'grape',
  note: 'gray'
}

function duration(seconds: unknown): string | null {
  if (typeof seconds !== 'number' || seconds <= 0) return null
  const m = Math.floor(seconds / 60)
  const s = seconds % 60
  return m > 0 ? `${m} min ${String(s).padStart(2, '0')} s` : `${s} s`
}

function CallFacts({ details }: { details: Record<string, unknown> }) {
  const outcome = details.outcome as CallOutcome | undefined
  const facts = [
    details.direction ? CALL_DIRECTIONS.labels[details.direction as 'inbound' | 'outbound'] : null,
    typeof details.phoneNumber === 'string' ? formatPhone(details.phoneNumber) : null,
    typeof details.answeredBy === 'string' ? (ANSWERER_LABELS[details.answeredBy] ?? details.answeredBy) : null,
    duration(details.durationSeconds)
  ].filter(Boolean)
  const warnings = Array.isArray(details.warnings) ? (details.warnings as Array<{ message: string }>) : []
  return (
    <Stack gap={2} mt={2}>
      <Group gap={6}>
        {outcome && (
          <Badge size="xs" variant="light" tt="none" radius="sm">
            {CALL_OUTCOMES.labels[outcome]}
          </Badge>
        )}
        <Text size="xs" c="dimmed">
          {facts.join(' · ')}
        </Text>
      </Group>
      {warnings.length > 0 && (
        <Text size="xs" c="yellow.8">
          Hors politique d’appel : {warnings.map((w) => w.message).join(' ')} Motif :{' '}
          {String(details.warningReason ?? '')}
        </Text>
      )}
    </Stack>
  )
}

function EntryView({ entry, onCorrect }: { entry: TimelineEntry; onCorrect: (entry: TimelineEntry) => void }) {
  const corrected = entry.corrections.length > 0
  return (
    <div className="timeline-entry" data-kind={entry.kind} data-testid="timeline-entry">
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Group gap={8}>
            <Badge size="sm" variant="light" color={KIND_COLORS[entry.kind] ?? 'gray'} tt="none" radius="sm">
              {JOURNAL_KINDS.labels[entry.kind] ?? entry.kind}
            </Badge>
            <Text size="xs" c="dimmed" className="tabular">
              {formatInstant(entry.occurredAt)}
              {entry.authorName ? ` · ${entry.authorName}` : ' · Recouvra'}
              {entry.createdAt.slice(0, 16) !== entry.occurredAt.slice(0, 16)
                ? ` · saisi le ${formatInstant(entry.createdAt)}`
                : ''}
            </Text>
          </Group>
          <Text
            size="sm"
            mt={2}
            className={corrected ? 'timeline-corrected' : undefined}
            data-testid="timeline-summary"
          >
            {entry.summary}
          </Text>
          {entry.kind === 'call' && entry.details && !corrected && <CallFacts details={entry.details} />}
          {entry.corrections.map((c, i) => {
            const last = i === entry.corrections.length - 1
            return (
              <div key={c.id} className="timeline-correction" data-testid="timeline-correction">
                <Text size="xs" c="dimmed">
                  Rectifié le {formatInstant(c.createdAt)}
                  {c.authorName ? ` par ${c.authorName}` : ''} — motif : {String(c.details?.reason ?? '')}
                </Text>
                <Text size="sm" className={last ? undefined : 'timeline-corrected'}>
                  {c.summary}
                </Text>
              </div>
            )
          })}
        </div>
        {entry.kind !== 'system' && (
          <Tooltip label="Le journal ne se modifie pas : une rectification s’ajoute et pointe vers cette entrée">
            <Anchor
              component="button"
              type="button"
              size="xs"
              className="timeline-correct"
              onClick={() => onCorrect(entry)}
            >
              Rectifier
            </Anchor>
          </Tooltip>
        )}
      </Group>
    </div>
  )
}

function CorrectDialog({ entry, onClose }: { entry: TimelineEntry; onClose: () => void }) {
  const current = entry.corrections.at(-1)?.summary ?? entry.summary
  const [text, setText] = useState(current)
  const [reason, setReason] = useState('')
  const textScreening = useScreening(text)
  const reasonScreening = useScreening(reason)
  const correct = useAction('journal:correct')
  const valid =
    text.trim() && text.trim() !== current && reason.trim().length >= 3 && textScreening.ok && reasonScreening.ok
  return (
    <Modal opened onClose={onClose} title="Rectifier une entrée du journal" size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Entrée du {formatInstant(entry.occurredAt)} ({JOURNAL_KINDS.labels[entry.kind]}). Elle reste au journal,
          barrée, avec votre rectification à côté.
        </Text>
        <ScreenedTextarea label="Texte rectifié" value={text} onChange={setText} result={textScreening} required />
        <ScreenedTextarea
          label="Motif de la rectification"
          value={reason}
          onChange={setReason}
          result={reasonScreening}
          minRows={1}
          required
        />
        {correct.error && <ErrorPanel error={correct.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annuler
          </Button>
          <Button
            disabled={!valid}
            loading={correct.isPending}
            onClick={() =>
              correct.mutate({ entryId: entry.id, text: text.trim(), reason: reason.trim() }, { onSuccess: onClose })
            }
          >
            Ajouter la rectification
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

/** The case journal, newest first, filterable by kind, corrections next to what they correct. */
export function Timeline({ file }: { file: CaseFile }) {
  const [kinds, setKinds] = useState<JournalKind[]>([])
  const [page, setPage] = useState(1)
  const [correcting, setCorrecting] = useState<TimelineEntry | null>(null)
  const timeline = useChannel(
    'journal:list',
    { caseId: file.case.id, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, ...(kinds.length ? { kinds } : {}) },
    { placeholderData: keepPreviousData }
  )
  const counts = Object.entries(file.journalCounts) as Array<[JournalKind, number]>
  counts.sort((a, b) => b[1] - a[1])
  const total = counts.reduce((sum, [, n]) => sum + n, 0)

  return (
    <Stack gap="sm" data-testid="timeline">
      <Group gap={6}>
        <Chip
          size="xs"
          checked={kinds.length === 0}
          onChange={() => {
            setKinds([])
            setPage(1)
          }}
        >
          Tout ({total})
        </Chip>
        <Chip.Group
          multiple
          value={kinds}
          onChange={(value) => {
            setKinds(value as JournalKind[])
            setPage(1)
          }}
        >
          {counts.map(([kind, n]) => (
            <Chip key={kind} value={kind} size="xs">
              {JOURNAL_KINDS.labels[kind] ?? kind} ({n})
            </Chip>
          ))}
        </Chip.Group>
      </Group>
      {timeline.isPending ? (
        <Loader size="sm" />
      ) : timeline.isError ? (
        <ErrorPanel error={timeline.error} />
      ) : timeline.data.entries.length === 0 ? (
        <Text c="dimmed" size="sm">
          Aucune entrée.
        </Text>
      ) : (
        <Stack gap={6}>
          {timeline.data.entries.map((entry) => (
            <EntryView key={entry.id} entry={entry} onCorrect={setCorrecting} />
          ))}
        </Stack>
      )}
      {timeline.data && timeline.data.total > PAGE_SIZE && (
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Entrées {(page - 1) * PAGE_SIZE + 1} à {Math.min(page * PAGE_SIZE, timeline.data.total)} sur{' '}
            {timeline.data.total}
          </Text>
          <Pagination size="sm" total={Math.ceil(timeline.data.total / PAGE_SIZE)} value={page} onChange={setPage} />
        </Group>
      )}
      {correcting && <CorrectDialog entry={correcting} onClose={() => setCorrecting(null)} />}
    </Stack>
  )
}
