// The official AWS X-Ray SDK for Node.js (aws-xray-sdk-core) against `ck collector`, as an
// application would use it with the X-Ray daemon:
//   - AWS_XRAY_DAEMON_ADDRESS points the SDK at the collector (UDP segments, TCP sampling API);
//   - centralized sampling: the SDK's pollers call POST /GetSamplingRules and /SamplingTargets on
//     the daemon's TCP address and must load our rules and targets without logging a problem;
//   - a small instrumented HTTP service (the SDK's request/response middleware) that calls
//     DynamoDB through a captured AWS SDK v3 client (an "aws" subsegment), another service over
//     captured HTTP (a "remote" subsegment answering 500), and fails in a local subsegment with
//     an exception; annotations and metadata on the segment and subsegments;
//   - the same with the SDK streaming closed subsegments as independent documents.
// Then GetTraceSummaries (filter expressions), BatchGetTraces and GetServiceGraph must show what
// the SDK sent.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import http from 'node:http'
import { createRequire } from 'node:module'
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'
import {
  startCollector, until, window, flattenTrace, findService, hasEdge,
} from './lib/collector.mjs'

const require = createRequire(import.meta.url)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const SERVICE = 'ck-orders'
const TABLE = 'orders'
const REGION = 'us-east-1'

// Everything the SDK logs, so a rejected sampling answer or a failed send shows up.
const sdkLog = []
const sdkLogger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level,
  (...args) => sdkLog.push({ level, message: args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ') })]))
const problems = () => sdkLog.filter((entry) => entry.level === 'warn' || entry.level === 'error')

// A host name that resolves to loopback, so the SDK names the remote subsegment "inventory".
const loopbackLookup = (hostname, options, callback) => {
  if (options && options.all) callback(null, [{ address: '127.0.0.1', family: 4 }])
  else callback(null, '127.0.0.1', 4)
}

const listen = (server) => new Promise((resolve, reject) => {
  server.once('error', reject)
  server.listen(0, '127.0.0.1', () => resolve(server.address().port))
})
const close = (server) => new Promise((resolve) => {
  if (!server) return resolve()
  server.close(() => resolve())
  if (server.closeAllConnections) server.closeAllConnections()
})

const newTraceId = () =>
  `1-${Math.floor(Date.now() / 1000).toString(16)}-${crypto.randomBytes(12).toString('hex')}`

const collector = await startCollector()
// A sanitizer report or a crash on shutdown fails the file.
after(async () => assert.deepEqual(await collector.stop(), { code: 0, signal: null }, collector.context()))
// The SDK reads the daemon address when it is loaded, as in an application's environment.
process.env.AWS_XRAY_DAEMON_ADDRESS = collector.daemonAddress
process.env.AWS_XRAY_CONTEXT_MISSING = 'LOG_ERROR'
const AWSXRay = (await import('aws-xray-sdk-core')).default
const ruleCache = require('aws-xray-sdk-core/dist/lib/middleware/sampling/rule_cache')
AWSXRay.setLogger(sdkLogger)
// What the SDK put on the wire, per trace id (the documents after the daemon header line).
const sent = new Map()
const emitter = require('aws-xray-sdk-core/dist/lib/segment_emitter')
const send = emitter.send
emitter.send = function (segment) {
  const document = JSON.parse(segment.format())
  if (!sent.has(document.trace_id)) sent.set(document.trace_id, [])
  sent.get(document.trace_id).push(document)
  return send.call(this, segment)
}
AWSXRay.enableManualMode()
AWSXRay.middleware.setDefaultName(SERVICE)

// DynamoDB for the captured AWS SDK client: dynalite, in-process.
const dynalite = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
after(() => close(dynalite))
const dynamoEndpoint = `http://127.0.0.1:${await listen(dynalite)}`
{
  const plain = new DynamoDBClient({ endpoint: dynamoEndpoint, region: REGION, credentials: { accessKeyId: 'ck', secretAccessKey: 'ck' } })
  await plain.send(new CreateTableCommand({
    TableName: TABLE,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }))
  plain.destroy()
}

// The downstream service: always fails.
const inventory = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => { res.writeHead(500, { 'content-type': 'text/plain' }); res.end('out of stock') })
})
after(() => close(inventory))
const inventoryPort = await listen(inventory)

// The instrumented service, as the SDK's Express/Restify middlewares do it.
const frontend = http.createServer((req, res) => {
  const segment = AWSXRay.middleware.traceRequestResponseCycle(req, res)
  const ckid = req.headers['x-ck-id']
  handleOrder(segment, ckid, inventoryPort).then(
    () => { res.writeHead(200); res.end('ok') },
    (error) => { res.writeHead(500, { 'content-type': 'text/plain' }); res.end(String(error.message)) })
})
after(() => close(frontend))
const frontendPort = await listen(frontend)

async function handleOrder (segment, ckid, inventoryPort) {
  segment.addAnnotation('ckid', ckid)
  segment.addAnnotation('items', 3)
  segment.addAnnotation('express', true)
  segment.addMetadata('order', { id: `order-${ckid}`, lines: [{ sku: 'sku-1', qty: 3 }] }, 'ck')

  const validate = segment.addNewSubsegment('validate')
  validate.addAnnotation('validator', 'v2')
  validate.addMetadata('rules', ['qty > 0', 'sku known'])
  validate.close()

  // An "aws" subsegment from the AWS SDK v3 client captured by the X-Ray SDK.
  const dynamo = AWSXRay.captureAWSv3Client(new DynamoDBClient({
    endpoint: dynamoEndpoint, region: REGION, credentials: { accessKeyId: 'ck', secretAccessKey: 'ck' },
  }), segment)
  try {
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `order-${ckid}` } } }))
  } finally {
    dynamo.destroy()
  }

  // A "remote" subsegment from captured HTTP: the inventory service answers 500.
  const tracedHttp = AWSXRay.captureHTTPs(http, false)
  await new Promise((resolve, reject) => {
    const request = tracedHttp.request({
      hostname: 'inventory', port: inventoryPort, path: '/reserve?sku=sku-1', method: 'POST',
      lookup: loopbackLookup, agent: false, XRaySegment: segment,
    }, (response) => { response.resume(); response.on('end', resolve) })
    request.on('error', reject)
    request.end('{"sku":"sku-1"}')
  })

  // A local subsegment that fails with an exception: a fault with a cause.
  const charge = segment.addNewSubsegment('charge')
  const error = new Error(`card declined for order-${ckid}`)
  error.name = 'PaymentDeclinedError'
  charge.close(error)
  throw error
}

// Sends one request into the instrumented service with a sampled trace header.
async function order (ckid, traceId) {
  const response = await fetch(`http://127.0.0.1:${frontendPort}/orders?ckid=${ckid}`, {
    method: 'POST',
    headers: { 'x-amzn-trace-id': `Root=${traceId};Sampled=1`, 'x-ck-id': ckid, 'user-agent': 'ck-compat-test' },
    body: '{}',
  })
  const text = await response.text()
  assert.equal(response.status, 500, text)
  assert.match(text, /^card declined/, 'the request failed where the test makes it fail')
}

test('centralized sampling: the SDK loads the rules and targets the collector serves', { timeout: 60_000 }, async () => {
  const served = await collector.apiOk('GetSamplingRules', {})
  const servedRules = served.SamplingRuleRecords.map((record) => record.SamplingRule)
  assert.ok(servedRules.some((rule) => rule.RuleName === 'Default'), 'the collector serves a Default rule')
  const health = servedRules.find((rule) => rule.RuleName === 'HealthChecks')
  assert.ok(health, 'the collector serves a HealthChecks rule')

  // The first decision starts the SDK's rule and target pollers (the cache is empty until then).
  AWSXRay.middleware.sampler.shouldSample({ host: 'localhost', httpMethod: 'GET', urlPath: '/warmup', serviceName: SERVICE })
  await until('the SDK to load the sampling rules', () =>
    ruleCache.getRules().length === servedRules.length && ruleCache.getLastUpdated(), {
    context: () => JSON.stringify(sdkLog, null, 1),
  })
  const loaded = new Map(ruleCache.getRules().map((rule) => [rule.getName(), rule]))
  for (const rule of servedRules) {
    const sdkRule = loaded.get(rule.RuleName)
    assert.ok(sdkRule, `the SDK kept rule ${rule.RuleName}`)
    assert.equal(sdkRule.getPriority(), rule.Priority)
    assert.equal(sdkRule.getRate(), rule.FixedRate)
    assert.equal(sdkRule.canBorrow(), rule.ReservoirSize > 0)
    assert.equal(sdkRule.httpMethod, rule.HTTPMethod)
    assert.equal(sdkRule.urlPath, rule.URLPath)
  }

  // The rules decide: health checks match the zero-rate rule, everything else the Default rule
  // (which borrows its first request of the second before it has a quota).
  assert.equal(health.FixedRate, 0, 'the default HealthChecks rule samples nothing')
  assert.equal(health.ReservoirSize, 0, 'the default HealthChecks rule samples nothing')
  const healthDecision = AWSXRay.middleware.sampler.shouldSample({
    host: 'localhost', httpMethod: health.HTTPMethod, urlPath: health.URLPath, serviceName: SERVICE,
  })
  assert.equal(healthDecision, false, 'a health check is not sampled: the SDK applied HealthChecks')
  const decision = await until('a Default-rule sampling decision', () =>
    AWSXRay.middleware.sampler.shouldSample({ host: 'localhost', httpMethod: 'POST', urlPath: '/orders', serviceName: SERVICE }))
  assert.equal(decision, 'Default', 'the decision names the matched centralized rule')

  // The target poller reports statistics every 10 s (plus jitter) and loads the quotas we answer.
  await until('the SDK to report sampling statistics and load the targets', () =>
    sdkLog.some((entry) => entry.message.includes('Successfully reported rule statistics')), {
    timeoutMs: 30_000,
    context: () => JSON.stringify(sdkLog, null, 1),
  })
  const defaultRule = ruleCache.getRules().find((rule) => rule.getName() === 'Default')
  const served_default = servedRules.find((rule) => rule.RuleName === 'Default')
  assert.equal(defaultRule.getReservoir().quota, served_default.ReservoirSize,
    'the SDK took the reservoir quota from SamplingTargets')
  assert.equal(defaultRule.getRate(), served_default.FixedRate)
  assert.deepEqual(problems(), [], 'the SDK logged no warning or error')
})

test('segments, aws/remote subsegments, annotations, metadata and a fault reach the X-Ray API', { timeout: 60_000 }, async () => {
  const traceId = newTraceId()
  const start = Date.now() / 1000
  await order('ck1', traceId)

  // GetTraceSummaries with filter expressions.
  const summary = await collector.findSummary(traceId, 'annotation.ckid = "ck1" AND fault')
  assert.equal(summary.HasFault, true)
  assert.equal(summary.Http.HttpMethod, 'POST')
  assert.equal(summary.Http.HttpStatus, 500)
  assert.match(summary.Http.HttpURL, /\/orders\?ckid=ck1$/)
  assert.equal(summary.Http.UserAgent, 'ck-compat-test')
  assert.ok(Math.abs(summary.StartTime - start) < 60, `StartTime ${summary.StartTime} is about now`)
  assert.deepEqual(summary.Annotations.ckid.map((a) => a.AnnotationValue), [{ StringValue: 'ck1' }])
  assert.deepEqual(summary.Annotations.items.map((a) => a.AnnotationValue), [{ NumberValue: 3 }])
  assert.deepEqual(summary.Annotations.express.map((a) => a.AnnotationValue), [{ BooleanValue: true }])
  assert.deepEqual(summary.Annotations.validator.map((a) => a.AnnotationValue), [{ StringValue: 'v2' }])
  const serviceNames = summary.ServiceIds.map((s) => s.Name).sort()
  assert.ok(serviceNames.includes(SERVICE) && serviceNames.includes('DynamoDB') && serviceNames.includes('inventory'),
    `ServiceIds ${JSON.stringify(summary.ServiceIds)}`)
  // Both faults are root causes: the exception in "charge" and the 500 from "inventory".
  const causePaths = summary.FaultRootCauses.flatMap((cause) => cause.Services.map((s) => s.EntityPath))
  const leaf = (name) => causePaths.map((p) => p[p.length - 1]).find((entity) => entity.Name === name)
  assert.deepEqual(leaf('charge')?.Exceptions, [{ Name: 'PaymentDeclinedError', Message: 'card declined for order-ck1' }],
    `FaultRootCauses ${JSON.stringify(summary.FaultRootCauses)}`)
  assert.equal(leaf('inventory')?.Remote, true, `FaultRootCauses ${JSON.stringify(summary.FaultRootCauses)}`)

  for (const [filter, expected] of [
    ['annotation.ckid = "ck1"', true],
    ['annotation.items = 3 AND annotation.express = true', true],
    ['service("ck-orders") { fault }', true],
    ['edge("ck-orders", "inventory") { fault }', true],
    ['http.status = 500 AND http.method = "POST"', true],
    ['annotation.ckid = "ck1" AND !fault', false],
    ['annotation.ckid = "ck2"', false],
    ['ok', false],
  ]) {
    const answer = await collector.apiOk('TraceSummaries', { ...window(), FilterExpression: filter })
    assert.equal(answer.TraceSummaries.some((s) => s.Id === traceId), expected, `filter ${filter}`)
  }

  // BatchGetTraces: the documents as the SDK sent them.
  const trace = await collector.getTrace(traceId)
  assert.equal(trace.Segments.length, 1, 'one segment document (subsegments nested)')
  const entities = flattenTrace(trace)
  const segment = entities.find((e) => e.parent === null).document
  assert.equal(segment.name, SERVICE)
  assert.equal(segment.trace_id, traceId)
  assert.equal(segment.fault, true)
  assert.equal(segment.http.request.method, 'POST')
  assert.equal(segment.http.response.status, 500)
  assert.equal(segment.annotations.ckid, 'ck1')
  assert.deepEqual(segment.metadata.ck.order, { id: 'order-ck1', lines: [{ sku: 'sku-1', qty: 3 }] })

  const byName = (name) => {
    const found = entities.find((e) => e.parent !== null && e.document.name === name)
    assert.ok(found, `subsegment ${name} in ${JSON.stringify(entities.map((e) => e.document.name))}`)
    return found.document
  }
  const validate = byName('validate')
  assert.equal(validate.annotations.validator, 'v2')
  assert.deepEqual(validate.metadata.default.rules, ['qty > 0', 'sku known'])

  const dynamo = byName('DynamoDB')
  assert.equal(dynamo.namespace, 'aws')
  assert.equal(dynamo.aws.operation, 'PutItem')
  assert.equal(dynamo.aws.table_name, TABLE)
  assert.equal(dynamo.aws.region, REGION)
  assert.equal(dynamo.http.response.status, 200)

  const remote = byName('inventory')
  assert.equal(remote.namespace, 'remote')
  assert.equal(remote.http.request.method, 'POST')
  assert.match(remote.http.request.url, /^http:\/\/inventory(:\d+)?\/reserve$/)
  assert.equal(remote.http.response.status, 500)
  assert.equal(remote.fault, true)

  const charge = byName('charge')
  assert.equal(charge.fault, true)
  const exception = charge.cause.exceptions[0]
  assert.equal(exception.type, 'PaymentDeclinedError')
  assert.equal(exception.message, 'card declined for order-ck1')
  // Stack frames, exception ids and the rest of the document: see the next test.

  // GetServiceGraph: client -> ck-orders -> DynamoDB / inventory.
  const graph = await until('the service graph to show ck-orders and its callees', async () => {
    const answer = await collector.apiOk('ServiceGraph', window())
    return hasEdge(answer, SERVICE, 'DynamoDB') && hasEdge(answer, SERVICE, 'inventory') ? answer : null
  }, { context: collector.context })
  const orders = findService(graph, SERVICE)
  assert.equal(findService(graph, 'DynamoDB').Type, 'AWS::DynamoDB::Table')
  assert.equal(findService(graph, 'inventory').Type, 'remote')
  const client = graph.Services.find((s) => s.Type === 'client')
  assert.ok(client, `a client node in ${JSON.stringify(graph.Services.map((s) => [s.Name, s.Type]))}`)
  assert.ok(client.Edges.some((edge) => edge.ReferenceId === orders.ReferenceId), 'client -> ck-orders')
  const toInventory = orders.Edges.find((edge) => edge.ReferenceId === findService(graph, 'inventory').ReferenceId)
  assert.ok(toInventory.SummaryStatistics.FaultStatistics.TotalCount >= 1, 'the inventory edge counts the fault')

  // GetTraceGraph for just this trace.
  const traceGraph = await collector.apiOk('TraceGraph', { TraceIds: [traceId] })
  const traceNodes = traceGraph.Services.map((s) => s.Name)
  for (const name of [SERVICE, 'DynamoDB', 'inventory']) assert.ok(traceNodes.includes(name), `TraceGraph has ${name}`)
  assert.deepEqual(problems(), [], 'the SDK logged no warning or error')
})

// Every field of `expected` (a document the SDK sent) must be in `actual` (what BatchGetTraces
// returned) with the same value; subsegments are matched by id. Returns the differing paths.
function missingFields (expected, actual, where = '') {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${where}: expected an array, got ${JSON.stringify(actual)}`]
    if (where.endsWith('.subsegments')) {
      return expected.flatMap((sub) => {
        const match = actual.find((candidate) => candidate && candidate.id === sub.id)
        return match ? missingFields(sub, match, `${where}[${sub.name}]`) : [`${where}[${sub.name}]: missing`]
      })
    }
    if (expected.length !== actual.length) return [`${where}: ${expected.length} elements sent, ${actual.length} returned`]
    return expected.flatMap((item, i) => missingFields(item, actual[i], `${where}[${i}]`))
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${where}: missing (sent ${JSON.stringify(expected)})`]
    return Object.keys(expected).flatMap((key) => (key in actual
      ? missingFields(expected[key], actual[key], `${where}.${key}`)
      : [`${where}.${key}: missing (sent ${JSON.stringify(expected[key])})`]))
  }
  return expected === actual ? [] : [`${where}: sent ${JSON.stringify(expected)}, returned ${JSON.stringify(actual)}`]
}

test('BatchGetTraces returns the segment document with every field the SDK sent', { timeout: 60_000 }, async () => {
  const traceId = newTraceId()
  await order('ck-fidelity', traceId)
  const trace = await collector.getTrace(traceId, (t) => flattenTrace(t).length >= 5)
  const documents = sent.get(traceId)
  assert.equal(documents.length, 1, 'the SDK sent the segment with its subsegments in one datagram')
  const returned = JSON.parse(trace.Segments.find((s) => s.Id === documents[0].id).Document)
  const differences = missingFields(documents[0], returned, 'segment')
  assert.deepEqual(differences, [], `fields the SDK sent that BatchGetTraces lost or changed:\n${differences.join('\n')}`)
})

test('subsegments streamed by the SDK as independent documents are reassembled', { timeout: 60_000 }, async () => {
  // With a threshold of 0 the SDK sends every closed subsegment on its own ("type":"subsegment",
  // trace_id and parent_id) before the segment, as it does for long-running requests.
  AWSXRay.setStreamingThreshold(0)
  try {
    const traceId = newTraceId()
    await order('ck-streamed', traceId)
    const summary = await collector.findSummary(traceId, 'annotation.ckid = "ck-streamed" AND fault')
    assert.equal(summary.HasFault, true)
    const trace = await collector.getTrace(traceId, (t) => {
      const names = flattenTrace(t).map((e) => e.document.name)
      return ['validate', 'DynamoDB', 'inventory', 'charge'].every((n) => names.includes(n))
    })
    const entities = flattenTrace(trace)
    const segment = entities.find((e) => e.parent === null && e.document.name === SERVICE)
    assert.ok(segment, 'the segment document is there')
    for (const name of ['validate', 'DynamoDB', 'inventory', 'charge']) {
      const sub = entities.find((e) => e.document.name === name)
      assert.equal(sub.parent?.id, segment.document.id, `${name} is nested under the segment`)
    }
    assert.equal(entities.find((e) => e.document.name === 'charge').document.cause.exceptions[0].type, 'PaymentDeclinedError')
    const graph = await collector.apiOk('TraceGraph', { TraceIds: [traceId] })
    assert.ok(hasEdge(graph, SERVICE, 'DynamoDB'), 'TraceGraph: ck-orders -> DynamoDB from streamed subsegments')
  } finally {
    AWSXRay.setStreamingThreshold(100)
  }
  const stats = await collector.stats()
  assert.equal(stats.datagrams_rejected, 0, `no SDK datagram was rejected (last: ${stats.last_rejection})`)
  assert.deepEqual(problems(), [], 'the SDK logged no warning or error')
})
