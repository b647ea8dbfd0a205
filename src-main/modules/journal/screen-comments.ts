import { AppError, type ValidationIssue } from '@shared/contract'
import { screenText, screeningMessage, type ScreeningFinding } from '@shared/screening/cnil-screening'

/**
 * Refuses free text the CNIL forbids in a debtor's file (see src-shared/screening): every
 * channel that saves a comment, a note or a reason calls this before writing. The refusal names
 * the words and why, per field, so the form can highlight them.
 */
export function assertScreened(fields: Record<string, string | null | undefined>): void {
  const findings: Array<{ field: string; finding: ScreeningFinding }> = []
  for (const [field, text] of Object.entries(fields)) {
    if (!text) continue
    for (const finding of screenText(text).findings) findings.push({ field, finding })
  }
  if (findings.length === 0) return
  const issues: ValidationIssue[] = findings.map(({ field, finding }) => ({
    path: field,
    message: `« ${finding.text} » — ${finding.reason}`
  }))
  throw new AppError(
    'BUSINESS_RULE',
    screeningMessage(findings.map((f) => f.finding)),
    `Comment refused by CNIL screening: ${findings.map((f) => `${f.field}:${f.finding.category}`).join(', ')}`,
    issues
  )
}
