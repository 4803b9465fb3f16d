import { randomUUID } from 'node:crypto'
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

/** The file in the data folder that says which process holds it. */
export const LOCK_FILE = 'runner.lock'

/** A lock file that cannot be read this long after it was written is left over, not being written. */
const UNREADABLE_STALE_MS = 10_000

/** Who holds a data folder: enough to find the process, and its admin API when it serves one. */
export interface LockHolder {
  pid: number
  host: string
  startedAt: string
  /** where the holder's admin API listens; null while it starts or when it does not listen */
  url: string | null
}

/** The data folder is held by another live process: this one must not open its database. */
export class DataFolderInUse extends Error {
  override readonly name = 'DataFolderInUse'
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    const who = holder
      ? `pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}${holder.url ? `, admin API at ${holder.url}` : ''}`
      : 'a process that is taking the lock right now'
    const instead = holder?.url
      ? 'Work through the running one (its admin API; "hrsync sync" goes through it), stop it first'
      : 'It serves no admin API to go through: wait for it to finish or stop it'
    super(
      `the data folder ${dataDir} is in use by another hrsync process (${who}). Two processes on one ` +
        `embedded database lose each other's writes, so this one does not open it. ${instead}, or give ` +
        `this one another HRSYNC_DATA_DIR. If no such process runs any more, delete ${join(dataDir, LOCK_FILE)}.`,
    )
  }
}

export interface DataFolderLock {
  readonly file: string
  /** Records where this process's admin API listens, for the CLI to go through it. */
  setUrl(url: string): void
  release(): void
}

/** Lock files this process holds: a lock naming our own pid but not held here is left over. */
const held = new Set<string>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null
    return {
      pid: value.pid,
      host: value.host,
      startedAt: String(value.startedAt ?? ''),
      url: typeof value.url === 'string' ? value.url : null,
    }
  } catch {
    // a lock file cut short or garbled names no holder, as a file without pid does
    return null
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/**
 * Whether a lock file is left over: its process is gone from this host (or its pid is ours while we
 * do not hold it: a restarted container), or it was never finished. A holder on another host cannot
 * be checked, so it is never taken over.
 */
function isStale(file: string, text: string): boolean {
  const holder = parseHolder(text)
  if (!holder) {
    const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0)
    return age > UNREADABLE_STALE_MS
  }
  if (holder.host !== hostname()) return false
  if (holder.pid === process.pid) return !held.has(file)
  return !isAlive(holder.pid)
}

/**
 * Moves a stale lock file out of the way. Two processes may find the same stale file: the one that
 * moved a fresh lock instead (the other's, just made) puts it back.
 */
function removeStale(file: string, staleText: string): void {
  const aside = `${file}.stale-${randomUUID()}`
  try {
    renameSync(file, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  if (readText(aside) !== staleText) {
    try {
      linkSync(aside, file)
    } catch {
      // a third process took the place meanwhile: its lock stands
    }
  }
  unlinkSync(aside)
}

/** The holder of the data folder, if a live process holds it. */
export function dataFolderHolder(dataDir: string): LockHolder | null {
  const file = join(dataDir, LOCK_FILE)
  const text = readText(file)
  if (text === null || isStale(file, text)) return null
  return parseHolder(text)
}

/**
 * Takes the data folder for this process: a lock file made with O_EXCL, naming its pid, host and
 * start time. A lock left by a process that is gone is taken over; a live holder's is refused with
 * DataFolderInUse, naming it.
 */
export function lockDataFolder(dataDir: string): DataFolderLock {
  const file = join(dataDir, LOCK_FILE)
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    url: null,
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number
    try {
      fd = openSync(file, 'wx', 0o600)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const text = readText(file)
      if (text !== null) {
        if (!isStale(file, text)) throw new DataFolderInUse(dataDir, parseHolder(text))
        removeStale(file, text)
      }
      continue
    }
    try {
      writeSync(fd, JSON.stringify(me))
    } finally {
      closeSync(fd)
    }
    held.add(file)
    return handle(file, me)
  }
  throw new DataFolderInUse(dataDir, parseHolder(readText(file) ?? ''))
}

function handle(file: string, me: LockHolder): DataFolderLock {
  const ours = () => {
    const holder = parseHolder(readText(file) ?? '')
    return holder?.pid === me.pid && holder.startedAt === me.startedAt
  }
  return {
    file,
    setUrl(url) {
      if (!held.has(file)) return
      // written aside and renamed over: a reader never sees half a file
      const next = `${file}.${me.pid}.tmp`
      writeFileSync(next, JSON.stringify({ ...me, url }), { mode: 0o600 })
      renameSync(next, file)
      me.url = url
    },
    release() {
      if (!held.delete(file)) return
      if (ours()) unlinkSync(file)
    },
  }
}
