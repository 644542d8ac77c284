// Measures `ck up` of stacks/cuddlekube.yaml: time from spawning `ck up` to every task healthy
// (polling the control API every 10 ms; `ck up`'s own "all healthy in" line is reported too), and
// the total RSS of all processes (tasks + supervisor) 1.5 s after, when every task has been
// sampled. Run 1 uses a fresh data directory (CA generated, table created and seeded); later runs
// reuse it. Prints a Markdown table for bench/results/stack-startup.md.
//
//   node tests/e2e/startup-bench.mjs [runs=5]     (CK_BIN defaults to build/release/src/ck)
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const bin = process.env.CK_BIN || path.join(REPO_ROOT, 'build', 'release', 'src', 'ck')
const runs = Number(process.argv[2] || 5)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const freePort = () => new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address()
    server.close(() => resolve(port))
  })
})

let stack = path.join(REPO_ROOT, 'stacks', 'cuddlekube.yaml')
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-startup-'))
const withSite = /\bpublic-site\b/.test(execFileSync(bin, ['serve', '--help'], { encoding: 'utf8' }))
if (!withSite) {
  const text = fs.readFileSync(stack, 'utf8').replace(/^public:\n(?: {2}.*\n)+/m, '')
    .replace(/^ {2}public-site:\n(?: {4}.*\n)+/m, '')
  stack = path.join(root, 'stack.yaml')
  fs.writeFileSync(stack, text)
}
const rows = []
try {
  for (let run = 1; run <= runs; ++run) {
    const ports = [await freePort(), await freePort(), await freePort()]
    const control = `http://127.0.0.1:${ports[0]}`
    const started = process.hrtime.bigint()
    const child = spawn(bin, ['up', stack, '--data-dir', path.join(root, 'data'), '--quiet',
      '--control-port', ports[0], '--public-port', ports[1], '--datastore-port', ports[2]].map(String),
    { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout.on('data', (chunk) => { output += chunk })
    let healthyMs
    for (;;) {
      try {
        const data = await (await fetch(`${control}/v1/tasks`)).json()
        if (data.all_healthy) { healthyMs = Number(process.hrtime.bigint() - started) / 1e6; break }
      } catch {}
      if (child.exitCode !== null) throw new Error(output)
      await sleep(10)
    }
    await sleep(1500)
    const data = await (await fetch(`${control}/v1/tasks`)).json()
    const tasks = data.tasks.filter((task) => task.pid)
    const rss = tasks.reduce((sum, task) => sum + task.rss_bytes, 0) + data.supervisor.rss_bytes
    const own = /healthy in ([0-9.]+) s/.exec(output)
    rows.push({ run, healthyMs, own: own ? Number(own[1]) * 1000 : NaN, processes: tasks.length + 1, rssMb: rss / 1048576 })
    execFileSync(bin, ['down', '--control', control])
    await new Promise((resolve) => child.exitCode !== null ? resolve() : child.once('exit', resolve))
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true })
}
console.log(`stack: ${withSite ? 'full' : 'without public-site (not built yet)'}; ${os.cpus().length} CPUs`)
console.log('| run | data dir | spawn -> all healthy (ms) | ck up\'s own figure (ms) | processes | total RSS (MB) |')
console.log('|---|---|---|---|---|---|')
for (const row of rows) {
  console.log(`| ${row.run} | ${row.run === 1 ? 'fresh' : 'reused'} | ${row.healthyMs.toFixed(0)} | ${row.own.toFixed(0)} | ${row.processes} | ${row.rssMb.toFixed(1)} |`)
}
const sorted = rows.map((row) => row.healthyMs).sort((a, b) => a - b)
console.log(`\nmedian spawn -> all healthy: ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms`)
