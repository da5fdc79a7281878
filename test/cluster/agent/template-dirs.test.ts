// A site's template folder given to the agent (PORTHOLE_TEMPLATE_DIRS) on the real login node:
// a broken template in it is listed as broken with its problem at its line, next to the
// templates that load, and `templates check` on the folder says the same and exits 2.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TemplateList } from '../../../agent/protocol';
import { projectRoot, shellQuote, sshRun } from '../fixture';

// An agent copy of this test's own, so that no other test's agent.cjs is replaced meanwhile.
let dir = '';

const BROKEN = [
  '{',
  '  "id": "site-broken",',
  '  "name": "Site broken",',
  '  "kind": "vnc",',
  '  "fields": [',
  '    { "name": "cpus", "type": "number", "label": "CPUs", "max": 4, "default": 9 }',
  '  ]',
  '}',
].join('\n');

async function onLogin(command: string, input?: string) {
  const result = await sshRun(command, { input, timeoutMs: 60_000 });
  assert.notEqual(result.code, -1, result.stderr);
  return result;
}

describe('a template folder the agent is given', () => {
  before(async () => {
    const made = await onLogin(
      'd=$(mktemp -d ~/.porthole/test-template-dirs-XXXXXX) && mkdir -p "$d/templates/site-broken" && cat > "$d/agent.cjs" && echo "$d"',
      readFileSync(join(projectRoot, 'dist', 'agent.cjs'), 'utf8'),
    );
    assert.equal(made.code, 0, made.stderr);
    dir = made.stdout.trim();
    const wrote = await onLogin(
      `cat > ${shellQuote(dir)}/templates/site-broken/template.json && echo 'exit 0' > ${shellQuote(dir)}/templates/site-broken/job.sh`,
      BROKEN,
    );
    assert.equal(wrote.code, 0, wrote.stderr);
  });

  after(async () => {
    if (dir) await sshRun(`rm -rf ${shellQuote(dir)}`);
  });

  it('lists a broken template as broken, with its problem at its line, and the shipped ones as launchable', async () => {
    const listed = await onLogin(
      `PORTHOLE_TEMPLATE_DIRS=${shellQuote(`${dir}/templates`)} node ${shellQuote(dir)}/agent.cjs templates.list --json`,
    );
    assert.equal(listed.code, 0, listed.stderr);
    const list = JSON.parse(listed.stdout) as TemplateList;
    assert.ok(list.templates.some((t) => t.id === 'vnc-desktop'));
    assert.ok(!list.templates.some((t) => t.id === 'site-broken'), 'the broken template is not launchable');
    const broken = list.broken.find((t) => t.id === 'site-broken');
    assert.deepEqual(
      broken?.problems.map((p) => `${p.file}:${p.line}: ${p.message}`),
      [`${dir}/templates/site-broken/template.json:6: fields.0.default: field 'cpus': default 9 is above its max 4`],
    );
  });

  it('templates check on the login node prints the same problem and exits 2', async () => {
    const checked = await onLogin(`node ${shellQuote(dir)}/agent.cjs templates check ${shellQuote(`${dir}/templates`)}`);
    assert.equal(checked.code, 2, checked.stderr);
    assert.match(
      checked.stdout,
      new RegExp(`^${dir}/templates/site-broken/template\\.json:6:\\d+: fields\\.0\\.default: field 'cpus': default 9`),
    );
  });
});
