import { ScimError } from './errors.js'

/** An unpaired UTF-16 surrogate: with the u flag a pair is one code point, so only a lone half matches. */
const LONE_SURROGATE = /\p{Cs}/u

/** The bounds on what an identity provider may send; README "Input limits" lists them. */
export const SCIM_LIMITS = {
  /** arrays and objects nested in a User or a PATCH body */
  depth: 32,
  /** values of one multi-valued attribute (emails, phoneNumbers, addresses, roles, …) */
  values: 100,
  /** characters of a userName, an externalId or an email value: they are indexed or matched on */
  keyLength: 1024,
  /** and/or/not and parentheses nested in a filter */
  filterDepth: 32,
} as const

/**
 * Checks a body or PATCH value before anything reads it, walking it without recursion: nesting beyond
 * `SCIM_LIMITS.depth` is invalidSyntax; an array longer than `SCIM_LIMITS.values` and a string or key
 * holding a lone UTF-16 surrogate (no JSON consumer can store it) are invalidValue.
 */
export function checkInput(value: unknown, where: string): void {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: where, depth: 0 }]
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value: current, path, depth } = item
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) throw loneSurrogate(path)
      continue
    }
    if (typeof current !== 'object' || current === null) continue
    if (depth >= SCIM_LIMITS.depth) {
      throw new ScimError(400, 'invalidSyntax', `${where} nests deeper than ${SCIM_LIMITS.depth} levels`)
    }
    if (Array.isArray(current)) {
      if (current.length > SCIM_LIMITS.values) {
        throw new ScimError(
          400,
          'invalidValue',
          `${path} has ${current.length} values; at most ${SCIM_LIMITS.values} are accepted`,
        )
      }
      for (const [i, v] of current.entries())
        pending.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 })
      continue
    }
    for (const [key, v] of Object.entries(current)) {
      if (LONE_SURROGATE.test(key)) throw loneSurrogate(path)
      pending.push({ value: v, path: `${path}.${key}`, depth: depth + 1 })
    }
  }
}

/** A userName, externalId or email value longer than `SCIM_LIMITS.keyLength` → invalidValue. */
export function checkKeyLength(value: string, attr: string): string {
  if (value.length > SCIM_LIMITS.keyLength) {
    throw new ScimError(
      400,
      'invalidValue',
      `${attr} has ${value.length} characters; at most ${SCIM_LIMITS.keyLength} are accepted`,
    )
  }
  return value
}

function loneSurrogate(path: string): ScimError {
  return new ScimError(
    400,
    'invalidValue',
    `${path} holds a lone UTF-16 surrogate (such as \\ud800), which is not text and cannot be stored`,
  )
}
