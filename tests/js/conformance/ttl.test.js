// Time to Live: DescribeTimeToLive / UpdateTimeToLive, and real expiry of
// items whose TTL attribute lies in the past. Against ck the endpoint helper
// starts the server with a 200 ms expiry sweep (CK_TTL_SWEEP_MS).
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import { expectError, fixture, isDynalite, sleep, uniqueName } from '../lib/helpers.js'

const { client, simpleTable } = await fixture()
const noTtl = isDynalite && 'dynalite: UpdateTimeToLive is not implemented (UnknownOperationException) and items never expire'

const describeTtl = async (TableName) => (await client.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription
const enable = (TableName, AttributeName, Enabled = true) =>
  client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName, Enabled } }))

describe('DescribeTimeToLive and UpdateTimeToLive', () => {
  test('a new table has TTL disabled', async () => {
    const T = await simpleTable('ttl')
    assert.deepEqual(await describeTtl(T), { TimeToLiveStatus: 'DISABLED' })
  })

  test('DescribeTimeToLive of a missing table', async () => {
    await expectError(client.send(new DescribeTimeToLiveCommand({ TableName: uniqueName('missing') })), 'ResourceNotFoundException')
  })

  test('enable, describe, then a second update is rejected', { skip: noTtl }, async () => {
    const T = await simpleTable('ttl')
    const out = await enable(T, 'expiresAt')
    assert.deepEqual(out.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true })
    // A local server applies the change at once (the service may report
    // ENABLING for a while); either way the attribute name is reported.
    assert.deepEqual(await describeTtl(T), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' })
    // "Any additional UpdateTimeToLive calls for the same table during this one
    // hour duration result in a ValidationException" (UpdateTimeToLive API reference).
    await expectError(enable(T, 'expiresAt'), 'ValidationException')
  })

  test('UpdateTimeToLive of a missing table', { skip: noTtl }, async () => {
    await expectError(enable(uniqueName('missing'), 'expiresAt'), 'ResourceNotFoundException')
  })
})

describe('expiry', () => {
  test('items whose TTL time has passed are deleted; others stay', { skip: noTtl, timeout: 30_000 }, async () => {
    const T = await simpleTable('ttlx')
    await enable(T, 'expiresAt')
    const now = Math.floor(Date.now() / 1000)
    const put = (Item) => client.send(new PutItemCommand({ TableName: T, Item }))
    await put({ pk: { S: 'past' }, expiresAt: { N: String(now - 3600) } })
    await put({ pk: { S: 'future' }, expiresAt: { N: String(now + 3600) } })
    await put({ pk: { S: 'no-ttl' } })
    await put({ pk: { S: 'string-ttl' }, expiresAt: { S: String(now - 3600) } }) // not a Number: never expires
    await put({ pk: { S: 'other-attr' }, other: { N: String(now - 3600) } })
    // Epoch seconds more than five years in the past are ignored by TTL.
    await put({ pk: { S: 'ancient' }, expiresAt: { N: String(now - 6 * 366 * 86400) } })

    const deadline = Date.now() + 20_000
    let keys
    for (;;) {
      const out = await client.send(new ScanCommand({ TableName: T, ConsistentRead: true }))
      keys = out.Items.map((it) => it.pk.S).sort()
      if (!keys.includes('past')) break
      if (Date.now() > deadline) break
      await sleep(100)
    }
    assert.deepEqual(keys, ['ancient', 'future', 'no-ttl', 'other-attr', 'string-ttl'])
    const got = await client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'past' } }, ConsistentRead: true }))
    assert.equal(got.Item, undefined)
  })
})
