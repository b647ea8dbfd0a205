import { describe, expect, it } from 'vitest'
import {
  callWarnings,
  callWindowWarnings,
  defaultAnswerer,
  frequencyWarning,
  localTime,
  nextCallSlot,
  suggestNextAction,
  zonedInstant
} from '@shared/calls/call-policy'
import { PARIS_LOCALE, debtorLocale } from '@shared/calls/holidays'

const codes = (instant: string, locale = PARIS_LOCALE) => callWindowWarnings(instant, locale).map((w) => w.code)

describe('the call window (Mon–Fri 10–13 and 14–20, Paris time, no public holiday)', () => {
  it('reads the wall clock in Paris across daylight saving time', () => {
    expect(localTime('2026-11-23T09:30:00.000Z', 'Europe/Paris')).toMatchObject({
      date: '2026-11-23',
      weekday: 1,
      hhmm: '10:30'
    })
    expect(localTime('2026-07-01T08:30:00.000Z', 'Europe/Paris').hhmm).toBe('10:30')
    expect(localTime('2026-11-22T23:30:00.000Z', 'Europe/Paris')).toMatchObject({ date: '2026-11-23', hhmm: '00:30' })
  })

  it('accepts a call inside the slots, bounds included at the start and excluded at the end', () => {
    expect(codes('2026-11-23T09:00:00.000Z')).toEqual([]) // 10:00
    expect(codes('2026-11-23T11:59:00.000Z')).toEqual([]) // 12:59
    expect(codes('2026-11-23T12:00:00.000Z')).toEqual(['outside_hours']) // 13:00
    expect(codes('2026-11-23T13:00:00.000Z')).toEqual([]) // 14:00
    expect(codes('2026-11-23T18:59:00.000Z')).toEqual([]) // 19:59
    expect(codes('2026-11-23T19:00:00.000Z')).toEqual(['outside_hours']) // 20:00
    expect(codes('2026-11-23T08:59:00.000Z')).toEqual(['outside_hours']) // 09:59
  })

  it('warns on weekends and public holidays, with the holiday’s name', () => {
    expect(codes('2026-11-22T10:00:00.000Z')).toEqual(['weekend']) // Sunday 11:00
    expect(codes('2026-11-21T10:00:00.000Z')).toEqual(['weekend']) // Saturday
    const whitMonday = callWindowWarnings('2026-05-25T09:00:00.000Z')
    expect(whitMonday.map((w) => w.code)).toEqual(['public_holiday'])
    expect(whitMonday[0]!.message).toContain('Lundi de Pentecôte')
    expect(codes('2026-05-14T09:00:00.000Z')).toEqual(['public_holiday']) // Ascension
    expect(codes('2026-04-06T08:00:00.000Z')).toEqual(['public_holiday']) // Easter Monday
    const sundayNight = callWindowWarnings('2026-11-22T21:00:00.000Z')
    expect(sundayNight.map((w) => w.code)).toEqual(['weekend', 'outside_hours'])
    expect(sundayNight[1]!.message).toContain('22:00')
  })

  it('reads the window in the debtor’s time zone', () => {
    const reunion = debtorLocale({ postalCode: '97400', country: 'FR' })
    // 15:00 UTC = 16:00 Paris (allowed) but 19:00 in La Réunion (allowed) … 17:00 UTC = 21:00 Réunion.
    expect(codes('2026-11-23T15:00:00.000Z', reunion)).toEqual([])
    expect(codes('2026-11-23T17:00:00.000Z', reunion)).toEqual(['outside_hours'])
  })
})

describe('the frequency cap', () => {
  it('warns from the fifth outbound call in 30 days unless the debtor asked to be called back', () => {
    expect(frequencyWarning(3, false)).toBeNull()
    expect(frequencyWarning(4, false)?.code).toBe('too_many_calls')
    expect(frequencyWarning(4, false)?.message).toContain('Déjà 4 appels')
    expect(frequencyWarning(7, true)).toBeNull()
  })

  it('warns on an outbound call to a case whose dunning is stopped, citing the law under proceedings', () => {
    const context = {
      at: '2026-11-23T09:30:00.000Z',
      locale: PARIS_LOCALE,
      previousOutboundCalls: 0,
      callBackRequested: false
    }
    expect(
      callWarnings({ ...context, direction: 'outbound', caseStatus: { status: 'open', suspensionReason: null } })
    ).toEqual([])
    const proceedings = callWarnings({
      ...context,
      direction: 'outbound',
      caseStatus: { status: 'suspended', suspensionReason: 'collective_proceedings' }
    })
    expect(proceedings).toEqual([expect.objectContaining({ code: 'dunning_stopped' })])
    expect(proceedings[0]!.message).toContain('L622-7')
    expect(
      callWarnings({ ...context, direction: 'inbound', caseStatus: { status: 'closed', suspensionReason: null } })
    ).toEqual([])
  })

  it('never warns on an inbound call', () => {
    const context = {
      at: '2026-11-22T21:00:00.000Z',
      locale: PARIS_LOCALE,
      previousOutboundCalls: 9,
      callBackRequested: false
    }
    expect(callWarnings({ ...context, direction: 'inbound' })).toEqual([])
    expect(callWarnings({ ...context, direction: 'outbound' }).map((w) => w.code)).toEqual([
      'weekend',
      'outside_hours',
      'too_many_calls'
    ])
  })
})

describe('the next allowed slot', () => {
  it('is the instant itself inside the window, else the next slot start on a business day', () => {
    expect(nextCallSlot('2026-11-23T09:30:00.000Z').toISOString()).toBe('2026-11-23T09:30:00.000Z')
    expect(nextCallSlot('2026-11-23T12:30:00.000Z').toISOString()).toBe('2026-11-23T13:00:00.000Z') // 13:30 → 14:00
    expect(nextCallSlot('2026-11-23T20:00:00.000Z').toISOString()).toBe('2026-11-24T09:00:00.000Z') // 21:00 → Tue 10:00
    expect(nextCallSlot('2026-05-22T19:30:00.000Z').toISOString()).toBe('2026-05-26T08:00:00.000Z') // Fri night → Tue (Whit Monday), summer time
  })

  it('converts a wall-clock time back to an instant', () => {
    expect(zonedInstant('2026-03-29', 10 * 60, 'Europe/Paris').toISOString()).toBe('2026-03-29T08:00:00.000Z')
    expect(zonedInstant('2026-03-28', 10 * 60, 'Europe/Paris').toISOString()).toBe('2026-03-28T09:00:00.000Z')
  })
})

describe('form defaults', () => {
  it('infers who answered from the outcome', () => {
    expect(defaultAnswerer('no_answer')).toBe('no_answer')
    expect(defaultAnswerer('message_left')).toBe('voicemail')
    expect(defaultAnswerer('wrong_number')).toBe('wrong_number')
    expect(defaultAnswerer('promise_to_pay')).toBe('debtor')
  })

  it('suggests the next action on a business day from the outcome', () => {
    // Monday 23 November 2026.
    expect(suggestNextAction('no_answer', '2026-11-23')).toBe('2026-11-24')
    expect(suggestNextAction('message_left', '2026-11-23')).toBe('2026-11-25')
    expect(suggestNextAction('disputes_debt', '2026-11-23')).toBe('2026-11-30')
    // A promise is checked the business day after it falls due (Friday → Monday).
    expect(suggestNextAction('promise_to_pay', '2026-11-23', { promiseDueOn: '2026-11-27' })).toBe('2026-11-30')
    // Friday 24 December → skip Christmas and the weekend.
    expect(suggestNextAction('no_answer', '2026-12-24')).toBe('2026-12-28')
  })
})
