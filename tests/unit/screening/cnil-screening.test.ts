import { describe, expect, it } from 'vitest'
import { normalizeForScreening, screenText, screeningMessage } from '@shared/screening/cnil-screening'

const found = (text: string) => screenText(text).findings.map((f) => [f.text, f.category])

describe('CNIL screening of free-text comments', () => {
  it('lets objective, factual comments through', () => {
    for (const text of [
      'Débiteur joint au 06 12 34 56 78, promet un virement de 200 € avant le 30/11.',
      'Demande un échéancier sur 6 mois, justificatifs de revenus à recevoir.',
      'Conteste la facture F-2026-014 : livraison incomplète selon lui, bon de livraison demandé au client.',
      'Numéro invalide, recherche d’un autre contact. Compte bancaire à l’étranger signalé par le client.',
      'Le syndic de copropriété confirme l’adresse. Rendez-vous pris à la mairie.',
      'Santé financière de l’entreprise fragile : chiffre d’affaires en baisse.',
      'Parle de contester, consultation de son conseil prévue.'
    ]) {
      expect(screenText(text), text).toEqual({ ok: true, findings: [] })
    }
  })

  it('finds sensitive words whatever the case and accents, with their category', () => {
    expect(found('Il est MALADE depuis mars, hospitalisée deux fois')).toEqual([
      ['MALADE', 'health'],
      ['hospitalisée', 'health']
    ])
    expect(found('Débitrice enceinte, arrêt de travail')).toEqual([
      ['enceinte', 'health'],
      ['arrêt de travail', 'health']
    ])
    expect(found('Très pratiquant, va à la mosquee le vendredi')).toEqual([
      ['pratiquant', 'religion'],
      ['mosquee', 'religion']
    ])
    expect(found('Délégué syndical CGT, militant communiste')).toEqual([
      ['syndical', 'union'],
      ['CGT', 'union'],
      ['militant', 'political'],
      ['communiste', 'political']
    ])
    expect(found('Sorti de prison, casier judiciaire chargé')).toEqual([
      ['prison', 'offences'],
      ['casier judiciaire', 'offences']
    ])
    expect(found('Homme d’origine marocaine')).toEqual([['d’origine marocaine', 'origins']])
    expect(found('Quel connard, menteur et de mauvaise foi')).toEqual([
      ['connard', 'insult'],
      ['menteur', 'judgment'],
      ['de mauvaise foi', 'judgment']
    ])
    expect(found('Sa maîtresse paie le loyer')).toEqual([['maîtresse', 'sexual_life']])
    expect(found('Problèmes de santé évoqués')).toEqual([['Problèmes de santé', 'health']])
  })

  it('matches whole words only', () => {
    // "con" is not inside "conseil", "conteste", "contact", "congé"; "malade" not inside "maladresse".
    expect(found('Le conseil conteste ; contact par maladresse ; syndic ; congé ; réalisation')).toEqual([])
    expect(found('Droguerie Martin')).toEqual([])
    expect(found('drogué')).toEqual([['drogué', 'health']])
  })

  it('points into the original text even after ligatures and accents', () => {
    const text = 'Cœur brisé, il est dépressif.'
    const result = screenText(text)
    expect(result.findings).toHaveLength(1)
    const f = result.findings[0]!
    expect(text.slice(f.start, f.end)).toBe('dépressif')
    expect(normalizeForScreening('Œuvre').normalized).toBe('oeuvre')
  })

  it('is quick enough to run on every keystroke', () => {
    const text = 'Débiteur joint ce matin, promet un virement de 200 € avant le 30/11. '.repeat(20)
    screenText(text)
    const started = performance.now()
    for (let i = 0; i < 20; i++) screenText(text)
    expect((performance.now() - started) / 20).toBeLessThan(20)
  })

  it('explains the refusal in French with the words and the reason', () => {
    const message = screeningMessage(screenText('Client alcoolique et fainéant').findings)
    expect(message).toContain('« alcoolique »')
    expect(message).toContain('donnée sensible')
    expect(message).toContain('« fainéant »')
    expect(message).toContain('Jugement de valeur')
  })
})
