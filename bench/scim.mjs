// SCIM: PATCH and filtered GET at 50 connections against a bare fastify route; server and load in
// separate processes.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runJson, startServer } from './lib.mjs'

const CONNECTIONS = 50
const SECONDS = Number(process.env.BENCH_SCIM_SECONDS ?? 8)
const measure = async (mode, kind) => {
  const idsFile = mode === 'scim' ? join(tmpdir(), `hrsync-bench-ids-${process.pid}.json`) : undefined
  const server = await startServer('scim-server.mjs', [mode, ...(idsFile ? [idsFile] : [])])
  try {
    const args = [String(server.port), kind, String(CONNECTIONS)]
    await runJson('load.mjs', [...args, '1', ...(idsFile ? [idsFile] : [])]) // warm-up
    return await runJson('load.mjs', [...args, String(SECONDS), ...(idsFile ? [idsFile] : [])])
  } finally {
    await server.stop()
  }
}
const floorPatch = await measure('floor', 'patch')
const patch = await measure('scim', 'patch')
const floorGet = await measure('floor', 'get')
const get = await measure('scim', 'get')
console.log(
  JSON.stringify({
    server: '@hrsync/scim plugin on fastify with MemoryScimStore (the runner does not serve /scim/v2 yet)',
    connections: CONNECTIONS,
    patch: {
      ...patch,
      floorRps: floorPatch.rps,
      floorP99: floorPatch.p99,
      ratio: Math.round((patch.rps / floorPatch.rps) * 100) / 100,
    },
    get: {
      ...get,
      floorRps: floorGet.rps,
      floorP99: floorGet.p99,
      ratio: Math.round((get.rps / floorGet.rps) * 100) / 100,
    },
  }),
)
