import { useEffect, useRef, useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  Image,
  List,
  NumberInput,
  PasswordInput,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { AgencyIdentity, LetterPreview, SmtpSettings, SmtpSettingsView, TemplateDto } from '@shared/contract'
import { BLOCK_CATALOGUE, PLACEHOLDER_CATALOGUE, type TemplateCode, type TemplateContent } from '@shared/documents'
import { formatInstant } from '@shared/format/french'
import { call, useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { PdfViewer } from './PdfViewer'

const AGENCY_FIELDS: { key: keyof AgencyIdentity; label: string; span?: number; hint?: string }[] = [
  { key: 'name', label: 'Dénomination', span: 2 },
  { key: 'legalForm', label: 'Forme juridique' },
  { key: 'capital', label: 'Capital' },
  { key: 'siren', label: 'SIREN' },
  { key: 'rcsCity', label: 'Ville du RCS' },
  { key: 'addressLine1', label: 'Adresse', span: 2 },
  { key: 'addressLine2', label: 'Complément d’adresse', span: 2 },
  { key: 'postalCode', label: 'Code postal' },
  { key: 'city', label: 'Ville' },
  { key: 'phone', label: 'Téléphone' },
  { key: 'email', label: 'E-mail' },
  { key: 'insurer', label: 'Assureur RC professionnelle (R. 124-2 1°)' },
  { key: 'insurancePolicy', label: 'N° de contrat d’assurance' },
  { key: 'clientAccountBank', label: 'Banque du compte de fonds de tiers (R. 124-2 2°)' },
  { key: 'clientAccountHolder', label: 'Intitulé du compte de fonds de tiers' },
  { key: 'clientAccountIban', label: 'IBAN du compte de fonds de tiers' },
  { key: 'clientAccountBic', label: 'BIC' },
  { key: 'chequePayee', label: 'Ordre des chèques' },
  {
    key: 'prosecutorDeclaration',
    label: 'Déclaration au procureur (R. 124-2 3°)',
    hint: 'ex. : déclarée au procureur de la République de Lyon le 12/01/2021'
  },
  { key: 'dpoContact', label: 'Contact du délégué à la protection des données', span: 2 },
  { key: 'retention', label: 'Durée de conservation (bloc RGPD)', span: 2 },
  { key: 'signatory', label: 'Signataire par défaut' }
]

function AgencyCard() {
  const agency = useChannel('documents:agency-get', {})
  if (agency.isError) return <ErrorPanel error={agency.error} />
  if (!agency.data) return null
  return <AgencyForm initial={agency.data} />
}

function AgencyForm({ initial }: { initial: AgencyIdentity }) {
  const logo = useChannel('documents:logo-get', {})
  const [form, setForm] = useState<AgencyIdentity>(initial)
  const input = useRef<HTMLInputElement>(null)
  const save = useChannelMutation('documents:agency-save', {
    onSuccess: () => notifications.show({ color: 'green', message: 'Identité de l’agence enregistrée.' })
  })
  const upload = useChannelMutation('documents:logo-upload', {
    onSuccess: (r) => {
      setForm((f) => ({ ...f, logoSha256: r.logoSha256 }))
      notifications.show({ color: 'green', message: 'Logo enregistré.' })
    }
  })
  const set = (key: keyof AgencyIdentity, value: string | number) => setForm({ ...form, [key]: value })
  const onFile = async (fileList: FileList | null) => {
    const f = fileList?.[0]
    if (!f) return
    const bytes = new Uint8Array(await f.arrayBuffer())
    let binary = ''
    for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!)
    upload.mutate({ dataBase64: btoa(binary), mimeType: f.type === 'image/png' ? 'image/png' : 'image/jpeg' })
  }
  return (
    <Card withBorder data-testid="agency-card">
      <Title order={4} mb="xs">
        Agence : en-tête et identité légale
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Imprimées sur chaque courrier (article R. 124-4) ; un courrier est refusé tant que le nom, l’adresse,
        l’assurance, le compte de fonds de tiers et le contact du délégué à la protection des données manquent.
      </Text>
      <Group mb="sm" align="center">
        {logo.data ? (
          <Image
            src={`data:${logo.data.mimeType};base64,${logo.data.dataBase64}`}
            h={48}
            w="auto"
            fit="contain"
            alt="Logo de l’agence"
          />
        ) : (
          <Text size="sm" c="dimmed">
            Pas de logo
          </Text>
        )}
        <input
          ref={input}
          type="file"
          accept="image/png,image/jpeg"
          hidden
          onChange={(e) => void onFile(e.currentTarget.files)}
        />
        <Button size="xs" variant="light" onClick={() => input.current?.click()} loading={upload.isPending}>
          Choisir un logo (PNG ou JPEG)…
        </Button>
      </Group>
      <SimpleGrid cols={2} spacing="xs">
        {AGENCY_FIELDS.map((f) => (
          <TextInput
            key={f.key}
            label={f.label}
            description={f.hint}
            value={String(form[f.key] ?? '')}
            onChange={(e) => set(f.key, e.currentTarget.value)}
            style={f.span === 2 ? { gridColumn: 'span 2' } : undefined}
            size="xs"
            data-testid={`agency-${f.key}`}
          />
        ))}
        <NumberInput
          label="Délai de paiement accordé (jours)"
          value={form.paymentDelayDays}
          min={1}
          max={60}
          onChange={(v) => set('paymentDelayDays', Number(v) || 8)}
          size="xs"
        />
      </SimpleGrid>
      {save.error ? <ErrorPanel error={save.error} /> : null}
      <Group justify="flex-end" mt="sm">
        <Button onClick={() => save.mutate(form)} loading={save.isPending} data-testid="agency-save">
          Enregistrer
        </Button>
      </Group>
    </Card>
  )
}

function SmtpCard() {
  const smtp = useChannel('documents:smtp-get', {})
  if (!smtp.data) return null
  return <SmtpForm initial={smtp.data} />
}

function SmtpForm({ initial }: { initial: SmtpSettingsView }) {
  const [form, setForm] = useState<SmtpSettings>({
    host: initial.host,
    port: initial.port,
    secure: initial.secure,
    user: initial.user,
    from: initial.from,
    password: ''
  })
  const save = useChannelMutation('documents:smtp-save', {
    onSuccess: () => notifications.show({ color: 'green', message: 'Réglages SMTP enregistrés.' })
  })
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        E-mail (SMTP)
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Sans serveur, les e-mails sont créés en fichiers .eml à ouvrir avec votre messagerie. Le mot de passe est
        chiffré hors de la base de données et n’est jamais réaffiché.
      </Text>
      <SimpleGrid cols={2} spacing="xs">
        <TextInput
          label="Serveur"
          value={form.host}
          onChange={(e) => setForm({ ...form, host: e.currentTarget.value })}
          size="xs"
        />
        <NumberInput
          label="Port"
          value={form.port}
          onChange={(v) => setForm({ ...form, port: Number(v) || 587 })}
          size="xs"
        />
        <TextInput
          label="Utilisateur"
          value={form.user}
          onChange={(e) => setForm({ ...form, user: e.currentTarget.value })}
          size="xs"
        />
        <PasswordInput
          label={`Mot de passe : ${initial.hasPassword ? 'défini' : 'non défini'}`}
          description={initial.hasPassword ? 'Saisir pour le remplacer ; vide : inchangé' : undefined}
          data-testid="smtp-password"
          placeholder={initial.hasPassword ? '(inchangé)' : ''}
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
          size="xs"
        />
        <TextInput
          label="Expéditeur"
          value={form.from}
          onChange={(e) => setForm({ ...form, from: e.currentTarget.value })}
          size="xs"
        />
        <Checkbox
          label="Connexion TLS directe (port 465)"
          checked={form.secure}
          onChange={(e) => setForm({ ...form, secure: e.currentTarget.checked })}
          mt="lg"
        />
      </SimpleGrid>
      {save.error ? <ErrorPanel error={save.error} /> : null}
      <Group justify="flex-end" mt="sm">
        <Button onClick={() => save.mutate(form)} loading={save.isPending}>
          Enregistrer
        </Button>
      </Group>
    </Card>
  )
}

function TemplateEditor({ template, today }: { template: TemplateDto; today: string }) {
  const [content, setContent] = useState<TemplateContent>(template.content)
  const [note, setNote] = useState('')
  const [preview, setPreview] = useState<LetterPreview | null>(null)
  const [previewError, setPreviewError] = useState<unknown>(null)
  const [at, setAt] = useState(today)
  const save = useChannelMutation('templates:save', {
    onSuccess: (t) => notifications.show({ color: 'green', message: `Modèle enregistré : version ${t.version}.` })
  })
  const restore = useChannelMutation('templates:restore', {
    onSuccess: (t) =>
      notifications.show({
        color: 'green',
        message: `${t.note ?? 'Version restaurée'} : elle devient la version ${t.version}.`
      })
  })
  // Live preview: re-rendered by the main process 600 ms after the last keystroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      call('templates:preview', { code: template.code, content, at })
        .then((p) => {
          setPreview(p)
          setPreviewError(null)
        })
        .catch((error: unknown) => setPreviewError(error))
    }, 600)
    return () => clearTimeout(timer)
  }, [content, at, template.code])
  const field = (key: keyof TemplateContent, label: string, rows = 1) =>
    rows > 1 ? (
      <Textarea
        label={label}
        value={content[key]}
        onChange={(e) => setContent({ ...content, [key]: e.currentTarget.value })}
        autosize
        minRows={rows}
        maxRows={30}
        size="xs"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        data-testid={`template-${key}`}
      />
    ) : (
      <TextInput
        label={label}
        value={content[key]}
        onChange={(e) => setContent({ ...content, [key]: e.currentTarget.value })}
        size="xs"
        data-testid={`template-${key}`}
      />
    )
  return (
    <Grid>
      <Grid.Col span={{ base: 12, xl: 6 }}>
        <Stack gap="xs">
          {field('title', 'Titre')}
          {field('subject', 'Objet')}
          {field('body', 'Corps du courrier (paragraphes séparés par une ligne vide)', 14)}
          {field('closing', 'Formule de politesse', 2)}
          {field('sms', 'Texte SMS (facultatif)', 2)}
          <TextInput
            label="Motif de la modification"
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            size="xs"
          />
          {save.error ? <ErrorPanel error={save.error} /> : null}
          <Group justify="space-between">
            <Button variant="default" size="xs" onClick={() => setContent(template.content)}>
              Annuler les modifications
            </Button>
            <Button
              size="xs"
              onClick={() => save.mutate({ code: template.code, content, note: note || null })}
              loading={save.isPending}
              data-testid="template-save"
            >
              Enregistrer (nouvelle version {template.version + 1})
            </Button>
          </Group>
          <SimpleGrid cols={1} spacing="xs">
            <div>
              <Text size="xs" fw={600}>
                Champs
              </Text>
              <ScrollArea h={180}>
                <Table fz="xs" verticalSpacing={2}>
                  <Table.Tbody>
                    {PLACEHOLDER_CATALOGUE.map((p) => (
                      <Table.Tr key={p.name}>
                        <Table.Td style={{ fontFamily: 'monospace' }}>{`{{${p.name}}}`}</Table.Td>
                        <Table.Td>{p.label}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea>
            </div>
            <div>
              <Text size="xs" fw={600}>
                Blocs (sur une ligne seule)
              </Text>
              <ScrollArea h={180}>
                <Table fz="xs" verticalSpacing={2}>
                  <Table.Tbody>
                    {BLOCK_CATALOGUE.map((b) => (
                      <Table.Tr key={b.name}>
                        <Table.Td style={{ fontFamily: 'monospace' }}>{`[[${b.name}]]`}</Table.Td>
                        <Table.Td>{b.label}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea>
            </div>
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            Ajoutés automatiquement : identité de l’agence et du créancier, modalités de paiement, article L. 111-8 et
            information RGPD sur le premier courrier et la mise en demeure, rappel du premier courrier ensuite.
          </Text>
          <Text size="xs" fw={600}>
            Versions
          </Text>
          <Stack gap={2} data-testid="template-versions">
            {template.versions.map((v) => (
              <Group key={v.version} gap="xs" wrap="nowrap" data-testid="template-version">
                <Text size="xs">
                  v{v.version} – {v.createdAt ? formatInstant(v.createdAt) : 'livrée'}{' '}
                  {v.authorName ? `– ${v.authorName}` : ''} {v.note ? `– ${v.note}` : ''}
                </Text>
                {v.version === template.version ? (
                  <Badge size="xs" variant="light" tt="none">
                    en vigueur
                  </Badge>
                ) : (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    loading={restore.isPending && restore.variables?.version === v.version}
                    onClick={() => restore.mutate({ code: template.code, version: v.version })}
                    data-testid={`template-restore-${v.version}`}
                  >
                    Restaurer cette version
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
          {restore.isError ? <ErrorPanel error={restore.error} /> : null}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, xl: 6 }}>
        <Group mb="xs" align="flex-end">
          <TextInput
            label="Aperçu au"
            type="date"
            value={at}
            onChange={(e) => setAt(e.currentTarget.value)}
            size="xs"
          />
          <Text size="xs" c="dimmed">
            sur le premier dossier en cours
          </Text>
        </Group>
        {previewError ? <ErrorPanel error={previewError} title="Aperçu impossible" /> : null}
        {preview && preview.refusals.length > 0 && (
          <Alert color="orange" title="Ce modèle serait refusé" mb="xs">
            <List size="xs">
              {preview.refusals.map((r, i) => (
                <List.Item key={i}>{r.message}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {preview && <PdfViewer base64={preview.pdfBase64} width={520} />}
      </Grid.Col>
    </Grid>
  )
}

function TemplatesCard({ today }: { today: string }) {
  const list = useChannel('templates:list', {})
  const [code, setCode] = useState<TemplateCode>('formal-notice')
  const template = useChannel('templates:get', { code })
  return (
    <Card withBorder data-testid="templates-card">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Modèles de courriers</Title>
        <Select
          data={(list.data ?? []).map((t) => ({ value: t.code, label: `${t.name} (v${t.version})` }))}
          value={code}
          onChange={(v) => v && setCode(v as TemplateCode)}
          allowDeselect={false}
          w={360}
          data-testid="template-select"
        />
      </Group>
      {template.data && (
        <>
          <Badge variant="light" mb="xs" tt="none">
            Version {template.data.version}
          </Badge>
          <TemplateEditor
            key={`${template.data.code}-${template.data.version}`}
            template={template.data}
            today={today}
          />
        </>
      )}
      {template.isError ? <ErrorPanel error={template.error} /> : null}
    </Card>
  )
}

/** Paramètres › Courriers: agency identity and logo, SMTP, letter templates. */
export function DocumentsSettings({ today }: { today: string }) {
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <AgencyCard />
        <SmtpCard />
      </SimpleGrid>
      <TemplatesCard today={today} />
    </Stack>
  )
}
