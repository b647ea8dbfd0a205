import { useMemo } from 'react'
import { Alert, List, Mark, Text, Textarea, type TextareaProps } from '@mantine/core'
import { screenText, type ScreeningResult } from '@shared/screening/cnil-screening'

/** Screens a comment as it is typed (the main process refuses it anyway). */
export function useScreening(text: string): ScreeningResult {
  return useMemo(() => screenText(text), [text])
}

/** The text with the words to rephrase highlighted. */
export function HighlightedFindings({ text, result }: { text: string; result: ScreeningResult }) {
  const parts: React.ReactNode[] = []
  let at = 0
  result.findings.forEach((f, i) => {
    if (f.start > at) parts.push(text.slice(at, f.start))
    parts.push(
      <Mark key={i} color="red" title={f.reason} data-testid="screening-mark">
        {text.slice(f.start, f.end)}
      </Mark>
    )
    at = f.end
  })
  if (at < text.length) parts.push(text.slice(at))
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
      {parts}
    </Text>
  )
}

/**
 * A comment field that cannot hold what the CNIL forbids in a debtor's file: the words found are
 * highlighted with the reason, and the form stays blocked until the collector rephrases.
 */
export function ScreenedTextarea({
  value,
  onChange,
  result,
  ...props
}: Omit<TextareaProps, 'value' | 'onChange'> & {
  value: string
  onChange: (value: string) => void
  result: ScreeningResult
}) {
  const reasons = [...new Map(result.findings.map((f) => [f.category, f])).values()]
  return (
    <div>
      <Textarea
        autosize
        minRows={2}
        maxRows={8}
        {...props}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        error={result.ok ? props.error : 'À reformuler : voir ci-dessous'}
      />
      {!result.ok && (
        <Alert color="red" mt="xs" p="xs" title="Contenu interdit dans un dossier (CNIL)" data-testid="screening-alert">
          <HighlightedFindings text={value} result={result} />
          <List size="xs" mt={6}>
            {reasons.map((f) => (
              <List.Item key={f.category}>
                <b>
                  {result.findings
                    .filter((x) => x.category === f.category)
                    .map((x) => `« ${x.text} »`)
                    .join(', ')}
                </b>{' '}
                — {f.reason}
              </List.Item>
            ))}
          </List>
          <Text size="xs" c="dimmed" mt={6}>
            Le débiteur peut lire ce commentaire (droit d’accès). Décrivez des faits utiles au recouvrement, sans
            jugement ni donnée sensible.
          </Text>
        </Alert>
      )}
    </div>
  )
}
