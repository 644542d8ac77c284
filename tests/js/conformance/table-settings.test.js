// CreateTable/UpdateTable settings that tools set on every table: DeletionProtectionEnabled
// (enforced by DeleteTable), TableClass, SSESpecification and StreamSpecification.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DeleteTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { expectError, fixture, isCk, isDynalite, uniqueName } from '../lib/helpers.js'

const { client, createTable, simpleTable } = await fixture()
const notOnDynalite = (what) => isDynalite && `dynalite ignores ${what}`

const describeTable = async (TableName) => (await client.send(new DescribeTableCommand({ TableName }))).Table
const updateTable = async (input) => (await client.send(new UpdateTableCommand(input))).TableDescription
const hashTable = (TableName, extra) => createTable({
  TableName,
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  ...extra,
})

describe('DeletionProtectionEnabled', () => {
  test('a protected table cannot be deleted until protection is switched off',
    { skip: notOnDynalite('DeletionProtectionEnabled') }, async () => {
      const TableName = uniqueName('protected')
      const { created } = await hashTable(TableName, { DeletionProtectionEnabled: true })
      assert.equal(created.DeletionProtectionEnabled, true)
      assert.equal((await describeTable(TableName)).DeletionProtectionEnabled, true)
      await expectError(client.send(new DeleteTableCommand({ TableName })), 'ValidationException',
        'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.')
      assert.equal((await describeTable(TableName)).TableStatus, 'ACTIVE')
      assert.equal((await updateTable({ TableName, DeletionProtectionEnabled: false })).DeletionProtectionEnabled, false)
      await client.send(new DeleteTableCommand({ TableName }))
    })

  test('tables are unprotected by default', async () => {
    const TableName = await simpleTable('unprotected')
    assert.equal((await describeTable(TableName)).DeletionProtectionEnabled ?? false, false)
  })
})

describe('TableClass', () => {
  test('is reported in TableClassSummary and can be changed', { skip: notOnDynalite('TableClass') }, async () => {
    const TableName = uniqueName('class')
    const { created } = await hashTable(TableName, { TableClass: 'STANDARD_INFREQUENT_ACCESS' })
    assert.equal(created.TableClassSummary.TableClass, 'STANDARD_INFREQUENT_ACCESS')
    const updated = await updateTable({ TableName, TableClass: 'STANDARD' })
    assert.equal(updated.TableClassSummary.TableClass, 'STANDARD')
    assert.equal((await describeTable(TableName)).TableClassSummary.TableClass, 'STANDARD')
  })

  test('an unknown class is a constraint error', { skip: notOnDynalite('TableClass') }, async () => {
    await expectError(hashTable(uniqueName('class'), { TableClass: 'CHEAP' }), 'ValidationException',
      "1 validation error detected: Value 'CHEAP' at 'tableClass' failed to satisfy constraint: " +
      'Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]')
  })
})

describe('SSESpecification', () => {
  test('encryption with a KMS key is described; switching it off removes the description',
    { skip: notOnDynalite('SSESpecification') }, async () => {
      const TableName = uniqueName('sse')
      const { created } = await hashTable(TableName, { SSESpecification: { Enabled: true } })
      assert.equal(created.SSEDescription.Status, 'ENABLED')
      assert.equal(created.SSEDescription.SSEType, 'KMS')
      assert.match(created.SSEDescription.KMSMasterKeyArn, /^arn:aws:kms:[^:]+:\d{12}:/)
      const key = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab'
      const rekeyed = await updateTable({ TableName, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key } })
      assert.equal(rekeyed.SSEDescription.KMSMasterKeyArn, key)
      const off = await updateTable({ TableName, SSESpecification: { Enabled: false } })
      assert.equal(off.SSEDescription, undefined)
    })
})

describe('StreamSpecification', () => {
  test('a disabled stream is accepted', async () => {
    const TableName = uniqueName('stream')
    const { created } = await hashTable(TableName, { StreamSpecification: { StreamEnabled: false } })
    assert.equal(created.TableName, TableName)
  })

  test('ck refuses to enable a stream it does not implement', { skip: !isCk && 'ck-specific: DynamoDB Streams are not implemented' }, async () => {
    await expectError(hashTable(uniqueName('stream'), { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
      'ValidationException', 'ck dynamodb does not implement DynamoDB Streams: StreamSpecification.StreamEnabled must be false')
  })
})
