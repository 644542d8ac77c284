// The official AWS SDK for JavaScript v3 CloudWatch Logs client (@aws-sdk/client-cloudwatch-logs)
// against `ck collector`'s CloudWatch Logs API: log groups and streams, PutLogEvents,
// GetLogEvents paging in both directions, FilterLogEvents with filter patterns, Logs Insights
// queries (StartQuery/GetQueryResults), GetLogRecord, and CloudWatch's error types.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand,
  DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand,
  GetLogEventsCommand, GetLogRecordCommand, GetQueryResultsCommand, PutLogEventsCommand,
  PutRetentionPolicyCommand, StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { startCollector } from './lib/collector.mjs'

const collector = await startCollector()
after(async () => assert.deepEqual(await collector.stop(), { code: 0, signal: null }))

const logs = new CloudWatchLogsClient({
  endpoint: `http://${collector.host}:${collector.ports.xray_api}`,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  maxAttempts: 1,
})

const GROUP = '/ck/sdk-test/orders'
const BASE = Date.now() - 60_000
// s1: five events one second apart; s2: three, interleaved in time with s1.
const S1 = [
  { timestamp: BASE, message: JSON.stringify({ level: 'info', status: 200, route: '/list', latency_ms: 12 }) },
  { timestamp: BASE + 1000, message: 'ERROR connection reset by peer' },
  { timestamp: BASE + 2000, message: JSON.stringify({ level: 'error', status: 503, route: '/register', latency_ms: 250 }) },
  { timestamp: BASE + 3000, message: 'héllo wörld ✓ multi-byte text' },
  { timestamp: BASE + 4000, message: JSON.stringify({ level: 'info', status: 201, route: '/register', latency_ms: 40 }) },
]
const S2 = [
  { timestamp: BASE + 500, message: JSON.stringify({ level: 'warn', status: 429, route: '/feed', latency_ms: 5 }) },
  { timestamp: BASE + 1500, message: 'INFO all good' },
  { timestamp: BASE + 2500, message: JSON.stringify({ level: 'error', status: 500, route: '/feed', latency_ms: 900 }) },
]

async function rejects (command, name, messagePart) {
  await assert.rejects(logs.send(command), (error) => {
    assert.equal(error.name, name, `${error.name}: ${error.message}`)
    if (messagePart) assert.match(error.message, messagePart)
    assert.equal(error.$metadata.httpStatusCode, 400)
    return true
  })
}

test('log groups: create, describe, retention, and CloudWatch errors', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }))
  await rejects(new CreateLogGroupCommand({ logGroupName: GROUP }), 'ResourceAlreadyExistsException')
  await rejects(new CreateLogGroupCommand({ logGroupName: 'bad name!' }), 'InvalidParameterException')
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 7 }))
  await rejects(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 8 }),
    'InvalidParameterException', /enum value set/)
  await rejects(new PutRetentionPolicyCommand({ logGroupName: '/ck/none', retentionInDays: 7 }),
    'ResourceNotFoundException')
  const described = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ck/sdk-test/' }))
  assert.equal(described.logGroups.length, 1)
  assert.equal(described.logGroups[0].logGroupName, GROUP)
  assert.equal(described.logGroups[0].retentionInDays, 7)
  assert.ok(Math.abs(described.logGroups[0].creationTime - Date.now()) < 600_000)
})

test('PutLogEvents into two streams; unknown stream is ResourceNotFoundException', async () => {
  await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 's1' }))
  await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 's2' }))
  await rejects(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 's1' }),
    'ResourceAlreadyExistsException')
  await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 's1', logEvents: S1 }))
  await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 's2', logEvents: S2 }))
  await rejects(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 'nope', logEvents: S1 }),
    'ResourceNotFoundException', /log stream does not exist/)
  const tooOld = await logs.send(new PutLogEventsCommand({
    logGroupName: GROUP,
    logStreamName: 's2',
    logEvents: [{ timestamp: Date.now() - 20 * 86_400_000, message: 'ancient' }],
  }))
  assert.deepEqual(tooOld.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 })

  const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }))
  assert.deepEqual(streams.logStreams.map((s) => s.logStreamName), ['s1', 's2'])
  assert.equal(streams.logStreams[0].firstEventTimestamp, BASE)
  assert.equal(streams.logStreams[0].lastEventTimestamp, BASE + 4000)
})

test('GetLogEvents pages forward from the head and backward from the tail', async () => {
  const first = await logs.send(new GetLogEventsCommand({
    logGroupName: GROUP, logStreamName: 's1', startFromHead: true, limit: 2,
  }))
  assert.deepEqual(first.events.map((e) => e.message), [S1[0].message, S1[1].message])
  const second = await logs.send(new GetLogEventsCommand({
    logGroupName: GROUP, logStreamName: 's1', nextToken: first.nextForwardToken, limit: 2,
  }))
  assert.deepEqual(second.events.map((e) => e.message), [S1[2].message, S1[3].message])
  const third = await logs.send(new GetLogEventsCommand({
    logGroupName: GROUP, logStreamName: 's1', nextToken: second.nextForwardToken, limit: 2,
  }))
  assert.deepEqual(third.events.map((e) => e.message), [S1[4].message])
  const end = await logs.send(new GetLogEventsCommand({
    logGroupName: GROUP, logStreamName: 's1', nextToken: third.nextForwardToken, limit: 2,
  }))
  assert.deepEqual(end.events, [])
  assert.equal(end.nextForwardToken, third.nextForwardToken, 'the same token at the end')

  const tail = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 's1', limit: 2 }))
  assert.deepEqual(tail.events.map((e) => e.timestamp), [BASE + 3000, BASE + 4000])
  const before = await logs.send(new GetLogEventsCommand({
    logGroupName: GROUP, logStreamName: 's1', nextToken: tail.nextBackwardToken, limit: 2,
  }))
  assert.deepEqual(before.events.map((e) => e.timestamp), [BASE + 1000, BASE + 2000])
  assert.ok(tail.events.every((e) => e.ingestionTime >= e.timestamp))
})

test('FilterLogEvents: terms, JSON patterns, stream selection, time order across streams', async () => {
  const all = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, startTime: BASE - 1 }))
  assert.deepEqual(all.events.map((e) => e.timestamp),
    [...S1, ...S2].map((e) => e.timestamp).sort((a, b) => a - b))
  assert.equal(all.events[1].logStreamName, 's2')

  const errors = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'ERROR' }))
  assert.deepEqual(errors.events.map((e) => e.message), ['ERROR connection reset by peer'])

  const failed = await logs.send(new FilterLogEventsCommand({
    logGroupName: GROUP, filterPattern: '{ $.status >= 500 }',
  }))
  assert.deepEqual(failed.events.map((e) => JSON.parse(e.message).status), [503, 500])

  const onlyS2 = await logs.send(new FilterLogEventsCommand({
    logGroupName: GROUP, logStreamNames: ['s2'], filterPattern: '{ $.level = "error" || $.level = "warn" }',
  }))
  assert.deepEqual(onlyS2.events.map((e) => JSON.parse(e.message).status), [429, 500])

  const paged = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3 }))
  assert.equal(paged.events.length, 3)
  assert.ok(paged.nextToken)
  const rest = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, nextToken: paged.nextToken }))
  assert.equal(rest.events.length, 5)
  assert.equal(rest.nextToken, undefined)

  await rejects(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.status >= }' }),
    'InvalidParameterException')
})

test('Logs Insights through StartQuery / GetQueryResults, and GetLogRecord for @ptr', async () => {
  const window = { startTime: Math.floor(BASE / 1000) - 5, endTime: Math.floor(Date.now() / 1000) + 5 }
  const { queryId } = await logs.send(new StartQueryCommand({
    logGroupName: GROUP,
    ...window,
    queryString: 'filter status >= 500 | fields route, status, latency_ms | sort latency_ms desc',
  }))
  const results = await logs.send(new GetQueryResultsCommand({ queryId }))
  assert.equal(results.status, 'Complete')
  const rows = results.results.map((row) => Object.fromEntries(row.map((c) => [c.field, c.value])))
  assert.deepEqual(rows.map((r) => [r.route, r.status, r.latency_ms]),
    [['/feed', '500', '900'], ['/register', '503', '250']])
  assert.equal(results.statistics.recordsMatched, 2)
  assert.equal(results.statistics.recordsScanned, 8)

  const record = await logs.send(new GetLogRecordCommand({ logRecordPointer: rows[0]['@ptr'] }))
  assert.equal(JSON.parse(record.logRecord['@message']).latency_ms, 900)
  assert.equal(record.logRecord['@logStream'], 's2')

  const stats = await logs.send(new StartQueryCommand({
    logGroupNames: [GROUP],
    ...window,
    queryString: 'filter ispresent(route) | stats count(*) as n by route | sort route asc',
  }))
  const counted = await logs.send(new GetQueryResultsCommand({ queryId: stats.queryId }))
  assert.deepEqual(counted.results.map((row) => Object.fromEntries(row.map((c) => [c.field, c.value]))), [
    { route: '/feed', n: '2' },
    { route: '/list', n: '1' },
    { route: '/register', n: '2' },
  ])

  await assert.rejects(logs.send(new StartQueryCommand({ logGroupName: GROUP, ...window, queryString: 'fields | |' })),
    (error) => error.name === 'MalformedQueryException')
  await assert.rejects(logs.send(new GetQueryResultsCommand({ queryId: 'no-such-query' })),
    (error) => error.name === 'ResourceNotFoundException')
})

test('DeleteLogGroup removes its events', async () => {
  await logs.send(new DeleteLogGroupCommand({ logGroupName: GROUP }))
  await rejects(new FilterLogEventsCommand({ logGroupName: GROUP }), 'ResourceNotFoundException')
  const described = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ck/sdk-test/' }))
  assert.deepEqual(described.logGroups, [])
})
