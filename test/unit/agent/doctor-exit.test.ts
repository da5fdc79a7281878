// `doctor` tells a script whether something failed by its exit code, not only by its text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { DoctorCheck } from '../../../agent/protocol';
import { projectRoot, tempDir } from '../../cluster/fixture';

it('the built agent’s doctor exits 1 when a check fails (Slurm does not answer), and still prints every check', () => {
  const agent = join(projectRoot, 'dist', 'agent.cjs');
  assert.ok(existsSync(agent), `${agent} is missing: run node build/bundle.mjs first`);
  // No sinfo on this PATH: the login node as a user would see it without Slurm's commands.
  const home = tempDir('doctor-exit');
  const result = spawnSync(process.execPath, [agent, 'doctor', '--json'], {
    encoding: 'utf8',
    env: { HOME: home, PATH: join(home, 'no-bin') },
    timeout: 30_000,
  });
  assert.equal(result.status, 1, result.stderr);
  const checks = JSON.parse(result.stdout) as DoctorCheck[];
  assert.equal(checks.find((c) => c.name === 'slurm')?.status, 'fail');
  assert.ok(
    checks.some((c) => c.name === 'templates'),
    'the other checks are there too',
  );
});
