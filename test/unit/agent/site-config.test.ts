// site.json under agent.json: what the launch form's catalog becomes, what a user may narrow,
// and the errors (file, line, key, both values) when a file asks for what it may not.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAgentConfig } from '../../../agent/agent-config';
import type { TemplateField } from '../../../agent/protocol';
import { buildCatalog, type TemplateSource } from '../../../agent/template-loader';
import { applySiteChoices } from '../../../agent/template-overrides';
import { templateSummary } from '../../../agent/template-schema';
import { tempDir } from '../../cluster/fixture';
import { shippedTemplate } from './fixtures';

const root = tempDir('site-config');
const siteFile = join(root, 'site.json');
const home = join(root, 'home');
mkdirSync(join(home, '.porthole'), { recursive: true });
const env = { PORTHOLE_SITE_FILE: siteFile };

/** Writes both files (undefined: none), JSON laid out one key a line as people write them. */
function write(site: unknown, user: unknown): void {
  for (const [file, value] of [
    [siteFile, site],
    [join(home, '.porthole', 'agent.json'), user],
  ] as const)
    if (value === undefined) rmSync(file, { force: true });
    else writeFileSync(file, JSON.stringify(value, null, 2));
}

function source(id: string): TemplateSource {
  const { file, jobScript } = shippedTemplate(id);
  return { dir: `/templates/${id}`, templateJson: JSON.stringify(file), jobScript };
}

const builtin = [source('vnc-desktop'), source('xterm')];

/** The catalog the launch form would get, as `templates.list` gives it. */
function formFields(site: unknown, user: unknown, templateId = 'vnc-desktop'): Map<string, TemplateField> {
  write(site, user);
  const config = loadAgentConfig(home, env);
  const catalog = applySiteChoices(buildCatalog([{ source: 'builtin', templates: builtin }]), config);
  const template = catalog.templates.get(templateId);
  assert.ok(template, `${templateId} is in the catalog (broken: ${JSON.stringify(catalog.broken)})`);
  return new Map(templateSummary(template).fields.map((field) => [field.name, field]));
}

function maxOf(field: TemplateField | undefined): number | undefined {
  return field?.type === 'number' ? field.max : undefined;
}

function loadError(site: unknown, user: unknown): string {
  write(site, user);
  try {
    applySiteChoices(buildCatalog([{ source: 'builtin', templates: builtin }]), loadAgentConfig(home, env));
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('the configuration was accepted');
}

const siteHoursMax12 = { overrides: { 'vnc-desktop': { fields: { hours: { max: 12, default: 2 } } } } };

describe('site.json', () => {
  it("lowers a field's limit and default in the form's catalog without copying the template", () => {
    const hours = formFields(siteHoursMax12, undefined).get('hours');
    assert.equal(maxOf(hours), 12);
    assert.equal(hours?.default, 2);
    assert.equal(maxOf(formFields(undefined, undefined).get('hours')), 168, 'the template alone says 168');
  });

  it('keeps fewer options of a select field, and their order', () => {
    const fields = formFields({ overrides: { 'vnc-desktop': { fields: { resolution: { options: ['1920x1080', '1280x800'] } } } } }, {});
    const resolution = fields.get('resolution');
    assert.deepEqual(resolution?.type === 'select' && resolution.options.map((o) => o.value), ['1280x800', '1920x1080']);
  });

  it('hides built-in templates it does not list, and never a user template', () => {
    write({ templates: { shown: ['xterm'] } }, undefined);
    const catalog = applySiteChoices(
      buildCatalog([
        { source: 'builtin', templates: builtin },
        {
          source: 'user',
          templates: [{ ...source('vnc-desktop'), templateJson: JSON.stringify({ ...shippedTemplate('vnc-desktop').file, id: 'mine' }) }],
        },
      ]),
      loadAgentConfig(home, env),
    );
    assert.deepEqual([...catalog.templates.keys()].sort(), ['mine', 'xterm']);
  });

  it('names the file, line and key of a value it does not allow, and what is allowed', () => {
    writeFileSync(siteFile, '{\n  "sessions": {\n    "recordHoursAfterEnd": -1\n  }\n}\n');
    assert.throws(() => loadAgentConfig(home, env), new RegExp(`${siteFile}:3:5: sessions\\.recordHoursAfterEnd: -1 is not allowed; .*>0`));
    writeFileSync(siteFile, '{\n  "route": "ssh",\n  "rout": "srun"\n}\n');
    assert.throws(
      () => loadAgentConfig(home, env),
      /site\.json:3:3: rout: .* the options here are: redis, route, templates, overrides, sessions, idle$/,
    );
    writeFileSync(siteFile, '{\n  "route": "ssh",\n}\n');
    assert.throws(() => loadAgentConfig(home, env), /site\.json:3:1: "\(not JSON\)" is not allowed; .*property name was expected/);
  });

  it('refuses a Redis password, which every user could read there', () => {
    const message = loadError({ redis: { url: 'redis://redis.site:6379', password: 's3cret' } }, undefined);
    assert.match(message, /site\.json:\d+:\d+: redis\.password: "\(hidden\)" is not allowed; .*~\/\.porthole\/agent\.json/);
    assert.doesNotMatch(message, /s3cret/);
  });

  it("gives the user's Redis credentials the site's endpoint", () => {
    write({ redis: { url: 'rediss://redis.site:6380', tls: {} } }, { redis: { username: 'alice', password: 'pw' } });
    assert.deepEqual(loadAgentConfig(home, env).redis, { url: 'rediss://redis.site:6380', tls: {}, username: 'alice', password: 'pw' });
  });

  it('leaves out, and reports, a template whose override names a field it does not have', () => {
    write({ overrides: { 'vnc-desktop': { fields: { hourz: { max: 4 } } } } }, undefined);
    const catalog = applySiteChoices(buildCatalog([{ source: 'builtin', templates: builtin }]), loadAgentConfig(home, env));
    assert.equal(catalog.templates.has('vnc-desktop'), false);
    assert.match(
      catalog.broken.flatMap((broken) => broken.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`)).join('\n'),
      /site\.json:\d+:\d+: overrides\.vnc-desktop\.fields\.hourz: .*its fields are: partition, account, qos, hours/,
    );
    assert.equal(catalog.templates.has('xterm'), true);
  });
});

describe("a user's agent.json under site.json", () => {
  it('narrows a limit further', () => {
    const hours = formFields(siteHoursMax12, { overrides: { 'vnc-desktop': { fields: { hours: { max: 4 } } } } }).get('hours');
    assert.equal(maxOf(hours), 4);
  });

  it("refuses a wider limit, naming the file, line, key, the site's value and the user's", () => {
    const message = loadError(siteHoursMax12, { overrides: { 'vnc-desktop': { fields: { hours: { max: 24 } } } } });
    assert.match(message, /\/\.porthole\/agent\.json:6:11: overrides\.vnc-desktop\.fields\.hours\.max: 24 is not allowed; /);
    assert.match(message, /may narrow the site's limits, not widen them: the site allows 12 here/);
  });

  it("refuses a wider limit than the template's where the site sets none", () => {
    assert.match(
      loadError({}, { overrides: { 'vnc-desktop': { fields: { cpus: { max: 256 } } } } }),
      /cpus\.max: 256 .* the site allows 128/,
    );
  });

  it('refuses an option the site took away', () => {
    const site = { overrides: { 'vnc-desktop': { fields: { resolution: { options: ['1280x800'], default: '1280x800' } } } } };
    const user = { overrides: { 'vnc-desktop': { fields: { resolution: { options: ['2560x1440'] } } } } };
    assert.match(loadError(site, user), /resolution\.options\.0: "2560x1440" is not allowed; .*the site allows \["1280x800"\]/);
  });

  it('refuses showing a template the site does not show', () => {
    const message = loadError({ templates: { shown: ['xterm'] } }, { templates: { shown: ['xterm', 'vnc-desktop'] } });
    assert.match(
      message,
      /agent\.json:\d+:\d+: templates\.shown\.1: "vnc-desktop" is not allowed; .*the site shows xterm \(.*site\.json:3:5\)/,
    );
  });
});
