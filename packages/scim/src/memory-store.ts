import { randomUUID } from 'node:crypto'
import { UserNameTakenError } from './errors.js'
import type { ScimListQuery, ScimPage, ScimStore } from './store.js'
import type { ScimUser, ScimUserRecord } from './user.js'

interface Entry {
  integrationId: string
  record: ScimUserRecord
  deleted: boolean
}

/** A ScimStore in memory, for tests and the conformance suite; filters run through `filter.matches`. */
export class MemoryScimStore implements ScimStore {
  private readonly entries: Entry[] = []
  private readonly now: () => Date
  private readonly newId: () => string

  constructor(options: { now?: () => Date; newId?: () => string } = {}) {
    this.now = options.now ?? (() => new Date())
    this.newId = options.newId ?? randomUUID
  }

  async list(integrationId: string, query: ScimListQuery): Promise<ScimPage> {
    const matching = this.live(integrationId)
      .map((e) => e.record)
      .filter((r) => query.filter === null || query.filter.matches(r))
      .sort((a, b) => a.created.localeCompare(b.created) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const start = query.startIndex - 1
    return {
      totalResults: matching.length,
      records: matching.slice(start, start + query.count).map(copy),
    }
  }

  async get(integrationId: string, id: string): Promise<ScimUserRecord | null> {
    const entry = this.find(integrationId, id)
    return entry ? copy(entry.record) : null
  }

  async create(integrationId: string, user: ScimUser): Promise<ScimUserRecord> {
    this.checkUnique(integrationId, user.userName, null)
    const at = this.now().toISOString()
    const record: ScimUserRecord = {
      id: this.newId(),
      created: at,
      lastModified: at,
      version: 1,
      user: structuredClone(user),
    }
    this.entries.push({ integrationId, record, deleted: false })
    return copy(record)
  }

  async replace(integrationId: string, id: string, user: ScimUser): Promise<ScimUserRecord | null> {
    const entry = this.find(integrationId, id)
    if (!entry) return null
    this.checkUnique(integrationId, user.userName, id)
    entry.record = {
      ...entry.record,
      lastModified: this.now().toISOString(),
      version: entry.record.version + 1,
      user: structuredClone(user),
    }
    return copy(entry.record)
  }

  async patch(
    integrationId: string,
    id: string,
    change: (current: ScimUser) => ScimUser,
  ): Promise<ScimUserRecord | null> {
    const entry = this.find(integrationId, id)
    if (!entry) return null
    return this.replace(integrationId, id, change(structuredClone(entry.record.user)))
  }

  async tombstone(integrationId: string, id: string): Promise<boolean> {
    const entry = this.find(integrationId, id)
    if (!entry) return false
    entry.deleted = true
    return true
  }

  async users(integrationId: string): Promise<ScimUserRecord[]> {
    return this.live(integrationId).map((e) => copy(e.record))
  }

  private live(integrationId: string): Entry[] {
    return this.entries.filter((e) => e.integrationId === integrationId && !e.deleted)
  }

  private find(integrationId: string, id: string): Entry | undefined {
    return this.live(integrationId).find((e) => e.record.id === id)
  }

  private checkUnique(integrationId: string, userName: string, exceptId: string | null): void {
    const lower = userName.toLowerCase()
    const taken = this.live(integrationId).some(
      (e) => e.record.id !== exceptId && e.record.user.userName.toLowerCase() === lower,
    )
    if (taken) throw new UserNameTakenError(userName)
  }
}

function copy(record: ScimUserRecord): ScimUserRecord {
  return structuredClone(record)
}
