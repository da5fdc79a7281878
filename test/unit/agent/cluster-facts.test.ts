// ClusterFacts with a scripted command runner (recorded Slurm 22.05 outputs): a cluster without
// accounting (the shared test cluster has it, so this case cannot run there), and how long
// accounting and partitions read once are reused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCOUNTING_MAX_AGE_MS, ClusterFacts, PARTITIONS_MAX_AGE_MS } from '../../../agent/cluster-facts';
import type { CommandRunner } from '../../../agent/command-runner';
import { Slurm } from '../../../agent/slurm';

const config = (storage: string) => `ClusterName             = hpc1\nAccountingStorageType   = accounting_storage/${storage}\n`;
const answers: Record<string, (storage: string) => { stdout: string; stderr?: string; code: number }> = {
  'scontrol show config': (storage) => ({ stdout: config(storage), code: 0 }),
  'sinfo --version': () => ({ stdout: 'slurm-wlm 22.05.8\n', code: 0 }),
  sinfo: () => ({ stdout: 'cpu*|1-00:00:00|1|4|7000|(null)|up\n', code: 0 }),
  sacctmgr: (storage) =>
    storage === 'slurmdbd'
      ? { stdout: 'hpc1|physics||debug,normal|normal||physics\n', code: 0 }
      : // What sacctmgr says where Slurm keeps no accounting.
        {
          stdout: '',
          stderr: "You are not running a supported accounting_storage plugin\nOnly 'accounting_storage/slurmdbd' is supported.\n",
          code: 1,
        },
  'scontrol show partition': () => ({ stdout: 'PartitionName=cpu AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL Default=YES\n', code: 0 }),
  'scontrol show assoc_mgr': () => ({ stdout: 'QOS Records\n\nQOS=normal(1)\n    MaxWallPJ=\nQOS=debug(2)\n    MaxWallPJ=30\n', code: 0 }),
};

function scripted(storage: string) {
  const calls: string[] = [];
  const run: CommandRunner = async (command, args) => {
    const line = [command, ...args].join(' ');
    calls.push(line);
    const key = Object.keys(answers)
      .sort((a, b) => b.length - a.length)
      .find((k) => line.startsWith(k))!;
    return { stderr: '', ...answers[key](storage) };
  };
  return { run, calls };
}

describe('cluster facts', () => {
  it('gives no accounts and no QOS where Slurm keeps no accounting, and cluster.info still works', async () => {
    const { run } = scripted('none');
    const info = await new ClusterFacts(new Slurm(run), 'ada').info();
    assert.deepEqual([info.accounts, info.qos], [[], []]);
    assert.equal(info.partitions[0].name, 'cpu');
  });

  it('reads the accounts once and reuses them for a while, then asks Slurm again', async () => {
    const { run, calls } = scripted('slurmdbd');
    let now = 0;
    const facts = new ClusterFacts(new Slurm(run), 'ada', () => now);
    const first = await facts.info();
    assert.deepEqual(
      first.accounts.map((a) => [a.name, a.qos]),
      [['physics', ['normal', 'debug']]],
    );
    assert.deepEqual(first.qos, [
      { name: 'normal', maxWallMinutes: null, maxTresPerJob: '' },
      { name: 'debug', maxWallMinutes: 30, maxTresPerJob: '' },
    ]);
    now = ACCOUNTING_MAX_AGE_MS - 1;
    await facts.info();
    await facts.accounting();
    assert.equal(calls.filter((c) => c.startsWith('sacctmgr')).length, 1);
    now = ACCOUNTING_MAX_AGE_MS + 1;
    await facts.accounting();
    assert.equal(calls.filter((c) => c.startsWith('sacctmgr')).length, 2);
  });

  it('gives a launch the partitions the form last read, without an sinfo, until they are old or lack the one asked for', async () => {
    const { run, calls } = scripted('slurmdbd');
    let now = 0;
    const facts = new ClusterFacts(new Slurm(run), 'ada', () => now);
    const sinfoCalls = () => calls.filter((c) => c.startsWith('sinfo --noheader')).length;
    await facts.info();
    now = PARTITIONS_MAX_AGE_MS - 1;
    assert.deepEqual(
      (await facts.partitions('cpu')).map((p) => p.name),
      ['cpu'],
    );
    await facts.partitions();
    assert.equal(sinfoCalls(), 1);
    // A partition the admin added since: asked afresh rather than refused from an old list.
    await facts.partitions('gpu');
    assert.equal(sinfoCalls(), 2);
    now = 2 * PARTITIONS_MAX_AGE_MS;
    await facts.partitions('cpu');
    assert.equal(sinfoCalls(), 3);
    // cluster.info shows the partitions as they are now, cache or not.
    await facts.info();
    assert.equal(sinfoCalls(), 4);
  });
});
