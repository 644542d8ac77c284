// The official OpenTelemetry JS logs SDK exporting to `ck collector` over OTLP/HTTP /v1/logs,
// with the JSON exporter (@opentelemetry/exporter-logs-otlp-http) and the protobuf exporter
// (@opentelemetry/exporter-logs-otlp-proto). Each record must become a log event in
// /ecs/cuddle-kube/<service.name> (stream otlp/<service.name>) whose JSON message carries the
// level, body, attributes and the trace id in X-Ray form, findable by the trace-id pattern.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { context, trace, TraceFlags } from '@opentelemetry/api'
import { SeverityNumber } from '@opentelemetry/api-logs'
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http'
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto'
import { startCollector, until, xrayTraceId } from './lib/collector.mjs'

const collector = await startCollector()
after(async () => assert.deepEqual(await collector.stop(), { code: 0, signal: null }))

async function logsApi (operation, body) {
  const response = await fetch(`http://${collector.host}:${collector.ports.xray_api}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${operation}` },
    body: JSON.stringify(body),
  })
  const json = await response.json()
  assert.equal(response.status, 200, `${operation}: ${JSON.stringify(json)}`)
  return json
}

for (const [variant, Exporter] of [['json', JsonLogExporter], ['proto', ProtoLogExporter]]) {
  test(`OTLP logs exporter (${variant}) records become log events`, async () => {
    const service = `ck-otel-logs-${variant}`
    const exporter = new Exporter({ url: collector.otlpTracesUrl.replace('/v1/traces', '/v1/logs') })
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    })
    const logger = provider.getLogger('checkout', '1.0.0')
    const traceId = crypto.randomUUID().replaceAll('-', '')
    const spanId = traceId.slice(0, 16)
    const traced = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: TraceFlags.SAMPLED })
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: 'payment declined: card expired — 支払い',
      attributes: { 'order.id': 'o-42', amount: 12.5 },
      context: traced,
    })
    logger.emit({ severityNumber: SeverityNumber.INFO, body: { structured: true, items: 3 } })
    await provider.forceFlush()
    await provider.shutdown()

    const group = `/ecs/cuddle-kube/${service}`
    const events = await until(`two events in ${group}`, async () => {
      const { events } = await logsApi('FilterLogEvents', { logGroupName: group })
      return events.length === 2 && events
    }, { context: collector.context })
    assert.ok(events.every((event) => event.logStreamName === `otlp/${service}`))
    const declined = JSON.parse(events.find((e) => e.message.includes('declined')).message)
    assert.equal(declined.level, 'error')
    assert.equal(declined.msg, 'payment declined: card expired — 支払い')
    assert.equal(declined.service, service)
    assert.equal(declined['order.id'], 'o-42')
    assert.equal(declined.amount, 12.5)
    assert.equal(declined.trace_id, xrayTraceId(traceId))
    assert.equal(declined.span_id, spanId)
    const structured = JSON.parse(events.find((e) => !e.message.includes('declined')).message)
    assert.deepEqual(JSON.parse(structured.msg), { structured: true, items: 3 })
    assert.equal(structured.level, 'info')

    const { events: byTrace } = await logsApi('FilterLogEvents', {
      filterPattern: `{ $.trace_id = "${xrayTraceId(traceId)}" }`,
    })
    assert.equal(byTrace.length, 1)
    assert.equal(byTrace[0].logGroupName, group)
  })
}
