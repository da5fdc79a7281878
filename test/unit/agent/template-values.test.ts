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
      (error: unknown) => error instanceof BadInputError && error.field === 'partition' && /"gpux"/.test(error.message) && /choose one of: cpu, gpu, viz/.test(error.message),
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
      for (const name of ['partition', 'hours', 'cpus', 'memoryGb', 'resolution', 'runtime']) assert.ok(names.includes(name), `${id} lacks ${name}`);
    }
  });

  it('says what is wrong with a template that does not parse', () => {
    assert.throws(() => parseTemplateFile('{"id":"Bad Id","name":"x","kind":"vnc","fields":[]}', 'bad'), /bad: id: a template id/);
    assert.throws(() => parseTemplateFile('{nope', 'broken'), /broken: not valid JSON/);
  });

  it('lets a user template override a built-in one with the same id and leaves out broken ones', () => {
    const json = (name: string) => JSON.stringify({ id: 'vnc-desktop', name, kind: 'vnc', fields: [] });
    const catalog = buildCatalog([
      { source: 'builtin', templates: [{ dir: 'a', templateJson: json('Built in'), jobScript: 'echo' }] },
      { source: 'user', templates: [{ dir: 'b', templateJson: json('Mine'), jobScript: 'echo' }, { dir: 'c', templateJson: '{', jobScript: 'echo' }] },
    ]);
    assert.equal(catalog.templates.get('vnc-desktop')?.file.name, 'Mine');
    assert.equal(catalog.templates.get('vnc-desktop')?.source, 'user');
    assert.equal(catalog.problems.length, 1);
  });
});
