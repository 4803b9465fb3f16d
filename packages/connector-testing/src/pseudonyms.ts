const FIRST_NAMES = [
  'Alex',
  'Ari',
  'Chris',
  'Eli',
  'Ines',
  'Jo',
  'Jules',
  'Kim',
  'Lena',
  'Luca',
  'Mika',
  'Mira',
  'Nadia',
  'Noa',
  'Omar',
  'Priya',
  'Robin',
  'Sam',
  'Tariq',
  'Vera',
]
const LAST_NAMES = [
  'Berg',
  'Costa',
  'Dahl',
  'Ferreira',
  'Holm',
  'Ivanova',
  'Klein',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Novak',
  'Okafor',
  'Park',
  'Rossi',
  'Sandoval',
  'Tanaka',
  'Varga',
  'Weber',
]

const KEPT_DOMAIN = /(^|\.)example\.(com|org|test|net)$/
/** a local part made of name-like words: ada.lovelace, ada_lovelace, ada-lovelace */
const NAME_WORD = /^[a-z\u00c0-\u024f']+$/i

const norm = (value: string) => value.trim().toLowerCase()

/**
 * The fake people of one recording. A real name always gets the same fake name (keyed, so nothing can be
 * looked up without the key), and a real email gets the address of the fake person it belongs to:
 * "Ada Lovelace" <ada@acme.com> becomes "Mira Holm" <mira.holm@example.test>, in the record itself and
 * wherever else the address appears (a manager reference), so references between records still hold.
 */
export class Pseudonyms {
  private readonly people = new Map<string, { first?: string; last?: string }>()
  private readonly emails = new Map<string, string>()
  private readonly taken = new Set<string>()

  constructor(private readonly hash: (value: string) => Buffer) {}

  private pick(list: string[], value: string): string {
    return list[this.hash(value).readUInt32BE(0) % list.length] as string
  }

  firstName(real: string): string {
    return this.pick(FIRST_NAMES, `first:${norm(real)}`)
  }

  lastName(real: string): string {
    return this.pick(LAST_NAMES, `last:${norm(real)}`)
  }

  /** "Ada King Lovelace" → the pseudonym of "Ada" and that of "King Lovelace" */
  fullName(real: string): string {
    const [first = '', ...rest] = real.trim().split(/\s+/)
    return rest.length > 0
      ? `${this.firstName(first)} ${this.lastName(rest.join(' '))}`
      : this.firstName(first)
  }

  /** Tells whose address an email is, so its pseudonym follows that person's pseudonymised name. */
  registerPerson(email: string, name: { first?: string; last?: string; full?: string }): void {
    const key = norm(email)
    if (this.people.has(key)) return
    const [fullFirst, ...fullRest] = (name.full ?? '').trim().split(/\s+/)
    const first = name.first ?? (fullFirst || undefined)
    const last = name.last ?? (fullRest.length > 0 ? fullRest.join(' ') : undefined)
    if (first || last) this.people.set(key, { first, last })
  }

  email(real: string): string {
    const key = norm(real)
    const [local = '', domain = ''] = key.split('@')
    if (KEPT_DOMAIN.test(domain)) return real
    const known = this.emails.get(key)
    if (known) return known
    const fake = this.unique(this.localPartFor(key, local))
    this.emails.set(key, fake)
    return fake
  }

  /** The fake local part: from the registered person, else from a first.last local part, else a hash. */
  private localPartFor(email: string, local: string): string {
    const slug = (name: string) => name.toLowerCase()
    const person = this.people.get(email)
    if (person) {
      const parts = [
        person.first ? slug(this.firstName(person.first)) : undefined,
        person.last ? slug(this.lastName(person.last)) : undefined,
      ]
      return parts.filter(Boolean).join('.')
    }
    const words = local.split(/[._-]/)
    if (words.length >= 2 && words.every((word) => NAME_WORD.test(word))) {
      return `${slug(this.firstName(words[0] as string))}.${slug(this.lastName(words.slice(1).join(' ')))}`
    }
    return `person-${this.hash(email).toString('hex').slice(0, 8)}`
  }

  /** Two real people with the same fake name still get different addresses: mira.holm, mira.holm2 */
  private unique(local: string): string {
    let candidate = `${local}@example.test`
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${local}${n}@example.test`
    this.taken.add(candidate)
    return candidate
  }
}
