import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Encrypts connector configs at rest with AES-256-GCM; older keys still decrypt during a rotation. */
export interface SecretBox {
  /** the id of the key new values are sealed with */
  readonly keyId: string
  seal(value: unknown): string
  open<T = unknown>(sealed: string): T
  /** true when `sealed` was made with an older key and should be sealed again */
  isStale(sealed: string): boolean
}

const VERSION = 'v1'

/** A sealed value this box cannot open: its key is unknown here, or the key or value differs. */
export class UnsealError extends Error {
  constructor(
    message: string,
    /** the id of the key the value names; null when it is not a sealed value at all */
    readonly keyId: string | null,
  ) {
    super(message)
    this.name = 'UnsealError'
  }
}

function parseKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64')
  if (key.length !== 32)
    throw new Error(`${name} must be 32 bytes encoded as base64 (got ${key.length} bytes)`)
  return key
}

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8)
}

/** A box with `current` for sealing and `previous` keys kept only to open older values. */
export function createSecretBox(current: string, previous: string[] = []): SecretBox {
  const keys = new Map<string, Buffer>()
  const main = parseKey(current, 'HRSYNC_SECRET_KEY')
  const keyId = keyIdOf(main)
  keys.set(keyId, main)
  for (const old of previous) {
    const key = parseKey(old, 'HRSYNC_SECRET_KEY_PREVIOUS')
    keys.set(keyIdOf(key), key)
  }
  return {
    keyId,
    seal(value) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', main, iv)
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
      const tag = cipher.getAuthTag()
      return [VERSION, keyId, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(
        '.',
      )
    },
    open<T>(sealed: string): T {
      const [version, id, iv, tag, body] = sealed.split('.')
      if (version !== VERSION || !id || !iv || !tag || body === undefined)
        throw new UnsealError('not a sealed value', null)
      const key = keys.get(id)
      if (!key) {
        throw new UnsealError(
          `value sealed with unknown key ${id}: add that key to HRSYNC_SECRET_KEY_PREVIOUS or the key file's .previous`,
          id,
        )
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'))
        decipher.setAuthTag(Buffer.from(tag, 'base64'))
        const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()])
        return JSON.parse(plain.toString('utf8')) as T
      } catch {
        throw new UnsealError(`value sealed with key ${id} fails its integrity check: it was altered`, id)
      }
    },
    isStale(sealed) {
      return sealed.split('.')[1] !== keyId
    },
  }
}

/** The key file of the embedded default: `<dataDir>/secret.key`. */
export function defaultKeyFile(dataDir: string): string {
  return join(dataDir, 'secret.key')
}

/** Older keys kept beside a key file during a rotation, one a line: `<key file>.previous`. */
export function previousKeyFile(keyFile: string): string {
  return `${keyFile}.previous`
}

function keysIn(file: string): string[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
}

/** Writes `content` to `file` (mode 0600) in one step: a reader never sees half a key. */
function writeSecretFile(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true })
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' })
  chmodSync(temporary, 0o600)
  renameSync(temporary, file)
}

export interface KeySources {
  /** the key itself (HRSYNC_SECRET_KEY or the `secretKey` option) */
  key?: string | undefined
  /** a file holding the key (HRSYNC_SECRET_KEY_FILE) */
  keyFile?: string | undefined
  /** older keys (HRSYNC_SECRET_KEY_PREVIOUS) */
  previous: string[]
  /** the key file used when neither `key` nor `keyFile` is given; null where there is none (PostgreSQL) */
  defaultFile: string | null
  /** whether a missing key file may be created: only a lone embedded runner may make its own key */
  mayCreate: boolean
  /** how many sealed configs the database holds: a key is never made over sealed data */
  sealedCount: () => Promise<number>
}

export interface KeyRing {
  current: string
  previous: string[]
  /** the file the current key came from, null when it was given as a value */
  file: string | null
  /** true when the key file was created now */
  created: boolean
}

/**
 * Finds the runner's keys: the given key, else the key file, else (embedded, no sealed config yet)
 * a new key file. A missing key over sealed configs is an error saying where the key was expected.
 */
export async function loadKeyRing(sources: KeySources): Promise<KeyRing> {
  if (sources.key) return { current: sources.key, previous: sources.previous, file: null, created: false }
  const file = sources.keyFile ?? sources.defaultFile
  if (file === null) {
    throw new Error(
      'HRSYNC_SECRET_KEY or HRSYNC_SECRET_KEY_FILE is required with DATABASE_URL (base64 of 32 random bytes: hrsync keygen)',
    )
  }
  const previous = [...sources.previous, ...keysIn(previousKeyFile(file))]
  if (existsSync(file)) {
    const current = readFileSync(file, 'utf8').trim()
    if (current === '') throw new Error(`the secret key file ${file} is empty`)
    return { current, previous, file, created: false }
  }
  const sealed = await sources.sealedCount()
  if (sealed > 0 || !sources.mayCreate) {
    throw new Error(
      `the secret key is missing: expected it in ${file}` +
        (sealed > 0 ? `, and the database holds ${sealed} integration configs sealed with it` : '') +
        '. Restore that file from your backup (or point HRSYNC_SECRET_KEY_FILE or HRSYNC_SECRET_KEY at the key). ' +
        'A new key is never made over sealed configs: they could not be read with it.',
    )
  }
  const current = generateKey()
  writeSecretFile(file, `${current}\n`)
  return { current, previous, file, created: true }
}

/**
 * `hrsync keys rotate`: a new key in `keyFile`, the old one appended to `<keyFile>.previous`, so the
 * runner still opens what the old key sealed and re-seals it with the new one at its next start.
 */
export function rotateKeyFile(keyFile: string): { keyId: string; previousKeyId: string } {
  if (!existsSync(keyFile)) throw new Error(`no key to rotate: ${keyFile} does not exist`)
  const old = readFileSync(keyFile, 'utf8').trim()
  const oldId = createSecretBox(old).keyId
  const previousFile = previousKeyFile(keyFile)
  const kept = keysIn(previousFile)
  // the old key is safe in .previous before the key file changes: a crash between leaves both usable
  writeSecretFile(previousFile, `${[...kept.filter((k) => k !== old), old].join('\n')}\n`)
  const next = generateKey()
  writeSecretFile(keyFile, `${next}\n`)
  return { keyId: createSecretBox(next).keyId, previousKeyId: oldId }
}

/** A fresh key, base64: what `hrsync keygen` prints. */
export function generateKey(): string {
  return randomBytes(32).toString('base64')
}
