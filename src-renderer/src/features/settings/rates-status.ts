import type { RateTables } from '@shared/contract'

/** "2026-S2" → "2e semestre 2026". */
export function semesterLabel(semester: string): string {
  const [year, half] = semester.split('-S')
  return `${half === '1' ? '1er' : '2e'} semestre ${year}`
}

function semesterOf(date: string): string {
  return `${date.slice(0, 4)}-S${Number(date.slice(5, 7)) <= 6 ? 1 : 2}`
}

/** French sentences naming each table that has no rate for today's semester. */
export function missingCurrentSemesters(tables: RateTables, today: string): string[] {
  const current = semesterOf(today)
  const messages: string[] = []
  if (!tables.legalInterest.some((r) => r.semester === current)) {
    messages.push(`Le taux de l’intérêt légal du ${semesterLabel(current)} n’est pas saisi.`)
  }
  if (!tables.ecbRefinancing.some((r) => r.semester === current)) {
    messages.push(`Le taux BCE du ${semesterLabel(current)} n’est pas saisi.`)
  }
  return messages
}
