// A real Prometheus (Debian's `prometheus` package) against a running stack: `ck export
// prometheus` writes the scrape configuration and the stack's alarms as alerting rules;
// promtool accepts both; Prometheus scrapes every target (services, the datastore over HTTPS
// with the local CA, the collector, its CloudWatch-metrics endpoint, the control API) and finds
// the key series; the alerting rules are loaded. Skips only when /usr/bin/prometheus is missing
// (scripts/setup.sh installs it).
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { CK_BIN, Stack, freePort } from './lib/stack.mjs'

const PROMETHEUS = '/usr/bin/prometheus'
const PROMTOOL = '/usr/bin/promtool'
const missing = !fs.existsSync(PROMETHEUS) || !fs.existsSync(PROMTOOL)

describe('Prometheus scrapes the stack', { timeout: 240_000, skip: missing && `${PROMETHEUS} is not installed` }, () => {
  let stack
  let prometheus
  let promOutput = ''
  let promUrl
  let outDir

  before(async () => {
    stack = await Stack.create({ prefix: 'ck-prom-' })
    await stack.up()
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${stack.site}/list`)).status, 200)
    outDir = path.join(stack.root, 'prom')
    execFileSync(CK_BIN, ['export', 'prometheus', '--out-dir', outDir, '--scrape-interval', '1s',
      '--control', stack.control, '--collector', stack.xray], { encoding: 'utf8' })
    const port = await freePort()
    promUrl = `http://127.0.0.1:${port}`
    prometheus = spawn(PROMETHEUS, [`--config.file=${path.join(outDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(stack.root, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] })
    for (const stream of [prometheus.stdout, prometheus.stderr]) {
      stream.on('data', (chunk) => { promOutput = (promOutput + chunk).slice(-8000) })
    }
  })
  after(async () => {
    if (prometheus && prometheus.exitCode === null) prometheus.kill('SIGTERM')
    if (stack) {
      try { await stack.down() } finally { stack.cleanup() }
    }
  })

  const query = async (expr) => {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)
    const body = await response.json()
    assert.equal(body.status, 'success', JSON.stringify(body))
    return body.data.result
  }
  const promUntil = (what, predicate) => stack.until(what, predicate, {
    timeoutMs: 60_000,
    intervalMs: 500,
    context: () => `prometheus output:\n${promOutput}`,
  })

  it('promtool accepts the exported configuration and rules', () => {
    execFileSync(PROMTOOL, ['check', 'config', path.join(outDir, 'prometheus.yml')], { encoding: 'utf8' })
    const rules = execFileSync(PROMTOOL, ['check', 'rules', path.join(outDir, 'ck-alarms.rules.yml')], { encoding: 'utf8' })
    assert.match(rules, /SUCCESS: \d+ rules found/)
  })

  it('every target is up and the key series are there', async () => {
    const targets = await promUntil('every target scraped and up', async () => {
      const response = await fetch(`${promUrl}/api/v1/targets`)
      const body = await response.json()
      const active = body.data.activeTargets
      return active.length > 0 && active.every((t) => t.health === 'up') && active
    })
    const jobs = new Set(targets.map((t) => t.labels.job))
    for (const job of ['public-site', 'list-api', 'register-api', 'dynamodb', 'collector', 'cloudwatch', 'control']) {
      assert.ok(jobs.has(job), `job ${job} among ${[...jobs]}`)
    }
    const listed = await query('sum(ck_http_server_requests_total{job="public-site",route="/list"})')
    assert.ok(listed.length === 1 && Number(listed[0].value[1]) >= 3, JSON.stringify(listed))
    const scans = await query('ck_dependency_requests_total{job="list-api",dependency="DynamoDB"}')
    assert.ok(scans.length > 0, 'list-api -> DynamoDB calls')
    assert.ok((await query('ck_supervisor_tasks_desired')).length > 0 || (await query('{job="control"}')).length > 0)
    const insights = await promUntil('Container Insights through the collector', async () => {
      const result = await query('ck_cloudwatch_metric{namespace="ECS/ContainerInsights",metric="RunningTaskCount"}')
      return result.length > 0 && result
    })
    assert.ok(insights.some((series) => series.metric.service_name === 'list-api'), JSON.stringify(insights.map((s) => s.metric)))
  })

  it('ck alarms lists the stack file\'s alarms and ck metrics reads Container Insights', async () => {
    const ck = (...args) => execFileSync(CK_BIN, [...args, '--collector', stack.xray], { encoding: 'utf8' })
    const alarms = JSON.parse(ck('alarms', '--json'))
    const names = [...alarms.MetricAlarms, ...alarms.CompositeAlarms].map((alarm) => alarm.AlarmName).sort()
    assert.deepEqual(names, ['list-api-p99-latency', 'public-site-5xx', 'public-site-p99-latency',
      'register-api-p99-latency', 'site-degraded', 'task-restarts'])
    for (const alarm of alarms.MetricAlarms) assert.match(alarm.StateValue, /^(OK|ALARM|INSUFFICIENT_DATA)$/)
    assert.equal(alarms.CompositeAlarms[0].AlarmRule, 'ALARM("public-site-5xx") OR ALARM("task-restarts")')

    // Samples are taken every 10 s; the first may come while the task is still starting (0
    // running), so wait for one taken since it runs.
    const statistics = await stack.until('a RunningTaskCount sample with list-api running', () => {
      const result = JSON.parse(ck('metrics', 'ECS/ContainerInsights', 'RunningTaskCount',
        'ClusterName=cuddle-kube', 'ServiceName=list-api', '--since', '5m', '--stat', 'Maximum', '--json'))
      const points = [...result.Datapoints].sort((a, b) => a.Timestamp - b.Timestamp)
      return points.length > 0 && points[points.length - 1].Maximum === 1 && result
    }, { timeoutMs: 30_000, intervalMs: 1000 })
    assert.ok(statistics.Datapoints.every((point) => point.Maximum === 0 || point.Maximum === 1),
      JSON.stringify(statistics))
    const listed = ck('metrics', 'ECS/ContainerInsights')
    for (const metric of ['CpuUtilized', 'MemoryUtilized', 'RunningTaskCount', 'DesiredTaskCount', 'RestartCount']) {
      assert.match(listed, new RegExp(`ECS/ContainerInsights\\s+${metric}\\s`), listed)
    }
  })

  it('the stack\'s alarms are loaded as alerting rules', async () => {
    const response = await fetch(`${promUrl}/api/v1/rules`)
    const body = await response.json()
    const names = body.data.groups.flatMap((group) => group.rules.map((rule) => rule.name))
    assert.ok(names.length > 0, JSON.stringify(body))
    assert.ok(names.some((name) => /list.api.p99/i.test(name)), names.join(', '))
  })
})
