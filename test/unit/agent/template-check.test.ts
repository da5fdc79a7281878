// `templates.check`: what an admin sees for each kind of mistake in a template, at the line and
// column where it is written; the same check decides whether the agent loads the template.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../../agent/cli-args';
import { templateCheckText } from '../../../agent/cli-output';
import type { TemplateProblem } from '../../../agent/protocol';
import { checkTemplateFolder } from '../../../agent/template-check-folder';
import { buildCatalog } from '../../../agent/template-loader';
import { checkTemplateJson } from '../../../agent/template-schema';
import { projectRoot, tempDir } from '../../cluster/fixture';

/** A template.json whose fields are one a line: field i is on line 5 + i. */
function templateText(fields: object[], extra = ''): string {
  return [
    '{',
    '  "id": "mine",',
    `  "name": "Mine",${extra}`,
    '  "kind": "vnc",',
    '  "fields": [',
    fields.map((field) => `    ${JSON.stringify(field)}`).join(',\n'),
    '  ]',
    '}',
  ].join('\n');
}

function problemsOf(text: string): TemplateProblem[] {
  const checked = checkTemplateJson(text, 'mine/template.json');
  assert.equal(checked.template, undefined, 'the template was accepted');
  return checked.problems;
}

/** The one problem of a template with `field` on line 6; its line, column and message. */
function onlyProblem(field: object): TemplateProblem {
  const problems = problemsOf(templateText([{ name: 'first', type: 'boolean', label: 'First' }, field]));
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].line, 7);
  return problems[0];
}

function templateFolder(root: string, name: string, templateJson: string, jobScript = 'echo hi\n'): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'template.json'), templateJson);
  if (jobScript) writeFileSync(join(dir, 'job.sh'), jobScript);
  return dir;
}

describe('templates check: each kind of problem at its line and column', () => {
  it('a min above its max', () => {
    const problem = onlyProblem({ name: 'hours', type: 'number', label: 'Hours', min: 8, max: 2 });
    assert.match(problem.message, /field 'hours': min 8 is above max 2/);
    // At "min", where the fix is typed.
    assert.equal(problem.column, 5 + '{"name":"hours","type":"number","label":"Hours",'.length);
  });

  it('a default outside its limits, off its step, or not among its options', () => {
    assert.match(
      onlyProblem({ name: 'cpus', type: 'number', label: 'CPUs', min: 1, max: 4, default: 9 }).message,
      /default 9 is above its max 4/,
    );
    assert.match(onlyProblem({ name: 'cpus', type: 'number', label: 'CPUs', min: 1, default: 0 }).message, /default 0 is below its min 1/);
    assert.match(onlyProblem({ name: 'hours', type: 'number', label: 'H', step: 0.5, default: 0.7 }).message, /steps of 0\.5/);
    const select = { name: 'size', type: 'select', label: 'Size', options: [{ value: 's', label: 'S' }], default: 'xl' };
    assert.match(onlyProblem(select).message, /default "xl" is not one of its options: s/);
    assert.match(
      onlyProblem({ name: 'title', type: 'string', label: 'T', pattern: '[a-z]+', default: 'ABC' }).message,
      /default "ABC" does not match its pattern/,
    );
  });

  it('a pattern that is not a valid regular expression', () => {
    assert.match(
      onlyProblem({ name: 'title', type: 'string', label: 'Title', pattern: '([a-z' }).message,
      /field 'title': pattern "\(\[a-z" is not a valid regular expression/,
    );
  });

  it('an unknown field type, naming the allowed ones', () => {
    const problem = onlyProblem({ name: 'colour', type: 'colour', label: 'Colour' });
    assert.match(problem.message, /unknown field type "colour"; allowed: number, string, select, boolean, partition/);
  });

  it('a reserved name, and two names on one variable', () => {
    assert.match(onlyProblem({ name: 'sessionDir', type: 'string', label: 'Where' }).message, /would set PORTHOLE_SESSION_DIR/);
    const problems = problemsOf(
      templateText([
        { name: 'memoryGb', type: 'number', label: 'a' },
        { name: 'memoryGB', type: 'number', label: 'b' },
      ]),
    );
    assert.deepEqual(
      problems.map((p) => [p.line, p.message.replace(/ of template.*/, '')]),
      [[7, "fields.1.name: field 'memoryGB'"]],
    );
  });

  it('an unknown key at the key itself, and a key written twice', () => {
    const problems = problemsOf(templateText([], '\n  "colour": "red",\n  "name": "Again",'));
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column}: ${p.message}`),
      ['4:3: unknown key "colour"', '5:3: key "name" appears twice'],
    );
  });

  it('JSON syntax at the character that breaks it: a comma before }, a comment', () => {
    const trailing = problemsOf('{\n  "id": "mine",\n}\n');
    assert.deepEqual([trailing[0].line, trailing[0].column], [3, 1]);
    assert.match(trailing[0].message, /no comma before/);
    const comment = problemsOf('{\n  // mine\n  "id": "mine"\n}\n');
    assert.deepEqual([comment[0].line, comment[0].column, comment[0].message], [2, 3, 'JSON allows no comments']);
  });

  it('names every problem of one file in one run, the shape and the meaning alike', () => {
    const problems = problemsOf(
      templateText([
        { name: 'hours', type: 'number', label: 'Hours', min: 8, max: 2 },
        { name: 'colour', type: 'colour', label: 'Colour' },
        { name: 'sessionDir', type: 'string', label: 'Where' },
      ]),
    );
    assert.deepEqual(
      problems.map((p) => p.line),
      [6, 7, 8],
    );
  });

  it('takes "$schema", which editors read', () => {
    const checked = checkTemplateJson(templateText([], '\n  "$schema": "../template.schema.json",'), 'mine/template.json');
    assert.deepEqual(checked.problems, []);
    assert.equal(checked.template?.id, 'mine');
  });
});

describe('templates check on folders', () => {
  it('passes every shipped template', () => {
    const checks = checkTemplateFolder(join(projectRoot, 'templates'));
    assert.deepEqual(
      checks.map((c) => [c.template?.id, c.problems]),
      [
        ['moonlight-desktop', []],
        ['vnc-desktop', []],
        ['xterm', []],
      ],
    );
    assert.equal(templateCheckText(checks), '3 templates checked, no problems: moonlight-desktop, vnc-desktop, xterm');
  });

  it('a missing job.sh, a folder with no template, a folder that does not exist', () => {
    const root = tempDir('tmplcheck');
    const dir = templateFolder(root, 'nojob', templateText([]), '');
    assert.deepEqual(
      checkTemplateFolder(dir).flatMap((c) => c.problems.map((p) => `${p.file}:${p.line}:${p.column}`)),
      [`${dir}/job.sh:1:1`],
    );
    mkdirSync(join(root, 'empty'));
    assert.match(templateCheckText(checkTemplateFolder(join(root, 'empty'))), /empty:1:1: no template\.json in empty/);
    assert.match(templateCheckText(checkTemplateFolder(join(root, 'typo'))), /typo:1:1: no such folder/);
  });

  it('a template the check refuses is in the catalog as broken, with the same problems', () => {
    const text = templateText([{ name: 'hours', type: 'number', label: 'Hours', min: 8, max: 2 }]);
    const catalog = buildCatalog([
      { source: 'site', templates: [{ dir: '/etc/porthole/templates/mine', templateJson: text, jobScript: 'echo' }] },
    ]);
    assert.equal(catalog.templates.size, 0);
    assert.deepEqual(catalog.broken, [
      {
        id: 'mine',
        source: 'site',
        problems: checkTemplateJson(text, '/etc/porthole/templates/mine/template.json').problems,
      },
    ]);
  });
});

describe('templates check on the command line', () => {
  it('is the verb templates.check, also written templates check', () => {
    for (const argv of [
      ['templates.check', '/etc/porthole/templates'],
      ['templates', 'check', '/etc/porthole/templates', '--json'],
    ]) {
      const args = parseCliArgs(argv);
      assert.deepEqual([args.verb, args.positional], ['templates.check', '/etc/porthole/templates']);
    }
    assert.throws(() => parseCliArgs(['templates', 'chek', 'x']), /verb: "templates\.chek" is not allowed/);
    assert.throws(() => parseCliArgs(['templates', 'check']), /folder/);
  });

  it('the built agent prints file:line:column: message a line and exits 2, or 0 when all is well', () => {
    const agent = join(projectRoot, 'dist', 'agent.cjs');
    assert.ok(existsSync(agent), `${agent} is missing: run node build/bundle.mjs first`);
    const root = tempDir('tmplcheck-cli');
    templateFolder(root, 'good', templateText([{ name: 'hours', type: 'number', label: 'Hours', min: 1, max: 8, default: 2 }]));
    const bad = templateFolder(root, 'bad', templateText([{ name: 'hours', type: 'number', label: 'Hours', min: 8, max: 2 }]));
    const run = (args: string[]) => spawnSync(process.execPath, [agent, ...args], { encoding: 'utf8', timeout: 20_000 });

    const text = run(['templates', 'check', root]);
    assert.equal(text.status, 2, text.stderr);
    assert.equal(text.stdout, `${bad}/template.json:6:53: fields.0.min: field 'hours': min 8 is above max 2; no value would be allowed\n`);

    const json = run(['templates.check', bad, '--json']);
    assert.equal(json.status, 2);
    const answer = JSON.parse(json.stdout) as { ok: boolean; templates: { dir: string; problems: TemplateProblem[] }[] };
    assert.equal(answer.ok, false);
    assert.deepEqual(
      answer.templates[0].problems.map((p) => [p.file, p.line, p.column]),
      [[`${bad}/template.json`, 6, 53]],
    );

    const good = run(['templates.check', join(root, 'good')]);
    assert.equal(good.status, 0, good.stdout);
    assert.equal(good.stdout, '1 template checked, no problems: mine\n');
  });
});
