// Crash test: SIGKILL `ck dynamodb` during a sustained write load, restart it on the same data
// directory, and find every acknowledged write (DESIGN §7 "Nothing lost").
//
// Writers put items with unique keys and bump per-writer counters with UpdateItem; a write counts
// as acknowledged only when the SDK returned success. After the restart every acknowledged item
// must be present with its exact value, and each counter must be at least its acknowledged count
// (a write in flight at the kill may or may not have landed; none acknowledged may be lost).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  CreateTableCommand, PutItemCommand, UpdateItemCommand, BatchGetItemCommand, GetItemCommand,
} from '@aws-sdk/client-dynamodb'
import { makeClient, REPO_ROOT } from '../lib/endpoint.js'

const bin = process.env.CK_BIN || path.join(REPO_ROOT, 'build', 'release', 'src', 'ck')

async function startServer (dataDir, durability) {
  const readyFile = path.join(dataDir, '..', `ready-${Date.now()}-${Math.random()}`)
  const child = spawn(bin, ['dynamodb', '--listen', '127.0.0.1:0', '--data-dir', dataDir,
    '--ready-file', readyFile, '--durability', durability], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c) => { stderr = (stderr + c).slice(-4096) })
  const deadline = Date.now() + 10_000
  for (;;) {
    let text = ''
    try { text = fs.readFileSync(readyFile, 'utf8') } catch {}
    if (text.endsWith('\n')) return { child, endpoint: text.trim() }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`ck dynamodb did not start: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const exited = (child) => new Promise((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve()
  else child.once('exit', resolve)
})

for (const durability of ['normal', 'full']) {
  test(`acknowledged writes survive kill -9 (durability=${durability})`, { timeout: 120_000 }, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-crash-'))
    const dataDir = path.join(root, 'data')
    fs.mkdirSync(dataDir)
    try {
      let server = await startServer(dataDir, durability)
      let client = makeClient(server.endpoint, { maxAttempts: 1 })
      await client.send(new CreateTableCommand({
        TableName: 'crash',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }))

      const writers = 16
      const acked = new Map() // pk -> payload
      const counters = new Array(writers).fill(0)
      let stop = false
      const errors = []
      const writer = async (w) => {
        for (let i = 0; !stop; i++) {
          const pk = `w${w}-${i}`
          const payload = `${pk}:${'x'.repeat(i % 200)}`
          try {
            if (i % 4 === 3) {
              await client.send(new UpdateItemCommand({
                TableName: 'crash',
                Key: { pk: { S: `counter-${w}` } },
                UpdateExpression: 'ADD #n :one',
                ExpressionAttributeNames: { '#n': 'n' },
                ExpressionAttributeValues: { ':one': { N: '1' } },
              }))
              counters[w]++
            } else {
              await client.send(new PutItemCommand({
                TableName: 'crash', Item: { pk: { S: pk }, payload: { S: payload }, i: { N: String(i) } },
              }))
              acked.set(pk, payload)
            }
          } catch (err) {
            if (!stop) errors.push(err)
            return
          }
        }
      }
      const running = Array.from({ length: writers }, (_, w) => writer(w))
      // Let the load build up (fsync per commit makes durability=full much slower), then kill
      // without warning at a random moment while writes are in flight.
      const target = durability === 'full' ? 100 : 500
      const deadline = Date.now() + 20_000
      while (acked.size < target && Date.now() < deadline && errors.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 500))
      server.child.kill('SIGKILL')
      await exited(server.child)
      stop = true
      await Promise.all(running)
      client.destroy()
      assert.deepEqual(errors.filter((e) => e.name !== 'TimeoutError' && !/ECONNRE|socket|EPIPE/i.test(String(e))), [],
        'no write failed before the kill')
      assert.ok(acked.size >= 100, `load too small to prove anything: ${acked.size} acknowledged puts`)

      server = await startServer(dataDir, durability)
      client = makeClient(server.endpoint)
      try {
        const keys = [...acked.keys()]
        let found = 0
        for (let start = 0; start < keys.length; start += 100) {
          const batch = keys.slice(start, start + 100)
          let request = { crash: { Keys: batch.map((pk) => ({ pk: { S: pk } })) } }
          while (request && Object.keys(request).length) {
            const out = await client.send(new BatchGetItemCommand({ RequestItems: request }))
            for (const item of out.Responses.crash) {
              assert.equal(item.payload.S, acked.get(item.pk.S), `payload of ${item.pk.S}`)
              found++
            }
            request = out.UnprocessedKeys
          }
        }
        assert.equal(found, acked.size, 'every acknowledged put is present after kill -9')
        for (let w = 0; w < writers; w++) {
          if (counters[w] === 0) continue
          const out = await client.send(new GetItemCommand({
            TableName: 'crash', Key: { pk: { S: `counter-${w}` } }, ConsistentRead: true,
          }))
          assert.ok(out.Item, `counter-${w} exists`)
          const n = Number(out.Item.n.N)
          assert.ok(n >= counters[w] && n <= counters[w] + 1,
            `counter-${w}: ${n} after ${counters[w]} acknowledged increments`)
        }
      } finally {
        client.destroy()
        server.child.kill('SIGTERM')
        await exited(server.child)
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  })
}
