import { useState } from 'react'
import { Alert, Button, Card, Group, List, NumberInput, SegmentedControl, Stack, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { formatInteger } from '@shared/format/french'
import { useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'

const SIZES = ['1000', '10000', '50000', '200000'] as const

/** First launch on an empty database: offer a realistic demo portfolio to try the app on. */
export function WelcomePage() {
  const [size, setSize] = useState<(typeof SIZES)[number]>('1000')
  const [seed, setSeed] = useState<number>(1)
  const generate = useChannelMutation('demo:generate', {
    onSuccess: (result) =>
      notifications.show({
        color: 'teal',
        title: 'Démonstration prête',
        message: `${formatInteger(result.counts.cases)} dossiers créés en ${(result.durationMs / 1000).toFixed(1)} s.`
      })
  })

  const start = () => generate.mutate({ cases: Number(size), seed })

  return (
    <Stack maw={720}>
      <Title order={2}>Bienvenue dans Recouvra</Title>
      <Text>
        La base de données est vide. Vous pouvez y charger un portefeuille de démonstration réaliste pour découvrir
        l’application : clients créanciers avec leurs conventions, débiteurs particuliers et entreprises, créances,
        historique d’appels et de courriers, paiements, promesses et échéanciers.
      </Text>
      <Card withBorder>
        <Stack>
          <div>
            <Text fw={500} mb={6}>
              Taille du portefeuille
            </Text>
            <SegmentedControl
              value={size}
              onChange={(value) => setSize(value as (typeof SIZES)[number])}
              data={SIZES.map((value) => ({ value, label: `${formatInteger(Number(value))} dossiers` }))}
              disabled={generate.isPending}
            />
          </div>
          <NumberInput
            label="Graine"
            description="La même graine redonne exactement le même portefeuille."
            value={seed}
            onChange={(value) => setSeed(typeof value === 'number' ? value : 1)}
            min={0}
            max={2 ** 31 - 1}
            allowDecimal={false}
            w={200}
            disabled={generate.isPending}
          />
          <Group>
            <Button onClick={start} loading={generate.isPending} data-testid="demo-generate">
              Charger la démonstration
            </Button>
            {generate.isPending && (
              <Text size="sm" c="dimmed">
                Création en cours… ({size === '200000' ? 'environ une minute' : 'quelques secondes'})
              </Text>
            )}
          </Group>
          {generate.isError && <ErrorPanel error={generate.error} />}
        </Stack>
      </Card>
      <Alert color="gray" title="Sans démonstration">
        <List size="sm">
          <List.Item>Les données de démonstration ne peuvent être chargées que dans une base vide.</List.Item>
          <List.Item>
            Pour partir de vos propres dossiers, importez les portefeuilles de vos clients (Excel, CSV) depuis la page
            Import (Alt+7).
          </List.Item>
        </List>
      </Alert>
    </Stack>
  )
}
