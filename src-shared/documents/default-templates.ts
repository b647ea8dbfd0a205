/**
 * The templates shipped with the app (version 1 of each). Managers edit them in Paramètres;
 * an edit is a new version, and these texts stay the starting point of a reset.
 *
 * Block markers on a line of their own insert tables built from the case:
 * [[créances]], [[intérêts]], [[paiements reçus]], [[paiement]], [[échéancier]],
 * [[modalités de paiement]], [[parties]], [[pièces]], [[courriers]], [[journal]],
 * [[reversement]], [[signatures]].
 */
import type { TemplateCode, TemplateDefinition } from './letter-model'

const CONTACT =
  'Pour toute question, ou si vous rencontrez des difficultés de paiement, notre service est à votre disposition au {{agence.telephone}} ou à l’adresse {{agence.email}}, en rappelant la référence {{dossier.reference}}.'

export const DEFAULT_TEMPLATES: readonly TemplateDefinition[] = [
  {
    code: 'courtesy-reminder',
    name: 'Rappel avant échéance',
    profile: 'amicable',
    defaultChannel: 'letter',
    content: {
      title: 'Rappel d’échéance',
      subject: 'Règlement à prévoir – dossier {{dossier.reference}}',
      body: `{{debiteur.formule}}

{{creancier.nom}} nous a confié le suivi de son compte client. Sauf erreur de notre part, le règlement des sommes suivantes arrive à échéance :

[[créances]]

Nous vous remercions de bien vouloir prévoir le paiement de {{montant.solde}} à la date prévue, selon les modalités indiquées ci-dessous. Si votre règlement est déjà en cours, nous vous prions de ne pas tenir compte de ce courrier.

${CONTACT}

[[modalités de paiement]]`,
      closing:
        'Nous vous prions d’agréer, {{debiteur.formule_politesse}}, l’expression de nos salutations distinguées.',
      sms: '{{agence.nom}} pour {{creancier.nom}} : règlement de {{montant.solde}} à prévoir (réf. {{dossier.reference}}). Infos : {{agence.telephone}}'
    }
  },
  {
    code: 'reminder',
    name: 'Relance',
    profile: 'amicable',
    defaultChannel: 'letter',
    content: {
      title: 'Relance',
      subject: 'Sommes restant dues – dossier {{dossier.reference}}',
      body: `{{debiteur.formule}}

Nous intervenons pour le compte de {{creancier.nom}}, qui nous a confié le recouvrement amiable des sommes suivantes, échues et restant impayées à ce jour :

[[créances]]

Sauf erreur ou omission de notre part, nous n’avons pas reçu votre règlement. Nous vous demandons de bien vouloir régler le solde de {{montant.solde}} dans les meilleurs délais, selon les modalités indiquées ci-dessous.

Si vous avez effectué ce paiement entre-temps, merci de ne pas tenir compte de ce courrier et de nous communiquer la référence de votre règlement.

${CONTACT}

[[modalités de paiement]]`,
      closing:
        'Nous vous prions d’agréer, {{debiteur.formule_politesse}}, l’expression de nos salutations distinguées.',
      sms: '{{agence.nom}} pour {{creancier.nom}} : solde de {{montant.solde}} impayé (réf. {{dossier.reference}}). Merci de nous contacter au {{agence.telephone}}'
    }
  },
  {
    code: 'firm-reminder',
    name: 'Relance ferme',
    profile: 'amicable',
    defaultChannel: 'letter',
    content: {
      title: 'Seconde relance',
      subject: 'Sommes restant dues – dossier {{dossier.reference}}',
      body: `{{debiteur.formule}}

Malgré notre précédent courrier, nous constatons que les sommes dues à {{creancier.nom}}, pour le compte duquel nous intervenons, restent impayées :

[[créances]]

Nous vous demandons de régler la somme de {{montant.solde}} au plus tard le {{delai.date}}, selon les modalités indiquées ci-dessous.

À défaut de règlement ou de prise de contact de votre part à cette date, nous devrons en informer notre mandant, qui décidera des suites à donner à ce dossier.

${CONTACT}

[[modalités de paiement]]`,
      closing:
        'Nous vous prions d’agréer, {{debiteur.formule_politesse}}, l’expression de nos salutations distinguées.',
      sms: '{{agence.nom}} pour {{creancier.nom}} : {{montant.solde}} restent dus (réf. {{dossier.reference}}). Merci de régler avant le {{delai.date}} ou d’appeler le {{agence.telephone}}'
    }
  },
  {
    code: 'last-reminder',
    name: 'Dernière relance amiable',
    profile: 'amicable',
    defaultChannel: 'letter',
    content: {
      title: 'Dernière relance amiable',
      subject: 'Sommes restant dues – dossier {{dossier.reference}}',
      body: `{{debiteur.formule}}

Nos précédents courriers sont restés sans réponse et les sommes dues à {{creancier.nom}} demeurent impayées :

[[créances]]

Nous vous demandons de régler la somme de {{montant.solde}} au plus tard le {{delai.date}}, ou de nous contacter avant cette date pour convenir d’une solution de paiement, par exemple un échéancier adapté à votre situation.

À défaut, notre mandant pourra vous adresser une mise en demeure, puis envisager de saisir la juridiction compétente pour obtenir le paiement de sa créance.

${CONTACT}

[[modalités de paiement]]`,
      closing:
        'Nous vous prions d’agréer, {{debiteur.formule_politesse}}, l’expression de nos salutations distinguées.',
      sms: '{{agence.nom}} pour {{creancier.nom}} : dernier rappel amiable, {{montant.solde}} dus avant le {{delai.date}} (réf. {{dossier.reference}}). Tél. {{agence.telephone}}'
    }
  },
  {
    code: 'formal-notice',
    name: 'Mise en demeure',
    profile: 'formal_notice',
    defaultChannel: 'registered_letter',
    content: {
      title: 'Mise en demeure',
      subject: 'Mise en demeure de payer – dossier {{dossier.reference}}',
      body: `{{debiteur.formule}}

Nous intervenons en qualité de mandataire de {{creancier.nom}}, {{creancier.adresse_ligne}}, qui nous a confié par convention écrite le recouvrement amiable de sa créance à votre égard.

À ce jour, les sommes suivantes restent impayées :

[[créances]]

En conséquence, par la présente lettre recommandée avec demande d’avis de réception, nous vous mettons en demeure, pour le compte de {{creancier.nom}}, de régler la somme de {{montant.solde}} au plus tard le {{delai.date}}, selon les modalités de paiement indiquées ci-dessous.

La présente mise en demeure fait courir, le cas échéant, les intérêts moratoires au taux légal sur les sommes dues (article 1344-1 du code civil).

À défaut de paiement dans ce délai, notre mandant pourra saisir la juridiction compétente afin d’obtenir un titre exécutoire, sans autre avis de notre part.

Si vous contestez tout ou partie de cette créance, ou si vous rencontrez des difficultés de paiement, nous vous invitons à nous contacter sans attendre au {{agence.telephone}} ou à l’adresse {{agence.email}}.

[[modalités de paiement]]`,
      closing:
        'Nous vous prions d’agréer, {{debiteur.formule_politesse}}, l’expression de nos salutations distinguées.',
      sms: '{{agence.nom}} pour {{creancier.nom}} : une mise en demeure vous a été adressée (réf. {{dossier.reference}}). Tél. {{agence.telephone}}'
    }
  },
  {
    code: 'plan-agreement',
    name: 'Accord d’échéancier',
    profile: 'plan',
    defaultChannel: 'letter',
    content: {
      title: 'Accord d’échéancier',
      subject: 'Échéancier de paiement – dossier {{dossier.reference}}',
      body: `{{debiteur.formule}}

Suite à nos échanges, {{creancier.nom}} accepte, par notre intermédiaire, que la somme de {{plan.total}} soit réglée selon l’échéancier suivant :

[[échéancier]]

Cet accord suppose le respect de chaque échéance. Si une échéance reste impayée quinze jours après un rappel, la totalité du solde restant dû redeviendra exigible.

Nous vous remercions de nous retourner un exemplaire de ce document daté et signé, précédé de la mention manuscrite « Bon pour accord ». En le signant, vous reconnaissez devoir les sommes indiquées.

[[modalités de paiement]]

[[signatures]]`,
      closing:
        'Nous vous prions d’agréer, {{debiteur.formule_politesse}}, l’expression de nos salutations distinguées.',
      sms: '{{agence.nom}} : votre échéancier (réf. {{dossier.reference}}) vous a été adressé, {{plan.nombre}} échéances à partir du {{plan.premiere_date}}.'
    }
  },
  {
    code: 'payment-receipt',
    name: 'Reçu de paiement (quittance)',
    profile: 'receipt',
    defaultChannel: 'letter',
    content: {
      title: 'Reçu de paiement',
      subject: 'Quittance – dossier {{dossier.reference}}',
      body: `{{debiteur.formule}}

Nous accusons réception de votre paiement et vous en donnons quittance (article R. 124-6 du code des procédures civiles d’exécution) :

[[paiement]]

Après ce paiement, le solde restant dû à {{creancier.nom}} s’élève à {{montant.solde}} au {{courrier.date}}.

Nous vous remercions de votre règlement.`,
      closing:
        'Nous vous prions d’agréer, {{debiteur.formule_politesse}}, l’expression de nos salutations distinguées.',
      sms: '{{agence.nom}} : paiement de {{paiement.montant}} reçu le {{paiement.date}}, merci (réf. {{dossier.reference}}). Solde : {{montant.solde}}'
    }
  },
  {
    code: 'client-payment-notice',
    name: 'Information du client (paiement reçu)',
    profile: 'client',
    defaultChannel: 'email',
    content: {
      title: 'Information de paiement',
      subject: 'Paiement reçu – dossier {{dossier.reference}} – {{debiteur.nom}}',
      body: `Madame, Monsieur,

Conformément à l’article R. 124-5 du code des procédures civiles d’exécution et à notre convention {{mandat.reference}}, nous vous informons du paiement suivant, reçu du débiteur {{debiteur.nom}} :

[[paiement]]

Le solde restant dû sur ce dossier s’élève à {{montant.solde}} au {{courrier.date}}. Les fonds encaissés vous seront reversés dans un délai de {{mandat.delai_reversement}} jours au plus après leur encaissement effectif.`,
      closing: 'Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.',
      sms: ''
    }
  },
  {
    code: 'statement',
    name: 'Décompte',
    profile: 'statement',
    defaultChannel: 'letter',
    content: {
      title: 'Décompte des sommes dues',
      subject: 'Décompte au {{courrier.date}} – dossier {{dossier.reference}}',
      body: `{{debiteur.formule}}

Vous trouverez ci-dessous le décompte détaillé des sommes dues à {{creancier.nom}} au {{courrier.date}}.

[[créances]]

[[intérêts]]

[[paiements reçus]]

Les intérêts sont calculés jour par jour sur la base de l’année civile (365 ou 366 jours), période par période au taux applicable à chaque semestre ; chaque période est arrondie au centime. Les paiements sont imputés d’abord sur les intérêts, puis sur le principal (article 1343-1 du code civil).

${CONTACT}`,
      closing:
        'Nous vous prions d’agréer, {{debiteur.formule_politesse}}, l’expression de nos salutations distinguées.',
      sms: ''
    }
  },
  {
    code: 'injunction-summary',
    name: 'Injonction de payer : récapitulatif de la requête',
    profile: 'court',
    defaultChannel: 'letter',
    content: {
      title: 'Récapitulatif pour la requête en injonction de payer',
      subject: 'Dossier {{dossier.reference}} – {{creancier.nom}} contre {{debiteur.nom}}',
      body: `Document préparatoire à la requête en injonction de payer (articles 1405 et suivants du code de procédure civile), à reporter sur le formulaire {{injonction.formulaire}}, à déposer auprès du {{injonction.juridiction}} du lieu où demeure le débiteur.

[[parties]]

Nature et fondement de la créance : {{injonction.fondement}}

[[créances]]

[[intérêts]]

Montant de la demande au {{courrier.date}} : {{montant.solde}}, dont {{montant.principal}} en principal, {{montant.interets}} d’intérêts et {{montant.indemnites}} d’indemnités, déduction faite des paiements reçus ({{montant.regle}}), outre les intérêts postérieurs à cette date.

Démarches amiables préalables : {{injonction.demarches}}

[[pièces]]`,
      closing: '',
      sms: ''
    }
  },
  {
    code: 'evidence-bundle',
    name: 'Dossier de pièces (injonction de payer)',
    profile: 'court',
    defaultChannel: 'letter',
    content: {
      title: 'Dossier de pièces',
      subject: 'Dossier {{dossier.reference}} – {{creancier.nom}} contre {{debiteur.nom}}',
      body: `Le présent dossier réunit le décompte des sommes dues au {{courrier.date}}, la copie de chaque courrier adressé au débiteur, le journal des appels et contacts, et la liste des pièces justificatives avec leur empreinte SHA-256, qui permet de vérifier que chaque fichier produit est identique à celui qui a été envoyé ou reçu.

[[parties]]

[[créances]]

[[intérêts]]

[[paiements reçus]]

[[pièces]]

[[journal]]

[[courriers]]`,
      closing: '',
      sms: ''
    }
  },
  {
    code: 'remittance-statement',
    name: 'Relevé de reversement au client',
    profile: 'client',
    defaultChannel: 'email',
    content: {
      title: 'Relevé de reversement',
      subject: 'Reversement – période du {{reversement.debut}} au {{reversement.fin}}',
      body: `Madame, Monsieur,

Conformément à notre convention et à l’article R. 124-6 du code des procédures civiles d’exécution, vous trouverez ci-dessous le relevé des sommes encaissées pour votre compte du {{reversement.debut}} au {{reversement.fin}}, notre commission et le montant qui vous est reversé.

[[reversement]]

Montant net reversé : {{reversement.net}}.`,
      closing: 'Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.',
      sms: ''
    }
  },
  {
    // After a payment is reversed (a cheque returned unpaid, a transfer recalled…): the debtor
    // was given a receipt for it, so the account is set right in writing.
    code: 'reversal-notice',
    name: 'Avis de rectification (paiement contre-passé)',
    profile: 'receipt',
    defaultChannel: 'letter',
    content: {
      title: 'Avis de rectification',
      subject: 'Rectification de votre compte – dossier {{dossier.reference}}',
      body: `{{debiteur.formule}}

Le paiement ci-dessous, dont nous vous avions accusé réception, n’a pas été définitivement encaissé : il a été contre-passé (annulé) dans nos comptes. Il n’a donc pas réduit votre dette, et le reçu délivré pour ce paiement est rectifié par le présent avis.

[[paiement]]

Après cette rectification, votre compte au {{courrier.date}} s’établit ainsi :

Principal restant dû : {{montant.principal}}
Intérêts : {{montant.interets}}
Indemnités et frais : {{montant.indemnites}}
Paiements reçus et conservés : {{montant.regle}}
Solde restant dû à {{creancier.nom}} : {{montant.solde}}

[[paiements reçus]]

${CONTACT}`,
      closing:
        'Nous vous prions d’agréer, {{debiteur.formule_politesse}}, l’expression de nos salutations distinguées.',
      sms: ''
    }
  }
]

export function defaultTemplate(code: TemplateCode): TemplateDefinition {
  const found = DEFAULT_TEMPLATES.find((t) => t.code === code)
  if (!found) throw new RangeError(`No default template ${code}`)
  return found
}

/** Placeholders a manager may use, with what they print (shown next to the editor). */
export const PLACEHOLDER_CATALOGUE: readonly { name: string; label: string; example: string }[] = [
  { name: 'debiteur.nom', label: 'Nom ou raison sociale du débiteur', example: 'DURAND Marie' },
  { name: 'debiteur.formule', label: 'Formule d’appel', example: 'Madame,' },
  { name: 'debiteur.formule_politesse', label: 'Civilité dans la formule de politesse', example: 'Madame' },
  {
    name: 'debiteur.adresse_ligne',
    label: 'Adresse du débiteur sur une ligne',
    example: '12 rue des Lilas, 69003 Lyon'
  },
  { name: 'creancier.nom', label: 'Nom du créancier (client)', example: 'Boulangerie Martin SARL' },
  {
    name: 'creancier.adresse_ligne',
    label: 'Adresse du créancier sur une ligne',
    example: '4 place Bellecour, 69002 Lyon'
  },
  { name: 'agence.nom', label: 'Nom de l’agence', example: 'Cabinet Exemple Recouvrement' },
  {
    name: 'agence.adresse_ligne',
    label: 'Adresse de l’agence sur une ligne',
    example: '10 rue de la République, 69001 Lyon'
  },
  { name: 'agence.telephone', label: 'Téléphone de l’agence', example: '04 72 00 00 00' },
  { name: 'agence.email', label: 'E-mail de l’agence', example: 'contact@agence.fr' },
  { name: 'agent.nom', label: 'Chargé de recouvrement', example: 'Paul Lefèvre' },
  { name: 'dossier.reference', label: 'Référence du dossier', example: 'REC-2026-000123' },
  { name: 'mandat.reference', label: 'Référence de la convention', example: 'CONV-2026-001' },
  { name: 'mandat.delai_reversement', label: 'Délai de reversement (jours)', example: '30' },
  { name: 'courrier.reference', label: 'Référence de ce courrier', example: 'REC-2026-000123/C3' },
  { name: 'courrier.date', label: 'Date de ce courrier', example: '23/11/2026' },
  { name: 'premier_courrier.reference', label: 'Référence du premier courrier', example: 'REC-2026-000123/C1' },
  { name: 'premier_courrier.date', label: 'Date du premier courrier', example: '02/10/2026' },
  { name: 'montant.principal', label: 'Principal restant dû', example: '1 200,00 €' },
  { name: 'montant.interets', label: 'Intérêts restant dus', example: '35,12 €' },
  { name: 'montant.indemnites', label: 'Indemnités forfaitaires (entre professionnels)', example: '40,00 €' },
  { name: 'montant.regle', label: 'Paiements déjà reçus', example: '100,00 €' },
  { name: 'montant.solde', label: 'Solde exigible (hors créances prescrites)', example: '1 175,12 €' },
  { name: 'delai.jours', label: 'Délai de paiement (jours)', example: '8' },
  { name: 'delai.date', label: 'Date limite de paiement', example: '01/12/2026' },
  { name: 'paiement.montant', label: 'Montant du paiement (reçu)', example: '100,00 €' },
  { name: 'paiement.date', label: 'Date du paiement (reçu)', example: '20/11/2026' },
  { name: 'paiement.mode', label: 'Mode de paiement (reçu)', example: 'Virement' },
  { name: 'plan.total', label: 'Montant de l’échéancier', example: '1 175,12 €' },
  { name: 'plan.nombre', label: 'Nombre d’échéances', example: '6' },
  { name: 'plan.premiere_date', label: 'Date de la première échéance', example: '05/12/2026' },
  { name: 'injonction.formulaire', label: 'Formulaire Cerfa de la requête', example: 'Cerfa n° 12948*06' },
  { name: 'injonction.juridiction', label: 'Juridiction compétente', example: 'tribunal judiciaire' },
  { name: 'injonction.fondement', label: 'Fondement de la créance', example: 'Factures impayées' },
  { name: 'injonction.demarches', label: 'Démarches amiables préalables', example: 'Mise en demeure du 02/10/2026' },
  { name: 'reversement.debut', label: 'Début de la période de reversement', example: '01/10/2026' },
  { name: 'reversement.fin', label: 'Fin de la période de reversement', example: '31/10/2026' },
  { name: 'reversement.net', label: 'Net reversé au client', example: '850,00 €' }
]

/** Block markers a body may contain, with what they insert. */
export const BLOCK_CATALOGUE: readonly { name: string; label: string }[] = [
  { name: 'créances', label: 'Tableau des créances (principal, intérêts, indemnités, payé, solde)' },
  { name: 'intérêts', label: 'Détail des périodes d’intérêts' },
  { name: 'paiements reçus', label: 'Paiements reçus et leur imputation' },
  { name: 'paiement', label: 'Le paiement objet du reçu' },
  { name: 'échéancier', label: 'Échéancier (dates et montants)' },
  { name: 'modalités de paiement', label: 'Modalités de paiement (compte, chèque)' },
  { name: 'parties', label: 'Parties (créancier, débiteur, mandataire)' },
  { name: 'pièces', label: 'Liste des pièces avec empreinte SHA-256' },
  { name: 'courriers', label: 'Copie des courriers envoyés' },
  { name: 'journal', label: 'Journal des appels et contacts' },
  { name: 'reversement', label: 'Encaissements et commission de la période' },
  { name: 'signatures', label: 'Cadres de signature' }
]
