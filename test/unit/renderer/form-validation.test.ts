import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { numberBounds, resourceOf } from '../../../renderer/logic/form-bounds';
import { initialValues, validateForm } from '../../../renderer/logic/form-validation';
import { formFieldOf, parseClusterForm, EMPTY_CLUSTER_FORM } from '../../../renderer/logic/cluster-form';
import { clusterInfo, desktopFields } from './session-fixtures';

const hours = desktopFields[1] as Extract<(typeof desktopFields)[number], { type: 'number' }>;

describe('launch form bounds from the live cluster', () => {
  it('knows which fields ask for Slurm resources', () => {
    assert.equal(resourceOf('hours'), 'hours');
    assert.equal(resourceOf('memory_gb'), 'memoryGb');
    assert.equal(resourceOf('screen'), undefined);
  });

  it("caps hours at the chosen partition's time limit", () => {
    assert.deepEqual(numberBounds(hours, clusterInfo.partitions[0]), { min: 1, max: 4, limitedBy: 'cpu' });
    assert.deepEqual(numberBounds(hours, clusterInfo.partitions[2]), { min: 1, max: 24 });
  });

  it('opens with the default partition and the template defaults', () => {
    assert.deepEqual(initialValues(desktopFields, clusterInfo), {
      partition: 'cpu',
      hours: 1,
      cpus: 2,
      memoryGb: 4,
      geometry: '1280x800',
      fullscreen: false,
    });
  });

  it('opens a relaunch with the values of the past session', () => {
    const values = initialValues(desktopFields, clusterInfo, { partition: 'gpu', hours: 3, unknown: 'x' });
    assert.equal(values.partition, 'gpu');
    assert.equal(values.hours, 3);
    assert.equal('unknown' in values, false);
  });
});

describe('launch form validation', () => {
  const ok = initialValues(desktopFields, clusterInfo);

  it('accepts the defaults', () => {
    assert.deepEqual(validateForm(desktopFields, ok, clusterInfo), {});
  });

  it('names the limit and the partition when a value is too large', () => {
    const errors = validateForm(desktopFields, { ...ok, hours: 9 }, clusterInfo);
    assert.deepEqual(Object.keys(errors), ['hours']);
    assert.equal(errors.hours, "Hours must be at most 4 (the limit of partition 'cpu')");
  });

  it('checks CPUs and memory against the partition the form asks for', () => {
    assert.match(validateForm(desktopFields, { ...ok, cpus: 12 }, clusterInfo).cpus, /at most 8/);
    assert.deepEqual(validateForm(desktopFields, { ...ok, partition: 'gpu', cpus: 12, hours: 2 }, clusterInfo), {});
    assert.match(validateForm(desktopFields, { ...ok, memoryGb: 17 }, clusterInfo).memoryGb, /at most 16/);
  });

  it('lists the partitions when the value is not one of them', () => {
    assert.equal(
      validateForm(desktopFields, { ...ok, partition: 'gpux' }, clusterInfo).partition,
      "Partition 'gpux' does not exist on cluster 'hpc1'; choose one of: cpu, gpu, long",
    );
  });

  it('rejects a missing number, a fraction, a bad pattern and a long string', () => {
    const errors = validateForm(desktopFields, { ...ok, hours: Number.NaN, cpus: 1.5, title: 'Bad Title!' }, clusterInfo);
    assert.equal(errors.hours, 'Hours needs a number');
    assert.equal(errors.cpus, 'CPUs must be a whole number');
    assert.match(errors.title, /expected form/);
    assert.match(validateForm(desktopFields, { ...ok, title: 'a'.repeat(13) }, clusterInfo).title, /at most 12 characters/);
  });

  it('keeps the template bounds while the cluster limits are unknown', () => {
    assert.deepEqual(validateForm(desktopFields, { ...ok, hours: 9 }, undefined), {});
    assert.match(validateForm(desktopFields, { ...ok, hours: 25 }, undefined).hours, /at most 24/);
  });
});

describe('Add cluster form', () => {
  it('needs a name and a host, and a port in range', () => {
    const result = parseClusterForm({ ...EMPTY_CLUSTER_FORM, port: '70000' });
    assert.deepEqual(Object.keys(result.errors ?? {}).sort(), ['host', 'name', 'port']);
  });

  it('turns the fields into a ClusterConfig, the jump host into proxyJump', () => {
    const result = parseClusterForm({
      name: ' hpc1 ',
      host: 'login.hpc',
      user: 'ada',
      port: '2222',
      identityFile: '~/.ssh/id',
      jumpHost: 'gw',
    });
    assert.deepEqual(result.config, {
      name: 'hpc1',
      host: 'login.hpc',
      user: 'ada',
      port: 2222,
      identityFile: '~/.ssh/id',
      proxyJump: 'gw',
    });
  });

  it('takes several login nodes in Host, separated by commas, as hosts (host the first)', () => {
    const result = parseClusterForm({ ...EMPTY_CLUSTER_FORM, name: 'hpc', host: 'login1.hpc, login2.hpc:2222 ,' });
    assert.deepEqual(result.config, { name: 'hpc', host: 'login1.hpc', hosts: ['login1.hpc', 'login2.hpc:2222'] });
    assert.match(parseClusterForm({ ...EMPTY_CLUSTER_FORM, name: 'hpc', host: 'login1, login 2' }).errors?.host ?? '', /no spaces/);
    assert.equal(formFieldOf('hosts.1'), 'host');
  });
});
