// The 1 MB page rule: a Query or Scan reads at most 1 MB of items per call
// (before any filter), then returns LastEvaluatedKey; the pages together
// return everything.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { fixture } from '../lib/helpers.js'

const { client, simpleTable } = await fixture()
const T = await simpleTable('page', { range: 'sk', rangeType: 'N' })

const MB = 1024 * 1024
const ITEM_BYTES = 50 * 1024 // value bytes of each item's "d"
const COUNT = 50 // ~2.5 MB in one partition
const itemSize = (it) => 2 + 1 + 2 + it.sk.N.length + 1 + it.d.S.length // names + values, roughly

for (let i = 0; i < COUNT; i += 5) {
  await Promise.all([0, 1, 2, 3, 4].map((j) => client.send(new PutItemCommand({
    TableName: T, Item: { pk: { S: 'P' }, sk: { N: String(i + j) }, d: { S: String((i + j) % 10).repeat(ITEM_BYTES) } },
  }))))
}

async function pages (Command, input) {
  const out = []
  let ExclusiveStartKey
  for (let guard = 0; guard < 20; guard++) {
    const page = await client.send(new Command({ TableName: T, ...input, ExclusiveStartKey }))
    out.push(page)
    ExclusiveStartKey = page.LastEvaluatedKey
    if (!ExclusiveStartKey) return out
  }
  throw new Error('paging did not end')
}

function checkPages (list, { reverse = false } = {}) {
  assert.ok(list.length >= 3, `2.5 MB needs at least 3 pages, got ${list.length}`)
  const first = list[0]
  assert.ok(first.LastEvaluatedKey, 'a page cut by the 1 MB rule has a LastEvaluatedKey')
  assert.ok(first.Items.length < COUNT, 'the first page holds fewer than all items')
  for (const page of list.slice(0, -1)) {
    const bytes = page.Items.reduce((sum, it) => sum + itemSize(it), 0)
    assert.ok(bytes <= MB + ITEM_BYTES + 1024, `a page holds about 1 MB, not ${bytes} bytes`)
    assert.ok(bytes >= MB - ITEM_BYTES - 1024, `a cut page is filled to about 1 MB, not ${bytes} bytes`)
  }
  const sks = list.flatMap((p) => p.Items.map((it) => Number(it.sk.N)))
  const expected = Array.from({ length: COUNT }, (_, i) => i)
  assert.deepEqual(sks, reverse ? expected.reverse() : expected, 'pages together return every item once, in order')
}

describe('1 MB page rule', () => {
  test('Query without Limit stops at 1 MB and pages through all items', async () => {
    checkPages(await pages(QueryCommand, { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'P' } } }))
  })

  test('the same holds backwards', async () => {
    checkPages(await pages(QueryCommand, { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'P' } }, ScanIndexForward: false }), { reverse: true })
  })

  test('the 1 MB is measured before the filter: an empty page can still have a LastEvaluatedKey', async () => {
    const list = await pages(QueryCommand, {
      KeyConditionExpression: 'pk = :p', FilterExpression: 'attribute_not_exists(d)', ExpressionAttributeValues: { ':p': { S: 'P' } },
    })
    assert.ok(list.length >= 3)
    assert.equal(list[0].Count, 0)
    assert.deepEqual(list[0].Items, [])
    assert.ok(list[0].ScannedCount > 0 && list[0].ScannedCount < COUNT)
    assert.ok(list[0].LastEvaluatedKey)
    assert.equal(list.reduce((n, p) => n + p.ScannedCount, 0), COUNT)
  })

  test('Scan follows the same rule', async () => {
    checkPages(await pages(ScanCommand, {}))
  })

  test('a Limit smaller than a page wins', async () => {
    const page = await client.send(new QueryCommand({ TableName: T, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'P' } }, Limit: 3 }))
    assert.equal(page.Items.length, 3)
    assert.deepEqual(page.LastEvaluatedKey, { pk: { S: 'P' }, sk: { N: '2' } })
  })
})
