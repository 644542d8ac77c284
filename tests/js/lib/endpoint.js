// Decides which DynamoDB endpoint the conformance suite drives, starts it when
// the suite owns it, and builds SDK clients for it.
//
// Environment:
//   CK_DYNAMODB_ENDPOINT  URL of an already running endpoint (http:// or https://).
//                         When set nothing is started; CK_TARGET then only names
//                         what is behind the URL (for the known-divergence skips).
//   CK_TARGET             'ck' (default) or 'dynalite'.
//                         dynalite: started in-process on 127.0.0.1, port 0.
//                         ck: spawns `$CK_BIN dynamodb --listen 127.0.0.1:0
//                             --data-dir <tmp> --ready-file <tmp>/ready
//                             --ttl-sweep-interval-ms $CK_TTL_SWEEP_MS`
//                             and waits (10 s) for the server to write its URL
//                             followed by a newline into the ready file.
//   CK_BIN                path of the ck binary (default: <repo>/build/release/src/ck).
//   CK_TTL_SWEEP_MS       TTL expiry sweep interval handed to ck (default 200), so
//                         the TTL test sees expired items deleted within seconds.
//   CK_DYNAMODB_EXTRA_ARGS  JSON array of extra argv entries for the spawned ck
//                         (e.g. '["--tls-cert","c.pem","--tls-key","k.pem"]');
//                         passed as argv, never through a shell.
//   CK_DYNAMODB_CA        path of a PEM CA bundle; HTTPS requests (SDK and raw)
//                         trust it.
//   CK_ACCESS_KEY_ID / CK_SECRET_ACCESS_KEY
//                         credentials the suite signs with (default ck-local /
//                         ck-local-secret, ck's documented local credentials).
//
// Usage in a test file (top-level await is fine in ES modules):
//   import { setup, TARGET } from '../lib/endpoint.js'
//   const { client, endpoint } = await setup()   // stopped automatically after the file
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import https from 'node:https'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { after } from 'node:test'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { NodeHttpHandler } from '@smithy/node-http-handler'

const require = createRequire(import.meta.url)
const here = path.dirname(fileURLToPath(import.meta.url))
export const REPO_ROOT = path.resolve(here, '..', '..', '..')

export const REGION = 'us-east-1'
export const ACCESS_KEY_ID = process.env.CK_ACCESS_KEY_ID || 'ck-local'
export const SECRET_ACCESS_KEY = process.env.CK_SECRET_ACCESS_KEY || 'ck-local-secret'
/** Fresh credentials object (the SDK annotates the object it is given, so never share one). */
export const credentials = () => ({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY })

// The pinned SDK runs on Node 20 but announces that later releases will need
// Node 22; that notice is not about the code under test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const explicitEndpoint = process.env.CK_DYNAMODB_ENDPOINT || ''
/** Name of the implementation under test: 'ck', 'dynalite' or 'external'. */
export const TARGET = process.env.CK_TARGET || (explicitEndpoint ? 'external' : 'ck')
export const isDynalite = TARGET === 'dynalite'
export const isCk = TARGET === 'ck'

const caPath = process.env.CK_DYNAMODB_CA || ''
const ca = caPath ? fs.readFileSync(caPath) : undefined

let started = null // Promise<{ endpoint, stop }>

/** The https.Agent trusting CK_DYNAMODB_CA (undefined when no CA is configured). */
export const httpsAgent = ca ? new https.Agent({ ca, keepAlive: true }) : undefined

/** Starts (once per process) or resolves the endpoint; returns its URL string. */
export async function getEndpoint () {
  if (!started) started = start()
  return (await started).endpoint
}

/** Stops whatever getEndpoint() started. Safe to call more than once. */
export async function stopEndpoint () {
  if (!started) return
  const s = await started.catch(() => null)
  started = null
  if (s) await s.stop()
}

/**
 * A DynamoDBClient for the endpoint. Options override the defaults
 * (e.g. { credentials: {...} } for the signature tests).
 */
export function makeClient (endpoint, overrides = {}) {
  const config = {
    endpoint,
    region: REGION,
    credentials: credentials(),
    maxAttempts: 1,
    ...overrides,
  }
  if (httpsAgent && !config.requestHandler) {
    config.requestHandler = new NodeHttpHandler({ httpsAgent })
  }
  return new DynamoDBClient(config)
}

/**
 * Per-file setup: resolves the endpoint, builds a client and registers an
 * `after` hook that destroys the client and stops the endpoint.
 */
export async function setup () {
  const endpoint = await getEndpoint()
  const client = makeClient(endpoint)
  after(async () => {
    client.destroy()
    await stopEndpoint()
  })
  return { endpoint, client }
}

async function start () {
  if (explicitEndpoint) {
    return { endpoint: explicitEndpoint.replace(/\/+$/, ''), stop: async () => {} }
  }
  if (TARGET === 'dynalite') return startDynalite()
  if (TARGET === 'ck') return startCk()
  throw new Error(`CK_TARGET=${TARGET}: expected 'ck' or 'dynalite' (or set CK_DYNAMODB_ENDPOINT)`)
}

async function startDynalite () {
  const dynalite = require('dynalite')
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address()
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => {
      server.close(() => resolve())
      if (server.closeAllConnections) server.closeAllConnections()
    }),
  }
}

async function startCk () {
  const bin = process.env.CK_BIN || path.join(REPO_ROOT, 'build', 'release', 'src', 'ck')
  if (!fs.existsSync(bin)) {
    throw new Error(`ck binary not found at ${bin} (build it, or set CK_BIN, or CK_TARGET=dynalite)`)
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-dynamodb-conformance-'))
  const dataDir = path.join(dir, 'data')
  const readyFile = path.join(dir, 'ready')
  fs.mkdirSync(dataDir)
  const extra = process.env.CK_DYNAMODB_EXTRA_ARGS ? JSON.parse(process.env.CK_DYNAMODB_EXTRA_ARGS) : []
  if (!Array.isArray(extra) || extra.some((a) => typeof a !== 'string')) {
    throw new Error('CK_DYNAMODB_EXTRA_ARGS must be a JSON array of strings')
  }
  const args = [
    'dynamodb',
    '--listen', '127.0.0.1:0',
    '--data-dir', dataDir,
    '--ready-file', readyFile,
    '--ttl-sweep-interval-ms', String(process.env.CK_TTL_SWEEP_MS || 200),
    ...extra,
  ]
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk) => { output = (output + chunk).slice(-8192) }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited = null
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = { code, signal }
    resolve()
  }))
  const killOnExit = () => { try { child.kill('SIGKILL') } catch {} }
  process.once('exit', killOnExit)

  const stop = async () => {
    process.removeListener('exit', killOnExit)
    if (!exited) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => { if (!exited) child.kill('SIGKILL') }, 5000)
      await exitPromise
      clearTimeout(timer)
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }

  const deadline = Date.now() + 10_000
  for (;;) {
    if (exited) {
      await stop()
      throw new Error(`ck dynamodb exited early (${JSON.stringify(exited)}): ${output}`)
    }
    let text = ''
    try { text = fs.readFileSync(readyFile, 'utf8') } catch {}
    if (text.endsWith('\n') && text.trim()) {
      return { endpoint: text.trim().replace(/\/+$/, ''), stop }
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`ck dynamodb did not write ${readyFile} within 10 s: ${output}`)
    }
    await new Promise((r) => setTimeout(r, 25))
  }
}

/**
 * One raw HTTP(S) request to the endpoint, bypassing the SDK.
 * Returns { status, headers, body: Buffer, text, json }.
 */
export function rawRequest (endpoint, { method = 'POST', path: reqPath = '/', headers = {}, body } = {}) {
  const url = new URL(reqPath, endpoint)
  const mod = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const req = mod.request(url, {
      method,
      headers,
      agent: url.protocol === 'https:' ? (httpsAgent || undefined) : undefined,
    }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const buf = Buffer.concat(chunks)
        const text = buf.toString('utf8')
        let json
        try { json = JSON.parse(text) } catch {}
        resolve({ status: res.statusCode, headers: res.headers, body: buf, text, json })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.setTimeout(10_000, () => req.destroy(new Error('raw request timed out')))
    if (body != null) req.write(body)
    req.end()
  })
}
