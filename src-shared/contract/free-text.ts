/**
 * Every free-text field of the API and how the CNIL screening reaches it (see
 * src-shared/screening): comments and notes about a debtor must not carry health, opinions,
 * offences, insults… tests/integration/users/free-text.test.ts walks every channel's schema and
 * fails on a free-text field missing here, so a new channel cannot forget it.
 *
 * Paths: dotted, `[]` for the items of an array.
 */

/** Screened centrally by the dispatcher before the handler runs. */
export const SCREENED_BY_DISPATCHER: Readonly<Record<string, readonly string[]>> = {
  'money:record-payment': ['note', 'manualAllocation.reason'],
  'money:reverse-payment': ['reason'],
  'money:record-legal-event': ['note'],
  'plans:accelerate': ['reason'],
  'letters:cancel': ['reason'],
  'letters:email-confirm-sent': ['verification'],
  // A value typed to settle a field-sync conflict can be any column: a note, a comment… (`{}`: a record's values).
  'sync:resolve': ['values{}']
}

/** Screened by the module's own service (assertScreened), with field names of its forms. */
export const SCREENED_BY_SERVICE: Readonly<Record<string, readonly string[]>> = {
  'journal:correct': ['text', 'reason'],
  'case:add-note': ['text'],
  'case:change-phase': ['reason'],
  'case:assign': ['reason'],
  'case:suspend': ['comment'],
  'case:resume': ['comment'],
  'case:close': ['comment'],
  'case:set-next-action': ['comment'],
  'calls:log': ['note', 'warningReason'],
  'solvency:add-fact': ['fields.description', 'source', 'comment'],
  'solvency:assess': ['comment'],
  'proceedings:record': ['comment'],
  'deadlines:complete': ['note']
}

/** Not about a debtor, or not stored: no screening, and why. */
export const NOT_SCREENED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'portfolio:create-view': { 'filters.text': 'search text of a saved view, about no one' },
  'portfolio:update-view': { 'filters.text': 'search text of a saved view, about no one' },
  'reports:export': { 'filters.text': 'search text, not stored' },
  'cases:list': { 'filters.text': 'search text, not stored' },
  'cases:page': { 'filters.text': 'search text, not stored' },
  'cases:totals': { 'filters.text': 'search text, not stored' },
  'reports:dashboard': { 'filters.text': 'search text, not stored' },
  'rates:add-semester': { source: 'official publication reference of a rate' },
  'database:set-target': { url: 'address of the database server, about no one' },
  'imports:analyze': { contentBase64: 'a file being imported, checked row by row by the import' },
  'templates:save': {
    'content.title': 'agency letter template, legal wording',
    'content.subject': 'agency letter template, legal wording',
    'content.body': 'agency letter template, legal wording',
    'content.closing': 'agency letter template, legal wording',
    'content.sms': 'agency letter template, legal wording',
    note: 'change note of a template'
  },
  'templates:preview': {
    'content.title': 'preview only, not stored',
    'content.subject': 'preview only, not stored',
    'content.body': 'preview only, not stored',
    'content.closing': 'preview only, not stored',
    'content.sms': 'preview only, not stored'
  },
  'dunning:save-scenario': { description: 'description of an agency scenario, about no one' },
  'dunning:mark-sent': { 'tracking{}': 'La Poste tracking numbers (pattern-checked), not free text' },
  'solvency:add-fact': { supersedesNoteId: 'an identifier' }
}

/** Field names that hold free text (what the schema walk looks for). */
export const FREE_TEXT_FIELD =
  /(note|comment|reason|text|summary|description|message|details|label|body|content|title|source|subject|closing|sms)$/i
