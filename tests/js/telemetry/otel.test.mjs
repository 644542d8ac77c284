// The official OpenTelemetry JS SDK (2.x) exporting to `ck collector` over OTLP/HTTP, with the
// JSON exporter (@opentelemetry/exporter-trace-otlp-http) and the protobuf exporter
// (@opentelemetry/exporter-trace-otlp-proto), each plain and with gzip compression.
//
// Each variant exports one trace of a service "ck-otel-<variant>":
//   SERVER  POST /checkout                       (the segment)
//     CLIENT  GET           peer.service=payments, server.address=payments.internal
//     CLIENT  DynamoDB.PutItem  rpc.system=aws-api, rpc.service=DynamoDB, rpc.method=PutItem
//     INTERNAL  charge      status ERROR with an exception event
// and the spans must be queryable through GetTraceSummaries (OTLP trace ids in X-Ray form,
// 1-<first 8 hex>-<last 24 hex>), BatchGetTraces and GetServiceGraph (service -> DynamoDB).
// A recording proxy in front of the collector proves which Content-Type and Content-Encoding
// each exporter really sent.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { context, diag, DiagLogLevel, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import {
  ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME, ATTR_URL_FULL, ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions'
import {
  ATTR_AWS_DYNAMODB_TABLE_NAMES, ATTR_AWS_REQUEST_ID, ATTR_CLOUD_PLATFORM, ATTR_CLOUD_REGION,
  ATTR_PEER_SERVICE, ATTR_RPC_METHOD, ATTR_RPC_SERVICE, ATTR_RPC_SYSTEM,
} from '@opentelemetry/semantic-conventions/incubating'
import {
  startCollector, until, window, xrayTraceId, flattenTrace, findService, hasEdge,
} from './lib/collector.mjs'

// ExportResultCode.SUCCESS in @opentelemetry/core.
const EXPORT_SUCCESS = 0

// Everything the OpenTelemetry SDK reports through its diagnostic logger at WARN and above.
const diagnostics = []
diag.setLogger({
  error: (...args) => diagnostics.push(['error', args.map(String).join(' ')]),
  warn: (...args) => diagnostics.push(['warn', args.map(String).join(' ')]),
  info: () => {},
  debug: () => {},
  verbose: () => {},
}, DiagLogLevel.WARN)

const collector = await startCollector()
// A sanitizer report or a crash on shutdown fails the file.
after(async () => assert.deepEqual(await collector.stop(), { code: 0, signal: null }, collector.context()))

// Forwards /v1/traces to the collector unchanged and remembers the headers each exporter sent.
const seen = []
const proxy = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', async () => {
    const body = Buffer.concat(chunks)
    const record = { path: req.url, contentType: req.headers['content-type'], contentEncoding: req.headers['content-encoding'], bytes: body.length }
    seen.push(record)
    const headers = { 'content-type': req.headers['content-type'] }
    if (req.headers['content-encoding']) headers['content-encoding'] = req.headers['content-encoding']
    try {
      const answer = await collector.otlpPost(req.url, body, headers)
      record.status = answer.status
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') || 'application/octet-stream' })
      res.end(answer.body)
    } catch (error) {
      res.writeHead(502)
      res.end(String(error))
    }
  })
})
await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve))
after(() => new Promise((resolve) => { proxy.close(resolve); proxy.closeAllConnections() }))
const proxyUrl = `http://127.0.0.1:${proxy.address().port}/v1/traces`

const variants = [
  { name: 'json', Exporter: OTLPJsonTraceExporter, contentType: 'application/json' },
  { name: 'json-gzip', Exporter: OTLPJsonTraceExporter, contentType: 'application/json', compression: 'gzip' },
  { name: 'proto', Exporter: OTLPProtoTraceExporter, contentType: 'application/x-protobuf' },
  { name: 'proto-gzip', Exporter: OTLPProtoTraceExporter, contentType: 'application/x-protobuf', compression: 'gzip' },
]

// Builds the variant's trace with the SDK and exports it; returns the W3C trace id and span ids.
async function exportTrace (variant) {
  const service = `ck-otel-${variant.name}`
  const inner = new variant.Exporter({
    url: proxyUrl,
    compression: variant.compression || 'none',
    timeoutMillis: 10_000,
  })
  const results = []
  const exporter = {
    export: (spans, done) => inner.export(spans, (result) => { results.push(result); done(result) }),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush(),
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: service,
      [ATTR_CLOUD_PLATFORM]: 'aws_ecs',
      [ATTR_CLOUD_REGION]: 'us-east-1',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  })
  const tracer = provider.getTracer('ck-telemetry-compat', '1.0.0')

  const server = tracer.startSpan('POST /checkout', {
    kind: SpanKind.SERVER,
    attributes: {
      [ATTR_HTTP_REQUEST_METHOD]: 'POST',
      [ATTR_URL_PATH]: '/checkout',
      [ATTR_URL_FULL]: 'http://shop.internal:8080/checkout',
      [ATTR_SERVER_ADDRESS]: 'shop.internal',
      'ckid': variant.name,
      'aws.xray.annotations': ['ckid'],
    },
  })
  const inServer = trace.setSpan(context.active(), server)

  const payments = tracer.startSpan('GET', {
    kind: SpanKind.CLIENT,
    attributes: {
      [ATTR_PEER_SERVICE]: 'payments',
      [ATTR_SERVER_ADDRESS]: 'payments.internal',
      [ATTR_SERVER_PORT]: 8443,
      [ATTR_HTTP_REQUEST_METHOD]: 'GET',
      [ATTR_URL_FULL]: 'https://payments.internal:8443/authorize',
    },
  }, inServer)
  payments.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, 200)
  payments.end()

  const dynamo = tracer.startSpan('DynamoDB.PutItem', {
    kind: SpanKind.CLIENT,
    attributes: {
      [ATTR_RPC_SYSTEM]: 'aws-api',
      [ATTR_RPC_SERVICE]: 'DynamoDB',
      [ATTR_RPC_METHOD]: 'PutItem',
      [ATTR_AWS_DYNAMODB_TABLE_NAMES]: ['orders'],
      [ATTR_AWS_REQUEST_ID]: `req-${variant.name}`,
    },
  }, inServer)
  dynamo.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, 200)
  dynamo.end()

  const charge = tracer.startSpan('charge', { kind: SpanKind.INTERNAL }, inServer)
  const error = new Error(`card declined (${variant.name})`)
  error.name = 'PaymentDeclinedError'
  charge.recordException(error)
  charge.setStatus({ code: SpanStatusCode.ERROR, message: error.message })
  charge.end()

  server.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, 200)
  server.end()

  await provider.forceFlush()
  await provider.shutdown()
  const failed = results.filter((r) => r.code !== EXPORT_SUCCESS)
  assert.deepEqual(failed.map((r) => String(r.error)), [], `the ${variant.name} exporter reported success for every batch`)
  assert.equal(results.length, 4, 'one export per span (SimpleSpanProcessor)')
  return {
    service,
    traceId: server.spanContext().traceId,
    ids: {
      server: server.spanContext().spanId,
      payments: payments.spanContext().spanId,
      dynamo: dynamo.spanContext().spanId,
      charge: charge.spanContext().spanId,
    },
  }
}

const exported = new Map() // variant name -> X-Ray trace id

for (const variant of variants) {
  test(`OTLP/HTTP ${variant.name}: exported spans are queryable as X-Ray traces`, { timeout: 60_000 }, async () => {
    const before = seen.length
    const { service, traceId, ids } = await exportTrace(variant)
    exported.set(variant.name, xrayTraceId(traceId))

    // What went over the wire.
    const requests = seen.slice(before)
    assert.ok(requests.length >= 1, 'the exporter posted to the collector')
    for (const request of requests) {
      assert.equal(request.path, '/v1/traces')
      assert.equal(request.contentType.split(';')[0].trim(), variant.contentType)
      assert.equal(request.contentEncoding, variant.compression === 'gzip' ? 'gzip' : undefined)
      assert.equal(request.status, 200)
    }

    // GetTraceSummaries: the X-Ray form of the OTLP trace id, found by annotation and service.
    const xrayId = xrayTraceId(traceId)
    assert.match(xrayId, /^1-[0-9a-f]{8}-[0-9a-f]{24}$/)
    assert.equal(xrayId.replace(/^1-/, '').replace('-', ''), traceId)
    const summary = await collector.findSummary(xrayId, `annotation.ckid = "${variant.name}" AND service("${service}")`)
    assert.equal(summary.Http.HttpMethod, 'POST')
    assert.equal(summary.Http.HttpStatus, 200)
    assert.deepEqual(summary.Annotations.ckid.map((a) => a.AnnotationValue), [{ StringValue: variant.name }])
    const names = summary.ServiceIds.map((s) => s.Name)
    for (const name of [service, 'DynamoDB', 'payments']) assert.ok(names.includes(name), `ServiceIds has ${name}: ${JSON.stringify(names)}`)
    const other = await collector.apiOk('TraceSummaries', { ...window(), FilterExpression: `annotation.ckid = "${variant.name}-other"` })
    assert.ok(!other.TraceSummaries.some((s) => s.Id === xrayId), 'a non-matching filter does not find the trace')

    // BatchGetTraces: a segment for the SERVER span with the other spans as subsegments.
    const stored = await collector.getTrace(xrayId, (t) => flattenTrace(t).length >= 4)
    const entities = flattenTrace(stored)
    assert.equal(entities.length, 4, `four documents: ${JSON.stringify(entities.map((e) => e.document.name))}`)
    const segment = entities.find((e) => e.parent === null).document
    assert.equal(segment.id, ids.server)
    assert.equal(segment.name, service)
    assert.equal(segment.trace_id, xrayId)
    assert.equal(segment.origin, 'AWS::ECS::Container')
    assert.equal(segment.http.request.method, 'POST')
    assert.equal(segment.http.response.status, 200)
    const byId = (id) => {
      const found = entities.find((e) => e.document.id === id)
      assert.ok(found, `span ${id} in ${JSON.stringify(entities.map((e) => [e.document.id, e.document.name]))}`)
      assert.equal(found.parent?.id, ids.server, `${found.document.name} is nested under the SERVER span`)
      return found.document
    }
    const paymentsDoc = byId(ids.payments)
    assert.equal(paymentsDoc.name, 'payments')
    assert.equal(paymentsDoc.namespace, 'remote')
    assert.equal(paymentsDoc.http.request.method, 'GET')
    assert.equal(paymentsDoc.http.request.url, 'https://payments.internal:8443/authorize')
    assert.equal(paymentsDoc.http.response.status, 200)
    const dynamoDoc = byId(ids.dynamo)
    assert.equal(dynamoDoc.name, 'DynamoDB')
    assert.equal(dynamoDoc.namespace, 'aws')
    assert.equal(dynamoDoc.aws.operation, 'PutItem')
    assert.equal(dynamoDoc.aws.table_name, 'orders')
    assert.equal(dynamoDoc.aws.region, 'us-east-1')
    assert.equal(dynamoDoc.aws.request_id, `req-${variant.name}`)
    const chargeDoc = byId(ids.charge)
    assert.equal(chargeDoc.name, 'charge')
    assert.equal(chargeDoc.fault, true)
    assert.deepEqual(chargeDoc.cause.exceptions.map((e) => [e.type, e.message]),
      [['PaymentDeclinedError', `card declined (${variant.name})`]])

    // GetServiceGraph: client -> service -> DynamoDB and payments.
    const graph = await until(`the service graph to show ${service} -> DynamoDB`, async () => {
      const answer = await collector.apiOk('ServiceGraph', window())
      return hasEdge(answer, service, 'DynamoDB', 'AWS::DynamoDB::Table') && hasEdge(answer, service, 'payments') ? answer : null
    }, { context: collector.context })
    assert.equal(findService(graph, service).Type, 'AWS::ECS::Container')
    assert.equal(findService(graph, 'payments').Type, 'remote')
    const client = graph.Services.find((s) => s.Type === 'client')
    assert.ok(client && client.Edges.some((e) => e.ReferenceId === findService(graph, service).ReferenceId), 'client -> service')

    assert.deepEqual(diagnostics, [], 'the OpenTelemetry SDK logged no warning or error')
  })
}

// X-Ray's TraceSummary.HasFault is "the root segment document has a 500 series error", the same
// fact the `fault` filter keyword tests. Here the SERVER span answered 200 and only the INTERNAL
// "charge" span failed.
test('HasFault describes the root segment, as the fault filter keyword does', async () => {
  const xrayId = exported.get('json')
  assert.ok(xrayId, 'the json variant exported its trace')
  const summary = await collector.findSummary(xrayId, 'annotation.ckid = "json"')
  const faulty = await collector.apiOk('TraceSummaries', { ...window(), FilterExpression: 'annotation.ckid = "json" AND fault' })
  const matchesFault = faulty.TraceSummaries.some((s) => s.Id === xrayId)
  assert.equal(matchesFault, false, 'the fault keyword looks at the root segment, which answered 200')
  assert.equal(summary.HasFault, matchesFault,
    `HasFault (${summary.HasFault}) agrees with the fault keyword (${matchesFault}) for the root segment`)
  // The failing subsegment is still a fault root cause.
  const leaves = summary.FaultRootCauses.flatMap((c) => c.Services.map((s) => s.EntityPath[s.EntityPath.length - 1]))
  assert.ok(leaves.some((e) => e.Name === 'charge'), `FaultRootCauses ${JSON.stringify(summary.FaultRootCauses)}`)
})

test('the collector counted every OTLP request and rejected none', async () => {
  const stats = await collector.stats()
  assert.equal(stats.otlp_requests, seen.length)
  assert.equal(stats.otlp_rejected_requests, 0, `last rejection: ${stats.last_rejection}`)
  assert.equal(stats.spans_received, variants.length * 4)
  await until('every span to be stored', async () => (await collector.stats()).spans_stored === variants.length * 4)
})
