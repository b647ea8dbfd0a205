import { useEffect, useState } from 'react'
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Collapse,
  Grid,
  Group,
  Kbd,
  Loader,
  Menu,
  Stack,
  Tabs,
  Text,
  Title,
  Tooltip
} from '@mantine/core'
import type { CaseFile } from '@shared/contract'
import { formatPhone, telHref } from '@shared/calls/phone'
import {
  CALL_OUTCOMES,
  CASE_PRIORITIES,
  CONTACT_STATUSES,
  PARTY_KINDS,
  PHONE_KINDS,
  SUSPENSION_REASONS,
  type ContactStatus
} from '@shared/domain/enums'
import { formatBasisPoints, formatCents, formatDate, formatInstant } from '@shared/format/french'
import { deadlineCountdown } from '@shared/proceedings/deadlines'
import { useChannel } from '../../api/client'
import { useNavigation } from '../../app/navigation'
import { ErrorPanel } from '../../components/ErrorPanel'
import { PhaseBadge, StatusBadge } from '../../components/badges'
import {
  AssignDialog,
  CloseDialog,
  DeadlineDialog,
  NextActionDialog,
  NoteDialog,
  PromiseDialog,
  PhaseDialog,
  ProceedingDialog,
  ResumeDialog,
  SuspendDialog,
  type CaseDialog
} from './ActionDialogs'
import { CallDialog } from './CallDialog'
import { BalanceCard, ClaimsTable, PaymentsTable, PromisesPlanPanel } from './MoneyPanel'
import { SolvencyPanel } from './SolvencyPanel'
import { Timeline } from './Timeline'
import { CaseDocumentsPanel } from '../documents/CaseDocumentsPanel'
import { LettersDialog } from '../documents/LettersDialog'
import './case-file.css'

const CONTACT_COLORS: Record<ContactStatus, string> = { valid: 'teal', unverified: 'gray', invalid: 'red' }
const PRIORITY_COLORS = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' } as const

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} component="div">
        {children}
      </Text>
    </div>
  )
}

function DebtorCard({ file, onCall }: { file: CaseFile; onCall: (phoneId: string) => void }) {
  const [history, setHistory] = useState(false)
  const { debtor } = file
  const current = debtor.addresses.filter((a) => a.current)
  const former = debtor.addresses.filter((a) => !a.current)
  return (
    <Card withBorder padding="sm" data-testid="debtor-card">
      <Text fw={600} mb={6}>
        Débiteur · {PARTY_KINDS.labels[debtor.kind]}
        {debtor.kind === 'individual' && debtor.actsProfessionally ? ' (professionnel)' : ''}
      </Text>
      <Stack gap={8}>
        {debtor.kind === 'individual' ? (
          <Text size="sm">
            {[debtor.civility, debtor.lastName, debtor.firstName].filter(Boolean).join(' ')}
            {debtor.birthDate ? ` · né(e) le ${formatDate(debtor.birthDate)}` : ''}
          </Text>
        ) : (
          <Text size="sm">
            {debtor.legalName}
            {debtor.siren ? ` · SIREN ${debtor.siren.replace(/(\d{3})(?=\d)/g, '$1 ')}` : ''}
            {debtor.siret ? ` · SIRET ${debtor.siret}` : ''}
          </Text>
        )}
        <div>
          <Text size="xs" c="dimmed" mb={2}>
            Téléphones
          </Text>
          {debtor.phones.length === 0 && (
            <Text size="sm" c="dimmed">
              Aucun
            </Text>
          )}
          {debtor.phones.map((p) => (
            <Group key={p.id} gap={6} wrap="nowrap" data-testid="debtor-phone">
              <Anchor
                href={telHref(p.number)}
                size="sm"
                className="tabular"
                td={p.status === 'invalid' ? 'line-through' : undefined}
                c={p.status === 'invalid' ? 'dimmed' : undefined}
                style={{ whiteSpace: 'nowrap' }}
              >
                {formatPhone(p.number)}
              </Anchor>
              <Tooltip
                label={
                  `${PHONE_KINDS.labels[p.kind]} · ` +
                  (p.statusChangedAt
                    ? `${CONTACT_STATUSES.labels[p.status]} depuis le ${formatInstant(p.statusChangedAt)}`
                    : 'jamais vérifié') +
                  (p.source ? ` · source : ${p.source}` : '')
                }
              >
                <Badge
                  size="xs"
                  variant="light"
                  color={CONTACT_COLORS[p.status]}
                  tt="none"
                  style={{ minWidth: 'max-content' }}
                >
                  {PHONE_KINDS.labels[p.kind]} · {CONTACT_STATUSES.labels[p.status].toLowerCase()}
                </Badge>
              </Tooltip>
              <Button size="compact-xs" variant="subtle" ml="auto" onClick={() => onCall(p.id)}>
                Appeler
              </Button>
            </Group>
          ))}
        </div>
        {debtor.emails.length > 0 && (
          <div>
            <Text size="xs" c="dimmed" mb={2}>
              E-mails
            </Text>
            {debtor.emails.map((e) => (
              <Group key={e.id} gap={6}>
                <Text size="sm" td={e.status === 'invalid' ? 'line-through' : undefined}>
                  {e.address}
                </Text>
                <Badge size="xs" variant="light" color={CONTACT_COLORS[e.status]} tt="none">
                  {CONTACT_STATUSES.labels[e.status]}
                </Badge>
              </Group>
            ))}
          </div>
        )}
        <div>
          <Text size="xs" c="dimmed" mb={2}>
            Adresse{current.length > 1 ? 's' : ''}
          </Text>
          {current.length === 0 && (
            <Text size="sm" c="dimmed">
              Aucune adresse en cours
            </Text>
          )}
          {current.map((a) => (
            <Text key={a.id} size="sm">
              {a.line1}
              {a.line2 ? `, ${a.line2}` : ''}, {a.postalCode} {a.city}
              {a.country !== 'FR' ? ` (${a.country})` : ''}
              <Text span size="xs" c="dimmed">
                {' '}
                · depuis le {formatDate(a.validFrom)}
                {a.source ? ` · ${a.source}` : ''}
              </Text>
            </Text>
          ))}
          {former.length > 0 && (
            <>
              <Anchor component="button" size="xs" onClick={() => setHistory((h) => !h)}>
                {history ? 'Masquer' : 'Voir'} les {former.length} adresse{former.length > 1 ? 's' : ''} précédente
                {former.length > 1 ? 's' : ''}
              </Anchor>
              <Collapse expanded={history}>
                {former.map((a) => (
                  <Text key={a.id} size="xs" c="dimmed">
                    {a.line1}, {a.postalCode} {a.city} · du {formatDate(a.validFrom)} au{' '}
                    {a.validTo ? formatDate(a.validTo) : '—'}
                  </Text>
                ))}
              </Collapse>
            </>
          )}
        </div>
        <Text size="xs" c="dimmed">
          Appels : {file.calls.outboundLast30Days} sortant{file.calls.outboundLast30Days > 1 ? 's' : ''} sur 30 jours (4
          au plus){file.calls.callBackRequested ? ' · rappel demandé' : ''} · {file.debtor.locale.label}
        </Text>
      </Stack>
    </Card>
  )
}

function CaseCard({ file }: { file: CaseFile }) {
  const { openCase } = useNavigation()
  const c = file.case
  return (
    <Card withBorder padding="sm">
      <Text fw={600} mb={6}>
        Dossier
      </Text>
      <Stack gap={8}>
        <Field label="Client (créancier)">
          {file.client.legalName}{' '}
          <Text span size="xs" c="dimmed">
            ({file.client.code}, {file.client.city})
          </Text>
        </Field>
        <Field label="Mandat">
          {file.mandate.reference} · commission {formatBasisPoints(file.mandate.commissionRateBp)} · signé le{' '}
          {formatDate(file.mandate.signedOn)}
        </Field>
        <Group grow>
          <Field label="Chargé de recouvrement">{c.collectorName ?? 'Non affecté'}</Field>
          <Field label="Priorité">
            <Badge size="sm" variant="light" color={PRIORITY_COLORS[c.priority]} tt="none">
              {CASE_PRIORITIES.labels[c.priority]}
            </Badge>
          </Field>
        </Group>
        <Group grow>
          <Field label="Ouvert le">{formatDate(c.openedOn)}</Field>
          <Field label="Prochaine action">
            <span data-testid="next-action">
              {c.nextActionOn ? formatDate(c.nextActionOn) : '—'}
              {c.nextActionOn && c.nextActionOn < file.today ? ' (en retard)' : ''}
            </span>
          </Field>
        </Group>
        <Field label="Dernier contact">
          {c.lastContactAt
            ? `${formatInstant(c.lastContactAt)}${c.lastContactOutcome ? ` · ${CALL_OUTCOMES.labels[c.lastContactOutcome]}` : ''}`
            : 'Aucun'}
        </Field>
        {file.relatedCases.length > 0 && (
          <Field label="Autres dossiers du débiteur">
            <Stack gap={2}>
              {file.relatedCases.map((r) => (
                <Group key={r.id} gap={6}>
                  <Anchor component="button" size="sm" onClick={() => openCase(r.id)}>
                    {r.reference}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {r.clientName} · {formatCents(r.balanceCents)}
                  </Text>
                  <PhaseBadge phase={r.phase} />
                </Group>
              ))}
            </Stack>
          </Field>
        )}
      </Stack>
    </Card>
  )
}

function Banners({ file, openDialog }: { file: CaseFile; openDialog: (d: CaseDialog) => void }) {
  const open = file.deadlines.filter((d) => !d.completedOn)
  return (
    <>
      {open.map((d) => (
        <Alert
          key={d.id}
          color={d.dueOn < file.today ? 'red' : 'orange'}
          title={d.kind === 'claim_declaration' ? 'Déclaration de créance à faire' : 'Contestation de l’état du passif'}
          data-testid="deadline-banner"
        >
          <Group justify="space-between">
            <Text size="sm">
              Au plus tard le <b>{formatDate(d.dueOn)}</b> ({deadlineCountdown(d.dueOn, file.today)}) — {d.basis}.
            </Text>
            <Button size="xs" variant="white" onClick={() => openDialog({ kind: 'deadline', deadline: d })}>
              Marquer comme faite
            </Button>
          </Group>
        </Alert>
      ))}
      {file.case.status === 'suspended' && file.case.suspensionReason && (
        <Alert color="yellow" p="xs">
          <Text size="sm">
            Recouvrement suspendu ({SUSPENSION_REASONS.labels[file.case.suspensionReason].toLowerCase()}) : aucune
            relance n’est envoyée.
            {file.case.suspensionReason === 'collective_proceedings' &&
              ' Aucune poursuite pour les créances antérieures au jugement (C. com. L622-21).'}
            {file.case.suspensionReason === 'over_indebtedness' &&
              ' Les procédures d’exécution sont suspendues (C. consom. L722-2).'}
          </Text>
        </Alert>
      )}
    </>
  )
}

/** The case file (dossier). `a` logs a call, `n` adds a note, Esc goes back. */
export function CaseFilePage({ caseId }: { caseId: string }) {
  const { closeCase } = useNavigation()
  const query = useChannel('casefile:get', { caseId })
  const [dialog, setDialog] = useState<CaseDialog | null>(null)
  const [call, setCall] = useState<{ phoneId: string | null } | null>(null)
  const [letters, setLetters] = useState(false)
  const [tab, setTab] = useState<string | null>('timeline')
  const file = query.data

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null
      const typing =
        target instanceof HTMLInputElement ||
        target instanceof HTMLTextAreaElement ||
        target instanceof HTMLSelectElement ||
        target?.isContentEditable
      // A dialog handles its own keys (Esc closes it, not the case).
      if (typing || event.altKey || event.ctrlKey || event.metaKey || document.querySelector('[role="dialog"]')) return
      if (event.key === 'Escape') closeCase()
      else if (event.key === 'a' && file) {
        event.preventDefault()
        setCall({ phoneId: null })
      } else if (event.key === 'n' && file) {
        event.preventDefault()
        setDialog({ kind: 'note' })
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [closeCase, file])

  if (query.isPending) return <Loader />
  if (query.isError) return <ErrorPanel error={query.error} title="Ce dossier ne peut pas être ouvert" />
  const c = file!.case
  const f = file!
  const closed = c.status === 'closed'
  const close = () => setDialog(null)

  return (
    <Stack gap="sm" data-testid="case-file">
      <Group justify="space-between" align="flex-start">
        <Group gap="sm">
          <Button variant="subtle" size="xs" onClick={closeCase}>
            ← Retour (Échap)
          </Button>
          <Title order={2}>{f.debtor.displayName}</Title>
          <PhaseBadge phase={c.phase} />
          <StatusBadge row={c} />
        </Group>
        <Text c="dimmed" className="tabular">
          Dossier {c.reference}
        </Text>
      </Group>
      <Group gap="xs">
        <Button onClick={() => setCall({ phoneId: null })} rightSection={<Kbd size="xs">A</Kbd>}>
          Consigner un appel
        </Button>
        <Button variant="light" onClick={() => setDialog({ kind: 'note' })} rightSection={<Kbd size="xs">N</Kbd>}>
          Note
        </Button>
        <Button variant="light" onClick={() => setDialog({ kind: 'next-action' })} disabled={closed}>
          Prochaine action
        </Button>
        <Button variant="light" onClick={() => setLetters(true)} disabled={closed} data-testid="open-letters">
          Courriers
        </Button>
        <Menu position="bottom-start" withinPortal>
          <Menu.Target>
            <Button variant="default">Autres actions ▾</Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => setDialog({ kind: 'promise' })} disabled={closed}>
              Enregistrer une promesse…
            </Menu.Item>
            <Menu.Item onClick={() => setDialog({ kind: 'phase' })} disabled={closed}>
              Changer de phase…
            </Menu.Item>
            <Menu.Item onClick={() => setDialog({ kind: 'assign' })} disabled={closed}>
              Affecter à un chargé…
            </Menu.Item>
            {c.status === 'suspended' ? (
              <Menu.Item onClick={() => setDialog({ kind: 'resume' })}>Reprendre le recouvrement…</Menu.Item>
            ) : (
              <Menu.Item onClick={() => setDialog({ kind: 'suspend' })} disabled={closed}>
                Suspendre…
              </Menu.Item>
            )}
            <Menu.Item onClick={() => setDialog({ kind: 'proceeding' })} disabled={closed}>
              Procédure collective ou surendettement…
            </Menu.Item>
            <Menu.Divider />
            <Menu.Item color="red" onClick={() => setDialog({ kind: 'close' })} disabled={closed}>
              Clôturer…
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>

      <Banners file={f} openDialog={setDialog} />

      <Grid gap="sm">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="sm">
            <BalanceCard file={f} />
            <Card withBorder padding="sm">
              <Tabs value={tab} onChange={setTab} keepMounted={false}>
                <Tabs.List>
                  <Tabs.Tab value="timeline">Historique</Tabs.Tab>
                  <Tabs.Tab value="claims">Créances ({f.claims.length})</Tabs.Tab>
                  <Tabs.Tab value="promises">Promesses et plan</Tabs.Tab>
                  <Tabs.Tab value="payments">Paiements</Tabs.Tab>
                  <Tabs.Tab value="solvency">Solvabilité</Tabs.Tab>
                  <Tabs.Tab value="documents">Documents ({f.documents.length})</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="timeline" pt="sm">
                  <Timeline file={f} />
                </Tabs.Panel>
                <Tabs.Panel value="claims" pt="sm">
                  <ClaimsTable file={f} />
                </Tabs.Panel>
                <Tabs.Panel value="promises" pt="sm">
                  <PromisesPlanPanel file={f} />
                </Tabs.Panel>
                <Tabs.Panel value="payments" pt="sm">
                  <PaymentsTable file={f} />
                </Tabs.Panel>
                <Tabs.Panel value="solvency" pt="sm">
                  <SolvencyPanel file={f} openDialog={setDialog} />
                </Tabs.Panel>
                <Tabs.Panel value="documents" pt="sm">
                  <CaseDocumentsPanel file={f} />
                </Tabs.Panel>
              </Tabs>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="sm">
            <DebtorCard file={f} onCall={(phoneId) => setCall({ phoneId })} />
            <CaseCard file={f} />
            {f.assessment && (
              <Card withBorder padding="sm">
                <Text size="xs" c="dimmed">
                  Solvabilité évaluée le {formatDate(f.assessment.assessedOn)}
                </Text>
                <Text size="sm" fw={500}>
                  {f.assessment.monthlyCapacityCents !== null
                    ? `Capacité de remboursement : ${formatCents(f.assessment.monthlyCapacityCents)} par mois`
                    : 'Capacité non chiffrée'}
                </Text>
              </Card>
            )}
          </Stack>
        </Grid.Col>
      </Grid>

      {call && <CallDialog file={f} initialPhoneId={call.phoneId} onClose={() => setCall(null)} />}
      {letters && <LettersDialog file={f} onClose={() => setLetters(false)} />}
      {dialog?.kind === 'note' && <NoteDialog file={f} onClose={close} />}
      {dialog?.kind === 'promise' && <PromiseDialog file={f} onClose={close} />}
      {dialog?.kind === 'phase' && <PhaseDialog file={f} onClose={close} />}
      {dialog?.kind === 'assign' && <AssignDialog file={f} onClose={close} />}
      {dialog?.kind === 'suspend' && (
        <SuspendDialog
          file={f}
          onClose={close}
          onProceeding={(kind) => setDialog({ kind: 'proceeding', proceedingKind: kind })}
        />
      )}
      {dialog?.kind === 'resume' && <ResumeDialog file={f} onClose={close} />}
      {dialog?.kind === 'close' && <CloseDialog file={f} onClose={close} />}
      {dialog?.kind === 'next-action' && <NextActionDialog file={f} onClose={close} />}
      {dialog?.kind === 'proceeding' && (
        <ProceedingDialog file={f} proceeding={dialog.proceeding} initialKind={dialog.proceedingKind} onClose={close} />
      )}
      {dialog?.kind === 'deadline' && <DeadlineDialog file={f} deadline={dialog.deadline} onClose={close} />}
    </Stack>
  )
}
