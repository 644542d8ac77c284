// Table operations: CreateTable (key shapes, indexes and projections, billing
// modes), DescribeTable shape, ListTables paging, DeleteTable, UpdateTable,
// and their errors.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { expectError, fixture, isDynalite, sleep, uniqueName } from '../lib/helpers.js'

const { client, createTable, waitActive, forget } = await fixture()
const describeTable = async (TableName) => (await client.send(new DescribeTableCommand({ TableName }))).Table
const hashOnly = (TableName, extra = {}) => ({
  TableName,
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...extra,
})
const byName = (a, b) => (a.IndexName < b.IndexName ? -1 : 1)
const arnRe = (name) => new RegExp(`^arn:aws:dynamodb:us-east-1:\\d{12}:table/${name.replace(/\./g, '\\.')}$`)

describe('CreateTable and DescribeTable', () => {
  test('hash-only, on-demand', async () => {
    const TableName = uniqueName('tbl')
    const { created, table } = await createTable(hashOnly(TableName))
    assert.equal(created.TableName, TableName)
    assert.ok(['CREATING', 'ACTIVE'].includes(created.TableStatus))
    assert.deepEqual(created.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }])

    assert.equal(table.TableName, TableName)
    assert.equal(table.TableStatus, 'ACTIVE')
    assert.deepEqual(table.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }])
    assert.deepEqual(table.AttributeDefinitions, [{ AttributeName: 'id', AttributeType: 'S' }])
    assert.equal(typeof table.ItemCount, 'number')
    assert.equal(typeof table.TableSizeBytes, 'number')
    assert.match(table.TableArn, arnRe(TableName))
    assert.equal(typeof table.TableId, 'string')
    assert.ok(table.CreationDateTime instanceof Date)
    assert.ok(Math.abs(table.CreationDateTime.getTime() - Date.now()) < 5 * 60_000, 'CreationDateTime is about now')
    assert.equal(table.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST')
    assert.equal(table.GlobalSecondaryIndexes, undefined)
    assert.equal(table.LocalSecondaryIndexes, undefined)
  })

  test('hash and range, provisioned', async () => {
    const TableName = uniqueName('tbl')
    const { table } = await createTable({
      TableName,
      KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }, { AttributeName: 'r', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'N' }, { AttributeName: 'r', AttributeType: 'B' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
    })
    assert.deepEqual(table.KeySchema, [{ AttributeName: 'h', KeyType: 'HASH' }, { AttributeName: 'r', KeyType: 'RANGE' }])
    assert.deepEqual(
      [...table.AttributeDefinitions].sort((a, b) => (a.AttributeName < b.AttributeName ? -1 : 1)),
      [{ AttributeName: 'h', AttributeType: 'N' }, { AttributeName: 'r', AttributeType: 'B' }])
    assert.equal(table.ProvisionedThroughput.ReadCapacityUnits, 5)
    assert.equal(table.ProvisionedThroughput.WriteCapacityUnits, 3)
    assert.equal(table.BillingModeSummary?.BillingMode ?? 'PROVISIONED', 'PROVISIONED')
  })

  test('global and local secondary indexes with ALL, KEYS_ONLY and INCLUDE projections', async () => {
    const TableName = uniqueName('tbl')
    const { table } = await createTable({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }, { AttributeName: 'r', KeyType: 'RANGE' }],
      AttributeDefinitions: [
        { AttributeName: 'h', AttributeType: 'S' },
        { AttributeName: 'r', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
        { AttributeName: 'l', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: 'gAll', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'r', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'gKeys', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        { IndexName: 'gInc', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'b'] } },
      ],
      LocalSecondaryIndexes: [
        { IndexName: 'lAll', KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'lInc', KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['c'] } },
      ],
    })
    const gsis = [...table.GlobalSecondaryIndexes].sort(byName)
    assert.deepEqual(gsis.map((g) => g.IndexName), ['gAll', 'gInc', 'gKeys'])
    for (const g of gsis) {
      assert.equal(g.IndexStatus, 'ACTIVE')
      assert.equal(g.IndexArn, `${table.TableArn}/index/${g.IndexName}`)
      assert.equal(typeof g.ItemCount, 'number')
      assert.equal(typeof g.IndexSizeBytes, 'number')
    }
    assert.deepEqual(gsis[0].KeySchema, [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'r', KeyType: 'RANGE' }])
    assert.deepEqual(gsis[0].Projection, { ProjectionType: 'ALL' })
    assert.deepEqual(gsis[1].Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'b'] })
    assert.deepEqual(gsis[2].Projection, { ProjectionType: 'KEYS_ONLY' })
    const lsis = [...table.LocalSecondaryIndexes].sort(byName)
    assert.deepEqual(lsis.map((l) => l.IndexName), ['lAll', 'lInc'])
    assert.deepEqual(lsis[0].KeySchema, [{ AttributeName: 'h', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }])
    assert.deepEqual(lsis[1].Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['c'] })
    assert.equal(lsis[0].IndexArn, `${table.TableArn}/index/lAll`)
  })

  test('creating an existing table is ResourceInUseException', async () => {
    const TableName = uniqueName('tbl')
    await createTable(hashOnly(TableName))
    await expectError(client.send(new CreateTableCommand(hashOnly(TableName))), 'ResourceInUseException')
  })

  test('ResourceInUseException names the table',
    { skip: isDynalite && 'dynalite: ResourceInUseException for CreateTable has an empty message' }, async () => {
      const TableName = uniqueName('tbl')
      await createTable(hashOnly(TableName))
      await expectError(client.send(new CreateTableCommand(hashOnly(TableName))), 'ResourceInUseException',
        `Table already exists: ${TableName}`)
    })

  test('DescribeTable of a missing table', async () => {
    const TableName = uniqueName('missing')
    await expectError(client.send(new DescribeTableCommand({ TableName })), 'ResourceNotFoundException',
      `Requested resource not found: Table: ${TableName} not found`)
  })
})

describe('CreateTable validation', () => {
  const bad = (input) => client.send(new CreateTableCommand(input))

  test('key attribute missing from AttributeDefinitions', async () => {
    await expectError(bad(hashOnly(uniqueName('bad'), { AttributeDefinitions: [{ AttributeName: 'other', AttributeType: 'S' }] })),
      'ValidationException',
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [other]')
  })

  test('AttributeDefinitions naming an attribute no key uses', async () => {
    await expectError(bad(hashOnly(uniqueName('bad'), {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'extra', AttributeType: 'S' }],
    })), 'ValidationException',
    'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions')
  })

  test('PAY_PER_REQUEST with ProvisionedThroughput', async () => {
    await expectError(bad(hashOnly(uniqueName('bad'), { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })),
      'ValidationException',
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST')
  })

  test('PROVISIONED without ProvisionedThroughput', async () => {
    await expectError(bad(hashOnly(uniqueName('bad'), { BillingMode: 'PROVISIONED' })), 'ValidationException',
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED')
  })

  test('first key is not HASH', async () => {
    await expectError(bad(hashOnly(uniqueName('bad'), { KeySchema: [{ AttributeName: 'id', KeyType: 'RANGE' }] })), 'ValidationException',
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type')
  })

  test('a local secondary index on a table without a range key', async () => {
    await expectError(bad(hashOnly(uniqueName('bad'), {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'S' }],
      LocalSecondaryIndexes: [{ IndexName: 'lsi', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    })), 'ValidationException',
    'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex')
  })

  test('duplicate index names', async () => {
    const gsi = { IndexName: 'dup', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }
    await expectError(bad(hashOnly(uniqueName('bad'), {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [gsi, gsi],
    })), 'ValidationException', 'One or more parameter values were invalid: Duplicate index name: dup')
  })

  test('NonKeyAttributes with a projection other than INCLUDE', async () => {
    await expectError(bad(hashOnly(uniqueName('bad'), {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL', NonKeyAttributes: ['x'] } }],
    })), 'ValidationException', 'One or more parameter values were invalid: ProjectionType is ALL, but NonKeyAttributes is specified')
  })

  test('table name too short', async () => {
    await expectError(bad(hashOnly('ab')), 'ValidationException',
      'TableName must be at least 3 characters long and at most 255 characters long')
  })

  test('table name with invalid characters', async () => {
    await expectError(bad(hashOnly('bad name!')), 'ValidationException',
      "1 validation error detected: Value 'bad name!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
  })
})

describe('ListTables', () => {
  test('pages with Limit, ExclusiveStartTableName and LastEvaluatedTableName', async () => {
    const prefix = uniqueName('list')
    const names = ['a', 'b', 'c', 'd', 'e'].map((s) => `${prefix}_${s}`)
    for (const TableName of names) await createTable(hashOnly(TableName))

    const seen = []
    let ExclusiveStartTableName
    let calls = 0
    do {
      const out = await client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName }))
      calls++
      assert.ok(out.TableNames.length <= 2)
      if (out.LastEvaluatedTableName) {
        assert.equal(out.LastEvaluatedTableName, out.TableNames[out.TableNames.length - 1])
      }
      seen.push(...out.TableNames)
      ExclusiveStartTableName = out.LastEvaluatedTableName
    } while (ExclusiveStartTableName && calls < 1000)
    assert.deepEqual(seen.filter((n) => n.startsWith(prefix)), names, 'every table once, in order')
    assert.deepEqual(seen, [...seen].sort(), 'names are listed in ascending order')
    assert.equal(new Set(seen).size, seen.length, 'no name twice')
  })

  test('ExclusiveStartTableName starts after the given name', async () => {
    const prefix = uniqueName('list2')
    const names = ['x', 'y', 'z'].map((s) => `${prefix}_${s}`)
    for (const TableName of names) await createTable(hashOnly(TableName))
    const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: names[0], Limit: 2 }))
    assert.deepEqual(out.TableNames, names.slice(1))
  })

  test('Limit outside 1..100 is rejected', async () => {
    await expectError(client.send(new ListTablesCommand({ Limit: 0 })), 'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
    await expectError(client.send(new ListTablesCommand({ Limit: 101 })), 'ValidationException',
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100")
  })
})

describe('DeleteTable', () => {
  test('returns the description, then the table is gone', async () => {
    const TableName = uniqueName('del')
    await createTable(hashOnly(TableName))
    await client.send(new PutItemCommand({ TableName, Item: { id: { S: 'x' } } }))
    const out = await client.send(new DeleteTableCommand({ TableName }))
    forget(TableName)
    assert.equal(out.TableDescription.TableName, TableName)
    assert.ok(['DELETING', 'ACTIVE'].includes(out.TableDescription.TableStatus))
    let err
    for (let i = 0; i < 200 && !err; i++) {
      try { await describeTable(TableName); await sleep(25) } catch (e) { err = e }
    }
    assert.equal(err?.name, 'ResourceNotFoundException')
    assert.equal(err.message, `Requested resource not found: Table: ${TableName} not found`)
    const list = await client.send(new ListTablesCommand({ ExclusiveStartTableName: TableName.slice(0, -1) }))
    assert.ok(!list.TableNames.includes(TableName))
  })

  test('a table created again under the same name starts empty', async () => {
    const TableName = uniqueName('recreate')
    await createTable(hashOnly(TableName))
    await client.send(new PutItemCommand({ TableName, Item: { id: { S: 'old' } } }))
    await client.send(new DeleteTableCommand({ TableName }))
    for (let i = 0; i < 200; i++) {
      try { await describeTable(TableName); await sleep(25) } catch { break }
    }
    await createTable(hashOnly(TableName))
    const out = await client.send(new QueryCommand({ TableName, KeyConditionExpression: 'id = :v', ExpressionAttributeValues: { ':v': { S: 'old' } } }))
    assert.equal(out.Count, 0)
  })

  test('deleting a missing table', async () => {
    const TableName = uniqueName('missing')
    await expectError(client.send(new DeleteTableCommand({ TableName })), 'ResourceNotFoundException',
      `Requested resource not found: Table: ${TableName} not found`)
  })
})

describe('UpdateTable', () => {
  test('changes provisioned throughput', async () => {
    const TableName = uniqueName('upd')
    await createTable(hashOnly(TableName, { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }))
    const out = await client.send(new UpdateTableCommand({ TableName, ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 4 } }))
    assert.equal(out.TableDescription.TableName, TableName)
    const table = await waitActive(TableName)
    assert.equal(table.ProvisionedThroughput.ReadCapacityUnits, 7)
    assert.equal(table.ProvisionedThroughput.WriteCapacityUnits, 4)
  })

  test('switches billing mode to PAY_PER_REQUEST', async () => {
    const TableName = uniqueName('upd')
    await createTable(hashOnly(TableName, { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }))
    await client.send(new UpdateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST' }))
    const table = await waitActive(TableName)
    assert.equal(table.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST')
  })

  test('the same throughput again is rejected', async () => {
    const TableName = uniqueName('upd')
    await createTable(hashOnly(TableName, { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }))
    await expectError(client.send(new UpdateTableCommand({ TableName, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } })),
      'ValidationException', /^The provisioned throughput for the table will not change\. The requested value equals the current value\./)
  })

  test('ProvisionedThroughput on an on-demand table is rejected', async () => {
    const TableName = uniqueName('upd')
    await createTable(hashOnly(TableName))
    await expectError(client.send(new UpdateTableCommand({ TableName, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } })),
      'ValidationException',
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST')
  })

  test('an update with nothing to change is rejected', async () => {
    const TableName = uniqueName('upd')
    await createTable(hashOnly(TableName))
    await expectError(client.send(new UpdateTableCommand({ TableName })), 'ValidationException',
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required')
  })

  test('updating a missing table', async () => {
    const TableName = uniqueName('missing')
    await expectError(client.send(new UpdateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST' })), 'ResourceNotFoundException',
      `Requested resource not found: Table: ${TableName} not found`)
  })

  test('creates a GSI that backfills existing items, then deletes it',
    { skip: isDynalite && 'dynalite: GlobalSecondaryIndexUpdates Create/Delete are accepted but ignored' }, async () => {
      const TableName = uniqueName('updgsi')
      await createTable(hashOnly(TableName))
      for (let i = 0; i < 5; i++) {
        await client.send(new PutItemCommand({ TableName, Item: { id: { S: `i${i}` }, g: { S: i % 2 ? 'odd' : 'even' }, n: { N: String(i) } } }))
      }
      const out = await client.send(new UpdateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } } }],
      }))
      assert.ok(out.TableDescription.GlobalSecondaryIndexes.some((g) => g.IndexName === 'byG'))
      const table = await waitActive(TableName)
      const gsi = table.GlobalSecondaryIndexes.find((g) => g.IndexName === 'byG')
      assert.equal(gsi.IndexStatus, 'ACTIVE')
      assert.deepEqual(gsi.KeySchema, [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }])

      const q = await client.send(new QueryCommand({ TableName, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'even' } } }))
      assert.deepEqual(q.Items.map((it) => it.id.S), ['i0', 'i2', 'i4'], 'existing items are in the new index')
      await client.send(new PutItemCommand({ TableName, Item: { id: { S: 'i9' }, g: { S: 'even' }, n: { N: '9' } } }))
      const q2 = await client.send(new QueryCommand({ TableName, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'even' } } }))
      assert.equal(q2.Count, 4, 'new writes reach the new index')

      await client.send(new UpdateTableCommand({ TableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }] }))
      let after
      for (let i = 0; i < 400; i++) {
        after = await describeTable(TableName)
        if (!(after.GlobalSecondaryIndexes || []).some((g) => g.IndexName === 'byG')) break
        await sleep(25)
      }
      assert.ok(!(after.GlobalSecondaryIndexes || []).some((g) => g.IndexName === 'byG'), 'the index is gone')
      await expectError(client.send(new QueryCommand({ TableName, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'even' } } })),
        'ValidationException', 'The table does not have the specified index: byG')
    })

  test('deleting a GSI that does not exist',
    { skip: isDynalite && 'dynalite: GlobalSecondaryIndexUpdates Create/Delete are accepted but ignored' }, async () => {
      const TableName = uniqueName('updgsi')
      await createTable(hashOnly(TableName))
      await expectError(client.send(new UpdateTableCommand({ TableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }] })),
        'ResourceNotFoundException', /^Requested resource not found/)
    })
})
