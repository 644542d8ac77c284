// End-to-end metrics: `ck up` runs the real stack on free ports with a temporary data directory;
// after a few site requests, every component's `GET /metrics` — each service, `ck dynamodb`
// (HTTPS, trusted through the stack's local CA), the collector on its X-Ray API port and the
// control API — answers the Prometheus text format 0.0.4 with its exact Content-Type, passes
// `promtool check metrics` without a single lint remark, and carries the RED series for the
// requests the test made: per route (the route pattern, never the raw path) and per dependency
// (other services, DynamoDB), with exact counts where nothing else in the stack makes such
// requests. The supervisor's numbers follow a SIGKILLed task's restart.
//
// promtool comes from Debian's `prometheus` package (scripts/setup.sh installs it); without
// /usr/bin/promtool the suite is skipped with a message. Needs Node 20 and CK_BIN (set by CTest).
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import https from 'node:https'
import path from 'node:path'
import { Stack, postForm, tasksOf } from './lib/stack.mjs'

const PROMTOOL = '/usr/bin/promtool'
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
const SERVICES = ['list-api', 'register-api', 'validate-api', 'feed-api', 'happiness-api',
  'order-api', 'public-site']
const LIST_REQUESTS = 3

// [{name, labels, value}] from a text exposition (label values unescaped).
function parseExposition (text) {
  const samples = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    assert.ok(match, `a sample line: ${JSON.stringify(line)}`)
    const labels = {}
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name] = value.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c))
    }
    const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : Number(match[3])
    samples.push({ name: match[1], labels, value })
  }
  return samples
}

// The value of the one series `name` with exactly `labels`, or undefined.
function valueOf (samples, name, labels) {
  const found = samples.filter((sample) => sample.name === name &&
    Object.keys(sample.labels).length === Object.keys(labels).length &&
    Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
  assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} appears once`)
  return found[0]?.value
}

function promtool (body) {
  return spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8', timeout: 30_000 })
}

// GET over HTTPS trusting only `ca` (the stack's local CA): {status, contentType, body}.
function httpsGet (url, ca) {
  return new Promise((resolve, reject) => {
    https.get(url, { ca }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => { body += chunk })
      response.on('end', () => resolve({ status: response.statusCode, contentType: response.headers['content-type'], body }))
    }).on('error', reject)
  })
}

async function httpGet (url) {
  const response = await fetch(url)
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() }
}

const skip = fs.existsSync(PROMTOOL)
  ? false
  : `${PROMTOOL} is missing: install Debian's prometheus package (scripts/setup.sh does)`

describe('GET /metrics on every component, checked by promtool', { timeout: 240_000, skip }, () => {
  let stack
  let ca
  const scraped = {}  // component -> {body, samples}

  const portOf = async (service) => {
    const [task] = tasksOf(await stack.tasks(), service).filter((candidate) => candidate.state === 'healthy')
    assert.ok(task, `a healthy ${service} task`)
    return task.port
  }
  // Fetches, checks the answer's shape and promtool's verdict, and keeps the parsed samples.
  const scrape = async (component, url) => {
    const answer = url.startsWith('https:') ? await httpsGet(url, ca) : await httpGet(url)
    assert.equal(answer.status, 200, `${component}: ${answer.body}`)
    assert.equal(answer.contentType, CONTENT_TYPE, component)
    const checked = promtool(answer.body)
    assert.equal(checked.error, undefined, `${component}: promtool ran`)
    assert.equal(`${checked.stdout}${checked.stderr}`.trim(), '', `${component}: promtool has no remarks`)
    assert.equal(checked.status, 0, `${component}: promtool check metrics exits 0`)
    const samples = parseExposition(answer.body)
    scraped[component] = { body: answer.body, samples }
    return samples
  }

  before(async () => {
    stack = await Stack.create({ prefix: 'ck-metrics-' })
    await stack.up()
    ca = fs.readFileSync(path.join(stack.dataDir, 'tls', 'ca.pem'))
    for (let i = 0; i < LIST_REQUESTS; i++) {
      const response = await fetch(`${stack.site}/list`)
      assert.equal(response.status, 200)
      await response.text()
    }
    const missing = await fetch(`${stack.site}/no/such/page?x=1`)
    assert.equal(missing.status, 404)
    await missing.text()
    const registered = await postForm(`${stack.site}/register`,
      { Name: `Metric ${process.pid}`, type: 't3.micro', age: '3', pet: 'Gauge', os: 'linux' })
    assert.equal(registered.status, 303)
  })
  after(async () => {
    if (stack) {
      try { await stack.down() } finally { stack.cleanup() }
    }
  })

  it('every service serves RED per route, per dependency, tracing and process metrics', async () => {
    for (const service of SERVICES) {
      const samples = await scrape(service, `http://127.0.0.1:${await portOf(service)}/metrics`)
      const health = valueOf(samples, 'ck_http_server_requests_total',
        { service, route: '/health', method: 'GET', code: '200' })
      assert.ok(health >= 1, `${service} counted its health checks (${health})`)
      for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes',
        'process_virtual_memory_bytes', 'process_open_fds', 'process_max_fds', 'process_start_time_seconds']) {
        const value = valueOf(samples, name, {})
        assert.ok(Number.isFinite(value) && value >= 0, `${service}: ${name} = ${value}`)
      }
      assert.ok(valueOf(samples, 'process_resident_memory_bytes', {}) > 1_000_000, `${service}: plausible RSS`)
      assert.notEqual(valueOf(samples, 'ck_tracing_segments_sent_total', { service }), undefined, service)
      assert.equal(valueOf(samples, 'ck_tracing_segments_dropped_total', { service, reason: 'queue_full' }), 0, service)
      assert.ok(!samples.some((sample) => sample.labels.route === '/metrics'), `${service}: scrapes are not requests`)
      assert.ok(!samples.some((sample) => sample.labels.route?.includes('?')), `${service}: routes are patterns`)
    }

    const site = scraped['public-site'].samples
    assert.equal(valueOf(site, 'ck_http_server_requests_total',
      { service: 'public-site', route: '/list', method: 'GET', code: '200' }), LIST_REQUESTS)
    assert.equal(valueOf(site, 'ck_http_server_request_duration_seconds_count',
      { service: 'public-site', route: '/list', method: 'GET' }), LIST_REQUESTS)
    assert.equal(valueOf(site, 'ck_http_server_request_duration_seconds_bucket',
      { service: 'public-site', route: '/list', method: 'GET', le: '+Inf' }), LIST_REQUESTS)
    // The site's catch-all HTML 404 page is one route, whatever the path asked for.
    assert.equal(valueOf(site, 'ck_http_server_requests_total',
      { service: 'public-site', route: '/*', method: 'GET', code: '404' }), 1)
    assert.equal(valueOf(site, 'ck_http_server_requests_total',
      { service: 'public-site', route: '/register', method: 'POST', code: '303' }), 1)
    assert.equal(valueOf(site, 'ck_dependency_requests_total',
      { service: 'public-site', dependency: 'list-api', operation: 'GET', outcome: 'ok' }), LIST_REQUESTS)
    assert.equal(valueOf(site, 'ck_dependency_requests_total',
      { service: 'public-site', dependency: 'register-api', operation: 'POST', outcome: 'ok' }), 1)

    const list = scraped['list-api'].samples
    assert.equal(valueOf(list, 'ck_http_server_requests_total',
      { service: 'list-api', route: '/', method: 'GET', code: '200' }), LIST_REQUESTS)
    assert.equal(valueOf(list, 'ck_dependency_requests_total',
      { service: 'list-api', dependency: 'DynamoDB', operation: 'Scan', outcome: 'ok' }), LIST_REQUESTS)
    const scanSeconds = valueOf(list, 'ck_dependency_request_duration_seconds_sum',
      { service: 'list-api', dependency: 'DynamoDB', operation: 'Scan' })
    assert.ok(scanSeconds > 0 && scanSeconds < 60, `plausible Scan time: ${scanSeconds} s`)

    const register = scraped['register-api'].samples
    assert.equal(valueOf(register, 'ck_dependency_requests_total',
      { service: 'register-api', dependency: 'DynamoDB', operation: 'PutItem', outcome: 'ok' }), 1)
    assert.equal(valueOf(register, 'ck_dependency_requests_total',
      { service: 'register-api', dependency: 'validate-api', operation: 'POST', outcome: 'ok' }), 1)
  })

  it('scraping is not counted as a request', async () => {
    const port = await portOf('order-api')
    const url = `http://127.0.0.1:${port}/metrics`
    const count = (samples) => samples.filter((sample) => sample.name === 'ck_http_server_requests_total' &&
      sample.labels.route !== '/health').reduce((sum, sample) => sum + sample.value, 0)
    const first = await scrape('order-api', url)
    const second = await scrape('order-api', url)
    assert.equal(count(second), count(first))
  })

  it('ck dynamodb serves per-operation RED and process metrics beside the DynamoDB protocol', async () => {
    const samples = await scrape('dynamodb', `https://127.0.0.1:${stack.ports.datastore}/metrics`)
    // Only list-api scans, once per /list.
    assert.equal(valueOf(samples, 'ck_dynamodb_requests_total',
      { operation: 'Scan', outcome: 'ok', error_type: '' }), LIST_REQUESTS)
    assert.equal(valueOf(samples, 'ck_dynamodb_request_duration_seconds_count', { operation: 'Scan' }),
      LIST_REQUESTS)
    const puts = valueOf(samples, 'ck_dynamodb_requests_total', { operation: 'PutItem', outcome: 'ok', error_type: '' })
    assert.ok(puts >= 1, `the seed's and the registration's PutItems (${puts})`)
    assert.ok(valueOf(samples, 'ck_dynamodb_database_bytes', {}) > 0)
    assert.ok(valueOf(samples, 'process_open_fds', {}) > 0)
    // The protocol is untouched: GET / is still the health line.
    const health = await httpsGet(`https://127.0.0.1:${stack.ports.datastore}/`, ca)
    assert.equal(health.status, 200)
    assert.match(health.body, /^healthy: /)
  })

  it('the collector serves its counters beside the X-Ray API', async () => {
    const samples = await scrape('collector', `${stack.xray}/metrics`)
    for (const name of ['ck_collector_datagrams_received_total', 'ck_collector_datagrams_rejected_total',
      'ck_collector_spans_received_total', 'ck_collector_spans_dropped_total', 'ck_collector_spans_stored_total',
      'ck_collector_queue_spans', 'ck_collector_store_spans', 'process_resident_memory_bytes']) {
      const value = valueOf(samples, name, {})
      assert.ok(Number.isFinite(value) && value >= 0, `${name} = ${value}`)
    }
    assert.equal(valueOf(samples, 'ck_collector_spans_dropped_total', {}), 0)
    const rules = await fetch(`${stack.xray}/GetSamplingRules`, { method: 'POST', body: '{}' })
    assert.equal(rules.status, 200, 'the X-Ray routes are undisturbed')
    assert.ok((await rules.json()).SamplingRuleRecords.length > 0)
  })

  it('the control API serves the supervisor numbers, and a restart is counted', async () => {
    let samples = await scrape('control', `${stack.control}/metrics`)
    for (const service of [...SERVICES, 'dynamodb']) {
      assert.equal(valueOf(samples, 'ck_supervisor_desired_tasks', { service }), 1, service)
      assert.equal(valueOf(samples, 'ck_supervisor_running_tasks', { service }), 1, service)
      assert.equal(valueOf(samples, 'ck_supervisor_healthy_tasks', { service }), 1, service)
      assert.equal(valueOf(samples, 'ck_supervisor_task_restarts_total', { service }), 0, service)
    }
    assert.equal(valueOf(samples, 'ck_supervisor_task_restarts_total', { service: 'seed' }), 0)
    assert.equal(valueOf(samples, 'ck_supervisor_desired_tasks', { service: 'seed' }), undefined, 'jobs have no task gauges')

    await stack.killAndAwaitRestart('order-api')
    samples = await scrape('control', `${stack.control}/metrics`)
    assert.equal(valueOf(samples, 'ck_supervisor_task_restarts_total', { service: 'order-api' }), 1)
    assert.equal(valueOf(samples, 'ck_supervisor_healthy_tasks', { service: 'order-api' }), 1)
  })
})
