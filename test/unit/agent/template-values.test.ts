import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadInputError } from '../../../agent/errors';
import { buildCatalog } from '../../../agent/template-loader';
import { parseTemplateFile } from '../../../agent/template-schema';
import { validateValues } from '../../../agent/template-values';
import { shippedTemplate } from './fixtures';

const desktop = shippedTemplate('vnc-desktop').file;
const context = { partitions: ['cpu', 'gpu', 'viz'], defaultPartition: 'cpu' };

describe('template values', () => {
  it('fills defaults and the cluster’s default partition', () => {
    const values = validateValues(desktop, {}, context);
    assert.equal(values.partition, 'cpu');
    assert.equal(values.runtime, 'native');
    assert.equal(values.hours, 1);
  });

  it('accepts numbers given as text on the command line', () => {
    assert.equal(validateValues(desktop, { cpus: '4', hours: '0.5' }, context).cpus, 4);
  });

  it('names the field, the value and what is allowed when a partition does not exist', () => {
    assert.throws(
      () => validateValues(desktop, { partition: 'gpux' }, context),
      (error: unknown) =>
        error instanceof BadInputError &&
        error.field === 'partition' &&
        /"gpux"/.test(error.message) &&
        /choose one of: cpu, gpu, viz/.test(error.message),
    );
  });

  it('refuses a field the template does not have', () => {
    assert.throws(() => validateValues(desktop, { colour: 'red' }, context), /colour.*no such field/);
  });

  it('keeps numbers within their limits and steps', () => {
    assert.throws(() => validateValues(desktop, { cpus: 0 }, context), /cpus.*at least 1/);
    assert.throws(() => validateValues(desktop, { cpus: 1.5 }, context), /steps of 1/);
    assert.throws(() => validateValues(desktop, { hours: 1000 }, context), /at most 168/);
    assert.throws(() => validateValues(desktop, { gpus: '1e3' }, context), /gpus/);
  });
});

describe('template files', () => {
  it('parses every shipped template', () => {
    for (const id of ['vnc-desktop', 'xterm']) assert.equal(shippedTemplate(id).file.id, id);
  });

  it('uses the shared field names in every shipped template', () => {
    for (const id of ['vnc-desktop', 'xterm']) {
      const names = shippedTemplate(id).file.fields.map((f) => f.name);
      for (const name of ['partition', 'hours', 'cpus', 'memoryGb', 'resolution', 'runtime'])
        assert.ok(names.includes(name), `${id} lacks ${name}`);
    }
  });

  it('says what is wrong with a template that does not parse', () => {
    assert.throws(() => parseTemplateFile('{"id":"Bad Id","name":"x","kind":"vnc","fields":[]}', 'bad'), /bad:1:2: id: a template id/);
    assert.throws(() => parseTemplateFile('{nope', 'broken'), /broken:1:2: this is not JSON here/);
  });

  it('refuses a field that would set a variable the agent sets itself, naming the template, the field and why', () => {
    for (const [name, variable] of [
      ['sessionDir', 'PORTHOLE_SESSION_DIR'],
      ['sessionId', 'PORTHOLE_SESSION_ID'],
      ['templateId', 'PORTHOLE_TEMPLATE_ID'],
      ['image', 'PORTHOLE_IMAGE'],
    ]) {
      const json = JSON.stringify({ id: 'mine', name: 'Mine', kind: 'vnc', fields: [{ name, type: 'string', label: 'Where' }] });
      assert.throws(
        () => parseTemplateFile(json, '/home/u/.porthole/templates/mine/template.json'),
        (error: Error) =>
          new RegExp(
            `^/home/u/\\.porthole/templates/mine/template\\.json:1:\\d+: fields\\.0\\.name: field '${name}' of template 'mine' would set ${variable}, which the agent sets itself`,
          ).test(error.message),
      );
    }
  });

  it('leaves such a template out of the catalog and says why, so a session never runs with its folder moved', () => {
    const json = JSON.stringify({
      id: 'mine',
      name: 'Mine',
      kind: 'vnc',
      fields: [{ name: 'sessionDir', type: 'string', label: 'Where', default: '/tmp/elsewhere' }],
    });
    const catalog = buildCatalog([
      { source: 'user', templates: [{ dir: '/home/u/.porthole/templates/mine', templateJson: json, jobScript: 'echo' }] },
    ]);
    assert.equal(catalog.templates.has('mine'), false);
    assert.equal(catalog.broken[0].id, 'mine');
    assert.match(catalog.broken[0].problems[0].message, /field 'sessionDir' of template 'mine' would set PORTHOLE_SESSION_DIR/);
  });

  it('refuses two fields that would set the same variable', () => {
    const json = JSON.stringify({
      id: 'mine',
      name: 'Mine',
      kind: 'vnc',
      fields: [
        { name: 'memoryGb', type: 'number', label: 'a' },
        { name: 'memoryGB', type: 'number', label: 'b' },
      ],
    });
    assert.throws(
      () => parseTemplateFile(json, 'mine'),
      /field 'memoryGB' of template 'mine' would set PORTHOLE_MEMORY_GB, as field 'memoryGb' does/,
    );
  });

  it('lets a user template override a built-in one with the same id and keeps broken ones apart', () => {
    const json = (name: string) => JSON.stringify({ id: 'vnc-desktop', name, kind: 'vnc', fields: [] });
    const catalog = buildCatalog([
      { source: 'builtin', templates: [{ dir: 'a', templateJson: json('Built in'), jobScript: 'echo' }] },
      {
        source: 'user',
        templates: [
          { dir: 'b', templateJson: json('Mine'), jobScript: 'echo' },
          { dir: 'c', templateJson: '{', jobScript: 'echo' },
        ],
      },
    ]);
    assert.equal(catalog.templates.get('vnc-desktop')?.file.name, 'Mine');
    assert.equal(catalog.templates.get('vnc-desktop')?.source, 'user');
    assert.deepEqual(
      catalog.broken.map((t) => t.id),
      ['c'],
    );
  });
});
