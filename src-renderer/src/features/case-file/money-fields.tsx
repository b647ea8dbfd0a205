import { TextInput, type TextInputProps } from '@mantine/core'
import { isCalendarDate } from '@shared/dates/calendar-date'
import { formatCents } from '@shared/format/french'
import { parseEuros } from './use-action'

/**
 * An amount typed the French way ("1 234,56", "1234.5", "80 €"); the parent keeps the text and
 * reads the cents with `amountCents`. Once left, a valid amount is shown back in French format.
 */
export function AmountInput({
  value,
  onChange,
  ...props
}: Omit<TextInputProps, 'value' | 'onChange'> & { value: string; onChange: (value: string) => void }) {
  return (
    <TextInput
      onBlur={() => {
        const cents = value.trim() ? parseEuros(value) : null
        if (cents !== null) onChange(formatCents(cents, { currency: false }))
      }}
      inputMode="decimal"
      placeholder="0,00"
      rightSection="€"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      {...props}
    />
  )
}

/** The amount typed, in cents; null when empty or not an amount. */
export function amountCents(value: string): number | null {
  return value.trim() ? parseEuros(value) : null
}

/** French message for an amount field, or undefined when it is fine (shown once the user typed). */
export function amountError(value: string, { required = true, allowZero = false } = {}): string | undefined {
  if (!value.trim()) return required ? 'Montant obligatoire' : undefined
  const cents = parseEuros(value)
  if (cents === null) return 'Montant invalide : chiffres, virgule et deux décimales au plus (ex. 1 234,56)'
  if (cents === 0 && !allowZero) return 'Le montant doit être supérieur à 0'
  if (cents > 100_000_000_00) return 'Montant trop élevé'
  return undefined
}

/** French message for a date field (YYYY-MM-DD from a date input). */
export function dateError(
  value: string,
  {
    required = true,
    max,
    min,
    maxLabel,
    minLabel
  }: { required?: boolean; max?: string; min?: string; maxLabel?: string; minLabel?: string } = {}
): string | undefined {
  if (!value) return required ? 'Date obligatoire' : undefined
  if (!isCalendarDate(value)) return 'Date invalide'
  if (max && value > max) return maxLabel ?? 'Date dans le futur'
  if (min && value < min) return minLabel ?? 'Date trop ancienne'
  return undefined
}
