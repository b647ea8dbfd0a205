import { useState } from 'react'
import {
  Alert,
  Anchor,
  Autocomplete,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { CaseFile, FactCategory, SolvencyFactDto, SolvencyFactFields } from '@shared/contract'
import {
  EMPLOYMENT_STATUSES,
  HOUSING_TENURES,
  INCOME_RANGES,
  PROCEEDING_KINDS,
  SOLVENCY_ASSESSMENTS,
  SOLVENCY_CATEGORIES,
  type EmploymentStatus,
  type HousingTenure,
  type IncomeRange,
  type SolvencyAssessment,
  type SolvencyCategory
} from '@shared/domain/enums'
import { formatCents, formatDate, formatInstant } from '@shared/format/french'
import { deadlineCountdown } from '@shared/proceedings/deadlines'
import { useChannel } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import type { CaseDialog } from './ActionDialogs'
import { ScreenedTextarea, useScreening } from './ScreenedTextarea'
import { parseEuros, useAction } from './use-action'

const FACT_CATEGORIES: FactCategory[] = [
  'employment',
  'income',
  'charges',
  'household',
  'real_estate',
  'vehicle',
  'bank_account',
  'assets',
  'other_debts',
  'company_health',
  'other'
]

const SOURCES = [
  'Déclaration du débiteur',
  'Justificatif fourni',
  'Client',
  'Enquête',
  'Commissaire de justice',
  'Registre du commerce (Infogreffe)',
  'Service de publicité foncière'
]

const ASSESSMENT_COLORS: Record<SolvencyAssessment, string> = {
  solvent: 'teal',
  partial_capacity: 'yellow',
  insolvent: 'red',
  unknown: 'gray'
}

function Money({
  label,
  value,
  onChange,
  required
}: {
  label: string
  value: string | number
  onChange: (v: string | number) => void
  required?: boolean
}) {
  return (
    <NumberInput
      label={label}
      suffix=" €"
      decimalSeparator=","
      thousandSeparator={' '}
      decimalScale={2}
      allowNegative={false}
      hideControls
      value={value}
      onChange={onChange}
      required={required}
    />
  )
}

function FactDialog({
  file,
  supersedes,
  onClose
}: {
  file: CaseFile
  supersedes: SolvencyFactDto | null
  onClose: () => void
}) {
  const initialCategory = (
    supersedes && FACT_CATEGORIES.includes(supersedes.category as FactCategory) ? supersedes.category : 'employment'
  ) as FactCategory
  const [category, setCategory] = useState<FactCategory>(initialCategory)
  const [status, setStatus] = useState<EmploymentStatus>('permanent')
  const [employer, setEmployer] = useState('')
  const [range, setRange] = useState<IncomeRange | null>(null)
  const [amount, setAmount] = useState<string | number>('')
  const [dependants, setDependants] = useState<string | number>(0)
  const [couple, setCouple] = useState(false)
  const [tenure, setTenure] = useState<HousingTenure>('tenant')
  const [description, setDescription] = useState('')
  const [observedOn, setObservedOn] = useState(file.today)
  const [source, setSource] = useState('Déclaration du débiteur')
  const [comment, setComment] = useState('')
  const screening = useScreening(comment)
  const textScreening = useScreening(`${employer} ${description} ${source}`)
  const add = useAction('solvency:add-fact')

  const cents = amount === '' ? undefined : (parseEuros(amount) ?? undefined)
  let fields: SolvencyFactFields | null = null
  switch (category) {
    case 'employment':
      fields = { category, status, ...(employer.trim() ? { employer: employer.trim() } : {}) }
      break
    case 'income':
      fields =
        range || cents !== undefined
          ? { category, ...(range ? { range } : {}), ...(cents !== undefined ? { monthlyCents: cents } : {}) }
          : null
      break
    case 'charges':
      fields = cents !== undefined ? { category, monthlyCents: cents } : null
      break
    case 'household':
      fields = { category, dependants: Number(dependants) || 0, livesInCouple: couple }
      break
    case 'real_estate':
      fields = { category, tenure, ...(cents !== undefined ? { estimatedValueCents: cents } : {}) }
      break
    case 'vehicle':
    case 'assets':
      fields = description.trim()
        ? { category, description: description.trim(), ...(cents !== undefined ? { estimatedValueCents: cents } : {}) }
        : null
      break
    case 'bank_account':
      fields = description.trim() ? { category, bank: description.trim() } : null
      break
    case 'other_debts':
      fields = {
        category,
        ...(description.trim() ? { creditor: description.trim() } : {}),
        ...(cents !== undefined ? { amountCents: cents } : {})
      }
      break
    case 'company_health':
    case 'other':
      fields = comment.trim() ? { category } : null
  }
  const canSubmit = fields !== null && screening.ok && textScreening.ok && !!observedOn && source.trim().length > 0

  return (
    <Modal
      opened
      onClose={onClose}
      title={supersedes ? 'Remplacer un fait de solvabilité' : 'Ajouter un fait de solvabilité'}
      size="lg"
    >
      <Stack gap="sm">
        {supersedes && (
          <Text size="sm" c="dimmed">
            Remplace : {supersedes.summary} ({formatDate(supersedes.observedOn)}). L’ancien fait reste visible, marqué
            remplacé.
          </Text>
        )}
        <Select
          label="Catégorie"
          data={FACT_CATEGORIES.map((value) => ({ value, label: SOLVENCY_CATEGORIES.labels[value] }))}
          value={category}
          onChange={(v) => v && setCategory(v as FactCategory)}
          allowDeselect={false}
          disabled={!!supersedes}
        />
        {category === 'employment' && (
          <Group grow>
            <Select
              label="Situation"
              data={EMPLOYMENT_STATUSES.values.map((value) => ({ value, label: EMPLOYMENT_STATUSES.labels[value] }))}
              value={status}
              onChange={(v) => v && setStatus(v as EmploymentStatus)}
              allowDeselect={false}
            />
            <TextInput label="Employeur" value={employer} onChange={(e) => setEmployer(e.currentTarget.value)} />
          </Group>
        )}
        {category === 'income' && (
          <Group grow align="flex-start">
            <Select
              label="Tranche de revenus mensuels nets"
              data={INCOME_RANGES.values.map((value) => ({ value, label: INCOME_RANGES.labels[value] }))}
              value={range}
              onChange={(v) => setRange(v as IncomeRange | null)}
              clearable
            />
            <Money label="ou montant exact (mensuel)" value={amount} onChange={setAmount} />
          </Group>
        )}
        {category === 'charges' && (
          <Money label="Charges mensuelles (loyer, crédits, pensions…)" value={amount} onChange={setAmount} required />
        )}
        {category === 'household' && (
          <Group grow align="flex-end">
            <NumberInput label="Personnes à charge" value={dependants} onChange={setDependants} min={0} max={20} />
            <Switch
              label="Vit en couple"
              checked={couple}
              onChange={(e) => setCouple(e.currentTarget.checked)}
              mb={8}
            />
          </Group>
        )}
        {category === 'real_estate' && (
          <Group grow align="flex-start">
            <SegmentedControl
              value={tenure}
              onChange={(v) => setTenure(v as HousingTenure)}
              data={HOUSING_TENURES.values.map((value) => ({ value, label: HOUSING_TENURES.labels[value] }))}
              aria-label="Logement"
            />
            {tenure === 'owner' && <Money label="Valeur estimée" value={amount} onChange={setAmount} />}
          </Group>
        )}
        {(category === 'vehicle' ||
          category === 'assets' ||
          category === 'bank_account' ||
          category === 'other_debts') && (
          <Group grow align="flex-start">
            <TextInput
              label={
                category === 'vehicle'
                  ? 'Véhicule (marque, modèle, année)'
                  : category === 'assets'
                    ? 'Bien'
                    : category === 'bank_account'
                      ? 'Banque'
                      : 'Créancier'
              }
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              required={category !== 'other_debts'}
            />
            {category !== 'bank_account' && (
              <Money
                label={category === 'other_debts' ? 'Montant' : 'Valeur estimée'}
                value={amount}
                onChange={setAmount}
              />
            )}
          </Group>
        )}
        <Group grow>
          <TextInput
            type="date"
            label="Constaté le"
            value={observedOn}
            max={file.today}
            onChange={(e) => setObservedOn(e.currentTarget.value)}
            required
          />
          <Autocomplete label="Source" data={SOURCES} value={source} onChange={setSource} required />
        </Group>
        <ScreenedTextarea
          label={category === 'company_health' || category === 'other' ? 'Description' : 'Commentaire (facultatif)'}
          value={comment}
          onChange={setComment}
          result={screening}
          minRows={2}
        />
        {!textScreening.ok && (
          <Alert color="red" p="xs">
            {textScreening.findings.map((f) => `« ${f.text} » — ${f.reason}`).join(' ')}
          </Alert>
        )}
        {add.error && <ErrorPanel error={add.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annuler
          </Button>
          <Button
            disabled={!canSubmit}
            loading={add.isPending}
            onClick={() =>
              fields &&
              add.mutate(
                {
                  caseId: file.case.id,
                  fields,
                  observedOn,
                  source: source.trim(),
                  ...(comment.trim() ? { comment: comment.trim() } : {}),
                  ...(supersedes ? { supersedesNoteId: supersedes.id } : {})
                },
                {
                  onSuccess: () => {
                    notifications.show({ color: 'teal', message: 'Fait de solvabilité enregistré' })
                    onClose()
                  }
                }
              )
            }
          >
            Enregistrer
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

function AssessDialog({
  file,
  suggestion,
  onClose
}: {
  file: CaseFile
  suggestion: number | null
  onClose: () => void
}) {
  const [assessment, setAssessment] = useState<SolvencyAssessment>(
    file.assessment?.assessment ?? (suggestion ? 'partial_capacity' : 'unknown')
  )
  const [capacity, setCapacity] = useState<string | number>(
    file.assessment?.monthlyCapacityCents != null
      ? file.assessment.monthlyCapacityCents / 100
      : suggestion != null
        ? suggestion / 100
        : ''
  )
  const [comment, setComment] = useState('')
  const screening = useScreening(comment)
  const assess = useAction('solvency:assess')
  const cents = capacity === '' ? null : parseEuros(capacity)
  return (
    <Modal opened onClose={onClose} title="Évaluer la solvabilité" size="lg">
      <Stack gap="sm">
        <SegmentedControl
          value={assessment}
          onChange={(v) => setAssessment(v as SolvencyAssessment)}
          data={SOLVENCY_ASSESSMENTS.values.map((value) => ({ value, label: SOLVENCY_ASSESSMENTS.labels[value] }))}
          aria-label="Évaluation"
        />
        <Money
          label="Capacité de remboursement mensuelle"
          value={assessment === 'insolvent' ? 0 : capacity}
          onChange={setCapacity}
        />
        {suggestion !== null && (
          <Text size="xs" c="dimmed">
            Suggestion d’après les faits : {formatCents(suggestion)} par mois. Utilisée pour proposer un échéancier.
          </Text>
        )}
        <ScreenedTextarea label="Commentaire (facultatif)" value={comment} onChange={setComment} result={screening} />
        {assess.error && <ErrorPanel error={assess.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annuler
          </Button>
          <Button
            disabled={!screening.ok}
            loading={assess.isPending}
            onClick={() =>
              assess.mutate(
                {
                  caseId: file.case.id,
                  assessment,
                  monthlyCapacityCents: assessment === 'insolvent' ? null : cents,
                  ...(comment.trim() ? { comment: comment.trim() } : {})
                },
                {
                  onSuccess: () => {
                    notifications.show({ color: 'teal', message: 'Évaluation enregistrée' })
                    onClose()
                  }
                }
              )
            }
          >
            Enregistrer
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

/** Solvabilité: sourced and dated facts, the assessment and capacity, proceedings and deadlines. */
export function SolvencyPanel({ file, openDialog }: { file: CaseFile; openDialog: (dialog: CaseDialog) => void }) {
  const view = useChannel('solvency:get', { caseId: file.case.id })
  const [factDialog, setFactDialog] = useState<{ supersedes: SolvencyFactDto | null } | null>(null)
  const [assessing, setAssessing] = useState(false)
  const [showHistory, setShowHistory] = useState(false)
  if (view.isPending) return <Loader size="sm" />
  if (view.isError) return <ErrorPanel error={view.error} />
  const { facts, assessment, suggestion, proceedings } = view.data
  const standing = facts.filter((f) => !f.superseded)
  const shown = showHistory ? facts : standing
  const byCategory = new Map<SolvencyCategory, SolvencyFactDto[]>()
  for (const fact of shown) byCategory.set(fact.category, [...(byCategory.get(fact.category) ?? []), fact])

  return (
    <Stack gap="md" data-testid="solvency-panel">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder padding="sm">
          <Group justify="space-between" mb={6}>
            <Text fw={600}>Évaluation</Text>
            <Button size="xs" variant="light" onClick={() => setAssessing(true)}>
              Évaluer
            </Button>
          </Group>
          {assessment ? (
            <Stack gap={4}>
              <Group gap="xs">
                <Badge color={ASSESSMENT_COLORS[assessment.assessment]} variant="light" tt="none">
                  {SOLVENCY_ASSESSMENTS.labels[assessment.assessment]}
                </Badge>
                <Text size="sm">
                  {assessment.monthlyCapacityCents !== null
                    ? `Capacité : ${formatCents(assessment.monthlyCapacityCents)} par mois`
                    : 'Capacité non chiffrée'}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                Le {formatDate(assessment.assessedOn)}
                {assessment.createdByName ? ` par ${assessment.createdByName}` : ''}
                {assessment.comment ? ` — ${assessment.comment}` : ''}
              </Text>
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              Pas encore évaluée.
            </Text>
          )}
          <Text size="xs" mt={6} c="dimmed" data-testid="capacity-suggestion">
            Suggestion : {suggestion.capacityCents !== null ? `${formatCents(suggestion.capacityCents)} par mois` : '—'}{' '}
            · {suggestion.explanation}
          </Text>
        </Card>
        <Card withBorder padding="sm">
          <Group justify="space-between" mb={6}>
            <Text fw={600}>Procédures</Text>
            <Button size="xs" variant="light" color="yellow" onClick={() => openDialog({ kind: 'proceeding' })}>
              Déclarer une procédure
            </Button>
          </Group>
          {proceedings.length === 0 ? (
            <Text size="sm" c="dimmed">
              Aucune procédure collective ni surendettement connu.
            </Text>
          ) : (
            <Stack gap={6}>
              {proceedings.map((p) => (
                <div key={p.id}>
                  <Text size="sm" fw={500}>
                    {PROCEEDING_KINDS.labels[p.kind]} — {formatDate(p.judgmentOn)}
                    {p.court ? `, ${p.court}` : ''}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {p.bodaccPublishedOn ? `BODACC du ${formatDate(p.bodaccPublishedOn)}` : ''}
                    {p.noticeReceivedOn ? `État du passif reçu le ${formatDate(p.noticeReceivedOn)}` : ''}
                    {p.administrator ? ` · ${p.administrator}` : ''}
                    {p.reference ? ` · réf. ${p.reference}` : ''}
                  </Text>
                  <Anchor
                    component="button"
                    size="xs"
                    onClick={() => openDialog({ kind: 'proceeding', proceeding: p })}
                  >
                    Compléter (dates, mandataire)
                  </Anchor>
                </div>
              ))}
              {file.deadlines.map((d) => (
                <Alert key={d.id} color={d.completedOn ? 'gray' : d.dueOn < file.today ? 'red' : 'orange'} p="xs">
                  <Text size="sm">
                    {d.kind === 'claim_declaration' ? 'Déclaration de créance' : 'Contestation de l’état du passif'} :{' '}
                    {d.completedOn ? (
                      <>faite le {formatDate(d.completedOn)}</>
                    ) : (
                      <>
                        <b>avant le {formatDate(d.dueOn)}</b> ({deadlineCountdown(d.dueOn, file.today)}){' '}
                        <Anchor
                          component="button"
                          size="sm"
                          onClick={() => openDialog({ kind: 'deadline', deadline: d })}
                        >
                          Marquer comme faite
                        </Anchor>
                      </>
                    )}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {d.basis}
                  </Text>
                </Alert>
              ))}
            </Stack>
          )}
        </Card>
      </SimpleGrid>

      <Group justify="space-between">
        <Text fw={600}>Faits ({standing.length})</Text>
        <Group gap="xs">
          {facts.length > standing.length && (
            <Switch
              size="xs"
              label="Afficher les faits remplacés"
              checked={showHistory}
              onChange={(e) => setShowHistory(e.currentTarget.checked)}
            />
          )}
          <Button size="xs" onClick={() => setFactDialog({ supersedes: null })}>
            Ajouter un fait
          </Button>
        </Group>
      </Group>
      {byCategory.size === 0 ? (
        <Text size="sm" c="dimmed">
          Aucun fait enregistré : emploi, revenus, charges, logement, véhicules, banques…
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs">
          {[...byCategory].map(([category, list]) => (
            <Card key={category} withBorder padding="xs">
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={4}>
                {SOLVENCY_CATEGORIES.labels[category]}
              </Text>
              <Stack gap={6}>
                {list.map((fact) => (
                  <div key={fact.id} data-testid="solvency-fact">
                    <Text
                      size="sm"
                      td={fact.superseded ? 'line-through' : undefined}
                      c={fact.superseded ? 'dimmed' : undefined}
                    >
                      {fact.summary}
                    </Text>
                    <Group gap={6}>
                      <Text size="xs" c="dimmed">
                        {formatDate(fact.observedOn)} · {fact.source ?? 'source inconnue'}
                        {fact.createdByName
                          ? ` · saisi par ${fact.createdByName} le ${formatInstant(fact.createdAt)}`
                          : ''}
                      </Text>
                      {!fact.superseded && category !== 'proceedings' && (
                        <Anchor component="button" size="xs" onClick={() => setFactDialog({ supersedes: fact })}>
                          Remplacer
                        </Anchor>
                      )}
                    </Group>
                  </div>
                ))}
              </Stack>
            </Card>
          ))}
        </SimpleGrid>
      )}
      {factDialog && <FactDialog file={file} supersedes={factDialog.supersedes} onClose={() => setFactDialog(null)} />}
      {assessing && (
        <AssessDialog file={file} suggestion={suggestion.capacityCents} onClose={() => setAssessing(false)} />
      )}
    </Stack>
  )
}
