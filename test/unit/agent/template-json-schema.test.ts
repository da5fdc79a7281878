// templates/template.schema.json is what editors check template.json against: it must say what
// the agent's zod schema says, and every shipped template names it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { templateFileSchema } from '../../../agent/template-schema';
import { TEMPLATE_SCHEMA_FILE, templateSchemaText } from '../../../build/template-schema';
import { projectRoot } from '../../cluster/fixture';

describe('the JSON Schema of template.json', () => {
  it('is the one made from the agent’s schema (node --import tsx build/template-schema.ts --write rewrites it)', () => {
    assert.equal(readFileSync(TEMPLATE_SCHEMA_FILE, 'utf8'), templateSchemaText());
  });

  it('lists every key a template may have, and the field types', () => {
    const schema = JSON.parse(readFileSync(TEMPLATE_SCHEMA_FILE, 'utf8'));
    assert.deepEqual(Object.keys(schema.properties), Object.keys(templateFileSchema.def.shape));
    assert.equal(schema.additionalProperties, false);
    const types = schema.properties.fields.items.oneOf.map(
      (field: { properties: { type: { const: string } } }) => field.properties.type.const,
    );
    for (const type of ['number', 'string', 'select', 'boolean', 'partition']) assert.ok(types.includes(type), type);
  });

  it('is named by every shipped template', () => {
    const templates = join(projectRoot, 'templates');
    for (const dir of readdirSync(templates).filter((name) => existsSync(join(templates, name, 'template.json')))) {
      const file = join(templates, dir, 'template.json');
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).$schema, '../template.schema.json', file);
    }
  });
});
