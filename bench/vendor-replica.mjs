// One runner replica of the vendor benchmark, in a process of its own so its CPU and memory are its
// own. env BENCH_REPLICA: the runner's options plus simUrl and compression. Prints "ready"; on SIGTERM
// prints { cpuPct, peakRssMb, meanRssMb } and exits, its syncs in flight cut off.
import { startRunner } from '../apps/runner/dist/index.js'
import { vendorConnectors } from './vendor-families.mjs'

const { simUrl, compression, ...options } = JSON.parse(process.env.BENCH_REPLICA)
await startRunner({ ...options, connectors: vendorConnectors(simUrl, compression) })
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const rss = []
const sample = setInterval(() => rss.push(process.memoryUsage().rss), 1000)
console.log('ready')
// the figures at once: stopping waits for the syncs in flight, a large Remote pull among them
process.on('SIGTERM', async () => {
  const { user, system } = process.cpuUsage(cpu0)
  const wallMs = performance.now() - t0
  clearInterval(sample)
  const mb = (bytes) => Math.round(bytes / 2 ** 20)
  console.log(
    JSON.stringify({
      cpuPct: Math.round(((user + system) / 1000 / wallMs) * 1000) / 10,
      peakRssMb: mb(Math.max(...rss)),
      meanRssMb: mb(rss.reduce((a, b) => a + b, 0) / rss.length),
    }),
  )
  process.exit(0)
})
