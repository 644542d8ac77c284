// TransactWriteItems (Put, Update, Delete, ConditionCheck; all or nothing,
// CancellationReasons) and TransactGetItems.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb'
import { expectError, fixture, isDynalite, uniqueName } from '../lib/helpers.js'

const skip = isDynalite && 'dynalite: TransactWriteItems/TransactGetItems are not implemented (UnknownOperationException)'

const { client, simpleTable } = await fixture()
const A = await simpleTable('txa')
const B = await simpleTable('txb', { range: 'sk', rangeType: 'N' })

const S = (s) => ({ S: s })
const N = (n) => ({ N: String(n) })
const put = (TableName, Item) => client.send(new PutItemCommand({ TableName, Item }))
const get = async (TableName, Key) => (await client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item
const transact = (TransactItems, extra = {}) => client.send(new TransactWriteItemsCommand({ TransactItems, ...extra }))

describe('TransactWriteItems', () => {
  test('Put, Update, Delete and ConditionCheck across two tables commit together', { skip }, async () => {
    await put(A, { pk: S('t-upd'), n: N(1) })
    await put(A, { pk: S('t-del') })
    await put(B, { pk: S('t-chk'), sk: N(1), ok: { BOOL: true } })
    await transact([
      { Put: { TableName: A, Item: { pk: S('t-new'), v: S('x') }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Update: { TableName: A, Key: { pk: S('t-upd') }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': N(1) } } },
      { Delete: { TableName: A, Key: { pk: S('t-del') } } },
      { ConditionCheck: { TableName: B, Key: { pk: S('t-chk'), sk: N(1) }, ConditionExpression: 'ok = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } } },
    ])
    assert.deepEqual(await get(A, { pk: S('t-new') }), { pk: S('t-new'), v: S('x') })
    assert.deepEqual(await get(A, { pk: S('t-upd') }), { pk: S('t-upd'), n: N(2) })
    assert.equal(await get(A, { pk: S('t-del') }), undefined)
    assert.deepEqual(await get(B, { pk: S('t-chk'), sk: N(1) }), { pk: S('t-chk'), sk: N(1), ok: { BOOL: true } }, 'ConditionCheck writes nothing')
  })

  test('one failed condition cancels everything, with a reason per item', { skip }, async () => {
    await put(A, { pk: S('c-upd'), n: N(1) })
    await put(B, { pk: S('c-chk'), sk: N(1), ok: { BOOL: false } })
    const err = await expectError(transact([
      { Put: { TableName: A, Item: { pk: S('c-new') } } },
      { ConditionCheck: { TableName: B, Key: { pk: S('c-chk'), sk: N(1) }, ConditionExpression: 'ok = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } } },
      { Update: { TableName: A, Key: { pk: S('c-upd') }, UpdateExpression: 'SET n = :two', ExpressionAttributeValues: { ':two': N(2) } } },
    ]), 'TransactionCanceledException',
    'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]')
    assert.deepEqual(err.CancellationReasons.map((r) => r.Code), ['None', 'ConditionalCheckFailed', 'None'])
    assert.equal(err.CancellationReasons[1].Message, 'The conditional request failed')
    assert.equal(await get(A, { pk: S('c-new') }), undefined, 'the Put was not applied')
    assert.deepEqual(await get(A, { pk: S('c-upd') }), { pk: S('c-upd'), n: N(1) }, 'the Update was not applied')
  })

  test('a failed Put condition is reported at its position', { skip }, async () => {
    await put(A, { pk: S('p-exists') })
    const err = await expectError(transact([
      { Delete: { TableName: A, Key: { pk: S('p-exists') } } },
      { Put: { TableName: A, Item: { pk: S('p-x') }, ConditionExpression: 'attribute_exists(pk)' } },
    ]), 'TransactionCanceledException')
    assert.deepEqual(err.CancellationReasons.map((r) => r.Code), ['None', 'ConditionalCheckFailed'])
    assert.deepEqual(await get(A, { pk: S('p-exists') }), { pk: S('p-exists') }, 'the Delete was not applied')
  })

  test('ReturnValuesOnConditionCheckFailure=ALL_OLD returns the item in the reason', { skip }, async () => {
    await put(A, { pk: S('r-old'), v: N(7) })
    const err = await expectError(transact([
      { Update: { TableName: A, Key: { pk: S('r-old') }, UpdateExpression: 'SET v = :one', ConditionExpression: 'v = :one', ExpressionAttributeValues: { ':one': N(1) }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ]), 'TransactionCanceledException')
    assert.equal(err.CancellationReasons[0].Code, 'ConditionalCheckFailed')
    assert.deepEqual(err.CancellationReasons[0].Item, { pk: S('r-old'), v: N(7) })
  })

  test('two operations on the same item are rejected', { skip }, async () => {
    await expectError(transact([
      { Put: { TableName: A, Item: { pk: S('same') } } },
      { Update: { TableName: A, Key: { pk: S('same') }, UpdateExpression: 'SET v = :one', ExpressionAttributeValues: { ':one': N(1) } } },
    ]), 'ValidationException', 'Transaction request cannot include multiple operations on one item')
    assert.equal(await get(A, { pk: S('same') }), undefined)
  })

  test('more than 100 actions are rejected', { skip }, async () => {
    const items = Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: A, Item: { pk: S(`many${i}`) } } }))
    await expectError(transact(items), 'ValidationException',
      /^1 validation error detected: Value .* at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s)
  })

  test('100 actions are accepted', { skip }, async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ Put: { TableName: A, Item: { pk: S(`hundred${i}`) } } }))
    await transact(items)
    assert.deepEqual(await get(A, { pk: S('hundred99') }), { pk: S('hundred99') })
  })

  test('an empty transaction is rejected', { skip }, async () => {
    await expectError(transact([]), 'ValidationException',
      /^1 validation error detected: Value .* at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1$/s)
  })

  test('a missing table is ResourceNotFoundException', { skip }, async () => {
    await expectError(transact([{ Put: { TableName: uniqueName('missing'), Item: { pk: S('x') } } }]), 'ResourceNotFoundException')
  })

  test('an invalid update expression is a ValidationException', { skip }, async () => {
    await expectError(transact([
      { Update: { TableName: A, Key: { pk: S('v') }, UpdateExpression: 'SET name = :one', ExpressionAttributeValues: { ':one': N(1) } } },
    ]), 'ValidationException', 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name')
  })

  test('a key that does not match the schema is a ValidationException', { skip }, async () => {
    await expectError(transact([{ Delete: { TableName: B, Key: { pk: S('x') } } }]), 'ValidationException',
      'The provided key element does not match the schema')
  })

  test('ClientRequestToken makes a retried transaction idempotent', { skip }, async () => {
    const items = [{ Update: { TableName: A, Key: { pk: S('idem') }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': N(1) } } }]
    const token = `tok-${Date.now()}`
    await transact(items, { ClientRequestToken: token })
    await transact(items, { ClientRequestToken: token })
    assert.deepEqual(await get(A, { pk: S('idem') }), { pk: S('idem'), n: N(1) })
  })
})

describe('TransactGetItems', () => {
  test('returns items in request order; a missing item is an empty response', { skip }, async () => {
    await put(A, { pk: S('g1'), v: N(1), w: S('w') })
    await put(B, { pk: S('g2'), sk: N(2), v: N(2) })
    const out = await client.send(new TransactGetItemsCommand({
      TransactItems: [
        { Get: { TableName: B, Key: { pk: S('g2'), sk: N(2) } } },
        { Get: { TableName: A, Key: { pk: S('nope') } } },
        { Get: { TableName: A, Key: { pk: S('g1') }, ProjectionExpression: '#v', ExpressionAttributeNames: { '#v': 'v' } } },
      ],
    }))
    assert.equal(out.Responses.length, 3)
    assert.deepEqual(out.Responses[0].Item, { pk: S('g2'), sk: N(2), v: N(2) })
    assert.equal(out.Responses[1].Item, undefined)
    assert.deepEqual(out.Responses[2].Item, { v: N(1) })
  })

  test('a missing table is ResourceNotFoundException', { skip }, async () => {
    await expectError(client.send(new TransactGetItemsCommand({
      TransactItems: [{ Get: { TableName: uniqueName('missing'), Key: { pk: S('x') } } }],
    })), 'ResourceNotFoundException')
  })

  test('more than 100 gets are rejected', { skip }, async () => {
    await expectError(client.send(new TransactGetItemsCommand({
      TransactItems: Array.from({ length: 101 }, (_, i) => ({ Get: { TableName: A, Key: { pk: S(`k${i}`) } } })),
    })), 'ValidationException',
    /^1 validation error detected: Value .* at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s)
  })
})
