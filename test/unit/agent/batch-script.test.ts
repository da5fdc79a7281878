import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { buildBatchScript, sbatchDirectives, timeLimit, variableName, type VncListen } from '../../../agent/batch-script';
import { BadInputError } from '../../../agent/errors';
import { validateValues } from '../../../agent/template-values';
import { shippedJobLibrary, shippedTemplate } from './fixtures';
import { HOSTILE_VALUES, titleAccepts } from './hostile-values';

const desktop = shippedTemplate('vnc-desktop');

function scriptFor(values: Record<string, unknown>, vncListen: VncListen = 'socket'): string {
  const validated = validateValues(desktop.file, values, { partitions: ['cpu', 'gpu'], defaultPartition: 'cpu' });
  return buildBatchScript({
    template: desktop.file,
    jobScript: desktop.jobScript,
    jobLibrary: shippedJobLibrary,
    values: validated,
    sessionId: '20261123-000000-abcde',
    sessionDir: '/home/u/.porthole/sessions/20261123-000000-abcde',
    vncListen,
  });
}

/** Runs only the header of the script (up to the template body) and prints one variable. */
function valueSeenByBash(script: string, variable: string): string {
  const header = script.slice(0, script.indexOf('# The template body follows.'));
  const result = spawnSync('bash', ['-c', `${header}\nprintf '%s' "$${variable}"`], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe('batch script builder', () => {
  it('writes #SBATCH lines from the resource fields only', () => {
    assert.deepEqual(sbatchDirectives({ partition: 'gpu', hours: 2, cpus: 4, memoryGb: 8, gpus: 1, title: 'x' }, 'id1'), [
      '#SBATCH --job-name=porthole-id1',
      '#SBATCH --partition=gpu',
      '#SBATCH --time=2:00:00',
      '#SBATCH --cpus-per-task=4',
      '#SBATCH --mem=8192M',
      '#SBATCH --gres=gpu:1',
    ]);
  });

  it('turns a fraction of an hour into whole minutes, at least one', () => {
    assert.equal(timeLimit(0.0166), '0:01:00');
    assert.equal(timeLimit(1.5), '1:30:00');
    assert.equal(timeLimit(168), '168:00:00');
  });

  it('tells the job where its VNC server listens: a Unix socket, or a TCP port for the direct route', () => {
    assert.equal(valueSeenByBash(scriptFor({}), 'PORTHOLE_VNC_LISTEN'), 'socket');
    assert.equal(valueSeenByBash(scriptFor({}, 'tcp'), 'PORTHOLE_VNC_LISTEN'), 'tcp');
  });

  it('names variables PORTHOLE_ in upper snake case', () => {
    assert.equal(variableName('memoryGb'), 'PORTHOLE_MEMORY_GB');
    assert.equal(variableName('title'), 'PORTHOLE_TITLE');
  });

  it('starts with bash, then directives, then values, then the template body without its shebang', () => {
    const script = scriptFor({ hours: 1 });
    const lines = script.split('\n');
    assert.equal(lines[0], '#!/bin/bash');
    assert.equal(script.match(/^#!/gm)?.length, 1);
    assert.ok(script.indexOf('#SBATCH') < script.indexOf("PORTHOLE_RUNTIME='native'"));
    assert.ok(script.includes('set -euo pipefail'));
  });

  it(`stores each of ${HOSTILE_VALUES.length} hostile values verbatim or rejects it, and never runs it`, () => {
    assert.ok(HOSTILE_VALUES.length >= 200);
    let stored = 0;
    for (const value of HOSTILE_VALUES) {
      if (!titleAccepts(value)) {
        assert.throws(
          () => scriptFor({ title: value }),
          (error: unknown) => error instanceof BadInputError && error.field === 'title',
        );
        continue;
      }
      const script = scriptFor({ title: value });
      assert.equal(valueSeenByBash(script, 'PORTHOLE_TITLE'), value, `title ${JSON.stringify(value)} reached bash changed`);
      stored += 1;
    }
    assert.ok(stored > 150, `only ${stored} values were accepted`);
  });

  it('rejects hostile values in every field that is not free text, naming the field', () => {
    for (const field of ['partition', 'hours', 'cpus', 'memoryGb', 'gpus', 'resolution', 'runtime']) {
      for (const value of HOSTILE_VALUES.slice(0, 60)) {
        assert.throws(
          () => scriptFor({ [field]: value }),
          (error: unknown) => error instanceof BadInputError && error.field === field,
          `${field}=${JSON.stringify(value)}`,
        );
      }
    }
  });
});
