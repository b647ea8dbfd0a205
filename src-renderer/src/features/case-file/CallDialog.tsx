import { useEffect, useMemo, useRef, useState } from 'react'
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Kbd,
  List,
  Modal,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  UnstyledButton
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { CaseFile } from '@shared/contract'
import {
  callWarnings,
  defaultAnswerer,
  localTime,
  nextCallSlot,
  suggestNextAction,
  weekdayName
} from '@shared/calls/call-policy'
import { formatPhone } from '@shared/calls/phone'
import { addDays } from '@shared/dates/calendar-date'
import {
  CALL_ANSWERERS,
  CALL_OUTCOMES,
  CONTACT_STATUSES,
  PHONE_KINDS,
  type CallAnswerer,
  type CallDirection,
  type CallOutcome
} from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import { ErrorPanel } from '../../components/ErrorPanel'
import { ScreenedTextarea, useScreening } from './ScreenedTextarea'
import { parseEuros, useAction } from './use-action'
import './case-file.css'

/** Outcomes in the order of their keys 1–9: the most frequent first. */
export const OUTCOME_KEYS: CallOutcome[] = [
  'no_answer',
  'message_left',
  'call_back_requested',
  'promise_to_pay',
  'asks_payment_plan',
  'disputes_debt',
  'refuses',
  'says_already_paid',
  'wrong_number'
]

const OUTCOME_COLORS: Partial<Record<CallOutcome, string>> = {
  promise_to_pay: 'teal',
  asks_payment_plan: 'teal',
  disputes_debt: 'orange',
  refuses: 'red',
  wrong_number: 'red'
}

function formatTimer(seconds: number): string {
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`
}

/** "2026-11-23T10:42" in the browser's zone, for a datetime-local input. */
function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/**
 * Logging a call. The timer starts when the form opens; the common case takes three actions:
 * `a` opens it (number preselected), a digit picks the outcome (who answered and the next
 * action date follow from it), Enter saves. Calls outside the agency's call policy show why and
 * need a reason, which is logged with the call.
 */
export function CallDialog({
  file,
  initialPhoneId,
  onClose
}: {
  file: CaseFile
  initialPhoneId?: string | null
  onClose: () => void
}) {
  const [openedAt] = useState(() => new Date())
  const [elapsed, setElapsed] = useState(0)
  useEffect(() => {
    const timer = window.setInterval(() => setElapsed(Math.floor((Date.now() - openedAt.getTime()) / 1000)), 1000)
    return () => window.clearInterval(timer)
  }, [openedAt])

  const phones = file.debtor.phones
  const [phoneId, setPhoneId] = useState<string | null>(
    initialPhoneId ?? phones.find((p) => p.status !== 'invalid')?.id ?? phones[0]?.id ?? null
  )
  const [direction, setDirection] = useState<CallDirection>('outbound')
  const [outcome, setOutcome] = useState<CallOutcome | null>(null)
  const [answeredBy, setAnsweredBy] = useState<CallAnswerer | null>(null)
  const [answeredTouched, setAnsweredTouched] = useState(false)
  const [note, setNote] = useState('')
  const [amount, setAmount] = useState<string | number>('')
  const [promiseDueOn, setPromiseDueOn] = useState(addDays(file.today, 7))
  const [nextActionOn, setNextActionOn] = useState<string>('')
  const [nextTouched, setNextTouched] = useState(false)
  const [reason, setReason] = useState('')
  const [manualStart, setManualStart] = useState<string | null>(null)
  const [manualMinutes, setManualMinutes] = useState<string | number>('')
  const amountRef = useRef<HTMLInputElement>(null)
  const log = useAction('calls:log')

  const startedAt = manualStart ? new Date(manualStart) : openedAt
  const startedAtMs = startedAt.getTime()
  const noteScreening = useScreening(note)
  const reasonScreening = useScreening(reason)

  const warnings = useMemo(
    () =>
      callWarnings({
        at: new Date(startedAtMs),
        direction,
        locale: file.debtor.locale,
        previousOutboundCalls: file.calls.outboundLast30Days,
        callBackRequested: file.calls.callBackRequested,
        caseStatus: { status: file.case.status, suspensionReason: file.case.suspensionReason }
      }),
    [startedAtMs, direction, file]
  )
  const serverWantsReason = log.error?.issues?.some((i) => i.path === 'warningReason') ?? false
  const needsReason = warnings.length > 0 || serverWantsReason
  const nextSlot = useMemo(() => {
    const slot = nextCallSlot(new Date(startedAtMs), file.debtor.locale)
    const local = localTime(slot, file.debtor.locale.timeZone)
    return `${weekdayName(local.date)} ${formatDate(local.date)} à ${local.hhmm}`
  }, [startedAtMs, file.debtor.locale])

  const promiseCents = outcome === 'promise_to_pay' ? parseEuros(amount) : null
  const promiseValid = outcome !== 'promise_to_pay' || (promiseCents !== null && promiseCents > 0 && !!promiseDueOn)

  const chooseOutcome = (next: CallOutcome) => {
    setOutcome(next)
    if (!answeredTouched || next === 'wrong_number' || answeredBy === 'wrong_number')
      setAnsweredBy(defaultAnswerer(next))
    if (!nextTouched) {
      setNextActionOn(
        suggestNextAction(next, file.today, {
          promiseDueOn: next === 'promise_to_pay' ? promiseDueOn : null,
          region: file.debtor.locale.region
        })
      )
    }
    if (next === 'promise_to_pay') window.setTimeout(() => amountRef.current?.focus(), 0)
  }

  const canSubmit =
    outcome !== null &&
    answeredBy !== null &&
    promiseValid &&
    noteScreening.ok &&
    reasonScreening.ok &&
    (!needsReason || reason.trim().length >= 3) &&
    (direction === 'inbound' || phoneId !== null) &&
    !log.isPending

  const submit = () => {
    if (!canSubmit || !outcome || !answeredBy) return
    const duration = manualStart
      ? Math.max(0, Math.round(Number(String(manualMinutes).replace(',', '.')) * 60) || 0)
      : elapsed
    log.mutate(
      {
        caseId: file.case.id,
        phoneId,
        direction,
        answeredBy,
        outcome,
        startedAt: startedAt.toISOString(),
        durationSeconds: Math.min(duration, 4 * 3600),
        nextActionOn: nextActionOn || null,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(outcome === 'promise_to_pay' && promiseCents
          ? { promise: { amountCents: promiseCents, dueOn: promiseDueOn } }
          : {}),
        ...(needsReason && reason.trim() ? { warningReason: reason.trim() } : {})
      },
      {
        onSuccess: (result) => {
          notifications.show({
            color: 'teal',
            title: 'Appel enregistré',
            message: result.promise
              ? `Promesse de ${formatCents(result.promise.amountCents)} au ${formatDate(result.promise.dueOn)} créée.`
              : CALL_OUTCOMES.labels[outcome]
          })
          onClose()
        }
      }
    )
  }

  const onKeyDown = (event: React.KeyboardEvent) => {
    const target = event.target as HTMLElement
    const inText = target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement
    if (event.key === 'Enter') {
      const plainButton =
        (target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement) &&
        target.getAttribute('role') !== 'radio'
      if (plainButton) return // Annuler, links: their own action
      if (target instanceof HTMLTextAreaElement && !event.ctrlKey && !event.metaKey) return // a new line
      event.preventDefault()
      submit()
      return
    }
    if (!inText && /^[1-9]$/.test(event.key) && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault()
      chooseOutcome(OUTCOME_KEYS[Number(event.key) - 1]!)
    }
  }

  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={
        <Group gap="sm">
          <Text fw={700}>Appel — {file.debtor.displayName}</Text>
          <Badge variant="light" color="gray" className="tabular" data-testid="call-timer">
            {formatTimer(elapsed)}
          </Badge>
        </Group>
      }
    >
      <form
        onKeyDown={onKeyDown}
        onSubmit={(event) => {
          event.preventDefault()
          submit()
        }}
        data-testid="call-form"
      >
        <Stack gap="sm">
          <Group justify="space-between" align="center" gap="xs">
            <SegmentedControl
              size="xs"
              value={direction}
              onChange={(v) => setDirection(v as CallDirection)}
              data={[
                { value: 'outbound', label: 'Sortant' },
                { value: 'inbound', label: 'Entrant' }
              ]}
              aria-label="Sens de l’appel"
            />
            {phones.length === 0 ? (
              <Text size="sm" c="dimmed">
                Aucun numéro connu pour ce débiteur.
              </Text>
            ) : (
              <SegmentedControl
                size="xs"
                style={{ flex: 1 }}
                value={phoneId ?? ''}
                onChange={setPhoneId}
                aria-label={direction === 'outbound' ? 'Numéro appelé' : 'Numéro appelant'}
                data={[
                  ...phones.map((p) => ({
                    value: p.id,
                    label: `${formatPhone(p.number)} · ${PHONE_KINDS.labels[p.kind]}${p.status === 'invalid' ? ` (${CONTACT_STATUSES.labels.invalid.toLowerCase()})` : ''}`
                  })),
                  ...(direction === 'inbound' ? [{ value: '', label: 'Masqué / autre' }] : [])
                ]}
              />
            )}
          </Group>
          <Text size="xs" c="dimmed" mt={-6}>
            Début {localTime(startedAt, 'Europe/Paris').hhmm}
            {manualStart ? '' : ' (maintenant)'} ·{' '}
            <Anchor
              component="button"
              type="button"
              size="xs"
              onClick={() => setManualStart(manualStart ? null : toLocalInput(openedAt))}
            >
              {manualStart ? 'revenir au chronomètre' : 'appel passé plus tôt ?'}
            </Anchor>
          </Text>
          {manualStart && (
            <Group grow>
              <TextInput
                type="datetime-local"
                label="Début de l’appel"
                value={manualStart}
                onChange={(e) => setManualStart(e.currentTarget.value || toLocalInput(openedAt))}
              />
              <NumberInput
                label="Durée (minutes)"
                value={manualMinutes}
                onChange={setManualMinutes}
                min={0}
                max={240}
                decimalSeparator=","
              />
            </Group>
          )}

          <div>
            <Text size="sm" fw={500} mb={4}>
              Résultat{' '}
              <Text span size="xs" c="dimmed">
                (touches 1 à 9)
              </Text>
            </Text>
            <SimpleGrid cols={3} spacing={6} role="radiogroup" aria-label="Résultat de l’appel">
              {OUTCOME_KEYS.map((value, index) => {
                const selected = outcome === value
                return (
                  <UnstyledButton
                    key={value}
                    type="button"
                    role="radio"
                    aria-checked={selected}
                    data-autofocus={index === 0 ? true : undefined}
                    onClick={() => chooseOutcome(value)}
                    className="outcome-button"
                    data-selected={selected || undefined}
                    data-color={OUTCOME_COLORS[value] ?? 'blue'}
                  >
                    <Kbd size="xs" mr={6}>
                      {index + 1}
                    </Kbd>
                    {CALL_OUTCOMES.labels[value]}
                  </UnstyledButton>
                )
              })}
            </SimpleGrid>
          </div>

          {outcome && (
            <div>
              <Text size="sm" fw={500} mb={4}>
                Interlocuteur
              </Text>
              <SegmentedControl
                fullWidth
                size="xs"
                value={answeredBy ?? ''}
                onChange={(v) => {
                  setAnsweredBy(v as CallAnswerer)
                  setAnsweredTouched(true)
                  if (v === 'wrong_number') setOutcome('wrong_number')
                  else if (outcome === 'wrong_number') setOutcome(null)
                }}
                data={CALL_ANSWERERS.values.map((value) => ({ value, label: CALL_ANSWERERS.labels[value] }))}
                aria-label="Interlocuteur"
              />
            </div>
          )}

          <Group grow align="flex-start">
            {outcome === 'promise_to_pay' && (
              <>
                <NumberInput
                  ref={amountRef}
                  label="Montant promis"
                  suffix=" €"
                  decimalSeparator=","
                  thousandSeparator={' '}
                  decimalScale={2}
                  allowNegative={false}
                  hideControls
                  value={amount}
                  onChange={setAmount}
                  required
                  description={`Solde en principal : ${formatCents(file.case.balanceCents)}`}
                />
                <TextInput
                  type="date"
                  label="Au plus tard le"
                  description="Date annoncée par le débiteur"
                  value={promiseDueOn}
                  min={file.today}
                  onChange={(e) => {
                    const dueOn = e.currentTarget.value
                    setPromiseDueOn(dueOn)
                    // The check date follows the promise unless the collector chose one.
                    if (!nextTouched && dueOn) {
                      setNextActionOn(
                        suggestNextAction('promise_to_pay', file.today, {
                          promiseDueOn: dueOn,
                          region: file.debtor.locale.region
                        })
                      )
                    }
                  }}
                  required
                />
              </>
            )}

            <TextInput
              type="date"
              label="Prochaine action"
              description={
                outcome && !nextTouched ? 'Suggérée d’après le résultat (jour ouvré)' : 'Vide : aucune action prévue'
              }
              value={nextActionOn}
              min={file.today}
              onChange={(e) => {
                setNextActionOn(e.currentTarget.value)
                setNextTouched(true)
              }}
              disabled={file.case.status === 'closed'}
              maw={outcome === 'promise_to_pay' ? undefined : 300}
            />
          </Group>
          <ScreenedTextarea
            label="Note"
            placeholder="Ce qui a été dit, factuellement (Ctrl+Entrée pour enregistrer)"
            value={note}
            onChange={setNote}
            result={noteScreening}
          />

          {needsReason && (
            <Alert color="yellow" title="Appel hors de la politique d’appel du cabinet" data-testid="call-warnings">
              <List size="sm">
                {warnings.map((w) => (
                  <List.Item key={w.code}>{w.message}</List.Item>
                ))}
              </List>
              {warnings.some((w) => w.code !== 'too_many_calls' && w.code !== 'dunning_stopped') && (
                <Text size="xs" mt={4}>
                  Prochain créneau autorisé : {nextSlot}.
                </Text>
              )}
              <ScreenedTextarea
                mt="xs"
                label="Motif (enregistré avec l’appel)"
                placeholder="Ex. : rappel demandé par le débiteur à cette heure-ci"
                value={reason}
                onChange={setReason}
                result={reasonScreening}
                required
                minRows={1}
              />
            </Alert>
          )}

          {log.error && <ErrorPanel error={log.error} title="L’appel n’a pas été enregistré" />}

          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              <Kbd size="xs">1</Kbd>–<Kbd size="xs">9</Kbd> résultat · <Kbd size="xs">Entrée</Kbd> enregistrer ·{' '}
              <Kbd size="xs">Échap</Kbd> annuler
            </Text>
            <Group gap="xs">
              <Button variant="default" onClick={onClose} type="button">
                Annuler
              </Button>
              <Button type="submit" disabled={!canSubmit} loading={log.isPending}>
                Enregistrer l’appel
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
