// End-to-end logs: under `ck up`, every task's stdout/stderr becomes log events in
// /ecs/<stack>/<service> (one stream per task), readable with `ck logs`, queryable with
// `ck query` (Logs Insights), and linked both ways with traces through the trace_id field.
//
// The stack is the default one plus a job, `chatter`, that prints multi-byte text, an
// oversized line (split into events of at most 262,118 bytes, as the awslogs driver does),
// and lines on stderr.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { CK_BIN, STACK_FILE, Stack } from './lib/stack.mjs'

const MAX_EVENT_BYTES = 262_144 - 26
const BIG_LINE_BYTES = 600_000
const CHATTER = `
const big = 'ab'.repeat(${BIG_LINE_BYTES / 2})
process.stdout.write('grüße aus dem Altenheim — 老人ホーム ✓\\n')
process.stdout.write(big + '\\n')
process.stderr.write('chatter: a line on stderr\\n')
process.stdout.write(JSON.stringify({ level: 'info', msg: 'done', bytes: big.length }) + '\\n')
`

const newTraceId = () =>
  `1-${Math.floor(Date.now() / 1000).toString(16)}-${crypto.randomBytes(12).toString('hex')}`

async function logsApi (stack, operation, body) {
  const response = await fetch(stack.xray, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${operation}` },
    body: JSON.stringify(body),
  })
  const json = await response.json()
  assert.equal(response.status, 200, `${operation}: ${JSON.stringify(json)}`)
  return json
}

describe('logs through the whole stack', { timeout: 180_000 }, () => {
  let stack
  const ck = (...args) => execFileSync(CK_BIN, [...args, '--collector', stack.xray, '--no-color'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

  before(async () => {
    const root = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR || '/tmp'), 'ck-logs-stack-'))
    const file = path.join(root, 'cuddlekube-chatter.yaml')
    const indented = CHATTER.trim().split('\n').map((line) => `          ${line}`).join('\n')
    const text = fs.readFileSync(STACK_FILE, 'utf8').replace(/^jobs:\n/m,
      `jobs:\n  chatter:\n    command:\n      - node\n      - -e\n      - |\n${indented}\n`)
    assert.match(text, /chatter:/)
    fs.writeFileSync(file, text)
    stack = await Stack.create({ prefix: 'ck-logs-', stack: file })
    stack.extraRoot = root
    await stack.up()
  })
  after(async () => {
    if (stack) {
      try { await stack.down() } finally {
        stack.cleanup()
        fs.rmSync(stack.extraRoot, { recursive: true, force: true })
      }
    }
  })

  it('captures a task\'s output: multi-byte text, an oversized line split, stderr', async () => {
    const events = await stack.until('the chatter job\'s four lines as log events', async () => {
      const { events } = await logsApi(stack, 'FilterLogEvents', { logGroupName: '/ecs/cuddle-kube/chatter' })
      return events.length >= 6 && events
    })
    assert.match(events[0].logStreamName, /^ecs\/chatter\//)
    assert.equal(events[0].message, 'grüße aus dem Altenheim — 老人ホーム ✓')
    const pieces = events.slice(1, 4).map((event) => event.message)
    assert.deepEqual(pieces.map((piece) => Buffer.byteLength(piece)),
      [MAX_EVENT_BYTES, MAX_EVENT_BYTES, BIG_LINE_BYTES - 2 * MAX_EVENT_BYTES])
    assert.equal(pieces.join(''), 'ab'.repeat(BIG_LINE_BYTES / 2))
    assert.equal(events[4].message, 'chatter: a line on stderr')
    assert.deepEqual(JSON.parse(events[5].message), { level: 'info', msg: 'done', bytes: BIG_LINE_BYTES })
  })

  it('links a request\'s log lines and its trace both ways', async () => {
    const traceId = newTraceId()
    const response = await fetch(`${stack.site}/list`, { headers: { 'X-Amzn-Trace-Id': `Root=${traceId};Sampled=1` } })
    assert.equal(response.status, 200)

    // trace -> logs: every group, filtered by the trace id (the index answers it).
    const events = await stack.until('log events of the trace in public-site and list-api', async () => {
      const { events } = await logsApi(stack, 'FilterLogEvents', { filterPattern: `{ $.trace_id = "${traceId}" }` })
      const groups = new Set(events.map((event) => event.logGroupName))
      return groups.has('/ecs/cuddle-kube/public-site') && groups.has('/ecs/cuddle-kube/list-api') && events
    })
    for (const event of events) assert.equal(JSON.parse(event.message).trace_id, traceId)

    // logs -> trace: the trace id found in a log line opens the trace.
    const fromLog = JSON.parse(events.find((e) => e.logGroupName.endsWith('/list-api')).message).trace_id
    const waterfall = await stack.until('ck trace for the id in the log line', () => {
      const out = execFileSync(CK_BIN, ['trace', fromLog, '--xray', stack.xray, '--no-color'], { encoding: 'utf8' })
      return out.includes('list-api') && out
    })
    assert.match(waterfall, /Log events/)
    assert.match(waterfall, /public-site/)
  })

  it('ck logs prints a service\'s events and ck query runs Insights queries', async () => {
    const out = await stack.until('ck logs list-api shows request lines', () => {
      const text = ck('logs', 'list-api', '--since', '10m')
      return /"msg":"request"/.test(text) && text
    })
    for (const line of out.trimEnd().split('\n')) {
      assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z list-api-\S+ /, line)
    }

    const table = ck('query', 'filter msg = "request" | stats count(*) as requests by service | sort service asc',
      '--since', '10m')
    assert.match(table, /^service\s+requests$/m)
    assert.match(table, /^list-api\s+\d+$/m)
    assert.match(table, /records matched/)

    const rows = JSON.parse(ck('query', 'fields @timestamp, @message | limit 2', '--group', 'chatter', '--json'))
    assert.equal(rows.length, 2)
    assert.ok(rows.every((row) => row['@timestamp'] && row['@message'] !== undefined))

    assert.throws(() => ck('query', 'stats count(*) by', '--since', '5m'), /ck query: /)
  })
})
