import type { Logger } from '@hrsync/core'

const SENSITIVE_KEY = /authorization|password|secret|token|api[-_]?key|cookie|credential/i
const REDACTED = '[redacted]'

/** Remembers every secret of one context (config secrets, derived headers, tokens) and masks them. */
export class Redactor {
  private readonly secrets = new Set<string>()

  constructor(
    secrets: Iterable<string> = [],
    private readonly onAdd?: (secret: string) => void,
  ) {
    for (const secret of secrets) this.add(secret)
  }

  /** Registers a secret; very short values are ignored, masking them would shred ordinary text. */
  add(secret: string | undefined | null): void {
    if (typeof secret !== 'string' || secret.length < 4 || this.secrets.has(secret)) return
    this.secrets.add(secret)
    this.onAdd?.(secret)
    this.secrets.add(encodeURIComponent(secret))
  }

  values(): string[] {
    return [...this.secrets]
  }

  redact(text: string): string {
    let out = text
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED)
    }
    return out
  }

  redactValue(value: unknown, key?: string, depth = 0): unknown {
    if (key !== undefined && SENSITIVE_KEY.test(key) && value !== null && value !== undefined) return REDACTED
    if (typeof value === 'string') return this.redact(value)
    if (depth > 8 || value === null || typeof value !== 'object') return value
    if (value instanceof Error) return this.redact(value.message)
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, undefined, depth + 1))
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        this.redactValue(v, k, depth + 1),
      ]),
    )
  }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** A logger that masks every secret the redactor knows, in the message and in every field. */
export function createRedactingLogger(redactor: Redactor, sink: Logger = silentLogger): Logger {
  const wrap =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const safeFields =
        fields === undefined ? undefined : (redactor.redactValue(fields) as Record<string, unknown>)
      sink[level](redactor.redact(message), safeFields)
    }
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') }
}
