import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAssocMgrQos, parseAssociations, parsePartitionAccounts } from '../../../agent/associations';
import { buildBatchScript, sbatchDirectives, shebangOf } from '../../../agent/batch-script';
import { BadInputError } from '../../../agent/errors';
import { parseTemplateFile } from '../../../agent/template-schema';
import { validateValues } from '../../../agent/template-values';
import { shippedJobLibrary, shippedTemplate } from './fixtures';

// Recorded on the test cluster (Slurm 22.05.8, slurmdbd): sacctmgr --noheader --parsable2 show
// user name=porthole withassoc format=Cluster,Account,Partition,QOS,DefaultQOS,MaxWall,DefaultAccount
const sacctmgrRows = ['porthole|chem||normal|normal||physics', 'porthole|physics||debug,normal|normal||physics', ''].join('\n');

// Recorded the same way: scontrol show assoc_mgr flags=qos (cut to its two QOS records' top lines).
const assocMgrQos = `Current Association Manager state

QOS Records

QOS=normal(1)
    UsageRaw=0.000000
    GrpJobs=N(0) GrpJobsAccrue=N(1) GrpSubmitJobs=N(1) GrpWall=N(0.00)
    MaxWallPJ=
    MaxTRESPJ=
    MinPrioThresh= 
    Account Limits
      physics
        MaxJobsPA=N(0) MaxJobsAccruePA=N(0) MaxSubmitJobsPA=N(0)
        MaxTRESPA=cpu=N(0),mem=N(0)
QOS=debug(2)
    UsageRaw=0.000000
    MaxWallPJ=30
    MaxTRESPJ=cpu=8,node=1
    User Limits
      1001
        MaxJobsPU=N(0) MaxJobsAccruePU=N(1) MaxSubmitJobsPU=N(1)
`;

// Recorded the same way: scontrol show partition --oneliner (each line cut after MaxTime).
const partitionLines = [
  'PartitionName=cpu AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL AllocNodes=ALL Default=YES QoS=N/A DefaultTime=NONE MaxTime=UNLIMITED',
  'PartitionName=gpu AllowGroups=ALL AllowAccounts=physics AllowQos=ALL AllocNodes=ALL Default=NO QoS=N/A DefaultTime=NONE MaxTime=UNLIMITED',
].join('\n');

const accounts = parseAssociations(sacctmgrRows, 'porthole');
const qos = parseAssocMgrQos(assocMgrQos);
const partitionAccounts = Object.fromEntries(parsePartitionAccounts(partitionLines));
const desktop = shippedTemplate('vnc-desktop');
const context = { partitions: ['cpu', 'gpu'], defaultPartition: 'cpu', accounts, qos, partitionAccounts };

function rejects(values: Record<string, unknown>, field: string, allowed: RegExp, given = context): void {
  assert.throws(
    () => validateValues(desktop.file, values, given),
    (error: unknown) => error instanceof BadInputError && error.field === field && allowed.test(error.message),
  );
}

describe("the user's Slurm accounts", () => {
  it('lists the default account first, each with the QOS it allows, the one a job gets by default first', () => {
    assert.deepEqual(accounts, [
      { name: 'physics', isDefault: true, qos: ['normal', 'debug'], defaultQos: 'normal', maxWallMinutes: null },
      { name: 'chem', isDefault: false, qos: ['normal'], defaultQos: 'normal', maxWallMinutes: null },
    ]);
  });

  it('leaves out associations of other clusters that the same slurmdbd serves', () => {
    const rows = `${sacctmgrRows}other|biology||normal|||physics\n`;
    assert.deepEqual(
      parseAssociations(rows, 'porthole').map((a) => a.name),
      ['physics', 'chem'],
    );
  });

  it('knows which partitions admit only some accounts (AllowAccounts)', () => {
    assert.deepEqual(partitionAccounts, { gpu: ['physics'] });
  });

  it("reads each QOS's MaxWall in minutes and its per-job TRES limits", () => {
    assert.deepEqual(qos, [
      { name: 'normal', maxWallMinutes: null, maxTresPerJob: '' },
      { name: 'debug', maxWallMinutes: 30, maxTresPerJob: 'cpu=8,node=1' },
    ]);
  });
});

describe('account and QOS fields at launch', () => {
  it('runs under the default account and its default QOS when the form names none', () => {
    const values = validateValues(desktop.file, {}, context);
    assert.equal(values.account, 'physics');
    assert.equal(values.qos, 'normal');
  });

  it('refuses an account the user lacks, naming the ones they have', () => {
    rejects({ account: 'biology' }, 'account', /"biology".*choose one of: physics, chem/);
  });

  it('refuses a QOS the chosen account does not allow, naming the ones it does', () => {
    rejects({ account: 'chem', qos: 'debug' }, 'qos', /"debug".*account 'chem' allows; choose one of: normal/);
    assert.equal(validateValues(desktop.file, { account: 'physics', qos: 'debug', hours: 0.5 }, context).qos, 'debug');
  });

  it('refuses a partition closed to the chosen account, naming the open ones', () => {
    rejects({ account: 'chem', partition: 'gpu' }, 'partition', /"gpu".*open to account 'chem'; choose one of: cpu$/);
    assert.equal(validateValues(desktop.file, { partition: 'gpu' }, context).partition, 'gpu');
  });

  it("keeps hours within the chosen QOS's MaxWall", () => {
    rejects({ qos: 'debug', hours: 1 }, 'hours', /at most 0\.5 \(30 minutes, the MaxWall of QOS 'debug'\)/);
  });

  it('on a cluster without accounting, writes no --account or --qos and keeps working as before', () => {
    const values = validateValues(desktop.file, {}, { ...context, accounts: [], qos: [] });
    assert.equal(values.account, undefined);
    assert.equal(values.qos, undefined);
    assert.ok(!sbatchDirectives(values, 'id1').some((line) => /--account|--qos/.test(line)));
    // A name given anyway goes to Slurm, which then decides; it must still be a plain name.
    rejects({ account: 'x\n#SBATCH --uid=0' }, 'account', /letters, digits/, { ...context, accounts: [], qos: [] });
  });
});

describe('#SBATCH lines from the new fields', () => {
  const withAll = parseTemplateFile(
    JSON.stringify({
      id: 'site-desktop',
      name: 'Site desktop',
      kind: 'vnc',
      fields: [
        { name: 'account', type: 'account', label: 'Account' },
        { name: 'qos', type: 'qos', label: 'QOS' },
        { name: 'gpus', type: 'number', label: 'GPUs', default: 2 },
        { name: 'gpuType', type: 'string', label: 'GPU type', default: 'a100' },
        { name: 'constraint', type: 'string', label: 'Features', default: '' },
        { name: 'reservation', type: 'string', label: 'Reservation', default: '' },
        { name: 'licenses', type: 'string', label: 'Licenses', default: 'matlab:2' },
        { name: 'whole', type: 'boolean', label: 'Whole node', default: true },
      ],
      sbatch: { licenses: '--licenses', whole: '--exclusive' },
    }),
    'site-desktop',
  );

  it('maps each field to its option, gpuType into --gres, and site fields through the allow-listed mapping', () => {
    const values = validateValues(withAll, { account: 'chem', constraint: '[a|b]&avx2', reservation: 'course' }, context);
    assert.deepEqual(sbatchDirectives(values, 'id1', withAll.sbatch), [
      '#SBATCH --job-name=porthole-id1',
      '#SBATCH --account=chem',
      '#SBATCH --qos=normal',
      '#SBATCH --gres=gpu:a100:2',
      '#SBATCH --constraint=[a|b]&avx2',
      '#SBATCH --reservation=course',
      '#SBATCH --licenses=matlab:2',
      '#SBATCH --exclusive',
    ]);
  });

  it('lets no free text through: a value that is not what its option reads is a field error', () => {
    const check = (values: Record<string, unknown>, field: string) =>
      assert.throws(
        () => validateValues(withAll, values, context),
        (error: unknown) => error instanceof BadInputError && error.field === field,
      );
    check({ constraint: 'avx2 --uid=0' }, 'constraint');
    check({ reservation: 'r\n#SBATCH --uid=0' }, 'reservation');
    check({ gpuType: "a100' ; rm -rf ~" }, 'gpuType');
    check({ licenses: 'matlab --exclusive' }, 'licenses');
  });

  it('refuses a template that maps a field to an option off the allow-list, or to a field it lacks', () => {
    const template = (sbatch: Record<string, string>) =>
      JSON.stringify({ id: 't', name: 'T', kind: 'vnc', fields: [{ name: 'extra', type: 'string', label: 'Extra' }], sbatch });
    assert.throws(() => parseTemplateFile(template({ extra: '--uid' }), 't'), /sbatch\.extra: one of: --licenses/);
    assert.throws(() => parseTemplateFile(template({ missing: '--licenses' }), 't'), /no such field/);
    assert.throws(() => parseTemplateFile(template({ extra: '--exclusive' }), 't'), /takes no value: map a boolean field/);
  });
});

describe("the template's own shebang", () => {
  it('keeps a bash login shell, and turns anything else into plain bash', () => {
    assert.equal(shebangOf('#!/bin/bash -l\necho'), '#!/bin/bash -l');
    assert.equal(shebangOf('#!/usr/bin/env bash\necho'), '#!/usr/bin/env bash');
    assert.equal(shebangOf('#!/bin/sh\necho'), '#!/bin/bash');
    assert.equal(shebangOf('echo no shebang'), '#!/bin/bash');
  });

  it('is the first line of the batch script, with the template body after it only once', () => {
    const script = buildBatchScript({
      template: desktop.file,
      jobScript: `#!/bin/bash -l\n${desktop.jobScript.replace(/^#!.*\n/, '')}`,
      jobLibrary: shippedJobLibrary,
      values: validateValues(desktop.file, {}, context),
      sessionId: 'id1',
      sessionDir: '/home/u/.porthole/sessions/id1',
      vncListen: 'socket',
    });
    assert.equal(script.split('\n')[0], '#!/bin/bash -l');
    assert.equal(script.match(/^#!/gm)?.length, 1);
  });
});
