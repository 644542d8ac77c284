// Shared by the telemetry compatibility tests (tests/js/telemetry): runs the real `ck collector` on
// free loopback ports with a temporary data directory, and talks to it the way the official SDKs
// and the X-Ray API clients do. Plain Node 20 (built-in fetch, dgram); no dependencies.
//
//   const collector = await startCollector()      // at the top level of a test file
//   after(async () => assert.deepEqual(await collector.stop(), { code: 0, signal: null }))
//   await collector.sendDatagram(Buffer.from('{"format":"json","version":1}\n{...}'))
//   const { status, body } = await collector.api('TraceSummaries', { StartTime, EndTime })
//   await until('the trace is stored', async () => (await collector.stats()).spans_stored > 0)
//
// Nothing here waits a fixed time for something to happen: every wait polls with a deadline
// (`until`), and a deadline is a failure, never a measurement.
//
// Environment: CK_BIN, the ck binary (default <repo>/build/release/src/ck).
import { spawn } from 'node:child_process'
import dgram from 'node:dgram'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
export const CK_BIN = process.env.CK_BIN || path.join(REPO_ROOT, 'build', 'release', 'src', 'ck')
export const DAEMON_HEADER = '{"format":"json","version":1}\n'

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// Polls `predicate` (sync or async; a throw counts as "not yet") until it returns something
// truthy, which is returned. On the deadline it throws with the last error and `context()`.
export async function until (what, predicate, { timeoutMs = 15_000, intervalMs = 50, context } = {}) {
  const deadline = Date.now() + timeoutMs
  let lastError
  for (;;) {
    try {
      const value = await predicate()
      if (value) return value
    } catch (error) { lastError = error }
    if (Date.now() > deadline) {
      const why = lastError ? `\nlast error: ${lastError.stack || lastError}` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}${context ? `\n${context()}` : ''}`)
    }
    await sleep(intervalMs)
  }
}

// The X-Ray form of a W3C (OTLP) trace id: 1-<first 8 hex>-<last 24 hex>.
export function xrayTraceId (w3cTraceId) {
  const hex = w3cTraceId.toLowerCase()
  return `1-${hex.slice(0, 8)}-${hex.slice(8)}`
}

// A [StartTime, EndTime] window in epoch seconds around now, as the X-Ray query API takes it.
export function window (pastSeconds = 600, futureSeconds = 60) {
  const now = Date.now() / 1000
  return { StartTime: now - pastSeconds, EndTime: now + futureSeconds }
}

// Parses the Document of every segment BatchGetTraces returned for one trace and flattens the
// nested subsegments: [{ document, parent }] for segments and subsegments alike.
export function flattenTrace (trace) {
  const out = []
  const walk = (doc, parent) => {
    out.push({ document: doc, parent })
    for (const sub of doc.subsegments || []) walk(sub, doc)
  }
  for (const segment of trace.Segments) walk(JSON.parse(segment.Document), null)
  return out
}

// Finds a GetServiceGraph service by name (and type, when given).
export function findService (graph, name, type) {
  return graph.Services.find((s) => s.Name === name && (type === undefined || s.Type === type))
}

// True when the graph has an edge from the service named `from` to the one named `to`.
export function hasEdge (graph, from, to, toType) {
  const source = findService(graph, from)
  const target = findService(graph, to, toType)
  if (!source || !target) return false
  return (source.Edges || []).some((edge) => edge.ReferenceId === target.ReferenceId)
}

// Starts `ck collector` on port 0 for every listener and returns a handle. The caller stops it
// (stop() also removes its data directory); a process exit kills it.
export async function startCollector ({ extraArgs = [], startTimeoutMs = 15_000 } = {}) {
  if (!fs.existsSync(CK_BIN)) {
    throw new Error(`ck binary not found at ${CK_BIN} (build it with ninja -C build/release ck, or set CK_BIN)`)
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-telemetry-'))
  const dataDir = path.join(dir, 'data')
  const readyFile = path.join(dir, 'ready.json')
  fs.mkdirSync(dataDir)
  const args = ['collector', '--host', '127.0.0.1', '--xray-port', '0', '--otlp-port', '0',
    '--data-dir', dataDir, '--ready-file', readyFile, ...extraArgs]
  const child = spawn(CK_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk) => { output = (output + chunk).slice(-16_384) }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited = null
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = { code, signal }
    resolve(exited)
  }))
  const killOnExit = () => { try { child.kill('SIGKILL') } catch {} }
  process.once('exit', killOnExit)

  const udp = dgram.createSocket('udp4')
  udp.unref()
  let stopped = null
  const stop = () => {
    if (!stopped) {
      stopped = (async () => {
        process.removeListener('exit', killOnExit)
        await new Promise((resolve) => { try { udp.close(resolve) } catch { resolve() } })
        if (!exited) {
          child.kill('SIGTERM')
          const timer = setTimeout(() => { if (!exited) child.kill('SIGKILL') }, 10_000)
          await exitPromise
          clearTimeout(timer)
        }
        fs.rmSync(dir, { recursive: true, force: true })
        return exited
      })()
    }
    return stopped
  }

  const context = () => `collector exit: ${JSON.stringify(exited)}\ncollector output (tail):\n${output}`
  let ports
  try {
    ports = await until('the collector ready file', () => {
      if (exited) throw new Error(`ck collector exited early: ${JSON.stringify(exited)}`)
      const text = fs.readFileSync(readyFile, 'utf8')
      return text.endsWith('\n') ? JSON.parse(text) : null
    }, { timeoutMs: startTimeoutMs, context })
  } catch (error) {
    await stop()
    throw error
  }

  const host = '127.0.0.1'
  const apiBase = `http://${host}:${ports.xray_api}`
  const otlpBase = `http://${host}:${ports.otlp}`

  const handle = {
    ports,
    host,
    dataDir,
    /** The collector's recent stdout/stderr and exit state, for assertion messages. */
    context,
    /** Whether the process is still running. */
    alive: () => exited === null,
    /** SIGTERM, wait for exit (SIGKILL after 10 s), remove the data; resolves to {code, signal}. */
    stop,
    /** The daemon address in AWS_XRAY_DAEMON_ADDRESS form (UDP and TCP on one port). */
    daemonAddress: `${host}:${ports.xray_udp}`,

    /** Sends one UDP datagram to the daemon port. */
    sendDatagram: (payload) => new Promise((resolve, reject) => {
      const buffer = Buffer.isBuffer(payload) ? payload : Buffer.from(payload)
      udp.send(buffer, ports.xray_udp, host, (error) => (error ? reject(error) : resolve()))
    }),

    /** POSTs an X-Ray API operation (e.g. 'TraceSummaries'); resolves {status, headers, body}. */
    api: async (operation, body = {}) => {
      const response = await fetch(`${apiBase}/${operation}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
      const text = await response.text()
      let parsed = null
      try { parsed = JSON.parse(text) } catch {}
      return { status: response.status, headers: response.headers, body: parsed, text }
    },

    /** Like api() but fails unless the answer is 200, and returns the parsed body. */
    apiOk: async (operation, body = {}) => {
      const answer = await handle.api(operation, body)
      if (answer.status !== 200) {
        throw new Error(`POST /${operation} -> ${answer.status} ${answer.headers.get('x-amzn-errortype') || ''}: ${answer.text}`)
      }
      return answer.body
    },

    /** GET /stats on the API port. */
    stats: async () => {
      const response = await fetch(`${apiBase}/stats`)
      if (response.status !== 200) throw new Error(`GET /stats -> ${response.status}`)
      return response.json()
    },

    /** POSTs raw bytes to the OTLP receiver; resolves {status, headers, body: Buffer}. */
    otlpPost: async (pathname, body, headers = {}) => {
      const response = await fetch(`${otlpBase}${pathname}`, { method: 'POST', headers, body })
      return {
        status: response.status,
        headers: response.headers,
        body: Buffer.from(await response.arrayBuffer()),
      }
    },

    /** OTLP/HTTP traces URL for the exporters. */
    otlpTracesUrl: `${otlpBase}/v1/traces`,

    /**
     * Polls GetTraceSummaries over `window()` until a summary with id `traceId` matches
     * `filterExpression`; returns that summary.
     */
    findSummary: (traceId, filterExpression = '', options = {}) =>
      until(`GetTraceSummaries to find ${traceId} with filter ${JSON.stringify(filterExpression)}`, async () => {
        const answer = await handle.apiOk('TraceSummaries', { ...window(), FilterExpression: filterExpression })
        return answer.TraceSummaries.find((s) => s.Id === traceId)
      }, { context, ...options }),

    /** Polls BatchGetTraces until it returns the trace and `predicate(trace)` holds; returns it. */
    getTrace: (traceId, predicate = () => true, options = {}) =>
      until(`BatchGetTraces to return ${traceId}`, async () => {
        const answer = await handle.apiOk('Traces', { TraceIds: [traceId] })
        const trace = answer.Traces.find((t) => t.Id === traceId)
        return trace && predicate(trace) ? trace : null
      }, { context, ...options }),
  }
  return handle
}
