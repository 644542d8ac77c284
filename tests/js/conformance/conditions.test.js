// ConditionExpression: every comparator, logical operators and precedence,
// every function, document paths, ConditionalCheckFailedException and
// ReturnValuesOnConditionCheckFailure, and condition-expression errors.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { expectError, fixture, isDynalite, norm } from '../lib/helpers.js'

const { client, simpleTable } = await fixture()
const T = await simpleTable('cond')

const S = (s) => ({ S: s })
const N = (n) => ({ N: String(n) })

const ITEM = {
  pk: S('c1'),
  n: N(5),
  s: S('hello world'),
  b: { B: Buffer.from('binary') },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2'] },
  l: { L: [S('x'), N(2)] },
  m: { M: { k: S('v'), deep: { M: { z: N(1) } } } },
  t: { BOOL: true },
  nul: { NULL: true },
  status: S('active'),
}

const VALUES = {
  ':zero': N(0), ':one': N(1), ':two': N(2), ':four': N(4), ':five': N(5), ':six': N(6), ':ten': N(10), ':eleven': N(11),
  ':sfive': S('5'), ':hw': S('hello world'), ':abc': S('abc'), ':hel': S('hel'), ':wor': S('wor'), ':a': S('a'), ':zz': S('zz'),
  ':x': S('x'), ':v': S('v'), ':t': { BOOL: true },
  ':bin': { B: Buffer.from('bin') },
  ':TS': S('S'), ':TN': S('N'), ':TB': S('B'), ':TSS': S('SS'), ':TNS': S('NS'), ':TL': S('L'), ':TM': S('M'),
  ':TBOOL': S('BOOL'), ':TNULL': S('NULL'),
}

await client.send(new PutItemCommand({ TableName: T, Item: ITEM }))

/** True when the condition holds on ITEM (an idempotent conditional PutItem). */
async function holds (ConditionExpression, names) {
  const used = {}
  for (const k of Object.keys(VALUES)) {
    if (new RegExp(`${k}(?![A-Za-z0-9_])`).test(ConditionExpression)) used[k] = VALUES[k]
  }
  try {
    await client.send(new PutItemCommand({
      TableName: T,
      Item: ITEM,
      ConditionExpression,
      ExpressionAttributeValues: Object.keys(used).length ? used : undefined,
      ExpressionAttributeNames: names,
    }))
    return true
  } catch (err) {
    if (err.name === 'ConditionalCheckFailedException') return false
    throw err
  }
}

function truthTable (title, rows) {
  describe(title, () => {
    for (const [expr, expected, names] of rows) {
      test(`${expr} → ${expected}`, async () => {
        assert.equal(await holds(expr, names), expected)
      })
    }
  })
}

truthTable('comparators', [
  ['n = :five', true],
  ['n = :six', false],
  ['n = :sfive', false], // different types are never equal
  ['s = :hw', true],
  ['n <> :six', true],
  ['n <> :five', false],
  ['n < :six', true],
  ['n < :five', false],
  ['n < :ten', true], // numeric, not lexicographic
  ['n <= :five', true],
  ['n <= :four', false],
  ['n > :four', true],
  ['n > :five', false],
  ['n >= :five', true],
  ['n >= :six', false],
  ['s > :abc', true],
  ['s < :abc', false],
  ['b > :bin', true], // binary compares bytewise: "binary" > "bin"
  ['n BETWEEN :four AND :six', true],
  ['n BETWEEN :five AND :five', true],
  ['n BETWEEN :six AND :ten', false],
  ['n IN (:four, :five)', true],
  ['n IN (:four, :six)', false],
  ['s IN (:abc, :hw)', true],
  ['n < :sfive', false], // ordering across types is false
  [':five = n', true],
  ['m.deep.z = :one', true],
  ['l[1] = :two', true],
  ['l[0] = :x', true],
  ['#m.#k = :v', true, { '#m': 'm', '#k': 'k' }],
  ['#st = :v', false, { '#st': 'status' }],
])

truthTable('logical operators and precedence', [
  ['n = :five AND s = :hw', true],
  ['n = :five AND s = :abc', false],
  ['n = :six OR s = :hw', true],
  ['n = :six OR s = :abc', false],
  ['NOT n = :six', true],
  ['NOT n = :five', false],
  ['NOT (n = :five AND s = :abc)', true],
  ['n = :six OR n = :five AND s = :hw', true], // AND binds tighter than OR
  ['(n = :six OR n = :five) AND s = :abc', false],
  ['n = :six OR n = :five AND s = :abc', false],
  ['NOT n = :six AND n = :four', false], // NOT binds tighter than AND
  ['NOT (n = :six AND n = :four)', true],
  ['n = :five AND (s = :abc OR (t = :t AND attribute_exists(ss)))', true],
])

truthTable('functions', [
  ['attribute_exists(n)', true],
  ['attribute_exists(nothere)', false],
  ['attribute_not_exists(nothere)', true],
  ['attribute_not_exists(n)', false],
  ['attribute_exists(m.deep.z)', true],
  ['attribute_exists(m.deep.nope)', false],
  ['attribute_exists(l[1])', true],
  ['attribute_exists(l[5])', false],
  ['attribute_exists(nul)', true],
  ['attribute_type(n, :TN)', true],
  ['attribute_type(n, :TS)', false],
  ['attribute_type(s, :TS)', true],
  ['attribute_type(b, :TB)', true],
  ['attribute_type(ss, :TSS)', true],
  ['attribute_type(ns, :TNS)', true],
  ['attribute_type(l, :TL)', true],
  ['attribute_type(m, :TM)', true],
  ['attribute_type(t, :TBOOL)', true],
  ['attribute_type(nul, :TNULL)', true],
  ['attribute_type(nothere, :TS)', false],
  ['begins_with(s, :hel)', true],
  ['begins_with(s, :wor)', false],
  ['begins_with(b, :bin)', true],
  ['contains(s, :wor)', true],
  ['contains(s, :abc)', false],
  ['contains(ss, :a)', true],
  ['contains(ss, :zz)', false],
  ['contains(ns, :one)', true],
  ['contains(ns, :five)', false],
  ['contains(l, :x)', true],
  ['contains(l, :two)', true],
  ['size(s) = :eleven', true],
  ['size(s) > :ten', true],
  ['size(b) = :six', true],
  ['size(ss) = :two', true],
  ['size(l) = :two', true],
  ['size(m) = :two', true],
  ['size(m.deep) = :one', true],
  ['size(nothere) = :zero', false],
  ['size(s) BETWEEN :ten AND :eleven', true],
])

describe('ConditionalCheckFailedException', () => {
  test('failed PutItem condition: exact error, item unchanged', async () => {
    await expectError(client.send(new PutItemCommand({
      TableName: T, Item: { pk: S('c1'), replaced: { BOOL: true } }, ConditionExpression: 'attribute_not_exists(pk)',
    })), 'ConditionalCheckFailedException', 'The conditional request failed')
    const got = await client.send(new GetItemCommand({ TableName: T, Key: { pk: S('c1') } }))
    assert.deepEqual(norm(got.Item), norm(ITEM))
  })

  test('put-if-absent: first succeeds, second fails', async () => {
    const put = () => client.send(new PutItemCommand({
      TableName: T, Item: { pk: S('once') }, ConditionExpression: 'attribute_not_exists(pk)',
    }))
    await put()
    await expectError(put(), 'ConditionalCheckFailedException')
  })

  test('failed DeleteItem condition leaves the item', async () => {
    await client.send(new PutItemCommand({ TableName: T, Item: { pk: S('d1'), v: N(1) } }))
    await expectError(client.send(new DeleteItemCommand({
      TableName: T, Key: { pk: S('d1') }, ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': N(2) },
    })), 'ConditionalCheckFailedException')
    const got = await client.send(new GetItemCommand({ TableName: T, Key: { pk: S('d1') } }))
    assert.deepEqual(got.Item, { pk: S('d1'), v: N(1) })
  })

  test('failed UpdateItem condition on a missing item does not create it', async () => {
    await expectError(client.send(new UpdateItemCommand({
      TableName: T, Key: { pk: S('ghost') }, UpdateExpression: 'SET v = :one',
      ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':one': N(1) },
    })), 'ConditionalCheckFailedException', 'The conditional request failed')
    const got = await client.send(new GetItemCommand({ TableName: T, Key: { pk: S('ghost') } }))
    assert.equal(got.Item, undefined)
  })

  test('condition evaluated against a missing item sees no attributes', async () => {
    await client.send(new UpdateItemCommand({
      TableName: T, Key: { pk: S('fresh') }, UpdateExpression: 'SET v = :one',
      ConditionExpression: 'attribute_not_exists(v) AND NOT v = :one', ExpressionAttributeValues: { ':one': N(1) },
    }))
  })

  test('ReturnValuesOnConditionCheckFailure=ALL_OLD puts the item on the error',
    { skip: isDynalite && 'dynalite: ReturnValuesOnConditionCheckFailure not implemented' }, async () => {
      const err = await expectError(client.send(new PutItemCommand({
        TableName: T, Item: { pk: S('c1') }, ConditionExpression: 'n = :six',
        ExpressionAttributeValues: { ':six': N(6) }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      })), 'ConditionalCheckFailedException', 'The conditional request failed')
      assert.deepEqual(norm(err.Item), norm(ITEM))
    })

  test('ReturnValuesOnConditionCheckFailure=ALL_OLD on UpdateItem and DeleteItem',
    { skip: isDynalite && 'dynalite: ReturnValuesOnConditionCheckFailure not implemented' }, async () => {
      await client.send(new PutItemCommand({ TableName: T, Item: { pk: S('rv'), v: N(1) } }))
      const e1 = await expectError(client.send(new UpdateItemCommand({
        TableName: T, Key: { pk: S('rv') }, UpdateExpression: 'SET v = :two', ConditionExpression: 'v = :two',
        ExpressionAttributeValues: { ':two': N(2) }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      })), 'ConditionalCheckFailedException')
      assert.deepEqual(e1.Item, { pk: S('rv'), v: N(1) })
      const e2 = await expectError(client.send(new DeleteItemCommand({
        TableName: T, Key: { pk: S('rv') }, ConditionExpression: 'attribute_not_exists(v)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      })), 'ConditionalCheckFailedException')
      assert.deepEqual(e2.Item, { pk: S('rv'), v: N(1) })
    })

  test('ReturnValuesOnConditionCheckFailure=NONE (default) puts no item on the error', async () => {
    const err = await expectError(client.send(new PutItemCommand({
      TableName: T, Item: { pk: S('c1') }, ConditionExpression: 'n = :six', ExpressionAttributeValues: { ':six': N(6) },
    })), 'ConditionalCheckFailedException')
    assert.equal(err.Item, undefined)
  })
})

describe('condition expression errors', () => {
  const bad = (ConditionExpression, ExpressionAttributeValues, ExpressionAttributeNames) =>
    client.send(new PutItemCommand({
      TableName: T, Item: { pk: S('err') }, ConditionExpression, ExpressionAttributeValues, ExpressionAttributeNames,
    }))

  test('reserved word used bare', async () => {
    await expectError(bad('status = :v', { ':v': S('x') }), 'ValidationException',
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status')
  })

  test('unknown function', async () => {
    await expectError(bad('foo(n)'), 'ValidationException',
      'Invalid ConditionExpression: Invalid function name; function: foo')
  })

  test('wrong number of operands', async () => {
    await expectError(bad('begins_with(s)'), 'ValidationException',
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1')
  })

  test('attribute_type with an unknown type name', async () => {
    await expectError(bad('attribute_type(n, :t)', { ':t': S('XX') }), 'ValidationException',
      'Invalid ConditionExpression: Invalid attribute type name found; type: XX, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}')
  })

  test('BETWEEN with lower bound above upper bound', async () => {
    await expectError(bad('n BETWEEN :hi AND :lo', { ':hi': N(6), ':lo': N(4) }), 'ValidationException',
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:6}, upper bound operand: AttributeValue: {N:4}')
  })

  test('undefined value placeholder', async () => {
    await expectError(bad('n = :nope', { ':v': S('x') }), 'ValidationException',
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope')
  })

  test('undefined name placeholder', async () => {
    await expectError(bad('#nope = :v', { ':v': S('x') }), 'ValidationException',
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #nope')
  })

  test('unused value placeholder', async () => {
    await expectError(bad('n = :v', { ':v': S('x'), ':x': S('y') }), 'ValidationException',
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}')
  })

  test('unused name placeholder', async () => {
    await expectError(bad('attribute_exists(n)', undefined, { '#x': 'x' }), 'ValidationException',
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}')
  })

  test('syntax error', async () => {
    await expectError(bad('n = ', undefined), 'ValidationException', /^Invalid ConditionExpression: Syntax error;/)
    await expectError(bad('n == :v', { ':v': N(1) }), 'ValidationException', /^Invalid ConditionExpression: Syntax error;/)
  })

  test('syntax error names the offending token',
    { skip: isDynalite && 'dynalite: syntax errors use its PEG parser wording, not DynamoDB\'s token/near form' }, async () => {
      await expectError(bad('n = :v AND', { ':v': N(1) }), 'ValidationException',
        /^Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "[^"]*AND"$/)
    })

  test('redundant parentheses', async () => {
    await expectError(bad('((n = :v))', { ':v': N(1) }), 'ValidationException',
      'Invalid ConditionExpression: The expression has redundant parentheses;')
  })

  test('empty expression', async () => {
    await expectError(bad(''), 'ValidationException', 'Invalid ConditionExpression: The expression can not be empty;')
  })

  test('values that are invalid AttributeValues', async () => {
    await expectError(bad('ss = :v', { ':v': { SS: [] } }), 'ValidationException',
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v')
  })

  test('invalid placeholder key spelling', async () => {
    await expectError(bad('n = :v', { 'v': N(1) }), 'ValidationException',
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"')
  })

  test('ExpressionAttributeValues without an expression', async () => {
    await expectError(client.send(new PutItemCommand({
      TableName: T, Item: { pk: S('err') }, ExpressionAttributeValues: { ':v': N(1) },
    })), 'ValidationException',
    'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null')
  })
})
