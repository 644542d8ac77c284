// End-to-end tracing: requests to the site under `ck up` are followed through every hop to
// DynamoDB in the collector that `ck up` hosts, and the live-debug scenario of the original
// workshop — register-api v2 without the CA bundle — shows up as a fault on the
// register-api -> DynamoDB edge with the TLS error as the trace's cause.
//
// Every request the test sends carries `X-Amzn-Trace-Id: Root=...;Sampled=1`, so it is traced
// whatever the sampling rules say, and nothing else in the stack is sampled (health checks never
// are), so the service graph must have exactly the expected nodes and edges.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { CK_BIN, STACK_FILE, Stack, postForm, parseResidentCards } from './lib/stack.mjs'

const newTraceId = () =>
  `1-${Math.floor(Date.now() / 1000).toString(16)}-${crypto.randomBytes(12).toString('hex')}`
const sampledHeader = (traceId) => ({ 'X-Amzn-Trace-Id': `Root=${traceId};Sampled=1` })

async function xray (stack, operation, body) {
  const response = await fetch(`${stack.xray}/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json = await response.json()
  assert.equal(response.status, 200, `${operation}: ${JSON.stringify(json)}`)
  return json
}

// Every segment of a trace, parsed, once `done(segments)` holds.
async function traceSegments (stack, traceId, what, done) {
  return stack.until(`trace ${traceId}: ${what}`, async () => {
    const { Traces } = await xray(stack, 'Traces', { TraceIds: [traceId] })
    if (Traces.length !== 1) return false
    const segments = Traces[0].Segments.map((segment) => JSON.parse(segment.Document))
    return done(segments) && segments
  }, { timeoutMs: 20_000 })
}

// [{span, segment, depth}] for a segment document and its nested subsegments.
function flatten (segment) {
  const out = []
  const walk = (span, depth) => {
    out.push({ span, segment, depth })
    for (const child of span.subsegments ?? []) walk(child, depth + 1)
  }
  walk(segment, 0)
  return out
}

const byName = (segments, name) => segments.find((segment) => segment.name === name)
const subsegment = (segment, name) => flatten(segment).map((entry) => entry.span)
  .find((span) => span !== segment && span.name === name)

function graphEdges (graph) {
  const names = new Map(graph.Services.map((service) => [service.ReferenceId, service.Name]))
  const edges = new Map()
  for (const service of graph.Services) {
    for (const edge of service.Edges) edges.set(`${service.Name} -> ${names.get(edge.ReferenceId)}`, edge)
  }
  return edges
}

const window = () => ({ StartTime: Math.floor(Date.now() / 1000) - 600, EndTime: Math.ceil(Date.now() / 1000) + 5 })

describe('tracing through the whole stack', { timeout: 180_000 }, () => {
  let stack
  before(async () => {
    stack = await Stack.create({ prefix: 'ck-trace-' })
    await stack.up()
  })
  after(async () => {
    if (stack) {
      try { await stack.down() } finally { stack.cleanup() }
    }
  })

  it('follows /list from the site to DynamoDB with linked parent ids', async () => {
    const traceId = newTraceId()
    const response = await fetch(`${stack.site}/list`, { headers: sampledHeader(traceId) })
    assert.equal(response.status, 200)
    assert.match(response.headers.get('x-amzn-trace-id') ?? '', new RegExp(`Root=${traceId}`))

    const segments = await traceSegments(stack, traceId, 'public-site and list-api', (all) =>
      byName(all, 'public-site') && byName(all, 'list-api'))
    const site = byName(segments, 'public-site')
    const list = byName(segments, 'list-api')
    assert.equal(site.trace_id, traceId)
    assert.equal(site.parent_id, undefined, 'the site is the root of the trace')
    const call = subsegment(site, 'list-api')
    assert.ok(call, `public-site has a subsegment for list-api: ${JSON.stringify(site)}`)
    assert.equal(call.namespace, 'remote')
    assert.equal(list.parent_id, call.id, 'list-api is parented to the site\'s call')
    const scan = subsegment(list, 'DynamoDB')
    assert.ok(scan, `list-api has a DynamoDB subsegment: ${JSON.stringify(list)}`)
    assert.equal(scan.namespace, 'aws')
    assert.equal(scan.aws.operation, 'Scan')
    assert.ok(scan.aws.table_name, 'the table name is recorded')
    assert.equal(site.http.response.status, 200)
  })

  it('follows a registration and a feeding, and the graph has exactly the expected edges', async () => {
    const registerTrace = newTraceId()
    const name = `Traced ${process.pid}`
    const registered = await postForm(`${stack.site}/register`,
      { Name: name, type: 't3.micro', age: '4', pet: 'Tracy', os: 'linux' },
      { headers: sampledHeader(registerTrace) })
    assert.equal(registered.status, 303)
    const segments = await traceSegments(stack, registerTrace, 'site, register-api, validate-api',
      (all) => ['public-site', 'register-api', 'validate-api'].every((n) => byName(all, n)))
    const register = byName(segments, 'register-api')
    assert.equal(byName(segments, 'validate-api').parent_id, subsegment(register, 'validate-api').id)
    assert.equal(subsegment(register, 'DynamoDB').aws.operation, 'PutItem')

    const listed = await (await fetch(`${stack.site}/list`)).text()
    const card = parseResidentCards(listed).find((candidate) => candidate.name === name)
    assert.ok(card, 'the registered resident is listed')
    const feedTrace = newTraceId()
    const fed = await postForm(`${stack.site}/feed`, { ckid: card.ckid }, { headers: sampledHeader(feedTrace) })
    assert.equal(fed.status, 303)
    const feedSegments = await traceSegments(stack, feedTrace, 'site, feed-api, happiness-api',
      (all) => ['public-site', 'feed-api', 'happiness-api'].every((n) => byName(all, n)))
    const happiness = byName(feedSegments, 'happiness-api')
    assert.equal(subsegment(happiness, 'DynamoDB').aws.operation, 'UpdateItem')
    assert.equal(happiness.parent_id, subsegment(byName(feedSegments, 'feed-api'), 'happiness-api').id)

    const expected = [
      'client -> public-site',
      'public-site -> list-api', 'public-site -> register-api', 'public-site -> feed-api',
      'list-api -> DynamoDB',
      'register-api -> validate-api', 'register-api -> DynamoDB',
      'feed-api -> happiness-api', 'happiness-api -> DynamoDB',
    ].sort()
    const graph = await stack.until('the service graph has every edge', async () => {
      const current = await xray(stack, 'ServiceGraph', window())
      return graphEdges(current).size >= expected.length && current
    }, { timeoutMs: 20_000 })
    assert.deepEqual([...graphEdges(graph).keys()].sort(), expected)
    assert.deepEqual(graph.Services.map((service) => service.Name).sort(),
      ['DynamoDB', 'client', 'feed-api', 'happiness-api', 'list-api', 'public-site',
        'register-api', 'validate-api'])
    assert.equal(graph.Services.find((service) => service.Name === 'DynamoDB').Type, 'AWS::DynamoDB::Table')
    for (const [edge, stats] of graphEdges(graph)) {
      assert.equal(stats.SummaryStatistics.FaultStatistics.TotalCount, 0, `${edge} has no faults`)
    }
  })

  it('never traces health checks', async () => {
    const { TraceSummaries } = await xray(stack, 'TraceSummaries',
      { ...window(), FilterExpression: 'http.url CONTAINS "/health"' })
    assert.deepEqual(TraceSummaries, [])
  })
})

describe('the live-debug scenario: register-api v2 lacks the CA bundle', { timeout: 180_000 }, () => {
  let stack
  before(async () => {
    // The same stack with register-api on its v2 task definition (ca_bundle: none).
    const text = fs.readFileSync(STACK_FILE, 'utf8')
    const v2 = text.replace(/(\n {2}register-api:\n {4}version: )v1/, '$1v2')
    assert.notEqual(v2, text, 'the stack file names register-api version v1')
    stack = await Stack.create({ prefix: 'ck-trace-v2-' })
    const file = path.join(stack.root, 'cuddlekube-register-v2.yaml')
    fs.writeFileSync(file, v2)
    stack.stack = file
    await stack.up()
  })
  after(async () => {
    if (stack) {
      try { await stack.down() } finally { stack.cleanup() }
    }
  })

  it('shows a fault on register-api -> DynamoDB with the TLS error as the cause', async () => {
    const traceId = newTraceId()
    const response = await postForm(`${stack.site}/register`,
      { Name: 'Doomed', type: 'm1.small', age: '9', pet: 'Oops', os: 'linux' },
      { headers: sampledHeader(traceId) })
    assert.ok(response.status >= 500, `registration fails (${response.status})`)

    const segments = await traceSegments(stack, traceId, 'register-api with its DynamoDB call',
      (all) => byName(all, 'register-api') && subsegment(byName(all, 'register-api'), 'DynamoDB'))
    const register = byName(segments, 'register-api')
    assert.equal(register.fault, true, 'register-api is a fault')
    const put = subsegment(register, 'DynamoDB')
    assert.equal(put.fault, true, 'the DynamoDB call is a fault')
    const causes = put.cause.exceptions.map((exception) => `${exception.type}: ${exception.message}`).join('\n')
    assert.match(causes, /certificate verify failed|certificate/i, causes)

    const graph = await xray(stack, 'ServiceGraph', window())
    const edge = graphEdges(graph).get('register-api -> DynamoDB')
    assert.ok(edge, 'the graph has the register-api -> DynamoDB edge')
    assert.ok(edge.SummaryStatistics.FaultStatistics.TotalCount >= 1)

    const { TraceSummaries } = await xray(stack, 'TraceSummaries',
      { ...window(), FilterExpression: 'edge("register-api", "DynamoDB") { fault }' })
    const summary = TraceSummaries.find((candidate) => candidate.Id === traceId)
    assert.ok(summary, `the filter finds the trace: ${JSON.stringify(TraceSummaries)}`)
    const rootCause = JSON.stringify(summary.FaultRootCauses)
    assert.match(rootCause, /DynamoDB/)
    assert.match(rootCause, /certificate/i)

    // The terminal shows the same story.
    const waterfall = execFileSync(CK_BIN, ['trace', traceId, '--xray', stack.xray, '--no-color'], { encoding: 'utf8' })
    assert.match(waterfall, /register-api/)
    assert.match(waterfall, /certificate/i)
  })
})
