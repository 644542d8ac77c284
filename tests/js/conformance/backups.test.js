// DescribeContinuousBackups and UpdateContinuousBackups: point-in-time recovery as a setting that
// is recorded and reported (what infrastructure tools read and write for every table). ck takes no
// backups; RestoreTableToPointInTime does not exist.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DescribeContinuousBackupsCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb'
import { expectError, fixture, isDynalite, uniqueName } from '../lib/helpers.js'

const { client, simpleTable } = await fixture()
const skip = isDynalite && 'dynalite: DescribeContinuousBackups/UpdateContinuousBackups are not implemented (UnknownOperationException)'

const describeBackups = async (TableName) =>
  (await client.send(new DescribeContinuousBackupsCommand({ TableName }))).ContinuousBackupsDescription
const setRecovery = async (TableName, specification) =>
  (await client.send(new UpdateContinuousBackupsCommand({
    TableName, PointInTimeRecoverySpecification: specification,
  }))).ContinuousBackupsDescription

describe('DescribeContinuousBackups and UpdateContinuousBackups', () => {
  test('a new table has continuous backups and no point-in-time recovery', { skip }, async () => {
    const T = await simpleTable('pitr')
    assert.deepEqual(await describeBackups(T), {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    })
  })

  test('enabling reports the restorable window; disabling clears it', { skip }, async () => {
    const T = await simpleTable('pitr')
    const before = Date.now()
    const enabled = await setRecovery(T, { PointInTimeRecoveryEnabled: true })
    const recovery = enabled.PointInTimeRecoveryDescription
    assert.equal(enabled.ContinuousBackupsStatus, 'ENABLED')
    assert.equal(recovery.PointInTimeRecoveryStatus, 'ENABLED')
    assert.equal(recovery.RecoveryPeriodInDays, 35)
    assert.ok(recovery.EarliestRestorableDateTime instanceof Date)
    assert.ok(Math.abs(recovery.EarliestRestorableDateTime.getTime() - before) < 60_000)
    assert.ok(recovery.LatestRestorableDateTime >= recovery.EarliestRestorableDateTime)
    // DescribeContinuousBackups reports the same setting and window start.
    const described = (await describeBackups(T)).PointInTimeRecoveryDescription
    assert.equal(described.PointInTimeRecoveryStatus, 'ENABLED')
    assert.equal(described.RecoveryPeriodInDays, 35)
    assert.deepEqual(described.EarliestRestorableDateTime, recovery.EarliestRestorableDateTime)

    const shorter = await setRecovery(T, { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 })
    assert.equal(shorter.PointInTimeRecoveryDescription.RecoveryPeriodInDays, 7)
    // Changing the period keeps the window's start.
    assert.deepEqual(shorter.PointInTimeRecoveryDescription.EarliestRestorableDateTime,
      recovery.EarliestRestorableDateTime)

    assert.deepEqual(await setRecovery(T, { PointInTimeRecoveryEnabled: false }), {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    })
  })

  test('a missing table is TableNotFoundException', { skip }, async () => {
    const T = uniqueName('missing')
    await expectError(describeBackups(T), 'TableNotFoundException', `Table not found: ${T}`)
    await expectError(setRecovery(T, { PointInTimeRecoveryEnabled: true }), 'TableNotFoundException',
      `Table not found: ${T}`)
  })

  test('the specification and its members are checked', { skip }, async () => {
    const T = await simpleTable('pitr')
    await expectError(client.send(new UpdateContinuousBackupsCommand({ TableName: T })), 'ValidationException',
      "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy " +
      'constraint: Member must not be null')
    await expectError(setRecovery(T, {}), 'ValidationException',
      "1 validation error detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' " +
      'failed to satisfy constraint: Member must not be null')
    await expectError(setRecovery(T, { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 36 }), 'ValidationException',
      "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' " +
      'failed to satisfy constraint: Member must have value less than or equal to 35')
    await expectError(setRecovery(T, { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 0 }), 'ValidationException',
      /Member must have value greater than or equal to 1$/)
    await expectError(setRecovery(T, { PointInTimeRecoveryEnabled: false, RecoveryPeriodInDays: 7 }), 'ValidationException',
      'Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.')
  })
})
