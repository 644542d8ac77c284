// End-to-end: `ck up` runs the real stack (stacks/cuddlekube.yaml) on free ports with a temporary
// data directory; the test drives it only through the CLI verbs, the control API and the site,
// like a user would: all tasks healthy, a SIGKILLed task is restarted, scaling, `ck down`, and a
// second `ck up` on the same data directory keeps the data.
//
// Needs only Node 20 (built-in fetch and node:test) and CK_BIN (the ck binary; set by CTest).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const bin = process.env.CK_BIN || path.join(REPO_ROOT, 'build', 'release', 'src', 'ck')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

// Until `ck serve public-site` exists, run the stack without it (and skip the site checks).
function hasPublicSite () {
  const help = execFileSync(bin, ['serve', '--help'], { encoding: 'utf8' })
  return /\bpublic-site\b/.test(help)
}

function stackFile (root, withSite) {
  const original = path.join(REPO_ROOT, 'stacks', 'cuddlekube.yaml')
  if (withSite) return original
  let text = fs.readFileSync(original, 'utf8')
  text = text.replace(/^public:\n(?: {2}.*\n)+/m, '')
  text = text.replace(/^ {2}public-site:\n(?: {4}.*\n)+/m, '')
  const file = path.join(root, 'stack-without-site.yaml')
  fs.writeFileSync(file, text)
  return file
}

class Stack {
  constructor ({ root, stack, ports }) {
    Object.assign(this, { root, stack, ports })
    this.dataDir = path.join(root, 'data')
    this.control = `http://127.0.0.1:${ports.control}`
    this.site = `http://127.0.0.1:${ports.public}`
    this.output = ''
  }

  async up () {
    const started = process.hrtime.bigint()
    this.child = spawn(bin, ['up', this.stack, '--data-dir', this.dataDir,
      '--control-port', String(this.ports.control), '--public-port', String(this.ports.public),
      '--datastore-port', String(this.ports.datastore), '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] })
    this.exit = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })))
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream.on('data', (chunk) => { this.output = (this.output + chunk).slice(-20000) })
    }
    await this.until('all tasks healthy', async () => (await this.tasks()).all_healthy)
    return Number(process.hrtime.bigint() - started) / 1e6
  }

  async tasks () {
    const response = await fetch(`${this.control}/v1/tasks`)
    assert.equal(response.status, 200)
    return response.json()
  }

  async until (what, predicate, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      try {
        if (await predicate()) return
      } catch {}
      if (this.child.exitCode !== null) throw new Error(`ck up exited while waiting for ${what}:\n${this.output}`)
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.output}`)
      await sleep(50)
    }
  }

  ck (...args) {
    return execFileSync(bin, [...args, '--control', this.control], { encoding: 'utf8' })
  }

  async down () {
    const out = this.ck('down')
    assert.match(out, /stack stopped/)
    const { code } = await this.exit
    assert.equal(code, 0, this.output)
  }

  kill () {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}

const tasksOf = (data, service) => data.tasks.filter((task) => task.service === service)

test('ck up runs the stack, restarts killed tasks, scales, stops, and keeps data', { timeout: 240_000 }, async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-e2e-'))
  const withSite = hasPublicSite()
  const ports = { control: await freePort(), public: await freePort(), datastore: await freePort() }
  const stack = new Stack({ root, stack: stackFile(root, withSite), ports })
  t.after(() => { stack.kill(); fs.rmSync(root, { recursive: true, force: true }) })

  const startupMs = await stack.up()
  t.diagnostic(`ck up to all healthy: ${startupMs.toFixed(0)} ms`)

  // ck ps shows every task healthy (and the completed seed job).
  const ps = stack.ck('ps')
  assert.match(ps, /all healthy/)
  for (const service of ['dynamodb', 'list-api', 'register-api', 'validate-api', 'feed-api',
    'happiness-api', 'order-api']) {
    assert.match(ps, new RegExp(`${service}-v1-1 +${service} +v1 +healthy`), ps)
  }
  assert.match(ps, /seed-v1-1 +seed +v1 +completed/)
  const data = await stack.tasks()
  const totalRss = data.tasks.reduce((sum, task) => sum + task.rss_bytes, 0) + (data.supervisor.rss_bytes || 0)
  t.diagnostic(`total RSS: ${(totalRss / 1048576).toFixed(1)} MB`)

  // Discovery answers per the contract.
  const discovery = await (await fetch(`${stack.control}/v1/discovery/list-api`)).json()
  assert.equal(discovery.service, 'list-api')
  assert.equal(discovery.instances.length, 1)
  assert.equal(discovery.instances[0].healthy, true)
  const unknown = await fetch(`${stack.control}/v1/discovery/nope`)
  assert.equal(unknown.status, 404)
  assert.deepEqual(await unknown.json(), { error: 'unknown service: nope' })

  // Register a resident through register-api (and through the site form when it exists).
  const registerApi = data.tasks.find((task) => task.service === 'register-api')
  const resident = { name: `e2e-${process.pid}`, type: 't3.micro', os: 'linux', petname: 'Testy', service: 2, image: '/img/server.png' }
  const registered = await fetch(`http://127.0.0.1:${registerApi.port}/`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(resident),
  })
  assert.equal(registered.status, 201, await registered.clone().text())
  const listed = async () => {
    const listApi = tasksOf(await stack.tasks(), 'list-api').find((task) => task.state === 'healthy')
    const response = await fetch(`http://127.0.0.1:${listApi.port}/`)
    return (await response.json()).map((item) => item.name)
  }
  assert.ok((await listed()).includes(resident.name))

  // SIGKILL a task: the supervisor restarts it with a new task id and it serves again.
  const victim = tasksOf(data, 'list-api')[0]
  process.kill(victim.pid, 'SIGKILL')
  await stack.until('list-api restarted', async () => {
    const now = await stack.tasks()
    const [task] = tasksOf(now, 'list-api')
    return task.restarts === 1 && task.state === 'healthy' && now.all_healthy
  })
  const [restarted] = tasksOf(await stack.tasks(), 'list-api')
  assert.equal(restarted.id, 'list-api-v1-2')
  assert.equal(restarted.last_exit, 'killed by signal 9 (SIGKILL)')
  assert.ok((await listed()).includes(resident.name))

  // Scale out and back in.
  assert.match(stack.ck('scale', 'list-api', '2'), /desired 2/)
  await stack.until('two list-api tasks', async () => {
    const now = await stack.tasks()
    return now.all_healthy && tasksOf(now, 'list-api').length === 2
  })
  const two = await (await fetch(`${stack.control}/v1/discovery/list-api`)).json()
  assert.equal(two.instances.filter((instance) => instance.healthy).length, 2)
  stack.ck('scale', 'list-api', '1')
  await stack.until('one list-api task', async () => tasksOf(await stack.tasks(), 'list-api').length === 1)

  // Stop and start a service.
  stack.ck('stop', 'order-api')
  await stack.until('order-api stopped', async () => tasksOf(await stack.tasks(), 'order-api').length === 0)
  assert.match(stack.ck('ps'), /order-api +v1 +stopped/)
  stack.ck('start', 'order-api')
  await stack.until('order-api back', async () => (await stack.tasks()).all_healthy)

  // Bad requests get clear errors.
  assert.throws(() => stack.ck('scale', 'nope', '2'), /unknown service: nope/)
  assert.throws(() => stack.ck('scale', 'dynamodb', '2'), /only services scale/)

  if (withSite) {
    const home = await fetch(`${stack.site}/`)
    assert.equal(home.status, 200)
  } else {
    t.diagnostic('ck serve public-site does not exist yet: site checks skipped')
  }

  // ck down stops everything; a second ck up on the same data directory keeps the data.
  await stack.down()
  const logs = fs.readdirSync(path.join(stack.dataDir, 'logs'))
  assert.ok(logs.includes('list-api') && logs.includes('supervisor.log'), logs.join(','))
  const secondMs = await stack.up()
  t.diagnostic(`second ck up to all healthy: ${secondMs.toFixed(0)} ms`)
  assert.ok((await listed()).includes(resident.name), 'registered resident survives ck down/up')
  await stack.down()
})

test('ck up rejects an invalid stack file with its line', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-e2e-bad-'))
  try {
    const file = path.join(root, 'bad.yaml')
    fs.writeFileSync(file, 'services:\n  api:\n    replicas: 2\n')
    let error
    try {
      execFileSync(bin, ['up', file, '--data-dir', path.join(root, 'data')], { encoding: 'utf8', stdio: 'pipe' })
    } catch (caught) { error = caught }
    assert.ok(error, 'ck up must fail')
    assert.equal(error.status, 1)
    assert.match(error.stderr, /bad\.yaml:3:5: api\.replicas: unknown key/)
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
})
