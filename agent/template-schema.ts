// What a template.json may say (docs/architecture.md §3), parsed once at the boundary with zod.
// Field names that Slurm resources come from are fixed (RESOURCE_FIELDS, and NAMED_SBATCH_FIELDS
// in common/sbatch-options.ts) so that every template asks for the same thing under the same name;
// a site maps its own fields to further options only from SITE_SBATCH_OPTIONS (`sbatch`).
import { AGENT_VARIABLE_NAMES, variableName } from './batch-script';
import { isNamedSbatchField, SITE_SBATCH_OPTION_NAMES, SITE_SBATCH_OPTIONS } from './common/sbatch-options';
import * as z from './zod';
import type { TemplateField, TemplateSummary } from './protocol';

/** Field names the batch-script builder turns into #SBATCH lines from numbers and the partition. */
export const RESOURCE_FIELDS = ['partition', 'hours', 'cpus', 'memoryGb', 'gpus'] as const;

const fieldName = z
  .string()
  .check(z.regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'a field name is a letter then letters or digits (camelCase), at most 40'));
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const base = { name: fieldName, label: text(1, 80), help: z.optional(text(0, 300)) };

const fieldSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('number'),
    default: z.optional(z.number()),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
    step: z.optional(z.number().check(z.positive())),
  }),
  z.strictObject({
    ...base,
    type: z.literal('string'),
    default: z.optional(z.string()),
    pattern: z.optional(z.string()),
    maxLength: z.optional(z.number().check(z.int(), z.positive(), z.lte(4096))),
  }),
  z.strictObject({
    ...base,
    type: z.literal('select'),
    default: z.optional(z.string()),
    options: z.array(z.strictObject({ value: text(1, 200), label: text(1, 80) })).check(z.minLength(1)),
  }),
  z.strictObject({ ...base, type: z.literal('boolean'), default: z.optional(z.boolean()) }),
  z.strictObject({ ...base, type: z.literal('partition'), default: z.optional(z.string()), requireGpus: z.optional(z.boolean()) }),
  // Options from the user's Slurm associations: the field is named `account` (`qos`) and becomes --account (--qos).
  z.strictObject({
    ...base,
    name: z.literal('account', 'an account-type field is named account'),
    type: z.literal('account'),
    default: z.optional(z.string()),
  }),
  z.strictObject({
    ...base,
    name: z.literal('qos', 'a qos-type field is named qos'),
    type: z.literal('qos'),
    default: z.optional(z.string()),
  }),
]);

export const templateFileSchema = z
  .strictObject({
    id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a template id is lower-case letters, digits and dashes')),
    name: text(1, 80),
    description: z._default(text(0, 500), ''),
    icon: z._default(text(0, 40), 'desktop'),
    kind: z.enum(['vnc', 'sunshine']),
    /** An Apptainer image, used when the runtime field says apptainer or singularity. */
    image: z.optional(z.string().check(z.regex(/^\/[A-Za-z0-9._/-]+$/, 'an absolute path of letters, digits, . _ - /'))),
    fields: z.array(fieldSchema).check(z.maxLength(40)),
    /** Field name → an #SBATCH option from SITE_SBATCH_OPTIONS, for a site's own fields. */
    sbatch: z._default(z.record(fieldName, z.enum(SITE_SBATCH_OPTION_NAMES, `one of: ${SITE_SBATCH_OPTION_NAMES.join(', ')}`)), {}),
  })
  .check(
    z.superRefine((template, context) => {
      for (const [name, option] of Object.entries(template.sbatch)) {
        const field = template.fields.find((f) => f.name === name);
        const path = ['sbatch', name];
        if (!field)
          context.addIssue({ code: 'custom', path, message: `maps field '${name}' to ${option}, but the template has no such field` });
        else if (isNamedSbatchField(name) || (RESOURCE_FIELDS as readonly string[]).includes(name))
          context.addIssue({ code: 'custom', path, message: `field '${name}' already becomes an #SBATCH line of its own` });
        else if ((SITE_SBATCH_OPTIONS[option].kind === 'flag') !== (field.type === 'boolean'))
          context.addIssue({
            code: 'custom',
            path,
            message:
              SITE_SBATCH_OPTIONS[option].kind === 'flag'
                ? `${option} takes no value: map a boolean field to it`
                : `${option} needs a value: a boolean field cannot give one`,
          });
      }
      // Each field becomes one PORTHOLE_* variable of the batch script: two fields on one
      // variable, or a field on one the agent sets itself, would let the later assignment win.
      const fieldByVariable = new Map<string, string>();
      const agentVariables: readonly string[] = AGENT_VARIABLE_NAMES;
      template.fields.forEach((field, index) => {
        const variable = variableName(field.name);
        const path = ['fields', index, 'name'];
        const earlier = fieldByVariable.get(variable);
        if (agentVariables.includes(variable)) {
          context.addIssue({
            code: 'custom',
            path,
            message:
              `field '${field.name}' of template '${template.id}' would set ${variable}, ` +
              `which the agent sets itself for every session (reserved: ${AGENT_VARIABLE_NAMES.join(', ')}); rename the field`,
          });
        } else if (earlier === field.name) {
          context.addIssue({ code: 'custom', path, message: `field '${field.name}' appears twice` });
        } else if (earlier !== undefined) {
          context.addIssue({
            code: 'custom',
            path,
            message:
              `field '${field.name}' of template '${template.id}' would set ${variable}, ` +
              `as field '${earlier}' does; rename one of them`,
          });
        }
        fieldByVariable.set(variable, earlier ?? field.name);
      });
    }),
  );

export type TemplateFile = z.infer<typeof templateFileSchema>;

/** A template ready to launch: its parsed description, its job body and where it came from. */
export interface Template {
  file: TemplateFile;
  jobScript: string;
  source: TemplateSummary['source'];
}

export function templateSummary(template: Template): TemplateSummary {
  const { id, name, description, icon, kind, fields } = template.file;
  return { id, name, description, icon, kind, fields: fields as TemplateField[], source: template.source };
}

/** Parses template.json text; throws an Error naming the template and every problem. */
export function parseTemplateFile(text: string, where: string): TemplateFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${where}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  const parsed = templateFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new Error(`${where}: ${problems.join('; ')}`);
  }
  return parsed.data;
}
