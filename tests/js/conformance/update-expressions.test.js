// UpdateExpression: SET (+, -, if_not_exists, list_append, nested paths, list
// indexes), REMOVE, ADD, DELETE, several clauses, placeholders, and the
// errors DynamoDB gives for bad update expressions.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { expectError, fixture, isDynalite, norm } from '../lib/helpers.js'

const { client, simpleTable } = await fixture()
const T = await simpleTable('upd')
const G = await simpleTable('updg', {
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'gk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  GlobalSecondaryIndexes: [{ IndexName: 'byGk', KeySchema: [{ AttributeName: 'gk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
})

const S = (s) => ({ S: s })
const N = (n) => ({ N: String(n) })
const L = (...xs) => ({ L: xs })

let seq = 0
/** Puts `item` under a fresh key, applies the update, returns ALL_NEW (without pk). */
async function apply (item, UpdateExpression, ExpressionAttributeValues, ExpressionAttributeNames) {
  const pk = S(`u${++seq}`)
  if (item) await client.send(new PutItemCommand({ TableName: T, Item: { pk, ...item } }))
  const out = await client.send(new UpdateItemCommand({
    TableName: T, Key: { pk }, UpdateExpression, ExpressionAttributeValues, ExpressionAttributeNames, ReturnValues: 'ALL_NEW',
  }))
  const { pk: _, ...rest } = out.Attributes
  const got = await client.send(new GetItemCommand({ TableName: T, Key: { pk }, ConsistentRead: true }))
  assert.deepEqual(norm(got.Item), norm(out.Attributes), 'ALL_NEW equals the stored item')
  return rest
}

const fail = (UpdateExpression, ExpressionAttributeValues, ExpressionAttributeNames, Key = { pk: S('fail') }) =>
  client.send(new UpdateItemCommand({ TableName: T, Key, UpdateExpression, ExpressionAttributeValues, ExpressionAttributeNames }))

describe('SET', () => {
  test('adds and replaces top-level attributes', async () => {
    assert.deepEqual(await apply({ a: S('old') }, 'SET a = :a, b = :b', { ':a': S('new'), ':b': N(1) }),
      { a: S('new'), b: N(1) })
  })

  test('arithmetic with + and -', async () => {
    assert.deepEqual(await apply({ n: N(10) }, 'SET n = n + :two, m = n - :three, k = :ten - n, d = n + n',
      { ':two': N(2), ':three': N(3), ':ten': N('10.5') }),
    { n: N(12), m: N(7), k: N('0.5'), d: N(20) })
  })

  test('arithmetic keeps 38-digit precision', async () => {
    assert.deepEqual(await apply({ n: N('0.1') }, 'SET n = n + :x', { ':x': N('0.2') }), { n: N('0.3') })
    assert.deepEqual(await apply({ n: N('99999999999999999999999999999999999999') }, 'SET n = n - :one', { ':one': N(1) }),
      { n: N('99999999999999999999999999999999999998') })
  })

  test('if_not_exists', async () => {
    const expr = 'SET c = if_not_exists(c, :zero) + :one, d = if_not_exists(n, :zero)'
    const vals = { ':zero': N(0), ':one': N(1) }
    assert.deepEqual(await apply({ n: N(7) }, expr, vals), { c: N(1), d: N(7), n: N(7) })
    assert.deepEqual(await apply({ c: N(41) }, expr, vals), { c: N(42), d: N(0) })
  })

  test('list_append at the end, at the front, and onto a missing list', async () => {
    const vals = { ':more': L(S('c')), ':front': L(S('z')), ':empty': L() }
    assert.deepEqual(await apply({ l: L(S('a'), S('b')) },
      'SET l = list_append(l, :more), f = list_append(:front, l), n = list_append(if_not_exists(nl, :empty), :more)', vals),
    { l: L(S('a'), S('b'), S('c')), f: L(S('z'), S('a'), S('b')), n: L(S('c')) })
  })

  test('nested map paths, with and without #names', async () => {
    assert.deepEqual(await apply({ m: { M: { a: N(1), deep: { M: { z: N(1) } } } } },
      'SET m.b = :v, m.deep.z = m.deep.z + :one, #m.#k = :w', { ':v': S('v'), ':one': N(1), ':w': S('w') }, { '#m': 'm', '#k': 'key.with.dots' }),
    { m: { M: { a: N(1), b: S('v'), deep: { M: { z: N(2) } }, 'key.with.dots': S('w') } } })
  })

  test('list indexes: replace an element, and an index past the end appends', async () => {
    assert.deepEqual(await apply({ l: L(S('a'), S('b')) }, 'SET l[0] = :x, l[10] = :y', { ':x': S('x'), ':y': S('y') }),
      { l: L(S('x'), S('b'), S('y')) })
  })

  test('copying one attribute into another', async () => {
    assert.deepEqual(await apply({ a: { M: { x: N(1) } } }, 'SET b = a.x, c = a'), { a: { M: { x: N(1) } }, b: N(1), c: { M: { x: N(1) } } })
  })

  test('a path into a missing map is invalid', async () => {
    await client.send(new PutItemCommand({ TableName: T, Item: { pk: S('fail') } }))
    await expectError(fail('SET nomap.x = :v', { ':v': S('v') }), 'ValidationException',
      'The document path provided in the update expression is invalid for update')
  })

  test('reading an attribute that does not exist is an error', async () => {
    await client.send(new PutItemCommand({ TableName: T, Item: { pk: S('fail') } }))
    await expectError(fail('SET a = nothere + :one', { ':one': N(1) }), 'ValidationException',
      'The provided expression refers to an attribute that does not exist in the item')
  })

  test('arithmetic on a non-number at run time', async () => {
    await client.send(new PutItemCommand({ TableName: T, Item: { pk: S('fail'), s: S('str') } }))
    await expectError(fail('SET s = s + :one', { ':one': N(1) }), 'ValidationException',
      'An operand in the update expression has an incorrect data type')
    await expectError(fail('SET s = list_append(s, :l)', { ':l': L(S('x')) }), 'ValidationException',
      'An operand in the update expression has an incorrect data type')
  })
})

describe('REMOVE', () => {
  test('top-level, nested and missing attributes', async () => {
    assert.deepEqual(await apply({ a: N(1), b: N(2), m: { M: { x: N(1), y: N(2) } } }, 'REMOVE a, m.x, nothere'),
      { b: N(2), m: { M: { y: N(2) } } })
  })

  test('a list element; later elements shift down', async () => {
    assert.deepEqual(await apply({ l: L(S('a'), S('b'), S('c')) }, 'REMOVE l[1]'), { l: L(S('a'), S('c')) })
  })

  test('several list elements are removed by their original indexes',
    { skip: isDynalite && 'dynalite: removes list elements one after another, shifting later indexes' }, async () => {
      // The Developer Guide's own example ("Removing elements from a list").
      const tools = ['Chisel', 'Hammer', 'Nails', 'Screwdriver', 'Hacksaw'].map(S)
      assert.deepEqual(await apply({ RelatedItems: L(...tools) }, 'REMOVE RelatedItems[1], RelatedItems[2]'),
        { RelatedItems: L(S('Chisel'), S('Screwdriver'), S('Hacksaw')) })
    })
})

describe('ADD and DELETE', () => {
  test('ADD to a number, and to a missing number', async () => {
    assert.deepEqual(await apply({ n: N(5) }, 'ADD n :three, c :minus', { ':three': N(3), ':minus': N(-2) }),
      { n: N(8), c: N(-2) })
  })

  test('ADD to sets: union, and creating a missing set', async () => {
    assert.deepEqual(norm(await apply({ ss: { SS: ['a', 'b'] }, ns: { NS: ['1'] } }, 'ADD ss :s, ns :n, bs :b',
      { ':s': { SS: ['b', 'c'] }, ':n': { NS: ['1', '2'] }, ':b': { BS: [Buffer.from('x')] } })),
    norm({ ss: { SS: ['a', 'b', 'c'] }, ns: { NS: ['1', '2'] }, bs: { BS: [Buffer.from('x')] } }))
  })

  test('DELETE from sets; deleting every member removes the attribute', async () => {
    assert.deepEqual(norm(await apply({ ss: { SS: ['a', 'b', 'c'] }, ns: { NS: ['1', '2'] } }, 'DELETE ss :s, ns :n',
      { ':s': { SS: ['a', 'z'] }, ':n': { NS: ['1', '2'] } })),
    norm({ ss: { SS: ['b', 'c'] } }))
  })

  test('ADD of a set to a number is a run-time type error', async () => {
    await client.send(new PutItemCommand({ TableName: T, Item: { pk: S('fail'), n: N(1) } }))
    await expectError(fail('ADD n :s', { ':s': { SS: ['x'] } }), 'ValidationException',
      'An operand in the update expression has an incorrect data type')
  })

  test('ADD with a string operand', async () => {
    await expectError(fail('ADD a :s', { ':s': S('x') }), 'ValidationException',
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING')
  })

  test('DELETE with a number operand', async () => {
    await expectError(fail('DELETE a :n', { ':n': N(1) }), 'ValidationException',
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER')
  })
})

describe('several clauses', () => {
  test('SET, REMOVE, ADD and DELETE in one expression, in any order', async () => {
    assert.deepEqual(norm(await apply({ a: N(1), b: N(2), ss: { SS: ['x', 'y'] } },
      'REMOVE b SET a = a + :one ADD c :one DELETE ss :x', { ':one': N(1), ':x': { SS: ['x'] } })),
    norm({ a: N(2), c: N(1), ss: { SS: ['y'] } }))
  })

  test('placeholders for names and values everywhere', async () => {
    assert.deepEqual(await apply({ 'my-attr': N(1), size: N(3) }, 'SET #a = #a + :v, #s = :v REMOVE #gone',
      { ':v': N(1) }, { '#a': 'my-attr', '#s': 'size', '#gone': 'gone' }),
    { 'my-attr': N(2), size: N(1) })
  })
})

describe('update expression errors', () => {
  test('reserved word used bare', async () => {
    await expectError(fail('SET name = :v', { ':v': S('x') }), 'ValidationException',
      'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name')
  })

  test('unused value placeholder', async () => {
    await expectError(fail('SET a = :v', { ':v': S('x'), ':x': S('y') }), 'ValidationException',
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}')
  })

  test('unused name placeholder', async () => {
    await expectError(fail('SET a = :v', { ':v': S('x') }, { '#n': 'n' }), 'ValidationException',
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}')
  })

  test('undefined value placeholder', async () => {
    await expectError(fail('SET a = :nope', { ':v': S('x') }), 'ValidationException',
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope')
  })

  test('undefined name placeholder', async () => {
    await expectError(fail('SET #nope = :v', { ':v': S('x') }), 'ValidationException',
      'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #nope')
  })

  test('syntax errors', async () => {
    await expectError(fail('SET a = ', undefined), 'ValidationException', /^Invalid UpdateExpression: Syntax error;/)
    await expectError(fail('SET a :v', { ':v': N(1) }), 'ValidationException', /^Invalid UpdateExpression: Syntax error;/)
    await expectError(fail('UPSERT a = :v', { ':v': N(1) }), 'ValidationException', /^Invalid UpdateExpression: Syntax error;/)
  })

  test('syntax error names the offending token',
    { skip: isDynalite && 'dynalite: syntax errors use its PEG parser wording, not DynamoDB\'s token/near form' }, async () => {
      await expectError(fail('SET a :v', { ':v': N(1) }), 'ValidationException',
        /^Invalid UpdateExpression: Syntax error; token: ":v", near: "[^"]*:v[^"]*"$/)
    })

  test('empty expression', async () => {
    await expectError(fail('', undefined), 'ValidationException', 'Invalid UpdateExpression: The expression can not be empty;')
  })

  test('overlapping paths', async () => {
    await expectError(fail('SET a = :v, a = :w', { ':v': N(1), ':w': N(2) }), 'ValidationException',
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]')
    await expectError(fail('SET m.k = :v REMOVE m', { ':v': N(1) }), 'ValidationException',
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, k], path two: [m]')
  })

  test('conflicting paths', async () => {
    await expectError(fail('SET l[0] = :v, l.x = :w', { ':v': N(1), ':w': N(2) }), 'ValidationException',
      'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, x]')
  })

  test('a section used twice', async () => {
    await expectError(fail('SET a = :v SET b = :v', { ':v': N(1) }), 'ValidationException',
      'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;')
  })

  test('updating a key attribute', async () => {
    await expectError(fail('SET pk = :v', { ':v': S('x') }), 'ValidationException',
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key')
    await expectError(fail('REMOVE pk'), 'ValidationException',
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key')
  })

  test('unknown function', async () => {
    await expectError(fail('SET a = foo(:v)', { ':v': N(1) }), 'ValidationException',
      'Invalid UpdateExpression: Invalid function name; function: foo')
  })

  test('condition functions are not update functions', async () => {
    await expectError(fail('SET a = size(b)'), 'ValidationException',
      'Invalid UpdateExpression: Invalid function name; function: size')
  })

  test('if_not_exists needs a document path first', async () => {
    await expectError(fail('SET a = if_not_exists(:v, :v)', { ':v': N(1) }), 'ValidationException',
      'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists')
  })

  test('+ with a string literal', async () => {
    await expectError(fail('SET a = :s + :n', { ':s': S('x'), ':n': N(1) }), 'ValidationException',
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S')
  })

  test('list_append with a non-list literal', async () => {
    await expectError(fail('SET a = list_append(a, :n)', { ':n': N(1) }), 'ValidationException',
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N')
  })

  test('setting a GSI key attribute to the wrong type', async () => {
    await expectError(client.send(new UpdateItemCommand({
      TableName: G, Key: { pk: S('g') }, UpdateExpression: 'SET gk = :n', ExpressionAttributeValues: { ':n': N(1) },
    })), 'ValidationException',
    'One or more parameter values were invalid: Type mismatch for Index Key gk Expected: S Actual: N IndexName: byGk')
  })
})
