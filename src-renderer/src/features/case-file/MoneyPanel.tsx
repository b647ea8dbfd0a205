import { useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Menu,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Tooltip
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { CaseFile, PaymentDto, PlanSummary } from '@shared/contract'
import type { StatementWarning } from '@shared/money'
import {
  INSTALLMENT_STATUSES,
  INTEREST_BASES,
  PAYMENT_METHODS,
  PAYMENT_RECEIVERS,
  PLAN_FREQUENCIES,
  PLAN_INTEREST_MODES,
  PLAN_STATUSES,
  PROMISE_STATUSES,
  type AllocationComponent,
  type InstallmentStatus,
  type PlanStatus,
  type PromiseStatus
} from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import { useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { LegalEventsPanel } from './LegalEventDialog'
import { PaymentDialog, ReversePaymentDialog } from './PaymentDialog'
import { AccelerateDialog, PlanSimulatorDialog } from './PlanSimulator'

const PROMISE_COLORS: Record<PromiseStatus, string> = {
  pending: 'blue',
  kept: 'teal',
  partially_kept: 'yellow',
  broken: 'red',
  cancelled: 'gray'
}
const PLAN_COLORS: Record<PlanStatus, string> = {
  proposed: 'gray',
  active: 'blue',
  completed: 'teal',
  defaulted: 'red',
  cancelled: 'gray'
}
const INSTALLMENT_COLORS: Record<InstallmentStatus, string> = {
  due: 'gray',
  paid: 'teal',
  partial: 'yellow',
  missed: 'red'
}

function Figure({ label, cents, strong, testId }: { label: string; cents: number; strong?: boolean; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size={strong ? 'lg' : 'md'} fw={strong ? 700 : 500} className="tabular" data-testid={testId}>
        {formatCents(cents)}
      </Text>
    </div>
  )
}

function warningText(w: StatementWarning, file: CaseFile): string {
  const invoice = 'claimId' in w ? (file.claims.find((c) => c.id === w.claimId)?.invoiceNumber ?? '') : ''
  switch (w.code) {
    case 'time_barred_claim':
      return `Facture ${invoice} prescrite depuis le ${formatDate(w.expiresOn)} : elle ne peut plus être réclamée.`
    case 'legal_interest_not_started':
      return `Facture ${invoice} : l’intérêt légal ne court qu’à partir d’une mise en demeure.`
    case 'indemnity_not_applicable':
      return `Facture ${invoice} : l’indemnité forfaitaire de 40 € ne s’applique qu’entre professionnels.`
    case 'payment_after_statement_date':
      return 'Un paiement postérieur à la date du décompte n’est pas compté.'
    case 'allocation_exceeds_outstanding':
      return `Facture ${invoice} : une imputation enregistrée dépasse le montant restant dû.`
  }
}

/**
 * The balance broken down (principal, interest, fees, paid, due) from the money engine's
 * statement at today's date; the case's principal-minus-payments summary when it cannot compute
 * (a rate semester missing), with its French reason.
 */
export function BalanceCard({ file }: { file: CaseFile }) {
  const statement = useChannel('money:statement', { caseId: file.case.id, at: file.today }, { retry: false })
  const totals = statement.data?.totals
  return (
    <Card withBorder padding="sm" data-testid="balance-card">
      <Group justify="space-between" mb={4}>
        <Text fw={600}>Situation au {formatDate(file.today)}</Text>
        {statement.isFetching && <Loader size="xs" />}
      </Group>
      {totals ? (
        <SimpleGrid cols={{ base: 3, lg: 6 }}>
          <Figure label="Principal" cents={totals.principalCents} />
          <Figure label="Intérêts" cents={totals.interestCents} />
          <Figure label="Frais et indemnités" cents={totals.indemnityCents} />
          <Figure label="Payé" cents={totals.paidCents} />
          <Figure label="Solde dû" cents={totals.balanceCents} strong testId="balance-due" />
          {statement.data!.timeBarredBalanceCents > 0 ? (
            <Tooltip label="Créances prescrites : elles ne peuvent plus être réclamées">
              <div>
                <Figure label="Dont prescrit" cents={statement.data!.timeBarredBalanceCents} />
              </div>
            </Tooltip>
          ) : (
            <Figure label="Exigible" cents={statement.data!.demandableBalanceCents} />
          )}
        </SimpleGrid>
      ) : (
        <SimpleGrid cols={3}>
          <Figure label="Principal" cents={file.case.principalCents} />
          <Figure label="Payé" cents={file.case.paidCents} />
          <Figure label="Solde dû (principal)" cents={file.case.balanceCents} strong testId="balance-due" />
        </SimpleGrid>
      )}
      {statement.isError && (
        <Alert color="yellow" mt="xs" p="xs" title="Intérêts non calculés">
          <Text size="xs">{statement.error.message}</Text>
        </Alert>
      )}
      {statement.data && statement.data.warnings.length > 0 && (
        <Stack gap={2} mt="xs">
          {statement.data.warnings.map((w, i) => (
            <Text key={i} size="xs" c="yellow.8">
              {warningText(w, file)}
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  )
}

export function ClaimsTable({ file }: { file: CaseFile }) {
  const statement = useChannel('money:statement', { caseId: file.case.id, at: file.today }, { retry: false })
  const lines = new Map((statement.data?.claims ?? []).map((c) => [c.claimId, c]))
  return (
    <>
      <Table striped highlightOnHover className="tabular" data-testid="claims-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Facture</Table.Th>
            <Table.Th>Émise le</Table.Th>
            <Table.Th>Échéance</Table.Th>
            <Table.Th ta="right">Principal</Table.Th>
            <Table.Th>Intérêts</Table.Th>
            <Table.Th ta="right">Intérêts courus</Table.Th>
            <Table.Th ta="right">Reste dû</Table.Th>
            <Table.Th>Prescription</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {file.claims.map((claim) => {
            const line = lines.get(claim.id)
            return (
              <Table.Tr key={claim.id}>
                <Table.Td>
                  {claim.invoiceNumber}{' '}
                  {claim.disputed && (
                    <Badge size="xs" color="orange" variant="light" tt="none">
                      Contestée
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{formatDate(claim.issuedOn)}</Table.Td>
                <Table.Td>{formatDate(claim.dueOn)}</Table.Td>
                <Table.Td ta="right">{formatCents(claim.principalCents)}</Table.Td>
                <Table.Td>{INTEREST_BASES.labels[claim.interestBasis]}</Table.Td>
                <Table.Td ta="right">{line ? formatCents(line.interestCents) : '—'}</Table.Td>
                <Table.Td ta="right">{line ? formatCents(line.balance.totalCents) : '—'}</Table.Td>
                <Table.Td>
                  {line?.prescription ? (
                    <Text size="sm" c={line.timeBarred ? 'red' : undefined}>
                      {line.timeBarred ? 'Prescrite le ' : 'Le '}
                      {formatDate(line.prescription.expiresOn)}
                      <Text span size="xs" c="dimmed">
                        {' '}
                        ({line.prescription.years} ans)
                      </Text>
                    </Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
      <LegalEventsPanel file={file} />
    </>
  )
}

export function PaymentsTable({ file }: { file: CaseFile }) {
  const payments = useChannel(
    'money:list-payments',
    { caseId: file.case.id },
    // While a receipt is being made in the background, look again every 2 s.
    { refetchInterval: (q) => (q.state.data?.some((p) => p.documents?.status === 'pending') ? 2_000 : false) }
  )
  const [recording, setRecording] = useState(false)
  const [reversing, setReversing] = useState<PaymentDto | null>(null)
  const closed = file.case.status === 'closed'
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Chaque paiement est imputé selon l’ordre légal (C. civ. 1342-10 et 1343-1) ou manuellement avec un motif.
        </Text>
        <Button size="xs" onClick={() => setRecording(true)} disabled={closed} data-testid="record-payment">
          Enregistrer un paiement
        </Button>
      </Group>
      {payments.isPending ? (
        <Loader size="sm" />
      ) : payments.isError ? (
        <ErrorPanel error={payments.error} />
      ) : payments.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          Aucun paiement.
        </Text>
      ) : (
        // Eight columns in the case file's main column (about 760 px at 1440 px): tight cells so
        // the last one (Contre-passer, a reversal's actions) stays inside the tab.
        <Table striped className="tabular" horizontalSpacing={6} data-testid="payments-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Reçu le</Table.Th>
              <Table.Th ta="right">Montant</Table.Th>
              <Table.Th>Moyen</Table.Th>
              <Table.Th>Reçu par</Table.Th>
              <Table.Th>Référence</Table.Th>
              <Table.Th>Imputation</Table.Th>
              <Table.Th>Reçu et information client</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {payments.data.map((p) => (
              <Table.Tr key={p.id} c={p.reversedByPaymentId ? 'dimmed' : undefined} data-testid="payment-row">
                <Table.Td>{formatDate(p.receivedOn)}</Table.Td>
                <Table.Td ta="right" c={p.amountCents < 0 ? 'red' : undefined}>
                  {formatCents(p.amountCents)}
                </Table.Td>
                <Table.Td>{PAYMENT_METHODS.labels[p.method]}</Table.Td>
                <Table.Td>{PAYMENT_RECEIVERS.labels[p.receivedBy]}</Table.Td>
                <Table.Td>
                  {p.reference ?? '—'}
                  {p.reversesPaymentId ? ' (contre-passation)' : p.reversedByPaymentId ? ' (contre-passé)' : ''}
                  {p.note && (
                    <Text size="xs" c="dimmed">
                      {p.note}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {p.allocations
                      .map((a) => `${a.invoiceNumber} ${COMPONENT_SHORT[a.component]} ${formatCents(a.amountCents)}`)
                      .join(' · ') || '—'}
                    {p.unallocatedCents > 0 ? ` · crédit ${formatCents(p.unallocatedCents)}` : ''}
                  </Text>
                  {p.allocations.some((a) => a.manual) && (
                    <Tooltip label={p.allocations.find((a) => a.manual)?.reason ?? ''}>
                      <Badge size="xs" variant="light" color="grape" tt="none">
                        Imputation manuelle
                      </Badge>
                    </Tooltip>
                  )}
                  {p.remittance && (
                    <Badge size="xs" variant="light" color="teal" tt="none" ml={4}>
                      Reversé ({p.remittance.reference})
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <ReceiptCell payment={p} />
                </Table.Td>
                <Table.Td>
                  {!p.reversesPaymentId && !p.reversedByPaymentId && (
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => setReversing(p)}>
                      Contre-passer
                    </Button>
                  )}
                  {p.reversesPaymentId && <ReversalNoticeButton reversal={p} />}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {recording && <PaymentDialog file={file} onClose={() => setRecording(false)} />}
      {reversing && <ReversePaymentDialog file={file} payment={reversing} onClose={() => setReversing(null)} />}
    </Stack>
  )
}

/**
 * From a reversal: the debtor's corrective notice (the reversed payment, the corrected balance by
 * component), produced and recorded sent (journal); printed from the Documents tab. A compact
 * "Actions" menu in the row (the payments table is wide: a long button or an inline confirmation
 * would be cut at its edge), the confirmation in a dialog.
 */
function ReversalNoticeButton({ reversal }: { reversal: PaymentDto }) {
  const [confirm, setConfirm] = useState(false)
  const notice = useChannelMutation('documents:reversal-notice', {
    onSuccess: (letter) => {
      setConfirm(false)
      notifications.show({
        color: 'green',
        message: `Avis de rectification réf. ${letter.reference} établi et inscrit au journal comme envoyé : imprimez-le depuis l’onglet Documents.`
      })
    }
  })
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="compact-xs" variant="light" data-testid="reversal-actions">
            Actions ▾
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            onClick={() => {
              notice.reset()
              setConfirm(true)
            }}
            data-testid="reversal-notice"
          >
            Avis de rectification…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title="Avis de rectification" size="md">
        <Stack gap="sm" data-testid="reversal-notice-dialog">
          <Text size="sm">
            Adresser au débiteur un avis de rectification : le paiement contre-passé du{' '}
            {formatDate(reversal.receivedOn)} ({formatCents(-reversal.amountCents)}
            {reversal.reference ? `, ${reversal.reference}` : ''}) et le solde rectifié (principal, intérêts, frais,
            paiements). Il sera inscrit au journal comme envoyé aujourd’hui.
          </Text>
          {notice.isError && <ErrorPanel error={notice.error} />}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirm(false)}>
              Annuler
            </Button>
            <Button
              onClick={() => notice.mutate({ paymentId: reversal.id })}
              loading={notice.isPending}
              data-testid="reversal-notice-confirm"
            >
              Établir l’avis
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  )
}

/**
 * The receipt (R124-6) and client notice (R124-5) every payment yields, made in the background
 * once it is recorded: made, being made, failed (why, and a retry), or none (a payment recorded
 * before they were automatic: the retry makes them).
 */
function ReceiptCell({ payment }: { payment: PaymentDto }) {
  const retry = useChannelMutation('money:retry-payment-documents', {
    onSuccess: () => notifications.show({ color: 'blue', message: 'Reçu et information du client relancés.' })
  })
  if (payment.amountCents <= 0) return <Text size="xs">—</Text>
  const d = payment.documents
  const retryButton = (
    <Button
      size="compact-xs"
      variant="light"
      onClick={() => retry.mutate({ paymentId: payment.id })}
      loading={retry.isPending}
      data-testid="retry-payment-documents"
    >
      {d ? 'Réessayer' : 'Émettre'}
    </Button>
  )
  if (d?.status === 'done')
    return (
      <Badge size="xs" color="green" variant="light" tt="none" data-testid="payment-documents" data-status="done">
        Émis
      </Badge>
    )
  if (d?.status === 'cancelled')
    return (
      <Text size="xs" c="dimmed" data-testid="payment-documents" data-status="cancelled">
        Sans objet (annulé)
      </Text>
    )
  if (payment.reversedByPaymentId) return <Text size="xs">—</Text>
  if (d === null)
    return (
      <Group gap={4} data-testid="payment-documents" data-status="none">
        <Badge size="xs" color="gray" variant="light" tt="none">
          Aucun reçu
        </Badge>
        {retryButton}
      </Group>
    )
  const failing = d.error !== null
  return (
    <Stack gap={2} data-testid="payment-documents" data-status={failing ? `${d.status}-error` : d.status}>
      <Group gap={4}>
        <Badge size="xs" color={failing ? 'red' : 'blue'} variant="light" tt="none">
          {d.status === 'failed'
            ? 'Échec'
            : failing
              ? `Échec, nouvel essai ${formatRetry(d.nextAttemptAt)}`
              : 'En préparation'}
        </Badge>
        {failing && retryButton}
      </Group>
      {failing && (
        <Text size="xs" c="red" maw={260} data-testid="payment-documents-error">
          {d.error}
        </Text>
      )}
      {retry.error ? <ErrorPanel error={retry.error} /> : null}
    </Stack>
  )
}

function formatRetry(at: string | null): string {
  if (!at) return ''
  return `à ${new Date(at).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' })}`
}

const COMPONENT_SHORT: Record<AllocationComponent, string> = {
  interest: 'intérêts',
  indemnity: 'indemnité',
  fees: 'frais',
  principal: 'principal'
}

/** Promises and plan, from the money engine's channels. */
export function PromisesPlanPanel({ file }: { file: CaseFile }) {
  const promises = useChannel('promises:list', { caseId: file.case.id })
  const plans = useChannel('plans:list', { caseId: file.case.id })
  const [simulating, setSimulating] = useState(false)
  const [accelerating, setAccelerating] = useState<PlanSummary | null>(null)
  const active = plans.data?.find((p) => p.status === 'active')
  return (
    <Stack gap="md">
      <div>
        <Text fw={600} mb={4}>
          Promesses de paiement
        </Text>
        {promises.isPending ? (
          <Loader size="sm" />
        ) : promises.isError ? (
          <ErrorPanel error={promises.error} />
        ) : promises.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            Aucune promesse.
          </Text>
        ) : (
          <Table className="tabular" data-testid="promises-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Faite le</Table.Th>
                <Table.Th>Au plus tard le</Table.Th>
                <Table.Th ta="right">Montant</Table.Th>
                <Table.Th ta="right">Reçu</Table.Th>
                <Table.Th>Statut</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...promises.data].reverse().map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{formatDate(p.madeOn)}</Table.Td>
                  <Table.Td>{formatDate(p.dueOn)}</Table.Td>
                  <Table.Td ta="right">{formatCents(p.amountCents)}</Table.Td>
                  <Table.Td ta="right">{formatCents(p.paidCents)}</Table.Td>
                  <Table.Td>
                    <Badge color={PROMISE_COLORS[p.status]} variant="light" tt="none" size="sm">
                      {PROMISE_STATUSES.labels[p.status]}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
      <div>
        <Group justify="space-between" mb={4}>
          <Text fw={600}>Échéanciers</Text>
          <Tooltip
            label="Un échéancier est en cours : il doit être terminé ou sa déchéance prononcée"
            disabled={!active}
          >
            <Button
              size="xs"
              onClick={() => setSimulating(true)}
              disabled={!!active || file.case.status === 'closed'}
              data-testid="open-plan-simulator"
            >
              Négocier un échéancier
            </Button>
          </Tooltip>
        </Group>
        {plans.isPending ? (
          <Loader size="sm" />
        ) : plans.isError ? (
          <ErrorPanel error={plans.error} />
        ) : plans.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            Aucun échéancier.
            {file.assessment?.monthlyCapacityCents != null
              ? ` Capacité de remboursement évaluée : ${formatCents(file.assessment.monthlyCapacityCents)} par mois.`
              : ''}
          </Text>
        ) : (
          <Stack gap="sm">
            {plans.data.map((plan) => (
              <Card key={plan.id} withBorder padding="xs">
                <Group gap="xs" mb={4}>
                  <Badge color={PLAN_COLORS[plan.status]} variant="light" tt="none">
                    {PLAN_STATUSES.labels[plan.status]}
                  </Badge>
                  <Text size="sm">
                    {formatCents(plan.totalCents)} en {plan.installmentCount} échéance
                    {plan.installmentCount > 1 ? 's' : ''} {PLAN_FREQUENCIES.labels[plan.frequency].toLowerCase()}s ·{' '}
                    {PLAN_INTEREST_MODES.labels[plan.interestMode]}
                    {plan.agreedOn ? ` · accordé le ${formatDate(plan.agreedOn)}` : ''}
                  </Text>
                  <Text size="sm" fw={600} ml="auto" className="tabular">
                    Payé {formatCents(plan.paidCents)} · reste {formatCents(plan.remainingCents)}
                  </Text>
                </Group>
                {plan.defaultCandidate && (
                  <Alert color="red" p="xs" mb={4} data-testid="plan-default">
                    <Group justify="space-between" wrap="nowrap">
                      <Text size="sm">
                        {plan.overdueCount} échéance{plan.overdueCount > 1 ? 's' : ''} impayée
                        {plan.overdueCount > 1 ? 's' : ''} : le plan est défaillant, la déchéance du terme peut être
                        prononcée.
                      </Text>
                      <Button
                        size="xs"
                        color="red"
                        variant="white"
                        style={{ flexShrink: 0 }}
                        onClick={() => setAccelerating(plan)}
                      >
                        Prononcer la déchéance du terme
                      </Button>
                    </Group>
                  </Alert>
                )}
                <Group gap={4}>
                  {plan.installments.map((i) => (
                    <Tooltip
                      key={i.id}
                      label={`${formatDate(i.dueOn)} · ${formatCents(i.amountCents)} · payé ${formatCents(i.paidCents)}`}
                    >
                      <Badge
                        size="sm"
                        variant={i.dueOn <= file.today ? 'filled' : 'outline'}
                        color={INSTALLMENT_COLORS[i.status]}
                        tt="none"
                      >
                        {i.sequence}. {formatDate(i.dueOn).slice(0, 5)} {INSTALLMENT_STATUSES.labels[i.status]}
                      </Badge>
                    </Tooltip>
                  ))}
                </Group>
              </Card>
            ))}
          </Stack>
        )}
      </div>
      {simulating && <PlanSimulatorDialog file={file} onClose={() => setSimulating(false)} />}
      {accelerating && <AccelerateDialog file={file} plan={accelerating} onClose={() => setAccelerating(null)} />}
    </Stack>
  )
}
