// What a hostile or broken sender can throw at `ck collector`, and what it must answer:
//   - UDP datagrams that are not X-Ray daemon messages (no header, a bad header, invalid JSON,
//     not a segment, binary, oversized, deeply nested) are counted in datagrams_rejected and
//     nothing else happens;
//   - OTLP/HTTP bodies that are not ExportTraceServiceRequests get 400 with a google.rpc.Status
//     body in the request's encoding, an unsupported Content-Type or Content-Encoding 415, a body
//     (or inflated body) over the limit 413;
// and afterwards the collector still accepts a valid segment and a valid OTLP export.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import net from 'node:net'
import zlib from 'node:zlib'
import { startCollector, until, window, DAEMON_HEADER } from './lib/collector.mjs'

const collector = await startCollector()
// A sanitizer report or a crash on shutdown fails the file.
after(async () => assert.deepEqual(await collector.stop(), { code: 0, signal: null }, collector.context()))

const hex = (bytes) => crypto.randomBytes(bytes).toString('hex')
const newTraceId = () => `1-${Math.floor(Date.now() / 1000).toString(16)}-${hex(12)}`

// A valid segment document (one datagram's worth after the header).
function segmentDocument (overrides = {}) {
  const now = Date.now() / 1000
  return {
    name: 'ck-garbage', id: hex(8), trace_id: newTraceId(), start_time: now - 0.02, end_time: now,
    ...overrides,
  }
}

// Reads a google.rpc.Status {int32 code = 1; string message = 2; repeated Any details = 3} from
// protobuf bytes; throws on anything that is not well-formed protobuf.
function decodeProtobufStatus (buffer) {
  const status = { code: 0, message: '' }
  let offset = 0
  const varint = () => {
    let value = 0
    for (let shift = 0; shift < 64; shift += 7) {
      if (offset >= buffer.length) throw new Error('truncated varint')
      const byte = buffer[offset++]
      value += (byte & 0x7f) * 2 ** shift
      if ((byte & 0x80) === 0) return value
    }
    throw new Error('varint too long')
  }
  while (offset < buffer.length) {
    const key = varint()
    const field = Math.floor(key / 8)
    const wire = key % 8
    if (wire === 0) {
      const value = varint()
      if (field === 1) status.code = value
    } else if (wire === 2) {
      const length = varint()
      if (offset + length > buffer.length) throw new Error('truncated field')
      const bytes = buffer.subarray(offset, offset + length)
      offset += length
      if (field === 2) status.message = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } else {
      throw new Error(`unexpected wire type ${wire} for field ${field}`)
    }
  }
  return status
}

// The OTLP/HTTP failure contract: the body is a Status in the request's encoding.
function assertStatusBody (answer, encoding, expectedCode) {
  const contentType = (answer.headers.get('content-type') || '').split(';')[0].trim()
  let status
  if (encoding === 'protobuf') {
    assert.equal(contentType, 'application/x-protobuf', 'a protobuf request gets a protobuf Status')
    status = decodeProtobufStatus(answer.body)
  } else {
    assert.equal(contentType, 'application/json', 'a JSON request gets a JSON Status')
    status = JSON.parse(answer.body.toString('utf8'))
  }
  assert.equal(status.code, expectedCode, `Status code in ${JSON.stringify(status)}`)
  assert.equal(typeof status.message, 'string')
  assert.ok(status.message.length > 0, 'the Status message names the problem')
  return status
}

const INVALID_ARGUMENT = 3
const UNIMPLEMENTED = 12

// A minimal valid OTLP/JSON export with one SERVER span.
function otlpJsonExport (serviceName, traceId = hex(16), spanId = hex(8)) {
  const end = BigInt(Date.now()) * 1_000_000n
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
      scopeSpans: [{
        scope: { name: 'ck-garbage-test' },
        spans: [{
          traceId, spanId, name: 'GET /after', kind: 2,
          startTimeUnixNano: String(end - 5_000_000n), endTimeUnixNano: String(end),
          attributes: [{ key: 'http.request.method', value: { stringValue: 'GET' } }],
        }],
      }],
    }],
  })
}

test('garbage datagrams are counted as rejected and nothing is stored', { timeout: 60_000 }, async () => {
  const before = await collector.stats()
  const valid = JSON.stringify(segmentDocument())
  let deep = '[]'
  for (let i = 0; i < 20_000; i++) deep = `[${deep}]`
  let nested = segmentDocument()
  for (let i = 0; i < 80; i++) nested = { ...segmentDocument(), subsegments: [{ ...nested, trace_id: undefined }] }
  const garbage = [
    ['empty datagram', Buffer.alloc(0)],
    ['no header line', valid],
    ['header only', DAEMON_HEADER],
    ['bad header (format)', `{"format":"xml","version":1}\n${valid}`],
    ['bad header (version)', `{"format":"json","version":2}\n${valid}`],
    ['header not JSON', `format=json\n${valid}`],
    ['invalid JSON', `${DAEMON_HEADER}{"name":"x","id":`],
    ['JSON array', `${DAEMON_HEADER}[${valid}]`],
    ['JSON number', `${DAEMON_HEADER}42`],
    ['segment without id', `${DAEMON_HEADER}${JSON.stringify(segmentDocument({ id: undefined }))}`],
    ['segment with bad trace id', `${DAEMON_HEADER}${JSON.stringify(segmentDocument({ trace_id: 'not-a-trace' }))}`],
    ['segment without end_time', `${DAEMON_HEADER}${JSON.stringify(segmentDocument({ end_time: undefined }))}`],
    ['subsegments not an array', `${DAEMON_HEADER}${JSON.stringify(segmentDocument({ subsegments: { a: 1 } }))}`],
    ['subsegments nested 80 deep', `${DAEMON_HEADER}${JSON.stringify(nested)}`],
    ['JSON nested 20000 deep', `${DAEMON_HEADER}${deep}`],
    ['invalid UTF-8 in a string', Buffer.concat([Buffer.from(`${DAEMON_HEADER}{"name":"`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`","id":"${hex(8)}"}`)])],
    ['random binary', crypto.randomBytes(1024)],
    ['NUL bytes', Buffer.alloc(512)],
    ['binary after the header', Buffer.concat([Buffer.from(DAEMON_HEADER), crypto.randomBytes(2048)])],
    ['largest datagram, not JSON', Buffer.concat([Buffer.from(DAEMON_HEADER), Buffer.alloc(65_507 - DAEMON_HEADER.length, 0x41)])],
  ]
  for (const [, payload] of garbage) await collector.sendDatagram(payload)

  // UDP over IPv4 carries at most 65,507 bytes: a larger datagram cannot reach the collector, and
  // the sending socket says so.
  await assert.rejects(collector.sendDatagram(Buffer.alloc(70_000, 0x20)), (error) => error.code === 'EMSGSIZE')

  const expected = before.datagrams_received + garbage.length
  const stats = await until(`the collector to receive ${garbage.length} datagrams`, async () => {
    const s = await collector.stats()
    return s.datagrams_received >= expected ? s : null
  }, { context: collector.context })
  assert.equal(stats.datagrams_received, expected)
  assert.equal(stats.datagrams_rejected - before.datagrams_rejected, garbage.length,
    `every garbage datagram is rejected (last: ${stats.last_rejection})`)
  assert.equal(stats.spans_received, before.spans_received, 'no span came out of garbage')
  assert.ok(collector.alive(), collector.context())
})

test('a segment of the largest datagram size is accepted', { timeout: 30_000 }, async () => {
  const document = segmentDocument({ annotations: { ckid: 'largest' }, metadata: { default: { pad: '' } } })
  const size = Buffer.byteLength(DAEMON_HEADER + JSON.stringify(document))
  document.metadata.default.pad = 'p'.repeat(65_507 - size)
  const payload = DAEMON_HEADER + JSON.stringify(document)
  assert.equal(Buffer.byteLength(payload), 65_507)
  await collector.sendDatagram(payload)
  const trace = await collector.getTrace(document.trace_id)
  assert.equal(JSON.parse(trace.Segments[0].Document).metadata.default.pad.length, document.metadata.default.pad.length)
})

test('garbage OTLP bodies get 400 with a decodable Status', { timeout: 30_000 }, async () => {
  const before = await collector.stats()
  const cases = [
    ['protobuf', 'application/x-protobuf', Buffer.from('this is not protobuf at all')],
    ['protobuf', 'application/x-protobuf', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01])], // length beyond the body
    ['protobuf', 'application/x-protobuf', Buffer.from([0x0f])], // wire type 7 does not exist
    ['protobuf', 'application/x-protobuf', crypto.randomBytes(4096)],
    ['json', 'application/json', Buffer.from('{"resourceSpans": [')],
    ['json', 'application/json', Buffer.from('{"resourceSpans": 5}')],
    ['json', 'application/json', Buffer.from('[1, 2, 3]')],
    ['json', 'application/json; charset=utf-8', Buffer.from('\u0000\u0001binary')],
    ['json', 'application/json', Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 42 }] }] }] }))],
  ]
  for (const [encoding, contentType, body] of cases) {
    const answer = await collector.otlpPost('/v1/traces', body, { 'content-type': contentType })
    assert.equal(answer.status, 400, `${contentType} ${JSON.stringify(body.toString('latin1').slice(0, 40))}: ${answer.body}`)
    assertStatusBody(answer, encoding, INVALID_ARGUMENT)
  }
  // Corrupt gzip is a bad request too.
  const gzipped = zlib.gzipSync(otlpJsonExport('ck-garbage'))
  const corrupt = Buffer.concat([gzipped.subarray(0, 12), Buffer.alloc(32, 0xab)])
  const answer = await collector.otlpPost('/v1/traces', corrupt, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
  assert.equal(answer.status, 400)
  assertStatusBody(answer, 'json', INVALID_ARGUMENT)

  const stats = await collector.stats()
  assert.equal(stats.otlp_rejected_requests - before.otlp_rejected_requests, cases.length + 1)
  assert.equal(stats.spans_received, before.spans_received)
})

test('an unsupported Content-Type or Content-Encoding gets 415', { timeout: 30_000 }, async () => {
  const body = otlpJsonExport('ck-garbage')
  for (const contentType of ['text/plain', 'application/xml', 'application/grpc', 'multipart/form-data; boundary=x']) {
    const answer = await collector.otlpPost('/v1/traces', body, { 'content-type': contentType })
    assert.equal(answer.status, 415, `Content-Type ${contentType}`)
    assertStatusBody(answer, 'json', UNIMPLEMENTED)
  }
  for (const [encoding, contentType] of [['json', 'application/json'], ['protobuf', 'application/x-protobuf']]) {
    const answer = await collector.otlpPost('/v1/traces', body, { 'content-type': contentType, 'content-encoding': 'br' })
    assert.equal(answer.status, 415, `Content-Encoding br with ${contentType}`)
    assertStatusBody(answer, encoding, UNIMPLEMENTED)
  }
})

test('an inflated body over the limit (gzip bomb) gets 413', { timeout: 60_000 }, async () => {
  // 40 MiB of spaces inside a JSON string: about 40 KiB gzipped, over the 32 MiB inflate limit.
  const bomb = zlib.gzipSync(Buffer.concat([Buffer.from('{"resourceSpans":[],"x":"'), Buffer.alloc(40 << 20, 0x20), Buffer.from('"}')]), { level: 9 })
  assert.ok(bomb.length < 1 << 20)
  const answer = await collector.otlpPost('/v1/traces', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
  assert.equal(answer.status, 413)
  assertStatusBody(answer, 'json', INVALID_ARGUMENT)
  assert.ok(collector.alive(), collector.context())
})

const OVER_LIMIT = (8 << 20) + 1 // the OTLP receiver takes bodies of at most 8 MiB

// Sends only the request head (Content-Length over the limit) on a raw connection and returns
// the response the server writes before any of the body arrives.
function headOnlyRequest (contentType) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(collector.ports.otlp, '127.0.0.1')
    const chunks = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('end', () => {
      const raw = Buffer.concat(chunks)
      const split = raw.indexOf('\r\n\r\n')
      if (split < 0) return reject(new Error(`no HTTP response: ${JSON.stringify(raw.toString('latin1'))}`))
      const [statusLine, ...lines] = raw.subarray(0, split).toString('latin1').split('\r\n')
      const headers = new Headers(lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]))
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: raw.subarray(split + 4) })
    })
    socket.write(`POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\n` +
      `Content-Length: ${OVER_LIMIT}\r\nConnection: close\r\n\r\n`)
  })
}

for (const [encoding, contentType] of [['json', 'application/json'], ['protobuf', 'application/x-protobuf']]) {
  test(`a ${encoding} body over the limit is refused with 413 and a ${encoding} Status`, { timeout: 30_000 }, async () => {
    const answer = await headOnlyRequest(contentType)
    assert.equal(answer.status, 413)
    assertStatusBody(answer, encoding, INVALID_ARGUMENT)
    assert.ok(collector.alive(), collector.context())
  })
}

test('after all that, a valid segment and a valid OTLP export are still accepted', { timeout: 60_000 }, async () => {
  assert.ok(collector.alive(), collector.context())
  const document = segmentDocument({ name: 'ck-after-garbage', annotations: { ckid: 'after-garbage' } })
  await collector.sendDatagram(DAEMON_HEADER + JSON.stringify(document))
  const summary = await collector.findSummary(document.trace_id, 'annotation.ckid = "after-garbage"')
  assert.equal(summary.Id, document.trace_id)

  const traceId = hex(16)
  const answer = await collector.otlpPost('/v1/traces', otlpJsonExport('ck-otlp-after-garbage', traceId), { 'content-type': 'application/json' })
  assert.equal(answer.status, 200, answer.body.toString())
  assert.deepEqual(JSON.parse(answer.body.toString() || '{}'), {}, 'a full success: an empty ExportTraceServiceResponse')
  const xrayId = `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`
  const found = await collector.findSummary(xrayId, 'service("ck-otlp-after-garbage")')
  assert.equal(found.Id, xrayId)

  // And the query API still answers garbage with its own error shape.
  const bad = await collector.api('TraceSummaries', '{not json')
  assert.equal(bad.status, 400)
  assert.equal(bad.headers.get('x-amzn-errortype'), 'InvalidRequestException')
  const range = await collector.apiOk('TraceSummaries', window())
  assert.ok(range.TraceSummaries.length >= 2)

  // And it still shuts down cleanly on SIGTERM.
  assert.deepEqual(await collector.stop(), { code: 0, signal: null }, collector.context())
})
