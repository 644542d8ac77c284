// Scan: whole table, FilterExpression with Count/ScannedCount, Limit paging,
// parallel Segment/TotalSegments, Select, projections, index scans, errors.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BatchWriteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { expectError, fixture, uniqueName } from '../lib/helpers.js'

const { client, createTable } = await fixture()
const S = (s) => ({ S: s })
const N = (n) => ({ N: String(n) })

const T = uniqueName('scan')
await createTable({
  TableName: T,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'color', AttributeType: 'S' },
    { AttributeName: 'alt', AttributeType: 'N' },
  ],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  GlobalSecondaryIndexes: [
    { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
  ],
  LocalSecondaryIndexes: [
    { IndexName: 'byAlt', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'alt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
  ],
})

// 100 items over 25 partitions; every third item has a color (sparse GSI),
// every fifth an alt (sparse LSI).
const TOTAL = 100
const items = []
for (let i = 0; i < TOTAL; i++) {
  const item = { pk: S(`p${String(i % 25).padStart(2, '0')}`), sk: N(i), n: N(i), tag: S(i % 2 ? 'odd' : 'even') }
  if (i % 3 === 0) item.color = S(i % 2 ? 'red' : 'blue')
  if (i % 5 === 0) item.alt = N(1000 - i)
  items.push(item)
}
for (let i = 0; i < items.length; i += 25) {
  await client.send(new BatchWriteItemCommand({ RequestItems: { [T]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }))
}

const scan = (input = {}) => client.send(new ScanCommand({ TableName: T, ...input }))
const ids = (list) => list.map((it) => Number(it.sk.N)).sort((a, b) => a - b)
const all = Array.from({ length: TOTAL }, (_, i) => i)

async function scanAll (input) {
  const out = []
  let pages = 0
  let ExclusiveStartKey
  do {
    const page = await scan({ ...input, ExclusiveStartKey })
    pages++
    if (input.Limit) assert.ok(page.ScannedCount <= input.Limit, 'ScannedCount never exceeds Limit')
    out.push(...page.Items)
    ExclusiveStartKey = page.LastEvaluatedKey
    if (pages > 500) throw new Error('scan did not end')
  } while (ExclusiveStartKey)
  return { items: out, pages }
}

describe('Scan', () => {
  test('returns every item once', async () => {
    const out = await scan()
    assert.equal(out.Count, TOTAL)
    assert.equal(out.ScannedCount, TOTAL)
    assert.equal(out.LastEvaluatedKey, undefined)
    assert.deepEqual(ids(out.Items), all)
  })

  test('items of one partition come back together, in sort-key order', async () => {
    const out = await scan()
    const seen = out.Items.map((it) => it.pk.S)
    const groups = seen.filter((pk, i) => i === 0 || seen[i - 1] !== pk)
    assert.equal(groups.length, 25, 'each partition is one contiguous run')
    for (const pk of new Set(seen)) {
      const sk = out.Items.filter((it) => it.pk.S === pk).map((it) => Number(it.sk.N))
      assert.deepEqual(sk, [...sk].sort((a, b) => a - b))
    }
  })

  test('FilterExpression: Count is matches, ScannedCount is items read', async () => {
    const out = await scan({ FilterExpression: 'n >= :v', ExpressionAttributeValues: { ':v': N(90) } })
    assert.equal(out.Count, 10)
    assert.equal(out.ScannedCount, TOTAL)
    assert.deepEqual(ids(out.Items), all.slice(90))
  })

  test('Limit + ExclusiveStartKey pages through everything exactly once', async () => {
    const { items: got, pages } = await scanAll({ Limit: 30 })
    assert.equal(pages, 4)
    assert.deepEqual(ids(got), all)
  })

  test('Limit counts scanned items, not matches', async () => {
    const page = await scan({ Limit: 10, FilterExpression: 'tag = :t', ExpressionAttributeValues: { ':t': S('odd') } })
    assert.equal(page.ScannedCount, 10)
    assert.ok(page.Count <= 10)
    assert.ok(page.LastEvaluatedKey)
    const { items: got } = await scanAll({ Limit: 10, FilterExpression: 'tag = :t', ExpressionAttributeValues: { ':t': S('odd') } })
    assert.deepEqual(ids(got), all.filter((i) => i % 2))
  })

  test('Select=COUNT', async () => {
    const out = await scan({ Select: 'COUNT', FilterExpression: 'attribute_exists(color)' })
    assert.equal(out.Items, undefined)
    assert.equal(out.Count, 34)
    assert.equal(out.ScannedCount, TOTAL)
  })

  test('ProjectionExpression', async () => {
    const out = await scan({ ProjectionExpression: 'sk, tag', FilterExpression: 'n = :v', ExpressionAttributeValues: { ':v': N(7) } })
    assert.deepEqual(out.Items, [{ sk: N(7), tag: S('odd') }])
  })
})

describe('parallel scan', () => {
  for (const TotalSegments of [1, 2, 4, 7]) {
    test(`TotalSegments=${TotalSegments}: segments are disjoint and together cover the table`, async () => {
      const seen = []
      for (let Segment = 0; Segment < TotalSegments; Segment++) {
        const { items: got } = await scanAll({ Segment, TotalSegments, Limit: 13 })
        seen.push(...got.map((it) => Number(it.sk.N)))
      }
      assert.equal(seen.length, TOTAL, 'no duplicates across segments')
      assert.deepEqual(seen.sort((a, b) => a - b), all)
    })
  }

  test('a segment returns all items of a partition', async () => {
    const seg = await scan({ Segment: 0, TotalSegments: 4 })
    const pks = new Set(seg.Items.map((it) => it.pk.S))
    for (const pk of pks) assert.equal(seg.Items.filter((it) => it.pk.S === pk).length, 4)
  })

  test('Segment must be less than TotalSegments', async () => {
    await expectError(scan({ Segment: 4, TotalSegments: 4 }), 'ValidationException',
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4')
  })

  test('TotalSegments without Segment', async () => {
    await expectError(scan({ TotalSegments: 4 }), 'ValidationException',
      'The Segment parameter is required but was not present in the request when parameter TotalSegments is present')
  })

  test('Segment without TotalSegments', async () => {
    await expectError(scan({ Segment: 1 }), 'ValidationException',
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present')
  })
})

describe('index scans', () => {
  test('GSI scan returns only items with the index key, projected', async () => {
    const { items: got } = await scanAll({ IndexName: 'byColor', Limit: 7 })
    assert.deepEqual(ids(got), all.filter((i) => i % 3 === 0))
    for (const it of got) assert.deepEqual(Object.keys(it).sort(), ['color', 'pk', 'sk'])
  })

  test('LSI scan returns only items with the index sort key', async () => {
    const out = await scan({ IndexName: 'byAlt' })
    assert.equal(out.Count, 20)
    assert.deepEqual(ids(out.Items), all.filter((i) => i % 5 === 0))
    assert.ok(out.Items.every((it) => it.n && it.tag), 'ALL projection carries every attribute')
  })

  test('unknown index', async () => {
    await expectError(scan({ IndexName: 'nope' }), 'ValidationException', 'The table does not have the specified index: nope')
  })
})

describe('scan errors', () => {
  test('missing table', async () => {
    await expectError(client.send(new ScanCommand({ TableName: uniqueName('missing') })), 'ResourceNotFoundException',
      'Requested resource not found')
  })

  test('Limit 0', async () => {
    await expectError(scan({ Limit: 0 }), 'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
  })

  test('filter syntax error', async () => {
    await expectError(scan({ FilterExpression: 'n >' }), 'ValidationException', /^Invalid FilterExpression: Syntax error;/)
  })

  test('reserved word in a filter', async () => {
    await expectError(scan({ FilterExpression: 'comment > :v', ExpressionAttributeValues: { ':v': N(1) } }), 'ValidationException',
      'Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: comment')
  })
})
