// Shared helpers for the conformance tests: per-file fixture (endpoint, client,
// tables that are deleted afterwards), error assertions, small utilities.
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after } from 'node:test'
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
} from '@aws-sdk/client-dynamodb'
import { getEndpoint, makeClient, stopEndpoint } from './endpoint.js'

export { TARGET, isDynalite, isCk } from './endpoint.js'

/** A table name unique to this run: ck_<tag>_<time>_<random>. */
export function uniqueName (tag) {
  return `ck_${tag}_${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Per-file fixture. Returns { endpoint, client, createTable, waitActive }.
 * Tables made with createTable are deleted in an `after` hook, then the client
 * is destroyed and the endpoint stopped.
 */
export async function fixture () {
  const endpoint = await getEndpoint()
  const client = makeClient(endpoint)
  const owned = new Set()

  async function waitActive (TableName, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName }))
      const gsisActive = (Table.GlobalSecondaryIndexes || []).every((g) => g.IndexStatus === 'ACTIVE')
      if (Table.TableStatus === 'ACTIVE' && gsisActive) return Table
      if (Date.now() > deadline) throw new Error(`table ${TableName} not ACTIVE after ${timeoutMs} ms`)
      await sleep(20)
    }
  }

  /** CreateTable, remember it for cleanup, wait until it and its GSIs are ACTIVE. */
  async function createTable (params) {
    const input = { BillingMode: params.ProvisionedThroughput ? undefined : 'PAY_PER_REQUEST', ...params }
    const out = await client.send(new CreateTableCommand(input))
    owned.add(input.TableName)
    const table = await waitActive(input.TableName)
    return { created: out.TableDescription, table }
  }

  /** Hash-only ('pk' S) or hash+range ('pk' S, 'sk' <rangeType>) table. */
  async function simpleTable (tag, { range = null, rangeType = 'S', hashType = 'S', ...rest } = {}) {
    const TableName = uniqueName(tag)
    const KeySchema = [{ AttributeName: 'pk', KeyType: 'HASH' }]
    const AttributeDefinitions = [{ AttributeName: 'pk', AttributeType: hashType }]
    if (range) {
      KeySchema.push({ AttributeName: range, KeyType: 'RANGE' })
      AttributeDefinitions.push({ AttributeName: range, AttributeType: rangeType })
    }
    await createTable({ TableName, KeySchema, AttributeDefinitions, ...rest })
    return TableName
  }

  function forget (TableName) { owned.delete(TableName) }

  after(async () => {
    for (const TableName of owned) {
      try {
        await client.send(new DeleteTableCommand({ TableName }))
      } catch (err) {
        if (err.name !== 'ResourceNotFoundException') throw err
      }
    }
    client.destroy()
    await stopEndpoint()
  })

  return { endpoint, client, createTable, simpleTable, waitActive, forget }
}

/**
 * Asserts that `promise` rejects with an error whose `name` is `name` and, when
 * given, whose message equals `message` (string) or matches it (RegExp).
 * Returns the error for further checks.
 */
export async function expectError (promise, name, message) {
  let error
  await assert.rejects(promise, (err) => { error = err; return true })
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`)
  if (message instanceof RegExp) {
    assert.match(error.message, message)
  } else if (message !== undefined) {
    assert.equal(error.message, message)
  }
  if (error.$metadata && error.$metadata.httpStatusCode !== undefined) {
    assert.equal(error.$metadata.httpStatusCode, 400, `${name} should be HTTP 400`)
  }
  return error
}

/** Sorts items by the given key attributes' string/number values (for order-insensitive compares). */
export function sortItems (items, ...attrs) {
  const keyOf = (it) => attrs.map((a) => {
    const v = it[a]
    if (!v) return ''
    if (v.N !== undefined) return String(Number(v.N)).padStart(20, '0')
    return v.S ?? v.B ?? JSON.stringify(v)
  }).join('\u0000')
  return [...items].sort((x, y) => (keyOf(x) < keyOf(y) ? -1 : keyOf(x) > keyOf(y) ? 1 : 0))
}

/** Normalises SDK binary values (Uint8Array) to base64 strings for deep comparisons. */
export function b64 (u8) {
  return Buffer.from(u8).toString('base64')
}

/**
 * Canonical form of an item (or AttributeValue map) for deep comparisons:
 * binary values become base64 strings and set members are sorted (DynamoDB
 * sets are unordered).
 */
export function norm (item) {
  if (item == null) return item
  const out = {}
  for (const [k, v] of Object.entries(item)) out[k] = normValue(v)
  return out
}

function normValue (v) {
  const [type] = Object.keys(v)
  const val = v[type]
  switch (type) {
    case 'B': return { B: b64(val) }
    case 'BS': return { BS: val.map(b64).sort() }
    case 'SS': return { SS: [...val].sort() }
    case 'NS': return { NS: [...val].sort((a, b) => Number(a) - Number(b)) }
    case 'L': return { L: val.map(normValue) }
    case 'M': return { M: norm(val) }
    default: return { [type]: val }
  }
}
