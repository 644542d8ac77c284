// Measures `ck up` of stacks/cuddlekube.yaml (datastore, seed job, six APIs and public-site):
//
// - time to all-healthy: from spawning `ck up` to the control API reporting `all_healthy`
//   (polled every 10 ms); `ck up`'s own "all N services healthy in X s" line is reported too;
// - memory: VmRSS of every process (each task's pid plus `ck up` itself), read from /proc once
//   every task has run for 2 s (idle), and again after a short, bounded warm-up
//   through the site (page views, registrations, feeds). PSS (shared pages of the one `ck` binary
//   counted once across processes) is shown beside it.
//
// Run 1 uses a fresh data directory (CA generated, table created and seeded); later runs reuse it.
// Writes bench/results/stack-startup.md (BENCH_OUT overrides) with the command, date and machine.
//
//   node bench/stack-startup.mjs [runs=5]     (CK_BIN defaults to build/release/src/ck)
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = process.env.CK_BIN || path.join(REPO_ROOT, 'build', 'release', 'src', 'ck')
const out = process.env.BENCH_OUT || path.join(REPO_ROOT, 'bench', 'results', 'stack-startup.md')
const stack = path.join(REPO_ROOT, 'stacks', 'cuddlekube.yaml')
const runs = Number(process.argv[2] || 5)
const BUDGET_MS = 2000
const BUDGET_MB = 150
const WARMUP = { pages: 100, registrations: 20, feeds: 20 }
const loadavg = () => os.loadavg().map((value) => value.toFixed(2)).join(' ')
const loadAtStart = loadavg()

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const freePort = () => new Promise((resolve, reject) => {
  const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = server.address()
    server.close(() => resolve(port))
  })
})
const mb = (bytes) => bytes / 1048576
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
const sh = (command, args) => { try { return execFileSync(command, args, { encoding: 'utf8' }).trim() } catch { return '' } }

function memoryOf (pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)[1]) * 1024
  let pss = NaN
  try { pss = Number(/^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))[1]) * 1024 } catch {}
  return { rss, pss }
}

async function tasks (control) {
  const response = await fetch(`${control}/v1/tasks`)
  if (response.status !== 200) throw new Error(`GET /v1/tasks: ${response.status}`)
  return response.json()
}

// RSS/PSS of `ck up` and every running task, from /proc.
function totals (data, upPid) {
  const pids = [upPid, ...data.tasks.filter((task) => task.pid).map((task) => task.pid)]
  const sum = { processes: pids.length, rss: 0, pss: 0 }
  for (const pid of pids) {
    const { rss, pss } = memoryOf(pid)
    sum.rss += rss
    sum.pss += pss
  }
  return sum
}

async function warmUp (site) {
  const form = (fields) => fetch(`${site}${fields.ckid ? '/feed' : '/register'}`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
  const ckids = []
  for (let i = 0; i < WARMUP.registrations; ++i) {
    const response = await form({ Name: `bench-${i}`, type: 't3.micro', age: '3', pet: 'Benchy', os: 'linux' })
    if (response.status !== 303) throw new Error(`register: ${response.status}`)
    const ckid = /#resident-([0-9a-f]+)/.exec(response.headers.get('location') || '')?.[1]
    if (ckid) ckids.push(ckid)
  }
  for (let i = 0; i < WARMUP.feeds; ++i) {
    const response = await form({ ckid: ckids[i % ckids.length] || 'ck1' })
    if (response.status !== 303) throw new Error(`feed: ${response.status}`)
  }
  for (let i = 0; i < WARMUP.pages; ++i) {
    const response = await fetch(`${site}${i % 2 ? '/list' : '/'}`)
    await response.arrayBuffer()
    if (response.status !== 200) throw new Error(`page: ${response.status}`)
  }
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-startup-'))
const rows = []
try {
  for (let run = 1; run <= runs; ++run) {
    const [controlPort, publicPort, datastorePort] = [await freePort(), await freePort(), await freePort()]
    const control = `http://127.0.0.1:${controlPort}`
    const started = process.hrtime.bigint()
    const child = spawn(bin, ['up', stack, '--data-dir', path.join(root, 'data'), '--quiet',
      '--control-port', controlPort, '--public-port', publicPort, '--datastore-port', datastorePort].map(String),
    { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout.on('data', (chunk) => { output += chunk })
    let healthyMs
    const deadline = Date.now() + 60_000
    for (;;) {
      try {
        if ((await tasks(control)).all_healthy) { healthyMs = Number(process.hrtime.bigint() - started) / 1e6; break }
      } catch {}
      if (child.exitCode !== null) throw new Error(`ck up exited:\n${output}`)
      if (Date.now() > deadline) throw new Error(`not all healthy after 60 s:\n${output}`)
      await sleep(10)
    }
    // Idle memory once every task has run for 2 s: done starting, and sampled by the supervisor
    // (once a second) since, so `ck ps` shows the same picture.
    let data
    for (;;) {
      data = await tasks(control)
      if (data.tasks.every((task) => !task.pid || task.uptime_ms >= 2000)) break
      await sleep(50)
    }
    const idle = totals(data, child.pid)
    const psTotal = data.tasks.reduce((sum, task) => sum + task.rss_bytes, 0) + data.supervisor.rss_bytes
    await warmUp(`http://127.0.0.1:${publicPort}`)
    const warm = totals(await tasks(control), child.pid)
    const own = /healthy in ([0-9.]+) s/.exec(output)
    rows.push({ run, healthyMs, ownMs: own ? Number(own[1]) * 1000 : NaN, idle, warm, psTotal })
    console.error(`run ${run}: all healthy after ${healthyMs.toFixed(0)} ms; ${idle.processes} processes, ` +
      `RSS ${mb(idle.rss).toFixed(1)} MB idle, ${mb(warm.rss).toFixed(1)} MB after the warm-up`)
    execFileSync(bin, ['down', '--control', control])
    await new Promise((resolve) => child.exitCode !== null ? resolve() : child.once('exit', resolve))
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true })
}

const stat = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) })
const healthy = stat(rows.map((row) => row.healthyMs))
const idleRss = stat(rows.map((row) => mb(row.idle.rss)))
const warmRss = stat(rows.map((row) => mb(row.warm.rss)))
const idlePss = stat(rows.map((row) => mb(row.idle.pss)))
const warmPss = stat(rows.map((row) => mb(row.warm.pss)))
const fmt = ({ median, min, max }, digits = 0) => `${median.toFixed(digits)} (min ${min.toFixed(digits)}, max ${max.toFixed(digits)})`
const commit = sh('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'])
const dirty = sh('git', ['-C', REPO_ROOT, 'status', '--porcelain', '--untracked-files=no']) ? ' (+ uncommitted changes)' : ''

const command = `node bench/stack-startup.mjs ${runs}`

const lines = [
  '# `ck up` to all healthy, and total memory',
  '',
  'Produced by `bench/stack-startup.mjs` (it writes this file; see the comment at its top).',
  '',
  `- Command: \`cmake --preset release && ninja -C build/release ck && ${command}\``,
  `- Date: ${new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`,
  `- Machine: ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${mb(os.totalmem() / 1024).toFixed(0)} GiB, ` +
    `Linux ${os.release()}; node ${process.version}; load average at start ${loadAtStart}, at the end ${loadavg()}`,
  `- ck: \`${path.relative(REPO_ROOT, bin) || bin}\` at ${commit}${dirty}; stack \`stacks/cuddlekube.yaml\`: ` +
    `dynamodb, the seed job, validate/happiness/order/list/register/feed-api and public-site ` +
    `(${rows[0].idle.processes - 1} task processes + \`ck up\`)`,
  '',
  '**Time to all-healthy** is from spawning `ck up` to the control API answering `all_healthy: true`',
  '(polled every 10 ms); `ck up` prints its own figure, measured from its start. **Memory** is the',
  'sum of `VmRSS` over `ck up` and every task process (from `/proc`), read once every task has run',
  'for 2 s (idle; `ck ps`\'s total at that moment is shown too), and again after a warm-up through',
  `the site (${WARMUP.registrations} registrations, ${WARMUP.feeds} feeds, ${WARMUP.pages} page views). RSS counts the pages of the one`,
  '`ck` binary that all processes share once per process; PSS splits them, so the PSS sum is what',
  'the stack really occupies.',
  `Run 1 starts from an empty data directory (local CA generated, table created and seeded); runs 2-${runs} reuse it.`,
  '',
  '## Summary',
  '',
  '| measure | median (min, max) | budget |',
  '|---|---|---|',
  `| spawn -> all healthy (ms) | **${fmt(healthy)}** | ≤ ${BUDGET_MS} ${healthy.max <= BUDGET_MS ? '✅' : '❌'} |`,
  `| total RSS, idle (MB) | **${fmt(idleRss, 1)}** | ≤ ${BUDGET_MB} ${idleRss.max <= BUDGET_MB ? '✅' : '❌'} |`,
  `| total RSS after the warm-up (MB) | ${fmt(warmRss, 1)} | ≤ ${BUDGET_MB} ${warmRss.max <= BUDGET_MB ? '✅' : '❌'} |`,
  `| total PSS, idle / after the warm-up (MB) | ${fmt(idlePss, 1)} / ${fmt(warmPss, 1)} | |`,
  '',
  '## Runs',
  '',
  '| run | data dir | spawn -> all healthy (ms) | ck up\'s own figure (ms) | processes | RSS idle (MB) | `ck ps` total (MB) | RSS warm (MB) | PSS idle / warm (MB) |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((row) => `| ${row.run} | ${row.run === 1 ? 'fresh' : 'reused'} | ${row.healthyMs.toFixed(0)} | ${row.ownMs.toFixed(0)} | ` +
    `${row.idle.processes} | ${mb(row.idle.rss).toFixed(1)} | ${mb(row.psTotal).toFixed(1)} | ${mb(row.warm.rss).toFixed(1)} | ` +
    `${mb(row.idle.pss).toFixed(1)} / ${mb(row.warm.pss).toFixed(1)} |`),
  '',
]
fs.writeFileSync(out, lines.join('\n'))
console.log(lines.join('\n'))
console.error(`wrote ${path.relative(process.cwd(), out)}`)
