// Shared by the end-to-end tests (tests/e2e) and the browser test (tests/browser): runs the real
// `ck up` on free loopback ports with a temporary data directory, and reads what the site and the
// APIs show. Plain Node 20 (built-in fetch); no dependencies.
//
// Nothing here waits a fixed time for something to happen: every wait polls with a deadline
// (`until`), and a deadline is a failure, never a measurement.
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const CK_BIN = process.env.CK_BIN || path.join(REPO_ROOT, 'build', 'release', 'src', 'ck')
export const STACK_FILE = path.join(REPO_ROOT, 'stacks', 'cuddlekube.yaml')
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// Where tests leave files for a human (screenshots): $CK_ARTIFACTS_DIR, else build/test-artifacts.
export function artifactsDir (...parts) {
  const base = process.env.CK_ARTIFACTS_DIR || path.join(REPO_ROOT, 'build', 'test-artifacts')
  const dir = path.join(base, ...parts)
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

export async function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

// Polls `predicate` (sync or async; a throw counts as "not yet") every `intervalMs` until it
// returns something truthy, which is returned. `check` runs before each attempt and may throw to
// give up early (e.g. when `ck up` has exited).
export async function until (what, predicate, { timeoutMs = 30_000, intervalMs = 50, check, context } = {}) {
  const deadline = Date.now() + timeoutMs
  let lastError
  for (;;) {
    if (check) check(what)
    try {
      const value = await predicate()
      if (value) return value
    } catch (error) { lastError = error }
    if (Date.now() > deadline) {
      const why = lastError ? `\nlast error: ${lastError.stack || lastError}` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}${context ? `\n${context()}` : ''}`)
    }
    await sleep(intervalMs)
  }
}

export const tasksOf = (data, service) => data.tasks.filter((task) => task.service === service)

// One `ck up` of a stack file with its own data directory under `root` and free ports.
export class Stack {
  static async create ({ prefix = 'ck-e2e-', stack = STACK_FILE } = {}) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
    const ports = {
      control: await freePort(),
      public: await freePort(),
      datastore: await freePort(),
      xray: await freePort(),
      otlp: await freePort(),
    }
    return new Stack({ root, stack, ports })
  }

  constructor ({ root, stack, ports }) {
    Object.assign(this, { root, stack, ports })
    this.dataDir = path.join(root, 'data')
    this.control = `http://127.0.0.1:${ports.control}`
    this.site = `http://127.0.0.1:${ports.public}`
    this.xray = `http://127.0.0.1:${ports.xray}`
    this.output = ''
  }

  // Starts `ck up` and waits until the control API says every task is healthy; returns the
  // milliseconds that took (for a diagnostic line only).
  async up () {
    const started = process.hrtime.bigint()
    this.child = spawn(CK_BIN, ['up', this.stack, '--data-dir', this.dataDir,
      '--control-port', String(this.ports.control), '--public-port', String(this.ports.public),
      '--datastore-port', String(this.ports.datastore), '--xray-port', String(this.ports.xray),
      '--otlp-port', String(this.ports.otlp), '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] })
    this.exit = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })))
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream.on('data', (chunk) => { this.output = (this.output + chunk).slice(-20000) })
    }
    await this.until('all tasks healthy', async () => (await this.tasks()).all_healthy, { timeoutMs: 60_000 })
    return Number(process.hrtime.bigint() - started) / 1e6
  }

  async tasks () {
    const response = await fetch(`${this.control}/v1/tasks`)
    assert.equal(response.status, 200)
    return response.json()
  }

  async task (service) {
    const [task] = tasksOf(await this.tasks(), service)
    return task
  }

  // `until` that gives up as soon as `ck up` has exited, and shows its output and the
  // supervisor log on failure.
  until (what, predicate, options = {}) {
    return until(what, predicate, {
      ...options,
      check: () => {
        if (this.child && this.child.exitCode !== null) {
          throw new Error(`ck up exited (${this.child.exitCode}) while waiting for ${what}:\n${this.output}`)
        }
      },
      context: () => `ck up output:\n${this.output}\nsupervisor log (tail):\n${this.logTail('supervisor.log')}`,
    })
  }

  logTail (name, lines = 30) {
    try {
      return fs.readFileSync(path.join(this.dataDir, 'logs', name), 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    } catch (error) { return `(${error.message})` }
  }

  ck (...args) {
    // stderr is piped: a failing verb throws with it in the message.
    return execFileSync(CK_BIN, [...args, '--control', this.control], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  }

  async down () {
    const out = this.ck('down')
    assert.match(out, /stack stopped/)
    const { code } = await this.exit
    assert.equal(code, 0, this.output)
  }

  // SIGKILLs a service's (first) task and waits until the supervisor has replaced it with a
  // healthy one; returns the replacement task.
  async killAndAwaitRestart (service) {
    const victim = await this.task(service)
    assert.ok(victim && victim.pid, `${service} has a running task`)
    process.kill(victim.pid, 'SIGKILL')
    return this.until(`${service} restarted after SIGKILL`, async () => {
      const now = await this.tasks()
      const task = tasksOf(now, service).find((candidate) => candidate.id !== victim.id)
      return task && task.state === 'healthy' && task.restarts === victim.restarts + 1 && now.all_healthy && task
    })
  }

  // list-api's JSON, asked the way the services ask: a healthy instance from discovery.
  async listApi () {
    const discovery = await (await fetch(`${this.control}/v1/discovery/list-api`)).json()
    const instance = discovery.instances.find((candidate) => candidate.healthy)
    assert.ok(instance, `a healthy list-api instance: ${JSON.stringify(discovery)}`)
    const response = await fetch(`http://${instance.address}:${instance.port}/`)
    assert.equal(response.status, 200)
    return response.json()
  }

  // Kills `ck up` (its tasks follow through PR_SET_PDEATHSIG) and removes the temp directory.
  cleanup () {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL')
    fs.rmSync(this.root, { recursive: true, force: true })
  }
}

// ---- the site's HTML, read the way a test needs it ----

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

export function decodeHtml (text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
      return String.fromCodePoint(code)
    }
    return ENTITIES[body.toLowerCase()] ?? entity
  })
}

const attribute = (html, name) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(html)
  return match ? decodeHtml(match[1]) : undefined
}

// The resident cards of the /list page: [{ckid, formCkid, name, petname, type, os, service,
// happiness, image, html}] where `html` is the card's raw markup.
export function parseResidentCards (html) {
  const cards = []
  for (const chunk of html.split('<li class="resident-card"').slice(1)) {
    const card = chunk.slice(0, chunk.indexOf('</li>'))
    const heading = /<h2 class="resident-name">([\s\S]*?)<\/h2>/.exec(card)?.[1] ?? ''
    const [nameHtml, petHtml] = heading.split(' <span class="petname">(')
    const facts = {}
    for (const [, term, value] of card.matchAll(/<dt>([^<]*)<\/dt><dd>([^<]*)<\/dd>/g)) facts[term] = decodeHtml(value)
    const meter = /<div class="happiness-meter[^>]*>/.exec(card)?.[0] ?? ''
    cards.push({
      ckid: /^ id="resident-([^"]*)"/.exec(card)?.[1],
      formCkid: attribute(/<input type="hidden" name="ckid"[^>]*>/.exec(card)?.[0] ?? '', 'value'),
      name: decodeHtml(nameHtml),
      petname: petHtml === undefined ? '' : decodeHtml(petHtml.replace(/\)<\/span>$/, '')),
      type: facts.Type,
      os: facts.OS,
      service: facts['Years in service'],
      happiness: Number(attribute(meter, 'aria-valuenow')),
      image: attribute(/<img class="resident-picture"[^>]*>/.exec(card)?.[0] ?? '', 'src'),
      html: card,
    })
  }
  return cards
}

// POSTs an application/x-www-form-urlencoded form (like a browser) without following redirects.
export function postForm (url, fields, { headers = {} } = {}) {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  })
}
