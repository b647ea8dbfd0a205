import { useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea
} from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import type { CaseFile, ChannelInput, PlanSimulation, PlanSummary } from '@shared/contract'
import { addMonths, daysBetween } from '@shared/dates/calendar-date'
import { PLAN_FREQUENCIES, PLAN_INTEREST_MODES, type PlanFrequency, type PlanInterestMode } from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import { MAX_INSTALLMENTS } from '@shared/money/schedule'
import { useChannel } from '../../api/client'
import { ErrorPanel, fieldError } from '../../components/ErrorPanel'
import { AmountInput, amountCents, amountError, dateError } from './money-fields'
import { useAction } from './use-action'

type Sizing = 'count' | 'amount'

function monthsLabel(from: string, to: string): string {
  const days = daysBetween(from, to)
  const months = Math.round((days / 365.25) * 12)
  return months <= 1 ? `${days} jours` : `${months} mois`
}

function SimulationResult({ simulation }: { simulation: PlanSimulation }) {
  const { schedule, capacity } = simulation
  return (
    <Stack gap="sm" data-testid="plan-simulation">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <div>
          <Text size="xs" c="dimmed">
            Solde à régler au {formatDate(simulation.at)}
          </Text>
          <Text fw={700} className="tabular" data-testid="plan-balance">
            {formatCents(simulation.balanceCents)}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            Total payé
          </Text>
          <Text fw={700} className="tabular" data-testid="plan-total">
            {formatCents(schedule.totalCents)}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            Dernière échéance
          </Text>
          <Text fw={700} data-testid="plan-end">
            {formatDate(schedule.endDate)}{' '}
            <Text span size="xs" c="dimmed" fw={400}>
              ({monthsLabel(simulation.at, schedule.endDate)})
            </Text>
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            Capacité du débiteur
          </Text>
          {capacity ? (
            <Group gap={6}>
              <Text fw={700} className="tabular">
                {formatCents(capacity.capacityCents)} / mois
              </Text>
              <Badge
                color={capacity.withinCapacity ? 'teal' : 'red'}
                variant="light"
                tt="none"
                data-testid="plan-capacity"
              >
                {capacity.withinCapacity ? 'Dans la capacité' : 'Au-delà'} (
                {formatCents(capacity.monthlyEquivalentCents)}
                /mois)
              </Badge>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              Non évaluée (onglet Solvabilité)
            </Text>
          )}
        </div>
      </SimpleGrid>
      {simulation.warnings.map((w) => (
        <Alert
          key={w.code}
          color={w.code === 'running_interest' ? 'blue' : 'orange'}
          p="xs"
          data-testid={`plan-warning-${w.code}`}
        >
          <Text size="sm">{w.message}</Text>
        </Alert>
      ))}
      <Table.ScrollContainer minWidth={400} maxHeight={280}>
        <Table striped className="tabular" stickyHeader data-testid="plan-schedule">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Échéance</Table.Th>
              <Table.Th>Date</Table.Th>
              <Table.Th ta="right">Montant</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {schedule.downPayment && (
              <Table.Tr>
                <Table.Td>Acompte</Table.Td>
                <Table.Td>{formatDate(schedule.downPayment.dueDate)}</Table.Td>
                <Table.Td ta="right">{formatCents(schedule.downPayment.amountCents)}</Table.Td>
              </Table.Tr>
            )}
            {schedule.installments.map((i) => (
              <Table.Tr key={i.index}>
                <Table.Td>{i.index}</Table.Td>
                <Table.Td>{formatDate(i.dueDate)}</Table.Td>
                <Table.Td ta="right">{formatCents(i.amountCents)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th colSpan={2}>Total</Table.Th>
              <Table.Th ta="right">{formatCents(schedule.totalCents)}</Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  )
}

/**
 * Échéancier negotiation: the terms are simulated on the case balance as they are typed, with
 * the schedule, total, end date and the debtor's capacity; accepting creates the plan.
 */
export function PlanSimulatorDialog({ file, onClose }: { file: CaseFile; onClose: () => void }) {
  const [interestMode, setInterestMode] = useState<PlanInterestMode>('frozen')
  const [down, setDown] = useState('')
  const [downDate, setDownDate] = useState('')
  const [sizing, setSizing] = useState<Sizing>('count')
  const [count, setCount] = useState<string | number>(6)
  const [installment, setInstallment] = useState('')
  const [frequency, setFrequency] = useState<PlanFrequency>('monthly')
  const [firstDue, setFirstDue] = useState<string>(addMonths(file.today, 1))
  const capacity = useChannel('solvency:capacity', { caseId: file.case.id })
  const capacityCents = capacity.data?.monthlyCapacityCents ?? file.assessment?.monthlyCapacityCents ?? null
  const accept = useAction('plans:accept')

  const countNumber = typeof count === 'number' ? count : Number(count)
  const errors = {
    down: amountError(down, { required: false, allowZero: true }),
    downDate: dateError(downDate, {
      required: false,
      min: file.today,
      minLabel: 'L’acompte ne peut pas être dû avant l’accord'
    }),
    count:
      sizing === 'count' && (!Number.isInteger(countNumber) || countNumber < 1 || countNumber > MAX_INSTALLMENTS)
        ? `Entre 1 et ${MAX_INSTALLMENTS} échéances`
        : undefined,
    installment: sizing === 'amount' ? amountError(installment) : undefined,
    firstDue: dateError(firstDue, {
      min: file.today,
      minLabel: 'La première échéance ne peut pas précéder l’accord'
    })
  }
  const valid = Object.values(errors).every((e) => e === undefined)
  const terms: ChannelInput<'plans:simulate'> | null = valid
    ? {
        caseId: file.case.id,
        interestMode,
        downPaymentCents: amountCents(down) ?? 0,
        ...(downDate && { downPaymentDate: downDate }),
        sizing:
          sizing === 'count'
            ? { installmentCount: countNumber }
            : { installmentAmountCents: amountCents(installment)! },
        frequency,
        firstDueDate: firstDue,
        capacityCents
      }
    : null
  const [debounced] = useDebouncedValue(terms, 300)
  const simulation = useChannel('plans:simulate', debounced!, {
    enabled: debounced !== null && !capacity.isPending,
    retry: false
  })
  const current = terms && debounced && JSON.stringify(terms) === JSON.stringify(debounced) ? simulation : null

  return (
    <Modal opened onClose={onClose} title="Négocier un échéancier" size="xl">
      {accept.data ? (
        <Stack gap="sm" data-testid="plan-accepted">
          <Alert color="teal" title="Échéancier accepté">
            <Text size="sm">
              {formatCents(accept.data.plan.totalCents)} en {accept.data.plan.installmentCount} échéance
              {accept.data.plan.installmentCount > 1 ? 's' : ''}, du {formatDate(accept.data.plan.firstDueOn)} au{' '}
              {formatDate(accept.data.simulation.schedule.endDate)}. Une entrée est ajoutée à l’historique ; le plan
              interrompt la prescription (C. civ. 2240).
            </Text>
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              Fermer
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <div>
              <Text size="sm" fw={500} mb={4}>
                Intérêts pendant le plan
              </Text>
              <SegmentedControl
                fullWidth
                value={interestMode}
                onChange={(v) => setInterestMode(v as PlanInterestMode)}
                data={PLAN_INTEREST_MODES.values.map((v) => ({ value: v, label: PLAN_INTEREST_MODES.labels[v] }))}
                data-testid="plan-interest-mode"
              />
              <Text size="xs" c="dimmed" mt={4}>
                {interestMode === 'frozen'
                  ? 'Le solde est arrêté au jour de l’accord : plus d’intérêts tant que le plan est respecté.'
                  : 'Les intérêts continuent de courir sur le principal restant dû.'}
              </Text>
            </div>
            <Select
              label="Fréquence"
              data={PLAN_FREQUENCIES.values.map((v) => ({ value: v, label: PLAN_FREQUENCIES.labels[v] }))}
              value={frequency}
              onChange={(v) => v && setFrequency(v as PlanFrequency)}
              allowDeselect={false}
              data-testid="plan-frequency"
            />
            <AmountInput
              label="Acompte"
              placeholder="0,00"
              value={down}
              onChange={setDown}
              error={errors.down ?? fieldError(simulation.error, 'downPaymentCents')}
              data-testid="plan-down-payment"
            />
            <TextInput
              type="date"
              label="Acompte dû le"
              description="Le jour de l’accord par défaut"
              value={downDate}
              min={file.today}
              onChange={(e) => setDownDate(e.currentTarget.value)}
              error={errors.downDate}
              disabled={!amountCents(down)}
            />
            <div>
              <Text size="sm" fw={500} mb={4}>
                Calcul des échéances
              </Text>
              <SegmentedControl
                fullWidth
                value={sizing}
                onChange={(v) => setSizing(v as Sizing)}
                data={[
                  { value: 'count', label: 'Par nombre' },
                  { value: 'amount', label: 'Par montant' }
                ]}
                data-testid="plan-sizing"
              />
            </div>
            {sizing === 'count' ? (
              <NumberInput
                label="Nombre d’échéances"
                min={1}
                max={MAX_INSTALLMENTS}
                allowDecimal={false}
                value={count}
                onChange={setCount}
                error={errors.count}
                data-testid="plan-count"
              />
            ) : (
              <AmountInput
                label="Montant par échéance"
                placeholder="150,00"
                value={installment}
                onChange={setInstallment}
                error={errors.installment}
                data-testid="plan-installment"
              />
            )}
            <TextInput
              type="date"
              label="Première échéance"
              required
              value={firstDue}
              min={file.today}
              onChange={(e) => setFirstDue(e.currentTarget.value)}
              error={errors.firstDue}
              data-testid="plan-first-due"
            />
            <div>
              <Text size="sm" fw={500}>
                Capacité de remboursement
              </Text>
              <Text size="sm" c={capacityCents === null ? 'dimmed' : undefined}>
                {capacityCents !== null
                  ? `${formatCents(capacityCents)} par mois (${capacity.data?.source === 'suggestion' ? 'estimée d’après les faits de solvabilité' : 'évaluation de solvabilité'})`
                  : 'Non évaluée : renseignez l’onglet Solvabilité pour comparer.'}
              </Text>
            </div>
          </SimpleGrid>
          {!valid ? (
            <Text size="sm" c="dimmed">
              Complétez les conditions pour voir l’échéancier.
            </Text>
          ) : !current || current.isPending || current.isFetching ? (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm" c="dimmed">
                Calcul de l’échéancier…
              </Text>
            </Group>
          ) : current.isError ? (
            <ErrorPanel error={current.error} title="Échéancier impossible" />
          ) : (
            <SimulationResult simulation={current.data} />
          )}
          {accept.error ? <ErrorPanel error={accept.error} title="Échéancier non accepté" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button
              disabled={!current?.data || !terms}
              loading={accept.isPending}
              onClick={() =>
                terms &&
                accept.mutate(terms, {
                  onSuccess: () => notifications.show({ color: 'teal', message: 'Échéancier accepté' })
                })
              }
              data-testid="plan-accept"
            >
              Accepter l’échéancier
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  )
}

/** Déchéance du terme on a plan in default: the remaining balance becomes due at once. */
export function AccelerateDialog({ file, plan, onClose }: { file: CaseFile; plan: PlanSummary; onClose: () => void }) {
  const [reason, setReason] = useState('')
  const [confirmed, setConfirmed] = useState(false)
  const [touched, setTouched] = useState(false)
  const accelerate = useAction('plans:accelerate')
  const reasonError = reason.trim().length < 3 ? 'Indiquez le motif' : undefined
  const overdue = plan.installments.filter((i) => i.status === 'missed' || i.status === 'partial')
  return (
    <Modal opened onClose={onClose} title="Prononcer la déchéance du terme" size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          setTouched(true)
          if (reasonError || !confirmed) return
          accelerate.mutate(
            { planId: plan.id, reason: reason.trim() },
            {
              onSuccess: () => {
                notifications.show({ color: 'orange', message: 'Déchéance du terme prononcée' })
                onClose()
              }
            }
          )
        }}
      >
        <Stack gap="sm">
          <Alert color="red" p="xs">
            <Text size="sm">
              {plan.overdueCount} échéance{plan.overdueCount > 1 ? 's' : ''} impayée{plan.overdueCount > 1 ? 's' : ''}
              {overdue.length > 0 ? ` (${overdue.map((i) => formatDate(i.dueOn)).join(', ')})` : ''}. La déchéance met
              fin à l’échéancier au {formatDate(file.today)} : le solde restant de{' '}
              <b>{formatCents(plan.remainingCents)}</b> devient immédiatement exigible
              {plan.interestMode === 'frozen' ? ' et les intérêts recommencent à courir' : ''}. Cette décision est
              inscrite à l’historique et ne peut pas être annulée.
            </Text>
          </Alert>
          <Textarea
            label="Motif"
            required
            autosize
            minRows={2}
            placeholder="Échéances impayées malgré relance du …"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={(touched ? reasonError : undefined) ?? fieldError(accelerate.error, 'reason')}
            data-autofocus
          />
          <Checkbox
            label="Je confirme prononcer la déchéance du terme"
            checked={confirmed}
            onChange={(e) => setConfirmed(e.currentTarget.checked)}
            error={touched && !confirmed ? 'Confirmation requise' : undefined}
          />
          {accelerate.error && !accelerate.error.issues?.length ? <ErrorPanel error={accelerate.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} type="button">
              Annuler
            </Button>
            <Button type="submit" color="red" loading={accelerate.isPending}>
              Prononcer la déchéance
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
