// The official AWS SDK for JavaScript v3 CloudWatch client (@aws-sdk/client-cloudwatch) against
// `ck collector`'s CloudWatch metrics and alarms API: PutMetricData in every datum form (gzipped
// by the SDK when large), GetMetricStatistics with statistics, percentiles, periods and units,
// ListMetrics with filters and pages, metric and composite alarms with their states, history
// and actions, DescribeAlarms and DescribeAlarmHistory through the SDK's paginators, and
// CloudWatch's error types as the SDK surfaces them.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand,
  DisableAlarmActionsCommand, EnableAlarmActionsCommand, GetMetricStatisticsCommand,
  ListMetricsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, PutMetricDataCommand,
  SetAlarmStateCommand, paginateDescribeAlarmHistory, paginateDescribeAlarms, paginateListMetrics,
} from '@aws-sdk/client-cloudwatch'
import { execFileSync } from 'node:child_process'
import { CK_BIN, startCollector } from './lib/collector.mjs'

const collector = await startCollector()
after(async () => assert.deepEqual(await collector.stop(), { code: 0, signal: null }))

const clientOptions = {
  endpoint: `http://${collector.host}:${collector.ports.xray_api}`,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  maxAttempts: 1,
}
const cloudwatch = new CloudWatchClient(clientOptions)

const NAMESPACE = 'CK/SdkTest'
const MINUTE = 60_000
// Two whole minutes in the recent past: data goes into [BASE, BASE + 2 min).
const BASE = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE
const LIST_API = [{ Name: 'Service', Value: 'list-api' }, { Name: 'Route', Value: '/list' }]
const ARN_PREFIX = 'arn:aws:cloudwatch:local:000000000000:alarm:'

// Expects the SDK to throw exception class `name`; returns the error.
async function rejects (promise, name, status, messagePart) {
  let error = null
  try { await promise } catch (caught) { error = caught }
  assert.ok(error, `expected ${name}, got success`)
  assert.equal(error.name, name, `${error.name}: ${error.message}`)
  assert.equal(error.$metadata.httpStatusCode, status)
  if (messagePart) assert.match(error.message, messagePart)
  return error
}

const statistics = (input) => cloudwatch.send(new GetMetricStatisticsCommand({
  Namespace: NAMESPACE,
  StartTime: new Date(BASE),
  EndTime: new Date(BASE + 2 * MINUTE),
  Period: 60,
  ...input,
}))
const byTime = (datapoints) => [...datapoints].sort((a, b) => a.Timestamp - b.Timestamp)

test('PutMetricData with Value, Values and Counts, StatisticValues; exact sums per minute', async () => {
  await cloudwatch.send(new PutMetricDataCommand({
    Namespace: NAMESPACE,
    MetricData: [
      { MetricName: 'Latency', Dimensions: LIST_API, Timestamp: new Date(BASE + 5_250), Value: 12, Unit: 'Milliseconds' },
      { MetricName: 'Latency', Dimensions: LIST_API, Timestamp: new Date(BASE + 10_000), Values: [10, 20, 30], Counts: [1, 2, 3], Unit: 'Milliseconds' },
      {
        MetricName: 'Latency',
        Dimensions: LIST_API,
        Timestamp: new Date(BASE + 20_000),
        StatisticValues: { SampleCount: 4, Sum: 100, Minimum: 5, Maximum: 40 },
        Unit: 'Milliseconds',
      },
      { MetricName: 'Latency', Dimensions: LIST_API, Timestamp: new Date(BASE + MINUTE + 1_000), Value: 7, Unit: 'Milliseconds', StorageResolution: 60 },
    ],
  }))
  const answer = await statistics({
    MetricName: 'Latency',
    Dimensions: LIST_API,
    Statistics: ['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum'],
  })
  assert.equal(answer.Label, 'Latency')
  const points = byTime(answer.Datapoints)
  assert.ok(points[0].Timestamp instanceof Date)
  assert.deepEqual(points, [
    // 12 + (10 + 2·20 + 3·30) + 100 = 252 over 1 + 6 + 4 = 11 samples.
    { Timestamp: new Date(BASE), Sum: 252, Average: 252 / 11, SampleCount: 11, Minimum: 5, Maximum: 40, Unit: 'Milliseconds' },
    { Timestamp: new Date(BASE + MINUTE), Sum: 7, Average: 7, SampleCount: 1, Minimum: 7, Maximum: 7, Unit: 'Milliseconds' },
  ])

  // A 120-second period holds both minutes when they share one; either way the totals hold.
  const wide = await statistics({ MetricName: 'Latency', Dimensions: LIST_API, Period: 120, Statistics: ['Sum', 'SampleCount'] })
  assert.equal(wide.Datapoints.reduce((sum, p) => sum + p.Sum, 0), 259)
  assert.equal(wide.Datapoints.reduce((sum, p) => sum + p.SampleCount, 0), 12)

  // Unit filter: the series' own unit matches, another unit matches nothing.
  const same = await statistics({ MetricName: 'Latency', Dimensions: LIST_API, Statistics: ['Sum'], Unit: 'Milliseconds' })
  assert.deepEqual(byTime(same.Datapoints).map((p) => p.Sum), [252, 7])
  const other = await statistics({ MetricName: 'Latency', Dimensions: LIST_API, Statistics: ['Sum'], Unit: 'Seconds' })
  assert.deepEqual(other.Datapoints, [])
  // Dimensions are a set: their order does not matter, but a subset is another (empty) metric.
  const reversed = await statistics({ MetricName: 'Latency', Dimensions: [...LIST_API].reverse(), Statistics: ['Sum'] })
  assert.deepEqual(byTime(reversed.Datapoints).map((p) => p.Sum), [252, 7])
  const subset = await statistics({ MetricName: 'Latency', Dimensions: [LIST_API[0]], Statistics: ['Sum'] })
  assert.deepEqual(subset.Datapoints, [])
})

test('StorageResolution 1 answers Period 1; standard resolution only whole minutes', async () => {
  await cloudwatch.send(new PutMetricDataCommand({
    Namespace: NAMESPACE,
    MetricData: [
      { MetricName: 'QueueDepth', Timestamp: new Date(BASE + 1_250), Value: 3, StorageResolution: 1, Unit: 'Count' },
      { MetricName: 'QueueDepth', Timestamp: new Date(BASE + 1_750), Value: 5, StorageResolution: 1, Unit: 'Count' },
      { MetricName: 'QueueDepth', Timestamp: new Date(BASE + 2_000), Value: 8, StorageResolution: 1, Unit: 'Count' },
      { MetricName: 'QueueDepth', Timestamp: new Date(BASE + 3_000), Value: 100, StorageResolution: 60, Unit: 'Count' },
    ],
  }))
  const perSecond = await statistics({
    MetricName: 'QueueDepth', EndTime: new Date(BASE + 5_000), Period: 1, Statistics: ['Sum', 'SampleCount', 'Maximum'],
  })
  assert.deepEqual(byTime(perSecond.Datapoints), [
    { Timestamp: new Date(BASE + 1_000), Sum: 8, SampleCount: 2, Maximum: 5, Unit: 'Count' },
    { Timestamp: new Date(BASE + 2_000), Sum: 8, SampleCount: 1, Maximum: 8, Unit: 'Count' },
  ])
  const perMinute = await statistics({ MetricName: 'QueueDepth', Statistics: ['Sum', 'SampleCount'] })
  assert.deepEqual(perMinute.Datapoints, [{ Timestamp: new Date(BASE), Sum: 116, SampleCount: 4, Unit: 'Count' }])

  await rejects(cloudwatch.send(new PutMetricDataCommand({
    Namespace: NAMESPACE, MetricData: [{ MetricName: 'QueueDepth', Value: 1, StorageResolution: 30 }],
  })), 'InvalidParameterValueException', 400, /StorageResolution is invalid: it must be 1 or 60/)
})

test('ExtendedStatistics: percentiles within the store\'s 1% relative error', async () => {
  // 1..101: p50 is 51 and p99 is 100 (rank q·(n−1)); p0 is the exact minimum.
  const values = Array.from({ length: 101 }, (_, i) => i + 1)
  await cloudwatch.send(new PutMetricDataCommand({
    Namespace: NAMESPACE,
    MetricData: [{ MetricName: 'Duration', Timestamp: new Date(BASE + 30_000), Values: values, Unit: 'Seconds' }],
  }))
  const answer = await statistics({ MetricName: 'Duration', ExtendedStatistics: ['p0', 'p50', 'p99', 'p100'] })
  assert.equal(answer.Datapoints.length, 1)
  const [point] = answer.Datapoints
  assert.deepEqual(point.Timestamp, new Date(BASE))
  assert.equal(point.Unit, 'Seconds')
  assert.equal(point.Sum, undefined)
  assert.deepEqual(Object.keys(point.ExtendedStatistics).sort(), ['p0', 'p100', 'p50', 'p99'])
  assert.equal(point.ExtendedStatistics.p0, 1)
  assert.equal(point.ExtendedStatistics.p100, 101)
  for (const [name, exact] of [['p50', 51], ['p99', 100]]) {
    const value = point.ExtendedStatistics[name]
    assert.ok(Math.abs(value - exact) <= 0.01 * exact, `${name} = ${value}, exact ${exact}`)
  }
  await rejects(statistics({ MetricName: 'Duration', ExtendedStatistics: ['p101'] }),
    'InvalidParameterValueException', 400, /p101 for parameter ExtendedStatistics/)
})

test('ListMetrics by namespace, name and dimensions; 501 series page through NextToken', async () => {
  const space = 'CK/SdkList'
  const put = (name, dimensions) => ({ MetricName: name, Dimensions: dimensions, Value: 1 })
  await cloudwatch.send(new PutMetricDataCommand({
    Namespace: space,
    MetricData: [
      put('Requests', [{ Name: 'Service', Value: 'a' }]),
      put('Requests', [{ Name: 'Service', Value: 'b' }]),
      put('Requests', [{ Name: 'Service', Value: 'a' }, { Name: 'Code', Value: '200' }]),
      put('Errors', [{ Name: 'Service', Value: 'a' }]),
    ],
  }))
  const list = async (input) => {
    const answer = await cloudwatch.send(new ListMetricsCommand({ Namespace: space, ...input }))
    assert.equal(answer.NextToken, undefined)
    return answer.Metrics.map((m) => `${m.MetricName} ${m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(',')}`)
  }
  assert.deepEqual(await list({}), ['Errors Service=a', 'Requests Code=200,Service=a', 'Requests Service=a', 'Requests Service=b'])
  assert.deepEqual(await list({ RecentlyActive: 'PT3H' }), await list({}))
  assert.deepEqual(await list({ MetricName: 'Requests' }), ['Requests Code=200,Service=a', 'Requests Service=a', 'Requests Service=b'])
  assert.deepEqual(await list({ Dimensions: [{ Name: 'Service', Value: 'a' }] }),
    ['Errors Service=a', 'Requests Code=200,Service=a', 'Requests Service=a'])
  assert.deepEqual(await list({ Dimensions: [{ Name: 'Code' }] }), ['Requests Code=200,Service=a'])
  assert.deepEqual(await list({ MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'b' }] }), [])
  const full = await cloudwatch.send(new ListMetricsCommand({ Namespace: space, MetricName: 'Errors' }))
  assert.deepEqual(full.Metrics, [{ Namespace: space, MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'a' }] }])

  // 501 datums make a body over 10 KiB, which the SDK sends gzipped.
  const pages = 'CK/SdkPages'
  await cloudwatch.send(new PutMetricDataCommand({
    Namespace: pages,
    MetricData: Array.from({ length: 501 }, (_, i) => put('Hits', [{ Name: 'Shard', Value: String(i).padStart(3, '0') }])),
  }))
  const first = await cloudwatch.send(new ListMetricsCommand({ Namespace: pages }))
  assert.equal(first.Metrics.length, 500)
  assert.equal(typeof first.NextToken, 'string')
  const second = await cloudwatch.send(new ListMetricsCommand({ Namespace: pages, NextToken: first.NextToken }))
  assert.deepEqual(second.Metrics, [{ Namespace: pages, MetricName: 'Hits', Dimensions: [{ Name: 'Shard', Value: '500' }] }])
  assert.equal(second.NextToken, undefined)
  const shards = []
  for await (const page of paginateListMetrics({ client: cloudwatch }, { Namespace: pages })) {
    shards.push(...page.Metrics.map((m) => m.Dimensions[0].Value))
  }
  assert.equal(shards.length, 501)
  assert.equal(new Set(shards).size, 501)
  await rejects(cloudwatch.send(new ListMetricsCommand({ Namespace: pages, NextToken: 'not-a-token' })),
    'InvalidParameterValueException', 400, /NextToken/)
})

const HIGH = 'sdk-latency-high'
const P99 = 'sdk-latency-p99'
const ANY = 'sdk-latency-any'
const describe = (input) => cloudwatch.send(new DescribeAlarmsCommand(input))
const names = (alarms) => alarms.map((a) => a.AlarmName).sort()

test('PutMetricAlarm and PutCompositeAlarm; DescribeAlarms by names, prefix, type and state', async () => {
  const before = Date.now()
  // TreatMissingData "ignore": with no data, evaluations keep whatever state the test sets.
  await cloudwatch.send(new PutMetricAlarmCommand({
    AlarmName: HIGH,
    AlarmDescription: 'list-api is slow',
    Namespace: 'CK/SdkAlarms',
    MetricName: 'Latency',
    Dimensions: LIST_API,
    Statistic: 'Average',
    Period: 60,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 2,
    Threshold: 250.5,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'ignore',
    AlarmActions: ['log'],
  }))
  await cloudwatch.send(new PutMetricAlarmCommand({
    AlarmName: P99,
    Namespace: 'CK/SdkAlarms',
    MetricName: 'Latency',
    ExtendedStatistic: 'p99',
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 900,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'ignore',
  }))
  await cloudwatch.send(new PutCompositeAlarmCommand({
    AlarmName: ANY,
    AlarmRule: `ALARM("${HIGH}") OR ALARM(${P99})`,
    ActionsEnabled: false,
  }))
  const after = Date.now()

  const { MetricAlarms, CompositeAlarms } = await describe({ AlarmNames: [HIGH, P99] })
  assert.deepEqual(CompositeAlarms, [])
  assert.deepEqual(names(MetricAlarms), [HIGH, P99])
  const high = MetricAlarms.find((a) => a.AlarmName === HIGH)
  const { AlarmConfigurationUpdatedTimestamp: configured, StateUpdatedTimestamp: updated, StateTransitionedTimestamp: transitioned, ...rest } = high
  for (const date of [configured, updated, transitioned]) {
    assert.ok(date instanceof Date, String(date))
    assert.ok(date.getTime() >= before - 1000 && date.getTime() <= after + 1000, date.toISOString())
  }
  assert.deepEqual(rest, {
    AlarmName: HIGH,
    AlarmArn: ARN_PREFIX + HIGH,
    AlarmDescription: 'list-api is slow',
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: ['log'],
    InsufficientDataActions: [],
    StateValue: 'INSUFFICIENT_DATA',
    StateReason: 'Unchecked: Initial alarm creation',
    MetricName: 'Latency',
    Namespace: 'CK/SdkAlarms',
    Statistic: 'Average',
    Dimensions: LIST_API,
    Period: 60,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 2,
    Threshold: 250.5,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'ignore',
  })
  const p99 = MetricAlarms.find((a) => a.AlarmName === P99)
  assert.equal(p99.ExtendedStatistic, 'p99')
  assert.equal(p99.Statistic, undefined)
  assert.equal(p99.DatapointsToAlarm, undefined)
  assert.deepEqual(p99.Dimensions, [])

  // Without AlarmTypes only metric alarms are described, as in CloudWatch.
  const byPrefix = await describe({ AlarmNamePrefix: 'sdk-latency-' })
  assert.deepEqual([names(byPrefix.MetricAlarms), byPrefix.CompositeAlarms], [[HIGH, P99], []])
  const composite = await describe({ AlarmNamePrefix: 'sdk-latency-', AlarmTypes: ['CompositeAlarm'] })
  assert.deepEqual(composite.MetricAlarms, [])
  assert.equal(composite.CompositeAlarms.length, 1)
  const [any] = composite.CompositeAlarms
  assert.equal(any.AlarmName, ANY)
  assert.equal(any.AlarmArn, ARN_PREFIX + ANY)
  assert.equal(any.AlarmRule, `ALARM("${HIGH}") OR ALARM(${P99})`)
  assert.equal(any.ActionsEnabled, false)
  assert.ok(any.AlarmConfigurationUpdatedTimestamp instanceof Date)
  assert.ok(any.StateUpdatedTimestamp instanceof Date)
  const both = await describe({ AlarmNamePrefix: 'sdk-latency-', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })
  assert.deepEqual([names(both.MetricAlarms), names(both.CompositeAlarms)], [[HIGH, P99], [ANY]])
  const insufficient = await describe({ AlarmNamePrefix: 'sdk-latency-', StateValue: 'INSUFFICIENT_DATA' })
  assert.deepEqual(names(insufficient.MetricAlarms), [HIGH, P99])
  assert.deepEqual((await describe({ AlarmNames: ['sdk-none'] })).MetricAlarms, [])
})

test('SetAlarmState, DescribeAlarmHistory with types and dates, actions on and off', async () => {
  await cloudwatch.send(new SetAlarmStateCommand({
    AlarmName: HIGH, StateValue: 'ALARM', StateReason: 'load test', StateReasonData: '{"source": "sdk"}',
  }))
  const alarmed = await describe({ AlarmNamePrefix: 'sdk-latency-', StateValue: 'ALARM' })
  assert.deepEqual(names(alarmed.MetricAlarms), [HIGH])
  const [high] = alarmed.MetricAlarms
  assert.equal(high.StateReason, 'load test')
  assert.deepEqual(JSON.parse(high.StateReasonData), { source: 'sdk' })
  assert.ok(high.StateUpdatedTimestamp > high.AlarmConfigurationUpdatedTimestamp)
  assert.deepEqual(names((await describe({ AlarmNamePrefix: 'sdk-latency-', StateValue: 'OK' })).MetricAlarms), [])

  const history = (input) => cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: HIGH, ...input }))
  const states = await history({ HistoryItemType: 'StateUpdate' })
  assert.equal(states.AlarmHistoryItems.length, 1)
  const [change] = states.AlarmHistoryItems
  assert.equal(change.AlarmName, HIGH)
  assert.equal(change.AlarmType, 'MetricAlarm')
  assert.equal(change.HistoryItemType, 'StateUpdate')
  assert.equal(change.HistorySummary, 'Alarm updated from INSUFFICIENT_DATA to ALARM')
  assert.deepEqual(change.Timestamp, high.StateUpdatedTimestamp)
  const data = JSON.parse(change.HistoryData)
  assert.deepEqual(data.newState, { stateValue: 'ALARM', stateReason: 'load test', stateReasonData: { source: 'sdk' } })
  assert.equal(data.oldState.stateValue, 'INSUFFICIENT_DATA')

  const actions = await history({ HistoryItemType: 'Action' })
  assert.deepEqual(actions.AlarmHistoryItems.map((item) => item.HistorySummary), ['Successfully executed action log'])
  const created = await history({ HistoryItemType: 'ConfigurationUpdate' })
  assert.deepEqual(created.AlarmHistoryItems.map((item) => item.HistorySummary), [`Alarm "${HIGH}" created`])

  // Dates go out as epoch seconds with milliseconds and bound the items inclusively.
  const at = high.AlarmConfigurationUpdatedTimestamp
  const exactly = await history({ StartDate: at, EndDate: at })
  assert.deepEqual(exactly.AlarmHistoryItems.map((item) => item.HistoryItemType), ['ConfigurationUpdate'])
  const earlier = await history({ EndDate: new Date(at.getTime() - 1) })
  assert.deepEqual(earlier.AlarmHistoryItems, [])
  const all = await history({ StartDate: at, ScanBy: 'TimestampAscending' })
  assert.deepEqual(all.AlarmHistoryItems.map((item) => item.HistoryItemType).slice(0, 2), ['ConfigurationUpdate', 'StateUpdate'])

  await cloudwatch.send(new DisableAlarmActionsCommand({ AlarmNames: [HIGH, P99] }))
  let described = await describe({ AlarmNames: [HIGH, P99] })
  assert.deepEqual(described.MetricAlarms.map((a) => a.ActionsEnabled), [false, false])
  await cloudwatch.send(new EnableAlarmActionsCommand({ AlarmNames: [HIGH] }))
  described = await describe({ AlarmNames: [HIGH, P99] })
  assert.deepEqual(Object.fromEntries(described.MetricAlarms.map((a) => [a.AlarmName, a.ActionsEnabled])),
    { [HIGH]: true, [P99]: false })

  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: HIGH, StateValue: 'OK', StateReason: 'recovered' }))
  const ok = (await describe({ AlarmNames: [HIGH] })).MetricAlarms[0]
  assert.deepEqual([ok.StateValue, ok.StateReason, ok.StateReasonData], ['OK', 'recovered', undefined])
  const newest = await history({ HistoryItemType: 'StateUpdate', MaxRecords: 1 })
  assert.deepEqual(newest.AlarmHistoryItems.map((item) => item.HistorySummary), ['Alarm updated from ALARM to OK'])
})

test('DeleteAlarms: a composite protects its children until deleted with them', async () => {
  await rejects(cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [HIGH] })), 'ValidationException', 400, new RegExp(ANY))
  await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [ANY, HIGH, P99] }))
  const left = await describe({ AlarmNamePrefix: 'sdk-latency-', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })
  assert.deepEqual([left.MetricAlarms, left.CompositeAlarms], [[], []])
  const history = await cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: HIGH }))
  assert.deepEqual(history.AlarmHistoryItems, [])
})

test('errors: CloudWatch\'s exception classes, status codes and messages', async () => {
  const datum = { MetricName: 'm', Value: 1 }
  const range = { StartTime: new Date(BASE), EndTime: new Date(BASE + MINUTE), Period: 60, Statistics: ['Sum'] }
  await rejects(cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: NAMESPACE, ...range })),
    'MissingRequiredParameterException', 400, /^The parameter MetricName is required\.$/)
  await rejects(cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: NAMESPACE, MetricName: 'm', ...range, Period: 7 })),
    'InvalidParameterValueException', 400, /Period 7 is invalid/)
  await rejects(cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: NAMESPACE, MetricName: 'm', ...range, ExtendedStatistics: ['p99'] })),
    'InvalidParameterCombinationException', 400, /^Must specify either Statistics or ExtendedStatistics, but not both\.$/)
  await rejects(cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: NAMESPACE, MetricName: 'm', ...range, StartTime: new Date(BASE + MINUTE) })),
    'InvalidParameterValueException', 400, /StartTime must be less than the parameter EndTime/)
  await rejects(cloudwatch.send(new PutMetricDataCommand({ Namespace: NAMESPACE, MetricData: [{ ...datum, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] })),
    'InvalidParameterCombinationException', 400, /mutually exclusive/)
  await rejects(cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [datum] })),
    'InvalidParameterValueException', 400, /^The value AWS\/EC2 for parameter Namespace is invalid\.$/)
  await rejects(cloudwatch.send(new PutMetricDataCommand({ Namespace: NAMESPACE, MetricData: [{ ...datum, Unit: 'Parsecs' }] })),
    'InvalidParameterValueException', 400, /Parsecs/)
  await rejects(cloudwatch.send(new PutMetricDataCommand({ Namespace: NAMESPACE, MetricData: [{ MetricName: 'm' }] })),
    'MissingRequiredParameterException', 400, /Value, MetricData\.member\.1\.Values or MetricData\.member\.1\.StatisticValues is required/)

  const missing = await rejects(cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'sdk-ghost', StateValue: 'ALARM', StateReason: 'x' })),
    'ResourceNotFound', 404, /^The alarm sdk-ghost does not exist$/)
  // The query protocol's code and fault, from x-amzn-query-error, as the SDK exposes them.
  assert.deepEqual([missing.Code, missing.Type, missing.$fault], ['ResourceNotFound', 'Sender', 'client'])
  await rejects(cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ['sdk-ghost'] })),
    'ResourceNotFound', 404, /sdk-ghost does not exist/)
  await rejects(cloudwatch.send(new PutCompositeAlarmCommand({ AlarmName: 'sdk-composite', AlarmRule: 'ALARM(sdk-ghost)' })),
    'ValidationException', 400, /^Could not save the composite alarm as alarms \[sdk-ghost\] in the alarm rule do not exist$/)
  const alarm = {
    AlarmName: 'sdk-bad', Namespace: NAMESPACE, MetricName: 'm', Statistic: 'Sum', Period: 60,
    EvaluationPeriods: 2, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
  }
  await rejects(cloudwatch.send(new PutMetricAlarmCommand({ ...alarm, Period: 7 })),
    'ValidationException', 400, /^Period must be 10, 20, 30 or a multiple of 60$/)
  await rejects(cloudwatch.send(new PutMetricAlarmCommand({ ...alarm, DatapointsToAlarm: 3 })),
    'ValidationException', 400, /DatapointsToAlarm must be less than or equal to EvaluationPeriods/)
  await rejects(cloudwatch.send(new PutMetricAlarmCommand({ ...alarm, TreatMissingData: 'sometimes' })),
    'ValidationException', 400, /TreatMissingData/)
  await cloudwatch.send(new PutMetricAlarmCommand(alarm))
  await rejects(cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'sdk-bad', StateValue: 'ALARM', StateReason: 'x', StateReasonData: 'not json' })),
    'InvalidFormatFault', 400, /^StateReasonData is not a valid JSON object\.$/)
  await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ['sdk-bad'] }))

  // An operation the server does not know: the SDK's request with another X-Amz-Target.
  const renamed = new CloudWatchClient(clientOptions)
  renamed.middlewareStack.add((next) => (args) => {
    args.request.headers['x-amz-target'] = 'GraniteServiceVersion20100801.GetMetricData'
    return next(args)
  }, { step: 'build' })
  await rejects(renamed.send(new ListMetricsCommand({})), 'UnknownOperationException', 400, /^Unknown operation GetMetricData$/)

  // A client that reads only __type (no x-amzn-query-error, no x-amzn-ErrorType) finds the
  // same classes: __type names the shape of CloudWatch's model.
  const typeOnly = new CloudWatchClient(clientOptions)
  typeOnly.middlewareStack.add((next) => async (args) => {
    const result = await next(args)
    delete result.response.headers['x-amzn-query-error']
    delete result.response.headers['x-amzn-errortype']
    return result
  }, { step: 'deserialize', priority: 'low' })
  const fromType = await rejects(typeOnly.send(new PutCompositeAlarmCommand({ AlarmName: 'sdk-composite', AlarmRule: 'ALARM(sdk-ghost)' })),
    'ValidationException', 400, /do not exist/)
  assert.equal(fromType.Code, undefined, 'the x-amzn-query-error header was removed')
  await rejects(typeOnly.send(new GetMetricStatisticsCommand({ Namespace: NAMESPACE, ...range })),
    'MissingRequiredParameterException', 400, /MetricName/)
  await rejects(typeOnly.send(new SetAlarmStateCommand({ AlarmName: 'sdk-ghost', StateValue: 'OK', StateReason: 'x' })),
    'ResourceNotFound', 404, /sdk-ghost/)
})

// 120 alarms, created out of name order; their creation is also 120 history items.
const PAGED = Array.from({ length: 120 }, (_, i) => `sdk-page-${String(i).padStart(3, '0')}`)
const CREATION_ORDER = PAGED.map((_, i) => PAGED[(i * 7) % 120])
let pagedSince = null

test('paginateDescribeAlarms: 120 alarms in pages of 50, each once and in name order', async () => {
  pagedSince = new Date()
  for (const name of CREATION_ORDER) {
    await cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'CK/SdkPaging',
      MetricName: 'Hits',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'ignore',
    }))
  }
  const sizes = []
  const seen = []
  const tokens = []
  for await (const page of paginateDescribeAlarms({ client: cloudwatch }, { AlarmNamePrefix: 'sdk-page-', MaxRecords: 50 })) {
    sizes.push(page.MetricAlarms.length)
    assert.deepEqual(page.CompositeAlarms, [])
    seen.push(...page.MetricAlarms.map((a) => a.AlarmName))
    tokens.push(page.NextToken)
  }
  assert.deepEqual(sizes, [50, 50, 20])
  assert.deepEqual(seen, PAGED)
  assert.equal(new Set(seen).size, 120)
  assert.equal(typeof tokens[0], 'string')
  assert.equal(tokens.at(-1), undefined)

  // Without MaxRecords a page holds 50.
  const first = await describe({ AlarmNamePrefix: 'sdk-page-' })
  assert.deepEqual(first.MetricAlarms.map((a) => a.AlarmName), PAGED.slice(0, 50))
  await rejects(describe({ AlarmNamePrefix: 'sdk-page-', NextToken: 'not-a-token' }),
    'InvalidNextToken', 400, /^The service cannot process the NextToken\.$/)
  for (const MaxRecords of [0, 101]) {
    await rejects(describe({ MaxRecords }), 'ValidationException', 400,
      new RegExp(`Value '${MaxRecords}' at 'maxRecords' failed to satisfy constraint`))
  }

  // `ck alarms` follows the pages too.
  const listed = JSON.parse(execFileSync(CK_BIN, ['alarms', '--json', '--collector', clientOptions.endpoint],
    { encoding: 'utf8' }))
  assert.deepEqual(listed.MetricAlarms.map((a) => a.AlarmName).filter((n) => n.startsWith('sdk-page-')), PAGED)
})

test('paginateDescribeAlarmHistory: the 120 creations newest first, and oldest first', async () => {
  assert.ok(pagedSince, 'the paginateDescribeAlarms test ran first')
  const read = async (input) => {
    const sizes = []
    const seen = []
    for await (const page of paginateDescribeAlarmHistory({ client: cloudwatch },
      { HistoryItemType: 'ConfigurationUpdate', StartDate: pagedSince, MaxRecords: 50, ...input })) {
      sizes.push(page.AlarmHistoryItems.length)
      seen.push(...page.AlarmHistoryItems.map((item) => item.AlarmName))
    }
    return { sizes, seen }
  }
  const newest = await read({})
  assert.deepEqual(newest.sizes, [50, 50, 20])
  assert.deepEqual(newest.seen, [...CREATION_ORDER].reverse())
  const oldest = await read({ ScanBy: 'TimestampAscending' })
  assert.deepEqual(oldest.sizes, [50, 50, 20])
  assert.deepEqual(oldest.seen, CREATION_ORDER)
  await rejects(cloudwatch.send(new DescribeAlarmHistoryCommand({ NextToken: 'not-a-token' })),
    'InvalidNextToken', 400, /NextToken/)

  for (let i = 0; i < PAGED.length; i += 100) {
    await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: PAGED.slice(i, i + 100) }))
  }
  assert.deepEqual((await describe({ AlarmNamePrefix: 'sdk-page-' })).MetricAlarms, [])
})
