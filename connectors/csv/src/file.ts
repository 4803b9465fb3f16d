import { constants } from 'node:fs'
import { open, realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { ConnectorError } from '@hrsync/core'

/** The largest export read from the import folder: 50 MB (documented in the README). */
export const MAX_EXPORT_BYTES = 50 * 1024 * 1024

function inside(folder: string, file: string): boolean {
  const path = relative(folder, file)
  return path !== '' && !isAbsolute(path) && path.split(sep)[0] !== '..'
}

/**
 * Reads `path`, relative to `importDir` or absolute inside it, after resolving every symlink. A file
 * outside the folder answers exactly like a missing one, so no answer tells which files exist.
 */
export async function readImport(importDir: string | undefined, path: string): Promise<string> {
  if (!importDir) {
    throw new ConnectorError(
      'invalid_config',
      'This runner has no import folder for CSV files: give the export itself as `content`.',
    )
  }
  const notFound = new ConnectorError(
    'unreachable',
    `The export file ${path} was not found in the import folder.`,
  )
  let folder: string
  try {
    folder = await realpath(importDir)
  } catch {
    throw new ConnectorError('unreachable', 'The import folder of this runner does not exist.')
  }
  let file: string
  try {
    file = await realpath(resolve(folder, path))
  } catch {
    throw notFound
  }
  if (!inside(folder, file)) throw notFound
  // O_NOFOLLOW: a symlink swapped in since realpath is refused; O_NONBLOCK: a FIFO cannot hang the open
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EACCES')
        throw new ConnectorError('unreachable', `The export file ${path} cannot be read (permission denied).`)
      throw notFound
    },
  )
  try {
    const stat = await handle.stat()
    if (!stat.isFile())
      throw new ConnectorError('invalid_config', `The export ${path} is not a regular file.`)
    const tooLarge = new ConnectorError(
      'invalid_config',
      `The export ${path} is larger than ${MAX_EXPORT_BYTES / 1024 / 1024} MB, the most a CSV import may be.`,
    )
    if (stat.size > MAX_EXPORT_BYTES) throw tooLarge
    // a file growing while it is read stays bounded: reading stops one byte past the limit
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, MAX_EXPORT_BYTES + 1 - total))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, total)
      if (bytesRead === 0) break
      total += bytesRead
      if (total > MAX_EXPORT_BYTES) throw tooLarge
      chunks.push(chunk.subarray(0, bytesRead))
    }
    return Buffer.concat(chunks).toString('utf8')
  } finally {
    await handle.close()
  }
}
