// The JSON Schema of template.json (templates/template.schema.json), made from the agent's own
// zod schema so that what an editor completes and checks is what the agent loads. A unit test
// fails when the file is behind the schema; rewrite it with:
//   node --import tsx build/template-schema.ts --write
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJSONSchema } from 'zod/mini';
import { templateFileSchema } from '../agent/template-schema';

export const TEMPLATE_SCHEMA_FILE = join(__dirname, '..', 'templates', 'template.schema.json');

/** The file's text: the schema of what a template author writes (defaults may be left out). */
export function templateSchemaText(): string {
  const schema = toJSONSchema(templateFileSchema, { io: 'input', target: 'draft-2020-12' });
  const { $schema, ...rest } = schema;
  const described = {
    $schema,
    title: 'Porthole template.json',
    description: 'A Porthole template: what it launches and its form fields. docs/templates.md says what each field means.',
    ...rest,
  };
  return `${JSON.stringify(described, null, 2)}\n`;
}

if (process.argv.includes('--write')) writeFileSync(TEMPLATE_SCHEMA_FILE, templateSchemaText());
