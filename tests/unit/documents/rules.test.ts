import { describe, expect, it } from 'vitest'
import {
  AMICABLE_ACTIVITY_STATEMENT,
  DEFAULT_TEMPLATES,
  GDPR_HEADING,
  L111_8_HEADING,
  L111_8_PARAGRAPHS,
  type LetterFacts,
  type LetterModel,
  type LetterSection,
  PLACEHOLDER_CATALOGUE,
  checkLetter,
  gdprText,
  placeholdersIn
} from '@shared/documents'
import { formatCents } from '@shared/format/french'

const FACTS: LetterFacts = {
  profile: 'amicable',
  debtorIsConsumer: true,
  hasEnforceableTitle: false,
  isFirstLetter: true,
  firstLetter: null,
  agency: { name: 'Cabinet Lumière', postalCode: '69002', city: 'Lyon', dpoContact: 'dpo@lumiere.fr' },
  creditor: { name: 'Boulangerie Martin', city: '75002 Paris' },
  demandedClaims: [{ reference: 'F-1', timeBarred: false, expiresOn: '2028-01-01' }],
  amounts: { principalCents: 100_000, interestCents: 1_234, indemnityCents: 0, paidCents: 0, balanceCents: 101_234 },
  demandableBalanceCents: 101_234,
  deadline: '2026-07-08'
}

function legal(): LetterSection[] {
  return [
    {
      kind: 'legal',
      id: 'payment_methods',
      heading: 'Modalités de paiement',
      text: 'Par virement sur le compte IBAN FR76 1234, référence REC-1.'
    },
    { kind: 'legal', id: 'l111_8', heading: L111_8_HEADING, text: L111_8_PARAGRAPHS.join('\n') },
    {
      kind: 'legal',
      id: 'gdpr',
      heading: GDPR_HEADING,
      text: gdprText({
        agencyName: 'Cabinet Lumière',
        creditorName: 'Boulangerie Martin',
        dpoContact: 'dpo@lumiere.fr',
        retention: '5 ans'
      })
    }
  ]
}

/** A compliant first letter; each test breaks one thing. */
function letter(overrides: Partial<LetterModel> = {}): LetterModel {
  return {
    templateCode: 'reminder',
    templateVersion: 1,
    profile: 'amicable',
    letterhead: { name: 'Cabinet Lumière', lines: ['18 quai Saint-Antoine', '69002 Lyon'] },
    recipient: { name: 'DURAND Marie', addressLines: ['12 rue des Lilas', '69003 Lyon'] },
    placeDate: 'Lyon, le 30 juin 2026',
    references: [{ label: 'Notre référence', value: 'REC-1/C1' }],
    title: 'Relance',
    subject: 'Sommes restant dues',
    sections: [
      {
        kind: 'paragraph',
        text: `Cabinet Lumière, 18 quai Saint-Antoine, 69002 Lyon, ${AMICABLE_ACTIVITY_STATEMENT}. Elle agit pour le compte de Boulangerie Martin, 1 rue de la Paix, 75002 Paris.`
      },
      {
        kind: 'table',
        name: 'créances',
        columns: ['Facture', 'Principal', 'Intérêts', 'Solde dû'],
        align: ['left', 'right', 'right', 'right'],
        rows: [['F-1', formatCents(100_000), formatCents(1_234), formatCents(101_234)]]
      },
      { kind: 'paragraph', text: `Nous vous demandons de régler ${formatCents(101_234)} au plus tard le 08/07/2026.` },
      ...legal()
    ],
    closing: 'Salutations distinguées.',
    signature: ['Claire Martin'],
    footer: 'Cabinet Lumière – SAS',
    ...overrides
  }
}

const rules = (model: LetterModel, facts: Partial<LetterFacts> = {}) =>
  checkLetter(model, { ...FACTS, ...facts }).map((v) => v.rule)

function without(model: LetterModel, predicate: (s: LetterSection) => boolean): LetterModel {
  return { ...model, sections: model.sections.filter((s) => !predicate(s)) }
}

describe('letter rules', () => {
  it('accepts a compliant first letter', () => {
    expect(checkLetter(letter(), FACTS)).toEqual([])
  })

  describe('R124-4: the first letter carries every mention', () => {
    it('refuses without the amicable recovery statement (1°)', () => {
      const model = letter()
      model.sections[0] = {
        kind: 'paragraph',
        text: 'Cabinet Lumière, 18 quai Saint-Antoine, 69002 Lyon, pour Boulangerie Martin, 75002 Paris.'
      }
      const violations = checkLetter(model, FACTS)
      expect(violations.map((v) => v.rule)).toContain('r124_4')
      expect(violations[0]!.message).toContain('activité de recouvrement amiable')
    })
    it('refuses without the creditor (2°)', () => {
      const model = letter()
      model.sections[0] = {
        kind: 'paragraph',
        text: `Cabinet Lumière, 18 quai Saint-Antoine, 69002 Lyon, ${AMICABLE_ACTIVITY_STATEMENT}.`
      }
      expect(checkLetter(model, FACTS)[0]!.message).toContain('créancier (2°)')
    })
    it('refuses without the amounts by component (3°)', () => {
      const model = without(letter(), (s) => s.kind === 'table')
      model.sections.push({ kind: 'paragraph', text: 'Merci de régler votre dette.' })
      expect(checkLetter(model, { ...FACTS, amounts: { ...FACTS.amounts, interestCents: 999 } })[0]!.message).toContain(
        '3°'
      )
    })
    it('refuses without the payment methods (4°)', () => {
      expect(
        checkLetter(
          without(letter(), (s) => s.kind === 'legal' && s.id === 'payment_methods'),
          FACTS
        )[0]!.message
      ).toContain('4°')
    })
    it('refuses without L111-8 al. 2 and 3 verbatim (5°), even one word changed', () => {
      expect(
        checkLetter(
          without(letter(), (s) => s.kind === 'legal' && s.id === 'l111_8'),
          FACTS
        )[0]!.message
      ).toContain('5°')
      const altered = letter()
      altered.sections = altered.sections.map((s) =>
        s.kind === 'legal' && s.id === 'l111_8' ? { ...s, text: s.text.replace('mauvaise foi', 'bonne foi') } : s
      )
      expect(rules(altered)).toContain('r124_4')
    })
    it('refuses without the data-protection block', () => {
      expect(rules(without(letter(), (s) => s.kind === 'legal' && s.id === 'gdpr'))).toEqual(['gdpr'])
    })
    it('every mise en demeure carries them too, even after a first letter', () => {
      const model = without(
        letter({ profile: 'formal_notice', title: 'Mise en demeure' }),
        (s) => s.kind === 'legal' && s.id === 'l111_8'
      )
      expect(
        rules(model, {
          profile: 'formal_notice',
          isFirstLetter: false,
          firstLetter: { reference: 'REC-1/C1', date: '2026-06-01' }
        })
      ).toContain('r124_4')
    })
  })

  it('a later letter must repeat the reference and date of the first letter', () => {
    const facts = { isFirstLetter: false, firstLetter: { reference: 'REC-1/C1', date: '2026-06-01' } }
    expect(rules(letter(), facts)).toEqual(['first_letter_reference'])
    const ok = letter({ references: [{ label: 'Premier courrier', value: 'réf. REC-1/C1 du 01/06/2026' }] })
    expect(rules(ok, facts)).toEqual([])
    // A receipt is a later step too.
    expect(rules(letter({ profile: 'receipt' }), { ...facts, profile: 'receipt' })).toEqual(['first_letter_reference'])
  })

  describe('L111-8: no fee the agency may not claim', () => {
    const withText = (text: string) => {
      const model = letter()
      model.sections.splice(1, 0, { kind: 'paragraph', text })
      return model
    }
    it.each([
      'Des frais de dossier de 30 € s’ajoutent.',
      'Frais de recouvrement : 15,00 €',
      'Honoraires du cabinet : 50 €',
      'frais de mise en demeure'
    ])('refuses « %s »', (text) => {
      expect(rules(withText(text))).toContain('forbidden_fees')
    })
    it('refuses the €40 indemnity for a consumer, accepts it between professionals', () => {
      const text = 'Indemnité forfaitaire pour frais de recouvrement : 40,00 €'
      expect(rules(withText(text), { amounts: { ...FACTS.amounts, indemnityCents: 4_000 } })).toContain(
        'forbidden_fees'
      )
      expect(
        rules(withText(text), { debtorIsConsumer: false, amounts: { ...FACTS.amounts, indemnityCents: 4_000 } })
      ).not.toContain('forbidden_fees')
    })
    it('the L111-8 quotation itself is not a fee', () => {
      expect(rules(letter())).toEqual([])
    })
    it('fees are allowed once an enforceable title exists', () => {
      expect(rules(withText('Frais de procédure : 80 €'), { hasEnforceableTitle: true })).toEqual([])
    })
  })

  describe('no time-barred claim demanded', () => {
    it('refuses a letter listing a time-barred claim', () => {
      const violations = checkLetter(letter(), {
        ...FACTS,
        demandedClaims: [{ reference: 'F-OLD', timeBarred: true, expiresOn: '2024-01-01' }]
      })
      expect(violations.map((v) => v.rule)).toEqual(['time_barred'])
      expect(violations[0]!.message).toContain('F-OLD (prescrite depuis le 01/01/2024)')
    })
    it('refuses a demand above the balance of the claims that are not time-barred', () => {
      expect(rules(letter(), { demandableBalanceCents: 50_000 })).toEqual(['time_barred'])
    })
    it('refuses a demand of nothing', () => {
      expect(rules(letter(), { amounts: { ...FACTS.amounts, balanceCents: 0 } })).toContain('time_barred')
    })
  })

  describe('amicable letters never imitate court documents', () => {
    it.each([
      'Commandement de payer',
      'Nous procéderons à la saisie de vos biens.',
      'Notre huissier passera.',
      'Un commissaire de justice sera mandaté.',
      'Dernier avis avant poursuites',
      'RÉPUBLIQUE FRANÇAISE'
    ])('refuses « %s » in the text', (text) => {
      const model = letter()
      model.sections.push({ kind: 'paragraph', text })
      expect(rules(model)).toContain('court_imitation')
    })
    it.each(['Avis d’exécution', 'Tribunal – Injonction', 'Acte de signification', 'URGENT – Dernier avis'])(
      'refuses the official-looking heading « %s »',
      (title) => {
        expect(rules(letter({ title }))).toContain('court_imitation')
      }
    )
    it('allows a court file to use court vocabulary', () => {
      const model = letter({ profile: 'court', title: 'Récapitulatif pour la requête en injonction de payer' })
      expect(rules(model, { profile: 'court' })).toEqual([])
    })
  })

  it('mise en demeure: refuses without deadline, consequences or mandatary capacity', () => {
    const facts = { profile: 'formal_notice' as const }
    const base = letter({ profile: 'formal_notice', title: 'Mise en demeure' })
    expect(rules(base, facts)).toEqual(['formal_notice'])
    const full = letter({ profile: 'formal_notice', title: 'Mise en demeure' })
    full.sections.push({
      kind: 'paragraph',
      text: 'Nous vous mettons en demeure, pour le compte de Boulangerie Martin, de payer au plus tard le 08/07/2026. À défaut, notre mandant pourra saisir la juridiction compétente.'
    })
    expect(rules(full, facts)).toEqual([])
  })

  it('shipped templates use only catalogued placeholders and no forbidden word', () => {
    const known = new Set(PLACEHOLDER_CATALOGUE.map((p) => p.name))
    for (const t of DEFAULT_TEMPLATES) {
      for (const text of Object.values(t.content))
        for (const name of placeholdersIn(text)) expect(known, `${t.code}: ${name}`).toContain(name)
      if (t.profile !== 'court')
        expect(`${t.content.title} ${t.content.body}`).not.toMatch(/commandement|saisie|huissier|frais de dossier/i)
    }
  })
})
