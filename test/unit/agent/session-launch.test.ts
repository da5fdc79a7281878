// SessionService.launch with a scripted Slurm (partitions, sbatch) and real session folders in a
// temporary home: where a session goes when its template needs GPUs.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BadInputError } from '../../../agent/errors';
import type { PartitionInfo } from '../../../agent/protocol';
import { noRegistry } from '../../../agent/redis-registry';
import { SessionFiles } from '../../../agent/session-files';
import { SessionService } from '../../../agent/session-service';
import type { Slurm } from '../../../agent/slurm';
import { buildCatalog, readTemplateDir } from '../../../agent/template-loader';
import { shippedJobLibrary } from './fixtures';

const root = join(import.meta.dirname, '../../..');

function partition(name: string, gpus: number, isDefault = false): PartitionInfo {
  return {
    name,
    isDefault,
    maxTimeMinutes: 1440,
    nodes: 1,
    cpusPerNode: 64,
    memoryMbPerNode: 256_000,
    gpusPerNode: gpus,
    state: 'up',
    ...(gpus ? { gpuType: 'a100' } : {}),
  };
}

describe('launching a template that needs GPUs', () => {
  const home = mkdtempSync(join(tmpdir(), 'porthole-launch-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const submitted: string[] = [];
  const slurm = {
    partitions: async () => [partition('cpu', 0, true), partition('gpu-a100', 4)],
    submit: async (scriptFile: string) => {
      submitted.push(scriptFile);
      return String(100 + submitted.length);
    },
  } as unknown as Slurm;
  const service = new SessionService({
    slurm,
    files: new SessionFiles(home),
    catalog: buildCatalog([{ source: 'builtin', templates: readTemplateDir(join(root, 'templates')) }]),
    jobLibrary: shippedJobLibrary,
    registry: noRegistry,
    now: () => new Date('2026-11-24T08:00:00Z'),
  });

  it('goes to a partition with GPUs when none is given, not to the default CPU partition', async () => {
    const session = await service.launch('moonlight-desktop', { runtime: 'native' });
    assert.equal(session.values.partition, 'gpu-a100');
  });

  it('refuses a partition without GPUs, naming the field and the partitions that have them', async () => {
    await assert.rejects(service.launch('moonlight-desktop', { partition: 'cpu' }), (error: unknown) => {
      assert.ok(error instanceof BadInputError);
      assert.match(error.message, /partition/);
      assert.match(error.message, /gpu-a100/);
      assert.doesNotMatch(error.message, /one of: .*\bcpu\b/);
      return true;
    });
  });

  it('still takes Slurm’s default partition for a template that needs no GPUs', async () => {
    const session = await service.launch('vnc-desktop', { runtime: 'native' });
    assert.equal(session.values.partition, 'cpu');
  });
});

describe('launching with the partitions serve keeps (cluster-facts.ts)', () => {
  const home = mkdtempSync(join(tmpdir(), 'porthole-launch-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const asked: (string | undefined)[] = [];
  const slurm = {
    partitions: async () => assert.fail('a launch with kept partitions ran sinfo'),
    submit: async () => '200',
  } as unknown as Slurm;
  const service = new SessionService({
    slurm,
    partitions: async (wanted) => {
      asked.push(wanted);
      return [partition('cpu', 0, true), partition('gpu-a100', 4)];
    },
    files: new SessionFiles(home),
    catalog: buildCatalog([{ source: 'builtin', templates: readTemplateDir(join(root, 'templates')) }]),
    jobLibrary: shippedJobLibrary,
    registry: noRegistry,
    now: () => new Date('2026-11-24T08:00:00Z'),
  });

  it('checks the partition against them, naming the one asked for, and asks Slurm nothing before sbatch', async () => {
    const session = await service.launch('vnc-desktop', { runtime: 'native', partition: 'gpu-a100' });
    assert.equal(session.values.partition, 'gpu-a100');
    await service.launch('vnc-desktop', { runtime: 'native' });
    assert.deepEqual(asked, ['gpu-a100', undefined]);
  });
});

describe('launching a template id that cannot launch', () => {
  const home = mkdtempSync(join(tmpdir(), 'porthole-launch-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const brokenDir = mkdtempSync(join(tmpdir(), 'porthole-broken-template-'));
  after(() => rmSync(brokenDir, { recursive: true, force: true }));
  mkdirSync(join(brokenDir, 'lab-desktop'));
  writeFileSync(join(brokenDir, 'lab-desktop', 'template.json'), '{ "id": "lab-desktop", "kind": "vnc" ');
  writeFileSync(join(brokenDir, 'lab-desktop', 'job.sh'), 'start_vnc_desktop\n');
  const service = new SessionService({
    slurm: {} as Slurm,
    files: new SessionFiles(home),
    catalog: buildCatalog([
      { source: 'builtin', templates: readTemplateDir(join(root, 'templates')) },
      { source: 'site', templates: readTemplateDir(brokenDir) },
    ]),
    jobLibrary: shippedJobLibrary,
    registry: noRegistry,
    now: () => new Date('2026-11-24T08:00:00Z'),
  });

  it('says a broken template is broken, where and why, not only which ones can launch', async () => {
    await assert.rejects(service.launch('lab-desktop', {}), (error: unknown) => {
      assert.ok(error instanceof BadInputError);
      assert.equal(error.field, 'templateId');
      assert.match(error.message, /this one is broken \(.*lab-desktop\/template\.json:1:\d+: /);
      assert.match(error.message, /choose one of: .*vnc-desktop/);
      return true;
    });
  });

  it('lists the templates that can launch for an id nobody has', async () => {
    await assert.rejects(service.launch('no-such-template', {}), (error: unknown) => {
      assert.ok(error instanceof BadInputError);
      assert.doesNotMatch(error.message, /broken/);
      assert.match(error.message, /choose one of: .*vnc-desktop/);
      return true;
    });
  });
});
