import { randomUUID } from 'node:crypto'
import { cloneJson } from './clone.js'
import { UserNameTakenError } from './errors.js'
import type { ScimListQuery, ScimPage, ScimStore } from './store.js'
import type { ScimUser, ScimUserRecord } from './user.js'

/**
 * A ScimStore in memory, for tests, the conformance suite and single-process use; filters run
 * through `filter.matches`. Users are indexed by id and by lower-cased userName per integration;
 * deleted users leave the indexes.
 */
export class MemoryScimStore implements ScimStore {
  /** live users by integration, then by id, in creation order */
  private readonly live = new Map<string, Map<string, ScimUserRecord>>()
  /** `<integrationId> NUL <lower userName>` → id, for live users */
  private readonly userNames = new Map<string, string>()
  private readonly now: () => Date
  private readonly newId: () => string

  constructor(options: { now?: () => Date; newId?: () => string } = {}) {
    this.now = options.now ?? (() => new Date())
    this.newId = options.newId ?? randomUUID
  }

  async list(integrationId: string, query: ScimListQuery): Promise<ScimPage> {
    const matching = this.candidates(integrationId, query)
      .filter((r) => query.filter === null || query.filter.matches(r))
      .sort((a, b) => a.created.localeCompare(b.created) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const start = query.startIndex - 1
    return {
      totalResults: matching.length,
      records: matching.slice(start, start + query.count).map(copy),
    }
  }

  async get(integrationId: string, id: string): Promise<ScimUserRecord | null> {
    const record = this.users$(integrationId).get(id)
    return record ? copy(record) : null
  }

  async create(integrationId: string, user: ScimUser): Promise<ScimUserRecord> {
    this.checkUnique(integrationId, user.userName, null)
    const at = this.now().toISOString()
    const record: ScimUserRecord = {
      id: this.newId(),
      created: at,
      lastModified: at,
      version: 1,
      user: copy(user),
    }
    this.write(integrationId, record, null)
    return copy(record)
  }

  async replace(integrationId: string, id: string, user: ScimUser): Promise<ScimUserRecord | null> {
    return this.patch(integrationId, id, () => copy(user))
  }

  async patch(
    integrationId: string,
    id: string,
    change: (current: ScimUser) => ScimUser,
  ): Promise<ScimUserRecord | null> {
    const current = this.users$(integrationId).get(id)
    if (!current) return null
    // `change` works on a copy of its own, so what it returns is the store's to keep
    const user = change(copy(current.user))
    this.checkUnique(integrationId, user.userName, id)
    const record: ScimUserRecord = {
      ...current,
      lastModified: this.now().toISOString(),
      version: current.version + 1,
      user,
    }
    this.write(integrationId, record, current)
    return copy(record)
  }

  async tombstone(integrationId: string, id: string): Promise<boolean> {
    const users = this.users$(integrationId)
    const record = users.get(id)
    if (!record) return false
    users.delete(id)
    this.userNames.delete(nameKey(integrationId, record.user.userName))
    return true
  }

  async users(integrationId: string): Promise<ScimUserRecord[]> {
    return [...this.users$(integrationId).values()].map(copy)
  }

  /** The users a list must test: the one with the filter's key when it names one, else all of them. */
  private candidates(integrationId: string, query: ScimListQuery): ScimUserRecord[] {
    const users = this.users$(integrationId)
    const key = query.filter?.lookup
    if (key?.attribute === 'id') {
      const user = users.get(key.value)
      return user ? [user] : []
    }
    if (key?.attribute === 'userName') {
      const id = this.userNames.get(nameKey(integrationId, key.value))
      const user = id === undefined ? undefined : users.get(id)
      return user ? [user] : []
    }
    return [...users.values()]
  }

  private users$(integrationId: string): Map<string, ScimUserRecord> {
    let users = this.live.get(integrationId)
    if (users === undefined) {
      users = new Map()
      this.live.set(integrationId, users)
    }
    return users
  }

  private write(integrationId: string, record: ScimUserRecord, previous: ScimUserRecord | null): void {
    if (previous) this.userNames.delete(nameKey(integrationId, previous.user.userName))
    this.userNames.set(nameKey(integrationId, record.user.userName), record.id)
    this.users$(integrationId).set(record.id, record)
  }

  private checkUnique(integrationId: string, userName: string, exceptId: string | null): void {
    const owner = this.userNames.get(nameKey(integrationId, userName))
    if (owner !== undefined && owner !== exceptId) throw new UserNameTakenError(userName)
  }
}

const nameKey = (integrationId: string, userName: string) => `${integrationId}\u0000${userName.toLowerCase()}`

/** Records leave and enter the store as copies: a caller never holds the store's own objects. */
function copy<T>(value: T): T {
  return cloneJson(value)
}
