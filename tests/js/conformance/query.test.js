// Query: key conditions on the sort key, ordering, Limit/ExclusiveStartKey
// paging, FilterExpression with Count/ScannedCount, Select, projections,
// global and local secondary indexes, and Query validation errors.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BatchWriteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb'
import { expectError, fixture, uniqueName } from '../lib/helpers.js'

const { client, createTable, simpleTable } = await fixture()
const S = (s) => ({ S: s })
const N = (n) => ({ N: String(n) })

// Numeric sort key table with a GSI (sparse: only even items have g) and an LSI.
const Q = uniqueName('query')
await createTable({
  TableName: Q,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'g', AttributeType: 'S' },
    { AttributeName: 'gs', AttributeType: 'N' },
    { AttributeName: 'ls', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  GlobalSecondaryIndexes: [
    { IndexName: 'gAll', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'gs', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
    { IndexName: 'gKeys', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    { IndexName: 'gInc', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'gs', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['data'] } },
  ],
  LocalSecondaryIndexes: [
    { IndexName: 'lAll', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'ls', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
  ],
})

const COUNT = 20
const itemA = (i) => {
  const item = { pk: S('A'), sk: N(i), even: { BOOL: i % 2 === 0 }, data: S(`d${i}`), score: N(i * 10), ls: S(String.fromCharCode(116 - i)) }
  if (i % 2 === 0) { item.g = S('G'); item.gs = N(100 - i) }
  return item
}
const writes = []
for (let i = 0; i < COUNT; i++) writes.push({ PutRequest: { Item: itemA(i) } })
for (let i = 0; i < 3; i++) writes.push({ PutRequest: { Item: { pk: S('B'), sk: N(i) } } })
for (let i = 0; i < writes.length; i += 25) {
  await client.send(new BatchWriteItemCommand({ RequestItems: { [Q]: writes.slice(i, i + 25) } }))
}

// String sort key table for begins_with and string ranges.
const QS = await simpleTable('querys', { range: 'sk', rangeType: 'S' })
const strKeys = ['a', 'a#1', 'a#2', 'ab', 'b#1', 'b#2', 'c']
await client.send(new BatchWriteItemCommand({
  RequestItems: { [QS]: strKeys.map((k) => ({ PutRequest: { Item: { pk: S('P'), sk: S(k) } } })) },
}))

const query = (input) => client.send(new QueryCommand({ TableName: Q, ...input }))
const sks = (items) => items.map((it) => Number(it.sk.N))
const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i)

function keyCond (expr, values) {
  return query({ KeyConditionExpression: expr, ExpressionAttributeValues: { ':p': S('A'), ...values } })
}

describe('key conditions', () => {
  test('hash key only: every item of the partition in sort-key order', async () => {
    const out = await keyCond('pk = :p')
    assert.deepEqual(sks(out.Items), range(0, COUNT - 1))
    assert.equal(out.Count, COUNT)
    assert.equal(out.ScannedCount, COUNT)
    assert.equal(out.LastEvaluatedKey, undefined)
  })

  test('numbers sort numerically (2 < 10)', async () => {
    const out = await keyCond('pk = :p AND sk BETWEEN :a AND :b', { ':a': N(2), ':b': N(10) })
    assert.deepEqual(sks(out.Items), range(2, 10))
  })

  const cases = [
    ['sk = :v', { ':v': N(5) }, [5]],
    ['sk < :v', { ':v': N(5) }, range(0, 4)],
    ['sk <= :v', { ':v': N(5) }, range(0, 5)],
    ['sk > :v', { ':v': N(15) }, range(16, 19)],
    ['sk >= :v', { ':v': N(15) }, range(15, 19)],
    ['sk BETWEEN :a AND :b', { ':a': N(5), ':b': N(8) }, range(5, 8)],
    ['sk BETWEEN :a AND :b', { ':a': N(7), ':b': N(7) }, [7]],
    ['sk > :v', { ':v': N('4.5') }, range(5, 19)],
    ['sk = :v', { ':v': N(99) }, []],
  ]
  for (const [cond, values, expected] of cases) {
    test(`pk = :p AND ${cond} (${JSON.stringify(Object.values(values).map((v) => v.N))})`, async () => {
      const out = await keyCond(`pk = :p AND ${cond}`, values)
      assert.deepEqual(sks(out.Items), expected)
      assert.equal(out.Count, expected.length)
    })
  }

  test('begins_with on a string sort key', async () => {
    const out = await client.send(new QueryCommand({
      TableName: QS, KeyConditionExpression: 'pk = :p AND begins_with(sk, :pre)', ExpressionAttributeValues: { ':p': S('P'), ':pre': S('a#') },
    }))
    assert.deepEqual(out.Items.map((i) => i.sk.S), ['a#1', 'a#2'])
  })

  test('string sort keys compare by bytes', async () => {
    const out = await client.send(new QueryCommand({
      TableName: QS, KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': S('P'), ':a': S('a#2'), ':b': S('b#1') },
    }))
    assert.deepEqual(out.Items.map((i) => i.sk.S), ['a#2', 'ab', 'b#1'])
  })

  test('#name placeholders in the key condition', async () => {
    const out = await query({
      KeyConditionExpression: '#h = :p AND #r < :v', ExpressionAttributeNames: { '#h': 'pk', '#r': 'sk' }, ExpressionAttributeValues: { ':p': S('A'), ':v': N(2) },
    })
    assert.deepEqual(sks(out.Items), [0, 1])
  })

  test('a partition with no items', async () => {
    const out = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('nobody') } })
    assert.deepEqual(out.Items, [])
    assert.equal(out.Count, 0)
    assert.equal(out.ScannedCount, 0)
  })
})

describe('order and paging', () => {
  test('ScanIndexForward=false returns descending sort-key order', async () => {
    const out = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('A') }, ScanIndexForward: false })
    assert.deepEqual(sks(out.Items), range(0, COUNT - 1).reverse())
  })

  async function pages (input) {
    const all = []
    const sizes = []
    let ExclusiveStartKey
    for (let guard = 0; guard < 100; guard++) {
      const out = await query({ ...input, ExclusiveStartKey })
      all.push(...out.Items)
      sizes.push(out.Items.length)
      if (out.LastEvaluatedKey) {
        const last = out.Items[out.Items.length - 1]
        assert.deepEqual(out.LastEvaluatedKey, { pk: last.pk, sk: last.sk }, 'LastEvaluatedKey is the key of the last item')
      }
      ExclusiveStartKey = out.LastEvaluatedKey
      if (!ExclusiveStartKey) return { all, sizes }
    }
    throw new Error('paging did not end')
  }

  test('Limit + ExclusiveStartKey walks every item exactly once', async () => {
    const { all, sizes } = await pages({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('A') }, Limit: 7 })
    assert.deepEqual(sizes, [7, 7, 6])
    assert.deepEqual(sks(all), range(0, COUNT - 1))
  })

  test('when Limit is reached exactly, LastEvaluatedKey is still returned and the next page is empty', async () => {
    const { all, sizes } = await pages({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('A') }, Limit: 10 })
    assert.deepEqual(sizes, [10, 10, 0])
    assert.deepEqual(sks(all), range(0, COUNT - 1))
  })

  test('paging backwards', async () => {
    const { all } = await pages({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('A') }, Limit: 6, ScanIndexForward: false })
    assert.deepEqual(sks(all), range(0, COUNT - 1).reverse())
  })

  test('paging with a sort-key condition', async () => {
    const { all } = await pages({ KeyConditionExpression: 'pk = :p AND sk >= :v', ExpressionAttributeValues: { ':p': S('A'), ':v': N(11) }, Limit: 4 })
    assert.deepEqual(sks(all), range(11, 19))
  })
})

describe('filters, Select and projections', () => {
  test('FilterExpression: Count counts matches, ScannedCount counts evaluated items', async () => {
    const out = await keyCond('pk = :p', undefined)
    assert.equal(out.Count, COUNT)
    const f = await query({ KeyConditionExpression: 'pk = :p', FilterExpression: 'even = :t', ExpressionAttributeValues: { ':p': S('A'), ':t': { BOOL: true } } })
    assert.equal(f.Count, 10)
    assert.equal(f.ScannedCount, COUNT)
    assert.deepEqual(sks(f.Items), range(0, COUNT - 1).filter((i) => i % 2 === 0))
  })

  test('Limit applies before the filter', async () => {
    const f = await query({ KeyConditionExpression: 'pk = :p', FilterExpression: 'score > :v', ExpressionAttributeValues: { ':p': S('A'), ':v': N(25) }, Limit: 5 })
    assert.equal(f.ScannedCount, 5)
    assert.deepEqual(sks(f.Items), [3, 4])
    assert.equal(f.Count, 2)
    assert.deepEqual(f.LastEvaluatedKey, { pk: S('A'), sk: N(4) })
  })

  test('a filter that matches nothing still reports ScannedCount', async () => {
    const f = await query({ KeyConditionExpression: 'pk = :p', FilterExpression: 'score > :v', ExpressionAttributeValues: { ':p': S('A'), ':v': N(100000) } })
    assert.deepEqual(f.Items, [])
    assert.equal(f.Count, 0)
    assert.equal(f.ScannedCount, COUNT)
  })

  test('Select=COUNT returns counts and no Items', async () => {
    const c = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('A') }, Select: 'COUNT' })
    assert.equal(c.Items, undefined)
    assert.equal(c.Count, COUNT)
    const cf = await query({ KeyConditionExpression: 'pk = :p', FilterExpression: 'even = :f', ExpressionAttributeValues: { ':p': S('A'), ':f': { BOOL: false } }, Select: 'COUNT' })
    assert.equal(cf.Items, undefined)
    assert.equal(cf.Count, 10)
    assert.equal(cf.ScannedCount, COUNT)
  })

  test('ProjectionExpression', async () => {
    const out = await query({ KeyConditionExpression: 'pk = :p AND sk = :v', ExpressionAttributeValues: { ':p': S('A'), ':v': N(3) }, ProjectionExpression: 'sk, #d', ExpressionAttributeNames: { '#d': 'data' } })
    assert.deepEqual(out.Items, [{ sk: N(3), data: S('d3') }])
  })
})

describe('secondary indexes', () => {
  test('GSI (ALL projection): only items that have the index key, in index order', async () => {
    const out = await query({ IndexName: 'gAll', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('G') } })
    assert.equal(out.Count, 10)
    // gs = 100 - sk, so ascending gs is descending sk.
    assert.deepEqual(sks(out.Items), [18, 16, 14, 12, 10, 8, 6, 4, 2, 0])
    assert.deepEqual(out.Items[0], itemA(18))
  })

  test('GSI range condition and paging; LastEvaluatedKey has table and index keys', async () => {
    const input = { IndexName: 'gAll', KeyConditionExpression: 'g = :g AND gs >= :v', ExpressionAttributeValues: { ':g': S('G'), ':v': N(90) }, Limit: 3 }
    const first = await query(input)
    assert.deepEqual(sks(first.Items), [10, 8, 6])
    assert.deepEqual(first.LastEvaluatedKey, { pk: S('A'), sk: N(6), g: S('G'), gs: N(94) })
    const second = await query({ ...input, ExclusiveStartKey: first.LastEvaluatedKey })
    assert.deepEqual(sks(second.Items), [4, 2, 0])
  })

  test('GSI KEYS_ONLY projection returns table and index keys only', async () => {
    const out = await query({ IndexName: 'gKeys', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('G') } })
    assert.equal(out.Count, 10)
    for (const item of out.Items) assert.deepEqual(Object.keys(item).sort(), ['g', 'pk', 'sk'])
  })

  test('GSI INCLUDE projection returns keys plus the included attributes', async () => {
    const out = await query({ IndexName: 'gInc', KeyConditionExpression: 'g = :g AND gs = :v', ExpressionAttributeValues: { ':g': S('G'), ':v': N(96) } })
    assert.deepEqual(out.Items, [{ pk: S('A'), sk: N(4), g: S('G'), gs: N(96), data: S('d4') }])
  })

  test('GSI follows item updates and deletes', async () => {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [Q]: [
      { PutRequest: { Item: { pk: S('C'), sk: N(1), g: S('H'), gs: N(1) } } },
      { PutRequest: { Item: { pk: S('C'), sk: N(2), g: S('H'), gs: N(2) } } },
    ] } }))
    await client.send(new BatchWriteItemCommand({ RequestItems: { [Q]: [
      { PutRequest: { Item: { pk: S('C'), sk: N(1), g: S('I'), gs: N(1) } } },
      { DeleteRequest: { Key: { pk: S('C'), sk: N(2) } } },
    ] } }))
    const h = await query({ IndexName: 'gAll', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('H') } })
    assert.equal(h.Count, 0)
    const i = await query({ IndexName: 'gAll', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('I') } })
    assert.deepEqual(i.Items, [{ pk: S('C'), sk: N(1), g: S('I'), gs: N(1) }])
  })

  test('LSI: same partition, ordered by the index sort key; ConsistentRead allowed', async () => {
    const out = await query({ IndexName: 'lAll', KeyConditionExpression: 'pk = :p AND ls >= :v', ExpressionAttributeValues: { ':p': S('A'), ':v': S('p') }, ConsistentRead: true })
    // ls = chr(116 - sk): 'p' (sk 4) .. 't' (sk 0); ascending ls is descending sk.
    assert.deepEqual(sks(out.Items), [4, 3, 2, 1, 0])
    assert.deepEqual(out.Items[0], itemA(4))
  })

  test('ConsistentRead on a GSI is rejected', async () => {
    await expectError(query({ IndexName: 'gAll', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('G') }, ConsistentRead: true }),
      'ValidationException', 'Consistent reads are not supported on global secondary indexes')
  })

  test('unknown index', async () => {
    await expectError(query({ IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('A') } }),
      'ValidationException', 'The table does not have the specified index: nope')
  })
})

describe('query validation', () => {
  const bad = (KeyConditionExpression, ExpressionAttributeValues, extra = {}) => query({ KeyConditionExpression, ExpressionAttributeValues, ...extra })

  test('missing key condition', async () => {
    await expectError(query({}), 'ValidationException',
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.')
  })

  test('no condition on the hash key', async () => {
    await expectError(bad('sk = :v', { ':v': N(1) }), 'ValidationException', 'Query condition missed key schema element: pk')
  })

  test('hash key with a range operator', async () => {
    await expectError(bad('pk > :p', { ':p': S('A') }), 'ValidationException', 'Query key condition not supported')
  })

  test('OR in a key condition', async () => {
    await expectError(bad('pk = :p OR sk = :v', { ':p': S('A'), ':v': N(1) }), 'ValidationException',
      'Invalid operator used in KeyConditionExpression: OR')
  })

  test('non-key attribute in a key condition', async () => {
    await expectError(bad('pk = :p AND score = :v', { ':p': S('A'), ':v': N(1) }), 'ValidationException',
      'Query condition missed key schema element: sk')
  })

  test('key condition value of the wrong type', async () => {
    await expectError(bad('pk = :p', { ':p': N(1) }), 'ValidationException',
      'One or more parameter values were invalid: Condition parameter type does not match schema type')
  })

  test('two conditions on the same key', async () => {
    await expectError(bad('pk = :p AND sk > :a AND sk < :b', { ':p': S('A'), ':a': N(1), ':b': N(5) }), 'ValidationException',
      'KeyConditionExpressions must only contain one condition per key')
  })

  test('FilterExpression on a key attribute', async () => {
    await expectError(bad('pk = :p', { ':p': S('A'), ':v': N(1) }, { FilterExpression: 'sk > :v' }), 'ValidationException',
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk')
  })

  test('Limit 0', async () => {
    await expectError(bad('pk = :p', { ':p': S('A') }, { Limit: 0 }), 'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
  })

  test('ExclusiveStartKey outside the queried partition', async () => {
    await expectError(bad('pk = :p', { ':p': S('A') }, { ExclusiveStartKey: { pk: S('B'), sk: N(1) } }), 'ValidationException',
      'The provided starting key is outside query boundaries based on provided conditions')
  })

  test('missing table', async () => {
    await expectError(client.send(new QueryCommand({ TableName: uniqueName('missing'), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('A') } })),
      'ResourceNotFoundException', 'Requested resource not found')
  })
})
