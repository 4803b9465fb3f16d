import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

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
        throw new Error('not a sealed value')
      const key = keys.get(id)
      if (!key)
        throw new Error(`value sealed with unknown key ${id}: add that key to HRSYNC_SECRET_KEY_PREVIOUS`)
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'))
      decipher.setAuthTag(Buffer.from(tag, 'base64'))
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()])
      return JSON.parse(plain.toString('utf8')) as T
    },
    isStale(sealed) {
      return sealed.split('.')[1] !== keyId
    },
  }
}

/** Reads `<dataDir>/secret.key`, creating it (mode 0600) with a fresh random key the first time. */
export function loadOrCreateKeyFile(dataDir: string): string {
  const file = join(dataDir, 'secret.key')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const key = randomBytes(32).toString('base64')
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600)
  return key
}

/** A fresh key, base64: what `hrsync keygen` prints. */
export function generateKey(): string {
  return randomBytes(32).toString('base64')
}
