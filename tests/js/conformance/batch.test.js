// BatchWriteItem and BatchGetItem: several tables, puts and deletes,
// projections, limits (25 writes, 100 keys), duplicates, errors.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { expectError, fixture, isDynalite, sortItems, uniqueName } from '../lib/helpers.js'

const { client, simpleTable } = await fixture()
const A = await simpleTable('batcha') // pk S
const B = await simpleTable('batchb', { range: 'sk', rangeType: 'N' }) // pk S, sk N

const S = (s) => ({ S: s })
const N = (n) => ({ N: String(n) })
const write = (RequestItems) => client.send(new BatchWriteItemCommand({ RequestItems }))
const getBatch = (RequestItems) => client.send(new BatchGetItemCommand({ RequestItems }))
const putReq = (Item) => ({ PutRequest: { Item } })
const delReq = (Key) => ({ DeleteRequest: { Key } })

describe('BatchWriteItem', () => {
  test('puts into two tables; nothing unprocessed', async () => {
    const out = await write({
      [A]: Array.from({ length: 20 }, (_, i) => putReq({ pk: S(`a${i}`), n: N(i), name: S(`item ${i}`) })),
      [B]: Array.from({ length: 5 }, (_, i) => putReq({ pk: S('b'), sk: N(i), v: S(`v${i}`) })),
    })
    assert.deepEqual(out.UnprocessedItems, {})
    const got = await client.send(new GetItemCommand({ TableName: A, Key: { pk: S('a7') } }))
    assert.deepEqual(got.Item, { pk: S('a7'), n: N(7), name: S('item 7') })
  })

  test('25 requests in one call are accepted', async () => {
    const out = await write({ [A]: Array.from({ length: 25 }, (_, i) => putReq({ pk: S(`x${i}`) })) })
    assert.deepEqual(out.UnprocessedItems, {})
  })

  test('puts and deletes mixed', async () => {
    await write({ [A]: [putReq({ pk: S('m1') }), putReq({ pk: S('m2') })] })
    const out = await write({ [A]: [delReq({ pk: S('m1') }), putReq({ pk: S('m3'), v: S('new') }), delReq({ pk: S('never-existed') })] })
    assert.deepEqual(out.UnprocessedItems, {})
    const got = await getBatch({ [A]: { Keys: [{ pk: S('m1') }, { pk: S('m2') }, { pk: S('m3') }] } })
    assert.deepEqual(sortItems(got.Responses[A], 'pk'), [{ pk: S('m2') }, { pk: S('m3'), v: S('new') }])
  })

  test('more than 25 requests are rejected', async () => {
    await expectError(write({ [A]: Array.from({ length: 26 }, (_, i) => putReq({ pk: S(`y${i}`) })) }), 'ValidationException',
      /^1 validation error detected: Value .* at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/s)
  })

  test('more than 25 requests across tables are rejected',
    { skip: isDynalite && 'dynalite: checks the 25-request limit per table only, not per call' }, async () => {
    await expectError(write({
      [A]: Array.from({ length: 13 }, (_, i) => putReq({ pk: S(`z${i}`) })),
      [B]: Array.from({ length: 13 }, (_, i) => putReq({ pk: S('z'), sk: N(i) })),
    }), 'ValidationException', 'Too many items requested for the BatchWriteItem call')
  })

  test('two requests for the same key are rejected', async () => {
    await expectError(write({ [A]: [putReq({ pk: S('dup'), v: N(1) }), putReq({ pk: S('dup'), v: N(2) })] }), 'ValidationException',
      'Provided list of item keys contains duplicates')
    await expectError(write({ [B]: [putReq({ pk: S('dup'), sk: N(1) }), delReq({ pk: S('dup'), sk: N('1.0') })] }), 'ValidationException',
      'Provided list of item keys contains duplicates')
    const got = await client.send(new GetItemCommand({ TableName: A, Key: { pk: S('dup') } }))
    assert.equal(got.Item, undefined, 'a rejected batch writes nothing')
  })

  test('an item without its key is rejected', async () => {
    await expectError(write({ [A]: [putReq({ nokey: S('x') })] }), 'ValidationException',
      'The provided key element does not match the schema')
  })

  test('an invalid attribute value is rejected', async () => {
    await expectError(write({ [A]: [putReq({ pk: S('bad'), s: { SS: [] } })] }), 'ValidationException',
      'One or more parameter values were invalid: An string set  may not be empty')
  })

  test('a missing table is ResourceNotFoundException', async () => {
    await expectError(write({ [uniqueName('missing')]: [putReq({ pk: S('x') })] }), 'ResourceNotFoundException',
      'Requested resource not found')
  })

  test('empty RequestItems is rejected', async () => {
    await expectError(write({}), 'ValidationException',
      /^1 validation error detected: Value '\{\}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1$/)
  })
})

describe('BatchGetItem', () => {
  test('keys from two tables; missing keys are simply absent', async () => {
    await write({
      [A]: [putReq({ pk: S('g1'), v: N(1) }), putReq({ pk: S('g2'), v: N(2) }), putReq({ pk: S('g3'), v: N(3) })],
      [B]: [putReq({ pk: S('g'), sk: N(1), v: N(10) }), putReq({ pk: S('g'), sk: N(2), v: N(20) })],
    })
    const out = await getBatch({
      [A]: { Keys: [{ pk: S('g1') }, { pk: S('g3') }, { pk: S('nope') }] },
      [B]: { Keys: [{ pk: S('g'), sk: N(2) }], ConsistentRead: true },
    })
    assert.deepEqual(sortItems(out.Responses[A], 'pk'), [{ pk: S('g1'), v: N(1) }, { pk: S('g3'), v: N(3) }])
    assert.deepEqual(out.Responses[B], [{ pk: S('g'), sk: N(2), v: N(20) }])
    assert.deepEqual(out.UnprocessedKeys, {})
  })

  test('ProjectionExpression with #names per table', async () => {
    const out = await getBatch({ [A]: { Keys: [{ pk: S('a3') }], ProjectionExpression: '#n, n', ExpressionAttributeNames: { '#n': 'name' } } })
    assert.deepEqual(out.Responses[A], [{ name: S('item 3'), n: N(3) }])
  })

  test('100 keys are accepted', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => ({ pk: S(`k${i}`) }))
    const out = await getBatch({ [A]: { Keys: keys } })
    assert.deepEqual(out.Responses[A], [])
    assert.deepEqual(out.UnprocessedKeys, {})
  })

  test('more than 100 keys for one table are rejected', async () => {
    const keys = Array.from({ length: 101 }, (_, i) => ({ pk: S(`k${i}`) }))
    await expectError(getBatch({ [A]: { Keys: keys } }), 'ValidationException',
      new RegExp(`^1 validation error detected: Value .* at 'requestItems\\.${A}\\.member\\.keys' failed to satisfy constraint: Member must have length less than or equal to 100$`, 's'))
  })

  test('more than 100 keys across tables are rejected', async () => {
    await expectError(getBatch({
      [A]: { Keys: Array.from({ length: 60 }, (_, i) => ({ pk: S(`k${i}`) })) },
      [B]: { Keys: Array.from({ length: 60 }, (_, i) => ({ pk: S('k'), sk: N(i) })) },
    }), 'ValidationException', 'Too many items requested for the BatchGetItem call')
  })

  test('duplicate keys are rejected', async () => {
    await expectError(getBatch({ [A]: { Keys: [{ pk: S('g1') }, { pk: S('g1') }] } }), 'ValidationException',
      'Provided list of item keys contains duplicates')
  })

  test('a key that does not match the schema is rejected', async () => {
    await expectError(getBatch({ [B]: { Keys: [{ pk: S('g') }] } }), 'ValidationException',
      'The provided key element does not match the schema')
  })

  test('a missing table is ResourceNotFoundException', async () => {
    await expectError(getBatch({ [uniqueName('missing')]: { Keys: [{ pk: S('x') }] } }), 'ResourceNotFoundException',
      'Requested resource not found')
  })
})
