// SCIM: PATCH and filtered GET at 50 connections, in three servers, each in a process of its own
// with the load loop in another:
// - floor: a bare fastify route answering a fixed body;
// - layer: the @hrsync/scim plugin on fastify with its MemoryScimStore (the SCIM protocol alone);
// - runner: the runner serving /scim/v2 on PostgreSQL for a company connected to Okta, its
//   coalesced syncs running as in production.
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runJson, startServer } from './lib.mjs'

const CONNECTIONS = 50
const SECONDS = Number(process.env.BENCH_SCIM_SECONDS ?? 8)
const SERVERS = {
  floor: ['scim-server.mjs', ['floor']],
  layer: ['scim-server.mjs', ['scim']],
  runner: ['scim-runner-server.mjs', ['postgres']],
}
const measure = async (server, kind) => {
  const [script, args] = SERVERS[server]
  const idsFile = server === 'floor' ? undefined : join(tmpdir(), `hrsync-bench-ids-${process.pid}.json`)
  const running = await startServer(script, [...args, ...(idsFile ? [idsFile] : [])])
  try {
    const load = [String(running.port), kind, String(CONNECTIONS)]
    const ids = idsFile ? [idsFile] : []
    await runJson('load.mjs', [...load, '1', ...ids]) // warm-up
    const measured = await runJson('load.mjs', [...load, String(SECONDS), ...ids])
    // every answer must be a success: a floor or a server answering errors measures nothing
    if (measured.errors > 0)
      throw new Error(
        `${server} ${kind}: ${measured.errors} answers were not 2xx (${JSON.stringify(measured.statuses)})`,
      )
    return measured
  } finally {
    await running.stop()
    if (idsFile) rmSync(idsFile, { force: true })
  }
}
const result = { connections: CONNECTIONS, seconds: SECONDS }
for (const kind of ['patch', 'get']) {
  const floor = await measure('floor', kind)
  result[kind] = { floorRps: floor.rps, floorP99: floor.p99 }
  for (const server of ['layer', 'runner']) {
    const m = await measure(server, kind)
    result[kind][server] = { ...m, ratio: Math.round((m.rps / floor.rps) * 100) / 100 }
  }
}
console.log(JSON.stringify(result))
