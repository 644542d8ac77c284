// The wire protocol: JSON 1.0 over HTTP POST, response headers (request id,
// CRC32, content type), error shapes (__type namespaces), unknown operations,
// malformed bodies, SigV4 verification, and the GET / health line.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { makeClient, rawRequest } from '../lib/endpoint.js'
import { crc32, signedRequest } from '../lib/sigv4.js'
import { expectError, fixture, isDynalite, uniqueName } from '../lib/helpers.js'

const { endpoint, simpleTable } = await fixture()
const noSigV4 = isDynalite && 'dynalite: does not verify signatures (only that an Authorization header is present)'

function assertEnvelope (res, status) {
  assert.equal(res.status, status)
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0')
  assert.ok(res.headers['x-amzn-requestid'], 'x-amzn-RequestId is set')
  assert.ok(res.headers['x-amz-crc32'], 'x-amz-crc32 is set')
  assert.equal(Number(res.headers['x-amz-crc32']), crc32(res.body), 'x-amz-crc32 is the CRC32 of the body')
  assert.ok(res.json, 'the body is JSON')
}

describe('successful requests', () => {
  test('a signed ListTables: 200, JSON, request id, CRC32, content type', async () => {
    const res = await signedRequest(endpoint, { target: 'DynamoDB_20120810.ListTables', body: '{}' })
    assertEnvelope(res, 200)
    assert.ok(Array.isArray(res.json.TableNames))
  })

  test('request ids differ between requests', async () => {
    const a = await signedRequest(endpoint)
    const b = await signedRequest(endpoint)
    assert.notEqual(a.headers['x-amzn-requestid'], b.headers['x-amzn-requestid'])
  })

  test('GET / answers with a health line', async () => {
    const res = await rawRequest(endpoint, { method: 'GET', path: '/' })
    assert.equal(res.status, 200)
    assert.match(res.text, /^healthy: /)
  })
})

describe('error shapes', () => {
  test('ResourceNotFoundException: 400 with the dynamodb namespace and a message', async () => {
    const TableName = uniqueName('missing')
    const res = await signedRequest(endpoint, { target: 'DynamoDB_20120810.DescribeTable', body: JSON.stringify({ TableName }) })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException')
    assert.equal(res.json.message, `Requested resource not found: Table: ${TableName} not found`)
  })

  test('ValidationException: 400 with the coral validate namespace', async () => {
    const res = await signedRequest(endpoint, { target: 'DynamoDB_20120810.ListTables', body: '{"Limit":0}' })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.validate#ValidationException')
    assert.equal(res.json.message,
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
  })

  test('a missing required parameter', async () => {
    const res = await signedRequest(endpoint, { target: 'DynamoDB_20120810.DescribeTable', body: '{}' })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.validate#ValidationException')
    assert.equal(res.json.message, "The parameter 'TableName' is required but was not present in the request")
  })

  test('a missing member that must not be null', async () => {
    const res = await signedRequest(endpoint, { target: 'DynamoDB_20120810.GetItem', body: '{"Key":{"pk":{"S":"a"}}}' })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.validate#ValidationException')
    assert.equal(res.json.message,
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null")
  })

  test('ConditionalCheckFailedException carries the dynamodb namespace', async () => {
    const TableName = await simpleTable('proto')
    const putBody = JSON.stringify({ TableName, Item: { pk: { S: 'a' } }, ConditionExpression: 'attribute_exists(pk)' })
    const res = await signedRequest(endpoint, { target: 'DynamoDB_20120810.PutItem', body: putBody })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException')
    assert.equal(res.json.message, 'The conditional request failed')
  })
})

describe('malformed requests', () => {
  test('unknown operation', async () => {
    const res = await signedRequest(endpoint, { target: 'DynamoDB_20120810.FlyToTheMoon', body: '{}' })
    assert.equal(res.status, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#UnknownOperationException')
  })

  test('unknown service version in the target', async () => {
    const res = await signedRequest(endpoint, { target: 'DynamoDB_20990101.ListTables', body: '{}' })
    assert.equal(res.status, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#UnknownOperationException')
  })

  test('missing X-Amz-Target', async () => {
    const res = await signedRequest(endpoint, { target: null, body: '{}' })
    assert.equal(res.status, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#UnknownOperationException')
  })

  test('a body that is not JSON', async () => {
    const res = await signedRequest(endpoint, { target: 'DynamoDB_20120810.ListTables', body: '{"Limit": 1,' })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#SerializationException')
  })

  test('a JSON value of the wrong type', async () => {
    const res = await signedRequest(endpoint, { target: 'DynamoDB_20120810.ListTables', body: '{"Limit":"ten"}' })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#SerializationException')
  })

  test('an AttributeValue that is not an object', async () => {
    const res = await signedRequest(endpoint, {
      target: 'DynamoDB_20120810.GetItem', body: JSON.stringify({ TableName: 'abc', Key: { pk: 'plain string' } }),
    })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#SerializationException')
  })
})

describe('authentication', () => {
  test('no Authorization header', async () => {
    const res = await signedRequest(endpoint, { sign: false })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#MissingAuthenticationTokenException')
    assert.equal(res.json.message, 'Request is missing Authentication Token')
  })

  test('wrong secret key → InvalidSignatureException', { skip: noSigV4 }, async () => {
    const client = makeClient(endpoint, { credentials: { accessKeyId: 'ck-local', secretAccessKey: 'not-the-secret' } })
    try {
      await expectError(client.send(new ListTablesCommand({})), 'InvalidSignatureException',
        /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\./)
    } finally {
      client.destroy()
    }
  })

  test('unknown access key → UnrecognizedClientException', { skip: noSigV4 }, async () => {
    const client = makeClient(endpoint, { credentials: { accessKeyId: 'AKIDUNKNOWNKEY', secretAccessKey: 'whatever' } })
    try {
      await expectError(client.send(new ListTablesCommand({})), 'UnrecognizedClientException',
        'The security token included in the request is invalid.')
    } finally {
      client.destroy()
    }
  })

  test('a signing date more than 15 minutes old', { skip: noSigV4 }, async () => {
    const res = await signedRequest(endpoint, { signingDate: new Date(Date.now() - 20 * 60 * 1000) })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#InvalidSignatureException')
    assert.match(res.json.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/)
  })

  test('a signing date more than 15 minutes ahead', { skip: noSigV4 }, async () => {
    const res = await signedRequest(endpoint, { signingDate: new Date(Date.now() + 20 * 60 * 1000) })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#InvalidSignatureException')
    assert.match(res.json.message, /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/)
  })

  test('a signing date within 15 minutes is accepted', async () => {
    const res = await signedRequest(endpoint, { signingDate: new Date(Date.now() - 10 * 60 * 1000) })
    assert.equal(res.status, 200)
  })

  test('a body changed after signing', { skip: noSigV4 }, async () => {
    // Same length, different bytes, so only the payload hash differs.
    const res = await signedRequest(endpoint, { body: '{"Limit":1}', sendBody: '{"Limit":2}', applyChecksum: false })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#InvalidSignatureException')
  })

  test('a request signed without x-amz-content-sha256 is accepted', async () => {
    const res = await signedRequest(endpoint, { body: '{"Limit":1}', applyChecksum: false })
    assert.equal(res.status, 200)
  })

  test('a signed header changed after signing', { skip: noSigV4 }, async () => {
    const res = await signedRequest(endpoint, {
      target: 'DynamoDB_20120810.ListTables',
      mutate: (h) => { h['x-amz-target'] = 'DynamoDB_20120810.DescribeLimits' },
    })
    assertEnvelope(res, 400)
    assert.equal(res.json.__type, 'com.amazon.coral.service#InvalidSignatureException')
  })
})
