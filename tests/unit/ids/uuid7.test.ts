import { describe, expect, it } from 'vitest'
import { isUuid7, uuid7, uuid7Timestamp } from '@shared/ids/uuid7'

describe('uuid7', () => {
  it('makes valid version-7 UUIDs carrying their timestamp', () => {
    const at = Date.UTC(2026, 10, 23, 9, 0, 0)
    const id = uuid7(at)
    expect(isUuid7(id)).toBe(true)
    expect(uuid7Timestamp(id)).toBe(at)
  })

  it('keeps ids strictly increasing within and across milliseconds', () => {
    const at = Date.UTC(2030, 0, 1)
    const ids = Array.from({ length: 10_000 }, (_, i) => uuid7(at + Math.floor(i / 3000)))
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('never goes backwards when the clock does', () => {
    const a = uuid7(Date.UTC(2031, 0, 1, 12))
    const b = uuid7(Date.UTC(2031, 0, 1, 11))
    expect(b > a).toBe(true)
  })
})
