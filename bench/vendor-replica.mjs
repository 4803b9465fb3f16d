// One runner replica of the vendor benchmark, in a process of its own so its CPU and memory are its
// own. env BENCH_REPLICA: the runner's options plus simUrl and compression. Prints "ready"; on SIGUSR2
// the integrations it is pulling; on SIGTERM its CPU %, memory and syncs in flight, and exits, its
// syncs in flight cut off.
import { startRunner } from '../apps/runner/dist/index.js'
import { vendorConnectors } from './vendor-families.mjs'

const { simUrl, compression, ...options } = JSON.parse(process.env.BENCH_REPLICA)
const runner = await startRunner({
  ...options,
  connectors: vendorConnectors(simUrl, compression, { renamed: true }),
})
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const rss = []
const heap = []
const running = []
const sample = setInterval(() => {
  const memory = process.memoryUsage()
  rss.push(memory.rss)
  heap.push(memory.heapUsed)
  running.push(runner.services.scheduler?.running ?? 0)
}, 1000)
console.log('ready')
// asked before it is killed: the integrations it is pulling, which the kill cuts off
process.on('SIGUSR2', () => console.log(JSON.stringify({ pulling: runner.services.sync.progress.pulling() })))
// the figures at once: stopping waits for the syncs in flight, a large Remote pull among them
process.on('SIGTERM', async () => {
  const { user, system } = process.cpuUsage(cpu0)
  const wallMs = performance.now() - t0
  clearInterval(sample)
  const mb = (bytes) => Math.round(bytes / 2 ** 20)
  const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length
  console.log(
    JSON.stringify({
      cpuPct: Math.round(((user + system) / 1000 / wallMs) * 1000) / 10,
      peakRssMb: mb(Math.max(...rss)),
      meanRssMb: mb(mean(rss)),
      peakHeapMb: mb(Math.max(...heap)),
      meanHeapMb: mb(mean(heap)),
      // scheduled syncs in flight, sampled each second
      peakRunning: Math.max(...running),
      meanRunning: Math.round(mean(running)),
    }),
  )
  process.exit(0)
})
