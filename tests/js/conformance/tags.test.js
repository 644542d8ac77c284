// Tags: TagResource, UntagResource, ListTagsOfResource and CreateTable's Tags, addressed by the
// table's ARN; and DescribeLimits. The ARN error messages are DynamoDB's as dynalite records them,
// "ResourcArn" typo included; the tag validation messages are those the service returns.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DeleteTableCommand,
  DescribeLimitsCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-dynamodb'
import { expectError, fixture, isDynalite, uniqueName } from '../lib/helpers.js'

const { client, createTable, forget, simpleTable, waitActive } = await fixture()

const arnOf = async (TableName) => (await waitActive(TableName)).TableArn
const listTags = async (ResourceArn) =>
  (await client.send(new ListTagsOfResourceCommand({ ResourceArn }))).Tags
const tag = (ResourceArn, Tags) => client.send(new TagResourceCommand({ ResourceArn, Tags }))
const untag = (ResourceArn, TagKeys) => client.send(new UntagResourceCommand({ ResourceArn, TagKeys }))
const byKey = (tags) => [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))

describe('TagResource, UntagResource and ListTagsOfResource', () => {
  test('a new table has no tags', async () => {
    const arn = await arnOf(await simpleTable('tags'))
    assert.deepEqual(await listTags(arn), [])
  })

  test('tags are added, replaced by key and removed', async () => {
    const arn = await arnOf(await simpleTable('tags'))
    await tag(arn, [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'residents' }])
    assert.deepEqual(byKey(await listTags(arn)), [
      { Key: 'env', Value: 'test' },
      { Key: 'team', Value: 'residents' },
    ])
    // Tagging an existing key replaces its value; an empty value is allowed.
    await tag(arn, [{ Key: 'env', Value: 'prod' }, { Key: 'note', Value: '' }])
    assert.deepEqual(byKey(await listTags(arn)), [
      { Key: 'env', Value: 'prod' },
      { Key: 'note', Value: '' },
      { Key: 'team', Value: 'residents' },
    ])
    // Untagging a key that is not there is not an error.
    await untag(arn, ['env', 'never-set'])
    assert.deepEqual(byKey(await listTags(arn)), [
      { Key: 'note', Value: '' },
      { Key: 'team', Value: 'residents' },
    ])
  })

  test('CreateTable applies its Tags', { skip: isDynalite && 'dynalite ignores CreateTable Tags' }, async () => {
    const TableName = uniqueName('tags')
    await createTable({
      TableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      Tags: [{ Key: 'env', Value: 'test' }],
    })
    assert.deepEqual(await listTags(await arnOf(TableName)), [{ Key: 'env', Value: 'test' }])
  })

  test('a deleted table takes its tags with it', async () => {
    const TableName = await simpleTable('tags')
    const arn = await arnOf(TableName)
    await tag(arn, [{ Key: 'env', Value: 'test' }])
    await client.send(new DeleteTableCommand({ TableName }))
    forget(TableName)
    await expectError(listTags(arn), 'ResourceNotFoundException',
      `Requested resource not found: ResourcArn: ${arn} not found`)
  })

  test('an ARN naming no table', async () => {
    const arn = (await arnOf(await simpleTable('tags'))).replace(/[^/]+$/, uniqueName('missing'))
    await expectError(listTags(arn), 'ResourceNotFoundException',
      `Requested resource not found: ResourcArn: ${arn} not found`)
    await expectError(tag(arn, [{ Key: 'k', Value: 'v' }]), 'ResourceNotFoundException',
      `Requested resource not found: ResourcArn: ${arn} not found`)
    await expectError(untag(arn, ['k']), 'ResourceNotFoundException', 'Requested resource not found')
  })

  test('a string that is not an ARN is refused before anything else', async () => {
    await expectError(listTags('not-an-arn'), 'AccessDeniedException',
      /is not authorized to perform: dynamodb:ListTagsOfResource on resource: not-an-arn$/)
    await expectError(tag('not-an-arn', [{ Key: 'k', Value: 'v' }]), 'AccessDeniedException',
      /is not authorized to perform: dynamodb:TagResource on resource: not-an-arn$/)
    await expectError(untag('not-an-arn', ['k']), 'AccessDeniedException',
      /is not authorized to perform: dynamodb:UntagResource on resource: not-an-arn$/)
    await expectError(listTags(''), 'AccessDeniedException',
      /is not authorized to perform: dynamodb:ListTagsOfResource on resource: \*$/)
  })

  test('an ARN that is not a DynamoDB table ARN', async () => {
    const arn = 'arn:aws:s3:us-east-1:000000000000:bucket/some-bucket'
    await expectError(listTags(arn), 'ValidationException',
      `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`)
    await expectError(tag(arn, [{ Key: 'k', Value: 'v' }]), 'ValidationException',
      `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`)
  })

  test('missing and empty members', async () => {
    const arn = await arnOf(await simpleTable('tags'))
    await expectError(client.send(new ListTagsOfResourceCommand({})), 'ValidationException', 'Invalid TableArn')
    await expectError(client.send(new TagResourceCommand({ ResourceArn: arn })), 'ValidationException',
      "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
    await expectError(tag(arn, []), 'ValidationException', 'Atleast one Tag needs to be provided as Input.')
    await expectError(client.send(new UntagResourceCommand({ ResourceArn: arn })), 'ValidationException',
      "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
    await expectError(untag(arn, []), 'ValidationException', 'Atleast one Tag Key needs to be provided as Input.')
  })

  test('invalid keys and values', { skip: isDynalite && 'dynalite does not check tags' }, async () => {
    const arn = await arnOf(await simpleTable('tags'))
    await expectError(tag(arn, [{ Key: '', Value: 'v' }]), 'ValidationException',
      'The Tag Key provided is invalid, Key: ')
    const longKey = 'k'.repeat(129)
    // One bad tag refuses the whole request: 'ok' is not applied either.
    await expectError(tag(arn, [{ Key: 'ok', Value: 'v' }, { Key: longKey, Value: 'v' }]), 'ValidationException',
      `The Tag Key provided is invalid, Key: ${longKey}`)
    const longValue = 'v'.repeat(257)
    await expectError(tag(arn, [{ Key: 'k', Value: longValue }]), 'ValidationException',
      `The Tag Value provided is invalid, Value: ${longValue}`)
    await expectError(tag(arn, [{ Key: 'k' }]), 'ValidationException', 'The Tag Value provided is invalid, Value: null')
    await expectError(tag(arn, [{ Key: 'a,b', Value: 'v' }]), 'ValidationException', 'The Tag Key provided is invalid, Key: a,b')
    await expectError(tag(arn, [{ Key: 'k', Value: '100%' }]), 'ValidationException', 'The Tag Value provided is invalid, Value: 100%')
    await expectError(tag(arn, [{ Key: 'k', Value: '\u{1F511}' }]), 'ValidationException',
      'The Tag Value provided is invalid, Value: \u{1F511}')
    await expectError(tag(arn, [{ Key: 'aws:zzz', Value: 'v' }]), 'ValidationException',
      'Tag Key cannot be prefixed with aws:, Key: aws:zzz')
    await expectError(tag(arn, [{ Key: 'dup', Value: '1' }, { Key: 'dup', Value: '2' }]), 'ValidationException',
      'Duplicate Tag Keys provided as input: Duplicate Tag Key found dup')
    assert.deepEqual(await listTags(arn), [])
    // Letters, digits and spaces of any script, and + - = . _ : / @, are fine; the limits count
    // characters, not bytes.
    await tag(arn, [
      { Key: 'ключ', Value: '表 a+b-c=d.e_f:g/h@i' },
      { Key: '\u00e9'.repeat(128), Value: '\u00fc'.repeat(256) },
    ])
    assert.equal((await listTags(arn)).length, 2)
    await expectError(untag(arn, ['']), 'ValidationException', 'The Tag Key provided is invalid, Key: ')
    await expectError(untag(arn, [longKey]), 'ValidationException', `The Tag Key provided is invalid, Key: ${longKey}`)
  })

  test('at most 50 tags per table', { skip: isDynalite && 'dynalite does not limit tags' }, async () => {
    const arn = await arnOf(await simpleTable('tags'))
    const tags = (from, count) => Array.from({ length: count }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }))
    const limit = 'Number of Tags exceed the current limit for the provided ResourceArn'
    await tag(arn, tags(0, 30))
    await tag(arn, tags(30, 20))
    assert.equal((await listTags(arn)).length, 50)
    // Replacing values at the limit is fine; one more key is not, and nothing changes.
    await tag(arn, tags(0, 50))
    await expectError(tag(arn, tags(50, 1)), 'ValidationException', limit)
    await expectError(tag(arn, [{ Key: 'k0', Value: 'new' }, { Key: 'k50', Value: 'v' }]), 'ValidationException', limit)
    assert.equal((await listTags(arn)).length, 50)
    assert.equal((await listTags(arn)).find((t) => t.Key === 'k0').Value, 'v')
    await expectError(untag(arn, tags(0, 51).map((t) => t.Key)), 'ValidationException', limit)
  })
})

describe('DescribeLimits', () => {
  test('reports the default account and table quotas', { skip: isDynalite && 'dynalite does not implement DescribeLimits' }, async () => {
    const out = await client.send(new DescribeLimitsCommand({}))
    assert.equal(out.AccountMaxReadCapacityUnits, 80000)
    assert.equal(out.AccountMaxWriteCapacityUnits, 80000)
    assert.equal(out.TableMaxReadCapacityUnits, 40000)
    assert.equal(out.TableMaxWriteCapacityUnits, 40000)
  })
})
