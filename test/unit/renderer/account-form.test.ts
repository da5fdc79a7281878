import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterInfo, TemplateField } from '../../../main/api';
import { formWallLimit, numberBounds, partitionChoices, qosChoices } from '../../../renderer/logic/form-bounds';
import { initialValues, validateForm } from '../../../renderer/logic/form-validation';
import { clusterInfo } from './session-fixtures';

// The test cluster's accounting, as cluster.info gives it.
const withAccounts: ClusterInfo = {
  ...clusterInfo,
  // Partition gpu admits physics only (AllowAccounts).
  partitions: clusterInfo.partitions.map((p) => (p.name === 'gpu' ? { ...p, accounts: ['physics'] } : p)),
  accounts: [
    { name: 'physics', isDefault: true, qos: ['normal', 'debug'], defaultQos: 'normal', maxWallMinutes: null },
    { name: 'chem', isDefault: false, qos: ['normal'], maxWallMinutes: null },
  ],
  qos: [
    { name: 'normal', maxWallMinutes: null, maxTresPerJob: '' },
    { name: 'debug', maxWallMinutes: 30, maxTresPerJob: '' },
  ],
};

// The QOS field listed before the account field on purpose: the form still follows the account.
const fields: TemplateField[] = [
  { name: 'qos', type: 'qos', label: 'QOS' },
  { name: 'account', type: 'account', label: 'Account' },
  { name: 'partition', type: 'partition', label: 'Partition' },
  { name: 'hours', type: 'number', label: 'Hours', default: 1, min: 0.25, max: 24 },
];
const hours = fields[3] as Extract<TemplateField, { type: 'number' }>;

describe('launch form: accounts and QOS', () => {
  it("opens on the user's default account and that account's default QOS", () => {
    const values = initialValues(fields, withAccounts);
    assert.equal(values.account, 'physics');
    assert.equal(values.qos, 'normal');
  });

  it('offers, for the chosen account, only the QOS it allows', () => {
    assert.deepEqual(qosChoices({ account: 'physics' }, withAccounts), ['normal', 'debug']);
    assert.deepEqual(qosChoices({ account: 'chem' }, withAccounts), ['normal']);
  });

  it('offers only the partitions open to the chosen account, and says so of one that is not', () => {
    const partition = fields[2] as Extract<TemplateField, { type: 'partition' }>;
    assert.deepEqual(
      partitionChoices(partition, withAccounts, { account: 'physics' }).map((p) => p.name),
      ['cpu', 'gpu', 'long'],
    );
    assert.deepEqual(
      partitionChoices(partition, withAccounts, { account: 'chem' }).map((p) => p.name),
      ['cpu', 'long'],
    );
    const errors = validateForm(fields, { account: 'chem', qos: 'normal', partition: 'gpu', hours: 1 }, withAccounts);
    assert.equal(errors.partition, "Partition 'gpu' is not open to account 'chem'; choose one of: cpu, long");
  });

  it("bounds hours by the chosen QOS's MaxWall as well as the partition's", () => {
    const values = { account: 'physics', qos: 'debug', partition: 'cpu', hours: 1 };
    assert.deepEqual(numberBounds(hours, withAccounts.partitions[0], formWallLimit(values, withAccounts)), {
      min: 0.25,
      max: 0.5,
      wallLimitOf: "QOS 'debug'",
    });
    assert.equal(validateForm(fields, values, withAccounts).hours, "Hours must be at most 0.5 (the MaxWall of QOS 'debug')");
    assert.equal(validateForm(fields, { ...values, qos: 'normal' }, withAccounts).hours, undefined);
  });

  it('says which accounts and QOS are allowed when the chosen ones are not', () => {
    const errors = validateForm(fields, { account: 'biology', qos: 'debug', partition: 'cpu', hours: 1 }, withAccounts);
    assert.equal(errors.account, "You have no account 'biology' on cluster 'hpc1'; choose one of: physics, chem");
    const chem = validateForm(fields, { account: 'chem', qos: 'debug', partition: 'cpu', hours: 0.5 }, withAccounts);
    assert.equal(chem.qos, "Account 'chem' does not allow QOS 'debug'; choose one of: normal");
  });

  it('asks nothing of a cluster without accounting', () => {
    const values = initialValues(fields, clusterInfo);
    assert.equal(values.account, undefined);
    assert.deepEqual(validateForm(fields, values, clusterInfo), {});
  });
});
