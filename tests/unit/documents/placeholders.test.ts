import { describe, expect, it } from 'vitest'
import {
  UnknownPlaceholderError,
  malformedPlaceholders,
  mergeText,
  placeholdersIn,
  splitBody,
  unknownPlaceholders
} from '@shared/documents'

describe('placeholders', () => {
  it('finds each placeholder once, in order, spaces inside braces allowed', () => {
    expect(placeholdersIn('{{debiteur.nom}} doit {{ montant.solde }} à {{creancier.nom}} ; {{debiteur.nom}}')).toEqual([
      'debiteur.nom',
      'montant.solde',
      'creancier.nom'
    ])
  })

  it('merges values and refuses an unknown name unless previewing', () => {
    const data = { 'debiteur.nom': 'DURAND Marie', 'montant.solde': '1 234,56 €' }
    expect(mergeText('{{debiteur.nom}} : {{montant.solde}}', data)).toBe('DURAND Marie : 1 234,56 €')
    expect(() => mergeText('{{debiteur.age}}', data)).toThrow(UnknownPlaceholderError)
    expect(mergeText('{{debiteur.age}}', data, { strict: false })).toBe('{{debiteur.age}}')
    expect(unknownPlaceholders('{{debiteur.nom}} {{x.y}}', Object.keys(data))).toEqual(['x.y'])
  })

  it('reports unbalanced braces', () => {
    expect(malformedPlaceholders('Bonjour {{debiteur.nom}}')).toEqual([])
    expect(malformedPlaceholders('Bonjour {{debiteur.nom')).toHaveLength(1)
    expect(malformedPlaceholders('Bonjour debiteur.nom}}')).toHaveLength(1)
  })

  it('splits a body into paragraphs and block markers', () => {
    const parts = splitBody('Madame,\n\nLigne 1\nligne 2\n\n[[créances]]\n  [[ Modalités de paiement ]]  \nFin')
    expect(parts).toEqual([
      { kind: 'paragraph', text: 'Madame,' },
      { kind: 'paragraph', text: 'Ligne 1\nligne 2' },
      { kind: 'block', name: 'créances' },
      { kind: 'block', name: 'modalités de paiement' },
      { kind: 'paragraph', text: 'Fin' }
    ])
  })
})
