import { describe, expect, it } from 'vitest'
import {
  cellText,
  excelSerialToDate,
  parseAmountCents,
  parseCalendarDate,
  parseEmail,
  parsePostalCode
} from '@shared/imports/values'
import { decodeText, detectSeparator, parseCsv } from '@shared/imports/csv'
import {
  applySavedMapping,
  detectMapping,
  mappingProblems,
  normalizeHeader,
  toSavedMapping
} from '@shared/imports/mapping'
import { boundedEditDistance, probablySameName } from '@shared/imports/similarity'

const value = <T>(parsed: { ok: true; value: T } | { ok: false; reason: string }) =>
  parsed.ok ? parsed.value : parsed.reason

describe('amounts', () => {
  it.each([
    ['1 234,56', 123456],
    ['1\u00a0234,56', 123456],
    ['1\u202f234,56\u00a0€', 123456],
    ['1234,56 €', 123456],
    ['1234,5', 123450],
    ['1.234,56', 123456],
    ['1,234.56', 123456],
    ['1234.56', 123456],
    ['1 234 567', 123456700],
    ['1.234.567,89', 123456789],
    ['12 EUR', 1200],
    ['-12,50', -1250],
    ['(12,50)', -1250],
    ['12,50-', -1250],
    ['0,00', 0],
    ['€ 99', 9900],
    ['007,10', 710]
  ])('reads %s', (text, cents) => {
    expect(value(parseAmountCents(text))).toBe(cents)
  })

  it('reads Excel numbers, refusing fractions of a cent', () => {
    expect(value(parseAmountCents(1234.56))).toBe(123456)
    expect(value(parseAmountCents(0.1 + 0.2))).toBe(30)
    expect(value(parseAmountCents(1 / 3))).toBe('montant avec plus de deux décimales')
  })

  it.each([
    ['1.234', 'montant ambigu « 1.234 » : écrivez 1234 ou 1 234,00'],
    ['12,345', 'montant avec plus de deux décimales'],
    ['douze', 'montant illisible « douze »'],
    ['12,', 'montant illisible « 12, »'],
    ['1,23,4', 'montant illisible « 1,23,4 »'],
    ['', 'montant manquant']
  ])('refuses %s', (text, reason) => {
    expect(value(parseAmountCents(text))).toBe(reason)
  })
})

describe('dates', () => {
  it.each([
    ['31/12/2024', '2024-12-31'],
    ['1/2/2024', '2024-02-01'],
    ['31/12/24', '2024-12-31'],
    ['31-12-2024', '2024-12-31'],
    ['31.12.2024', '2024-12-31'],
    ['2024-12-31', '2024-12-31'],
    ['2024-12-31T00:00:00', '2024-12-31'],
    ['2024-12-31 23:59:59', '2024-12-31'],
    ['1er mars 2024', '2024-03-01'],
    ['15 décembre 2024', '2024-12-15'],
    ['15 fevr. 2024', '2024-02-15'],
    ['45657', '2024-12-31']
  ])('reads %s', (text, date) => {
    expect(value(parseCalendarDate(text))).toBe(date)
  })

  it('reads Excel serials and date cells without any time-zone shift', () => {
    expect(excelSerialToDate(45657)).toBe('2024-12-31')
    expect(excelSerialToDate(45657.99)).toBe('2024-12-31')
    expect(value(parseCalendarDate(45352))).toBe('2024-03-01')
    expect(value(parseCalendarDate(new Date(Date.UTC(2024, 11, 31))))).toBe('2024-12-31')
  })

  it.each([
    ['31/02/2024', 'date inexistante « 31/02/2024 »'],
    ['12/31/2024', 'date inexistante « 12/31/2024 »'],
    ['demain', 'date illisible « demain »'],
    ['01/01/1900', 'date improbable « 01/01/1900 »']
  ])('refuses %s', (text, reason) => {
    expect(value(parseCalendarDate(text))).toBe(reason)
  })
})

describe('identifiers and text', () => {
  it('puts back the leading zero Excel drops from a postal code', () => {
    expect(value(parsePostalCode(6000))).toBe('06000')
    expect(value(parsePostalCode(' 75 011 '))).toBe('75011')
    expect(value(parsePostalCode('750'))).toBe('code postal invalide « 750 »')
  })
  it('checks e-mail addresses', () => {
    expect(value(parseEmail(' Jean.Dupont@Example.fr '))).toBe('jean.dupont@example.fr')
    expect(value(parseEmail('jean.dupont@'))).toBe('adresse e-mail invalide « jean.dupont@ »')
  })
  it('collapses every kind of space', () => {
    expect(cellText('  SARL\u00a0\u202f Dupont\t ')).toBe('SARL Dupont')
  })
})

describe('CSV', () => {
  it('detects UTF-8 with and without BOM, and Windows-1252', () => {
    const utf8 = new TextEncoder().encode('Échéance;Montant\n')
    expect(decodeText(utf8)).toEqual({ text: 'Échéance;Montant\n', encoding: 'utf-8' })
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({
      text: 'Échéance;Montant\n',
      encoding: 'utf-8-bom'
    })
    const ansi = new Uint8Array([0xc9, 0x63, 0x68, 0xe9, 0x61, 0x6e, 0x63, 0x65, 0x3b, 0x31, 0x32, 0x20, 0x80])
    expect(decodeText(ansi)).toEqual({ text: 'Échéance;12 €', encoding: 'windows-1252' })
  })

  it('detects the separator on the header line', () => {
    expect(detectSeparator('Nom;Montant TTC\nDupont;"1 234,56"')).toBe(';')
    expect(detectSeparator('Name,Amount\r\n"Dupont; Jean",12')).toBe(',')
    expect(detectSeparator('Nom\tMontant\n')).toBe('\t')
  })

  it('reads quoted fields with separators, doubled quotes and line breaks', () => {
    const text = 'a;b;c\r\n"x;y";"il a dit ""non""";"ligne 1\nligne 2"\n\n1;;3\r\nlast;"";'
    expect([...parseCsv(text, ';')]).toEqual([
      ['a', 'b', 'c'],
      ['x;y', 'il a dit "non"', 'ligne 1\nligne 2'],
      ['1', '', '3'],
      ['last', '', '']
    ])
  })
})

describe('column mapping', () => {
  it('detects French and English headers', () => {
    const headers = [
      'Raison sociale',
      'N° SIREN',
      'Adresse',
      'CP',
      'Ville',
      'Tél.',
      'Courriel',
      'N° facture',
      'Date facture',
      'Échéance',
      'Montant TTC (€)',
      'Divers'
    ]
    const mapping = detectMapping(headers)
    expect(mapping).toMatchObject({
      legalName: 0,
      siren: 1,
      addressLine1: 2,
      postalCode: 3,
      city: 4,
      phone: 5,
      email: 6,
      invoiceNumber: 7,
      issuedOn: 8,
      dueOn: 9,
      amount: 10,
      lastName: null
    })
    expect(mappingProblems(mapping)).toEqual([])
    const english = detectMapping([
      'Company',
      'Last name',
      'First name',
      'Zip',
      'City',
      'Invoice number',
      'Invoice date',
      'Due date',
      'Amount due'
    ])
    expect(english).toMatchObject({
      legalName: 0,
      lastName: 1,
      firstName: 2,
      postalCode: 3,
      city: 4,
      invoiceNumber: 5,
      issuedOn: 6,
      dueOn: 7,
      amount: 8
    })
    expect(normalizeHeader('NUMÉRO DE FACTURE :')).toBe('numero de facture')
  })

  it('applies a saved mapping by header text, even when columns moved', () => {
    const saved = toSavedMapping(detectMapping(['Client', 'Réf', 'Échéance', 'Dû']), [
      'Client',
      'Réf',
      'Échéance',
      'Dû'
    ])
    expect(saved).toEqual({ dueOn: 'Échéance' })
    const edited = { lastName: 'Client', invoiceNumber: 'Réf', dueOn: 'Échéance', amount: 'Dû' }
    expect(applySavedMapping(edited, ['Dû', 'Échéance', 'Client', 'Réf'])).toMatchObject({
      amount: 0,
      dueOn: 1,
      lastName: 2,
      invoiceNumber: 3
    })
  })

  it('says what a mapping lacks', () => {
    expect(mappingProblems(detectMapping(['Montant']))).toEqual([
      'Associez une colonne « Raison sociale » ou « Nom » : le débiteur doit être nommé.',
      'Associez une colonne « N° de facture » (obligatoire).',
      'Associez une colonne « Échéance » (obligatoire).'
    ])
  })
})

describe('similar names', () => {
  it('finds typos, word order and legal forms, not different people', () => {
    expect(boundedEditDistance('dupont', 'dupond', 2)).toBe(1)
    expect(probablySameName('boulangerie martin sarl', 'sarl boulangerie martin')).toBe(true)
    expect(probablySameName('dupont jean', 'dupond jean')).toBe(true)
    expect(probablySameName('dupont jean', 'jean dupont')).toBe(true)
    expect(probablySameName('martin paul', 'bernard paul')).toBe(false)
    expect(probablySameName('roux ana', 'roux eva')).toBe(false)
  })
})

describe('import ids', () => {
  it('are UUID v7, unique and time-ordered', async () => {
    const { importId } = await import('../../../src-main/modules/imports/ids')
    const ids = Array.from({ length: 20_000 }, () => importId(1_763_856_000_000))
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect([...ids].sort()).toEqual(ids)
  })
})
