// PutItem / GetItem / DeleteItem / UpdateItem basics, ReturnValues, projections,
// every AttributeValue type, number normalisation, AttributeValue and key
// validation, item and key size limits.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { expectError, fixture, isDynalite, norm, uniqueName } from '../lib/helpers.js'

const { client, simpleTable } = await fixture()
const T = await simpleTable('items') // pk S
const R = await simpleTable('itemsr', { range: 'sk', rangeType: 'N' }) // pk S, sk N
const BK = await simpleTable('itemsb', { hashType: 'B', range: 'sk', rangeType: 'B' }) // pk B, sk B

const put = (Item, extra = {}) => client.send(new PutItemCommand({ TableName: T, Item, ...extra }))
const get = (Key, extra = {}) => client.send(new GetItemCommand({ TableName: T, Key, ...extra }))
const S = (s) => ({ S: s })
const N = (n) => ({ N: String(n) })

describe('PutItem and GetItem', () => {
  test('PutItem returns no Attributes by default; GetItem returns the item', async () => {
    const out = await put({ pk: S('p1'), a: S('x') })
    assert.equal(out.Attributes, undefined)
    const got = await get({ pk: S('p1') })
    assert.deepEqual(got.Item, { pk: S('p1'), a: S('x') })
  })

  test('GetItem of a missing item has no Item member', async () => {
    const got = await get({ pk: S('does-not-exist') })
    assert.equal(got.Item, undefined)
  })

  test('ConsistentRead=true returns the latest write', async () => {
    await put({ pk: S('cr'), v: N(1) })
    await put({ pk: S('cr'), v: N(2) })
    const got = await get({ pk: S('cr') }, { ConsistentRead: true })
    assert.deepEqual(got.Item, { pk: S('cr'), v: N(2) })
  })

  test('PutItem ReturnValues=ALL_OLD: nothing for a new item, the replaced item otherwise', async () => {
    const first = await put({ pk: S('ro'), v: N(1) }, { ReturnValues: 'ALL_OLD' })
    assert.equal(first.Attributes, undefined)
    const second = await put({ pk: S('ro'), w: S('new') }, { ReturnValues: 'ALL_OLD' })
    assert.deepEqual(second.Attributes, { pk: S('ro'), v: N(1) })
    const got = await get({ pk: S('ro') })
    assert.deepEqual(got.Item, { pk: S('ro'), w: S('new') }, 'PutItem replaces the whole item')
  })

  test('PutItem ReturnValues other than NONE/ALL_OLD is rejected', async () => {
    await expectError(put({ pk: S('rv') }, { ReturnValues: 'ALL_NEW' }),
      'ValidationException', 'ReturnValues can only be ALL_OLD or NONE')
  })

  test('every AttributeValue type round-trips', async () => {
    const item = {
      pk: S('types'),
      s: S('héllo wörld ✓'),
      emptyS: S(''),
      n: N('-12.5'),
      b: { B: Buffer.from([0, 1, 2, 255]) },
      emptyB: { B: new Uint8Array(0) },
      ss: { SS: ['b', 'a', 'c'] },
      ns: { NS: ['3', '1', '2.5'] },
      bs: { BS: [Buffer.from('x'), Buffer.from('y')] },
      m: { M: { inner: S('v'), deep: { M: { n: N(1), l: { L: [S('a'), { BOOL: false }] } } } } },
      l: { L: [S('a'), N(1), { NULL: true }, { M: {} }, { L: [] }, { SS: ['z'] }] },
      nul: { NULL: true },
      t: { BOOL: true },
      f: { BOOL: false },
    }
    await put(item)
    const got = await get({ pk: S('types') })
    assert.deepEqual(norm(got.Item), norm(item))
    assert.ok(got.Item.b.B instanceof Uint8Array)
    assert.deepEqual([...got.Item.b.B], [0, 1, 2, 255])
  })

  test('binary hash and range keys', async () => {
    const Item = { pk: { B: Buffer.from([1, 2]) }, sk: { B: Buffer.from([3]) }, v: S('bin') }
    await client.send(new PutItemCommand({ TableName: BK, Item }))
    const got = await client.send(new GetItemCommand({
      TableName: BK, Key: { pk: { B: Buffer.from([1, 2]) }, sk: { B: Buffer.from([3]) } },
    }))
    assert.deepEqual(norm(got.Item), norm(Item))
  })

  test('missing table is ResourceNotFoundException', async () => {
    await expectError(client.send(new GetItemCommand({ TableName: uniqueName('missing'), Key: { pk: S('x') } })),
      'ResourceNotFoundException', 'Requested resource not found')
    await expectError(client.send(new PutItemCommand({ TableName: uniqueName('missing'), Item: { pk: S('x') } })),
      'ResourceNotFoundException', 'Requested resource not found')
  })
})

describe('numbers', () => {
  const cases = [
    ['0010.500', '10.5'],
    ['1e2', '100'],
    ['1E+2', '100'],
    ['-0.000120', '-0.00012'],
    ['5.0', '5'],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    ['1234567890123456789012345678901234567800', '1234567890123456789012345678901234567800'],
    ['0.12345678901234567890123456789012345678', '0.12345678901234567890123456789012345678'],
    ['9.' + '9'.repeat(37) + 'E+125', '9'.repeat(38) + '0'.repeat(88)],
    ['1E-130', '0.' + '0'.repeat(129) + '1'],
  ]
  for (const [input, expected] of cases) {
    test(`N "${input}" is stored as "${expected}"`, async () => {
      await put({ pk: S('num'), n: N(input), ns: { NS: [input, '7'] } })
      const got = await get({ pk: S('num') })
      assert.equal(got.Item.n.N, expected)
      assert.deepEqual([...got.Item.ns.NS].sort(), [expected, '7'].sort())
    })
  }

  test('number keys are matched by value, not spelling', async () => {
    await client.send(new PutItemCommand({ TableName: R, Item: { pk: S('k'), sk: N('1.50') } }))
    const got = await client.send(new GetItemCommand({ TableName: R, Key: { pk: S('k'), sk: N('1.5') } }))
    assert.deepEqual(got.Item, { pk: S('k'), sk: N('1.5') })
  })

  test('39 significant digits are rejected', async () => {
    await expectError(put({ pk: S('num'), n: N('123456789012345678901234567890123456789') }),
      'ValidationException', 'Attempting to store more than 38 significant digits in a Number')
  })

  test('magnitude overflow and underflow are rejected', async () => {
    await expectError(put({ pk: S('num'), n: N('1E+126') }), 'ValidationException',
      'Number overflow. Attempting to store a number with magnitude larger than supported range')
    await expectError(put({ pk: S('num'), n: N('1E-131') }), 'ValidationException',
      'Number underflow. Attempting to store a number with magnitude smaller than supported range')
  })

  test('a string that is not a number is rejected', async () => {
    await expectError(put({ pk: S('num'), n: N('abc') }), 'ValidationException',
      'The parameter cannot be converted to a numeric value: abc')
  })
})

describe('AttributeValue validation', () => {
  test('empty sets are rejected', async () => {
    await expectError(put({ pk: S('v'), s: { SS: [] } }), 'ValidationException',
      'One or more parameter values were invalid: An string set  may not be empty')
    await expectError(put({ pk: S('v'), s: { NS: [] } }), 'ValidationException',
      'One or more parameter values were invalid: An number set  may not be empty')
    await expectError(put({ pk: S('v'), s: { BS: [] } }), 'ValidationException',
      'One or more parameter values were invalid: Binary sets should not be empty')
  })

  test('duplicate set members are rejected', async () => {
    await expectError(put({ pk: S('v'), s: { SS: ['a', 'b', 'a'] } }), 'ValidationException',
      'One or more parameter values were invalid: Input collection [a, b, a] contains duplicates.')
    // Numbers are compared by value: 1 and 1.0 are the same member.
    await expectError(put({ pk: S('v'), s: { NS: ['1', '1.0'] } }), 'ValidationException',
      'Input collection contains duplicates')
    await expectError(put({ pk: S('v'), s: { BS: [Buffer.from('a'), Buffer.from('a')] } }), 'ValidationException',
      /^One or more parameter values were invalid: Input collection \[YQ==, YQ==\] ?of type BS contains duplicates\.$/)
  })

  test('NULL must be true', async () => {
    await expectError(put({ pk: S('v'), z: { NULL: false } }), 'ValidationException',
      'One or more parameter values were invalid: Null attribute value types must have the value of true')
  })

  test('nested invalid values are rejected too', async () => {
    await expectError(put({ pk: S('v'), m: { M: { l: { L: [{ SS: [] }] } } } }), 'ValidationException',
      'One or more parameter values were invalid: An string set  may not be empty')
  })
})

describe('key validation', () => {
  test('PutItem without the hash key', async () => {
    await expectError(put({ other: S('x') }), 'ValidationException',
      'One or more parameter values were invalid: Missing the key pk in the item')
  })

  test('PutItem without the range key', async () => {
    await expectError(client.send(new PutItemCommand({ TableName: R, Item: { pk: S('x') } })),
      'ValidationException', 'One or more parameter values were invalid: Missing the key sk in the item')
  })

  test('PutItem with the wrong key type', async () => {
    await expectError(put({ pk: N(1) }), 'ValidationException',
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N')
  })

  test('PutItem with an empty string key', async () => {
    await expectError(put({ pk: S('') }), 'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk')
  })

  test('GetItem key with the wrong type, an extra attribute or a missing range key', async () => {
    const msg = 'The provided key element does not match the schema'
    await expectError(get({ pk: N(1) }), 'ValidationException', msg)
    await expectError(get({ pk: S('a'), extra: S('b') }), 'ValidationException', msg)
    await expectError(client.send(new GetItemCommand({ TableName: R, Key: { pk: S('a') } })), 'ValidationException', msg)
    await expectError(client.send(new DeleteItemCommand({ TableName: R, Key: { pk: S('a'), sk: S('1') } })),
      'ValidationException', msg)
  })

  test('hash key up to 2048 bytes is accepted, longer is rejected', async () => {
    await put({ pk: S('h'.repeat(2048)) })
    const got = await get({ pk: S('h'.repeat(2048)) })
    assert.equal(got.Item.pk.S.length, 2048)
    await expectError(put({ pk: S('h'.repeat(2049)) }), 'ValidationException',
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes')
  })

  test('range key up to 1024 bytes is accepted, longer is rejected', async () => {
    const RS = await simpleTable('itemsrs', { range: 'sk', rangeType: 'S' })
    await client.send(new PutItemCommand({ TableName: RS, Item: { pk: S('a'), sk: S('r'.repeat(1024)) } }))
    await expectError(client.send(new PutItemCommand({ TableName: RS, Item: { pk: S('a'), sk: S('r'.repeat(1025)) } })),
      'ValidationException',
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes')
  })
})

describe('item size limit (400 KB)', () => {
  // Item size = sum over attributes of (UTF-8 name length + value size); for a
  // string value the size is its UTF-8 length. pk:"size1" = 2 + 5 bytes, name "d" = 1.
  const LIMIT = 400 * 1024
  const fill = LIMIT - (2 + 5) - 1

  test('an item of exactly 400 KB is accepted', async () => {
    await put({ pk: S('size1'), d: S('x'.repeat(fill)) })
    const got = await get({ pk: S('size1') })
    assert.equal(got.Item.d.S.length, fill)
  })

  test('an item one byte over is rejected', async () => {
    await expectError(put({ pk: S('size1'), d: S('x'.repeat(fill + 1)) }), 'ValidationException',
      'Item size has exceeded the maximum allowed size')
  })

  test('attribute names count towards the size', async () => {
    await expectError(put({ pk: S('size1'), dd: S('x'.repeat(fill)) }), 'ValidationException',
      'Item size has exceeded the maximum allowed size')
  })

  test('an UpdateItem that would grow the item past the limit is rejected', async () => {
    await put({ pk: S('size2'), d: S('x'.repeat(fill)) })
    await expectError(client.send(new UpdateItemCommand({
      TableName: T, Key: { pk: S('size2') }, UpdateExpression: 'SET e = :v', ExpressionAttributeValues: { ':v': S('yy') },
    })), 'ValidationException', 'Item size to update has exceeded the maximum allowed size')
  })
})

describe('DeleteItem', () => {
  test('deletes, returning ALL_OLD when asked', async () => {
    await put({ pk: S('del'), v: N(1) })
    const out = await client.send(new DeleteItemCommand({ TableName: T, Key: { pk: S('del') }, ReturnValues: 'ALL_OLD' }))
    assert.deepEqual(out.Attributes, { pk: S('del'), v: N(1) })
    assert.equal((await get({ pk: S('del') })).Item, undefined)
  })

  test('deleting a missing item succeeds with no Attributes', async () => {
    const out = await client.send(new DeleteItemCommand({ TableName: T, Key: { pk: S('never') }, ReturnValues: 'ALL_OLD' }))
    assert.equal(out.Attributes, undefined)
  })

  test('ReturnValues other than NONE/ALL_OLD is rejected',
    { skip: isDynalite && 'dynalite: DeleteItem accepts any ReturnValues value' }, async () => {
      await expectError(client.send(new DeleteItemCommand({ TableName: T, Key: { pk: S('x') }, ReturnValues: 'ALL_NEW' })),
        'ValidationException', 'ReturnValues can only be ALL_OLD or NONE')
    })
})

describe('UpdateItem ReturnValues', () => {
  const base = { pk: S('u'), a: N(1), b: S('x'), keep: S('k'), m: { M: { d: N(1), e: S('e') } } }
  const update = (ReturnValues) => client.send(new UpdateItemCommand({
    TableName: T,
    Key: { pk: S('u') },
    UpdateExpression: 'SET a = a + :one, n = :new, m.d = :two REMOVE b',
    ExpressionAttributeValues: { ':one': N(1), ':new': S('new'), ':two': N(2) },
    ReturnValues,
  }))
  const after = { pk: S('u'), a: N(2), n: S('new'), keep: S('k'), m: { M: { d: N(2), e: S('e') } } }

  test('NONE (default) returns no Attributes', async () => {
    await put(base)
    assert.equal((await update(undefined)).Attributes, undefined)
    await put(base)
    assert.equal((await update('NONE')).Attributes, undefined)
    assert.deepEqual((await get({ pk: S('u') })).Item, after)
  })

  test('ALL_OLD returns the whole item before the update', async () => {
    await put(base)
    assert.deepEqual((await update('ALL_OLD')).Attributes, base)
  })

  test('UPDATED_OLD returns only the updated attributes, as they were', async () => {
    await put(base)
    assert.deepEqual((await update('UPDATED_OLD')).Attributes, { a: N(1), b: S('x'), m: { M: { d: N(1) } } })
  })

  test('ALL_NEW returns the whole item after the update', async () => {
    await put(base)
    assert.deepEqual((await update('ALL_NEW')).Attributes, after)
  })

  test('UPDATED_NEW returns only the updated attributes, as they are now', async () => {
    await put(base)
    assert.deepEqual((await update('UPDATED_NEW')).Attributes, { a: N(2), n: S('new'), m: { M: { d: N(2) } } })
  })

  test('UpdateItem on a missing item creates it (ALL_OLD is empty)', async () => {
    const out = await client.send(new UpdateItemCommand({
      TableName: T, Key: { pk: S('upsert') }, UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': S('created') }, ReturnValues: 'ALL_OLD',
    }))
    assert.equal(out.Attributes, undefined)
    assert.deepEqual((await get({ pk: S('upsert') })).Item, { pk: S('upsert'), v: S('created') })
  })
})

describe('ProjectionExpression', () => {
  const item = {
    pk: S('proj'),
    a: S('A'),
    name: S('reserved'),
    m: { M: { x: N(1), y: { M: { z: S('deep') } } } },
    l: { L: [S('l0'), S('l1'), S('l2'), { M: { q: S('lq') } }] },
  }

  test('top-level, nested map, list index and #name paths', async () => {
    await put(item)
    const got = await get({ pk: S('proj') }, {
      ProjectionExpression: 'a, m.y.z, l[1], #n, l[3].q',
      ExpressionAttributeNames: { '#n': 'name' },
    })
    assert.deepEqual(got.Item, {
      a: S('A'),
      name: S('reserved'),
      m: { M: { y: { M: { z: S('deep') } } } },
      l: { L: [S('l1'), { M: { q: S('lq') } }] },
    })
  })

  test('several list indexes keep their order; missing paths are left out', async () => {
    await put(item)
    const got = await get({ pk: S('proj') }, { ProjectionExpression: 'l[2], l[0], nothere, m.nope, l[9]' })
    assert.deepEqual(got.Item, { l: { L: [S('l0'), S('l2')] } })
  })

  test('projection of only missing attributes gives an empty Item', async () => {
    await put(item)
    const got = await get({ pk: S('proj') }, { ProjectionExpression: 'nothere' })
    assert.deepEqual(got.Item, {})
  })

  test('a reserved word used bare is rejected', async () => {
    await expectError(get({ pk: S('proj') }, { ProjectionExpression: 'a, name' }), 'ValidationException',
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name')
  })

  test('an undefined #name is rejected', async () => {
    await expectError(get({ pk: S('proj') }, { ProjectionExpression: '#zz' }), 'ValidationException',
      'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #zz')
  })

  test('an unused #name is rejected', async () => {
    await expectError(get({ pk: S('proj') }, { ProjectionExpression: 'a', ExpressionAttributeNames: { '#u': 'u' } }),
      'ValidationException', 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}')
  })

  test('overlapping projection paths are rejected', async () => {
    await expectError(get({ pk: S('proj') }, { ProjectionExpression: 'm, m.x' }), 'ValidationException',
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, x]')
  })
})
