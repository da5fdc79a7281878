// What a template.json may say (docs/architecture.md §3), parsed once at the boundary with zod.
// Field names that Slurm resources come from are fixed (RESOURCE_FIELDS, and NAMED_SBATCH_FIELDS
// in common/sbatch-options.ts) so that every template asks for the same thing under the same name;
// a site maps its own fields to further options only from SITE_SBATCH_OPTIONS (`sbatch`).
import { isNamedSbatchField, SITE_SBATCH_OPTION_NAMES, SITE_SBATCH_OPTIONS } from './common/sbatch-options';
import { idleMinutesSchema } from './config-schemas';
import { positionOfPath, readJson } from './json-positions';
import { fieldIssues, type FieldIssue } from './template-check-fields';
import * as z from './zod';
import type { TemplateField, TemplateProblem, TemplateSummary } from './protocol';

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

export const templateFileSchema = z.strictObject({
  /** Where an editor finds the JSON Schema (templates/template.schema.json); the agent ignores it. */
  $schema: z.optional(z.string()),
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a template id is lower-case letters, digits and dashes')),
  name: text(1, 80),
  description: z._default(text(0, 500), ''),
  icon: z._default(text(0, 40), 'desktop'),
  kind: z.enum(['vnc', 'sunshine']),
  /** An Apptainer image, used when the runtime field says apptainer or singularity. */
  image: z.optional(z.string().check(z.regex(/^\/[A-Za-z0-9._/-]+$/, 'an absolute path of letters, digits, . _ - /'))),
  fields: z.array(fieldSchema).check(z.maxLength(40)),
  /** Field name → an #SBATCH option from SITE_SBATCH_OPTIONS, for a site's own fields. */
  /** Where files dropped on the viewer go: a folder of the home (e.g. `Desktop`); left out: the session's own `files/`. */
  files: z.optional(
    z.strictObject({
      folder: z
        .string()
        .check(
          z.regex(
            /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._ -]+(?:\/[A-Za-z0-9._ -]+)*$/,
            'a folder relative to the home: names of letters, digits, . _ - and spaces joined by /, no . or .. and no leading /',
          ),
          z.maxLength(200),
        ),
    }),
  ),
  sbatch: z._default(z.record(fieldName, z.enum(SITE_SBATCH_OPTION_NAMES, `one of: ${SITE_SBATCH_OPTION_NAMES.join(', ')}`)), {}),
  /** Stop the desktop after this many minutes with no viewer connected and no input, warning its owner first. */
  idle: z.optional(z.strictObject({ minutes: idleMinutesSchema })),
});

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

/** Parses template.json text; throws an Error naming the template and every problem with its line and column. */
export function parseTemplateFile(text: string, where: string): TemplateFile {
  const checked = checkTemplateJson(text, where);
  if (!checked.template) throw new Error(checked.problems.map(problemLine).join('; '));
  return checked.template;
}

/**
 * template.json's text, checked for its syntax, its shape (the zod schema) and its meaning
 * (template-check-fields.ts). The meaning of each field whose own shape is right is checked even
 * when something else is wrong, so that one run names every problem.
 */
export function checkTemplateJson(text: string, file: string): { template?: TemplateFile; problems: TemplateProblem[] } {
  const reading = readJson(text);
  const at = (position: { line: number; column: number }, message: string): TemplateProblem => ({ file, ...position, message });
  if (!('tree' in reading)) return { problems: reading.problems.map((p) => at(p, p.message)) };
  const where = (path: readonly PropertyKey[]): string => (path.length ? `${path.join('.')}: ` : '');
  const parsed = templateFileSchema.safeParse(reading.value);
  const shapeProblems = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) => {
        const path = issue.path.map((key) => (typeof key === 'number' ? key : String(key)));
        // Each unknown key at its own place: a typo is fixed where it is written.
        if (issue.code === 'unrecognized_keys')
          return issue.keys.map((key) => at(positionOfPath(text, reading.tree, path, key), `${where(path)}unknown key "${key}"`));
        return [at(positionOfPath(text, reading.tree, path), `${where(path)}${issueWords(issue, reading.value)}`)];
      });
  const meaningProblems = meaningIssues(reading.value).map((issue) =>
    at(positionOfPath(text, reading.tree, issue.path), `${where(issue.path)}${issue.message}`),
  );
  const problems = [...reading.problems.map((p) => at(p, p.message)), ...shapeProblems, ...meaningProblems].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
  return parsed.success && !problems.length ? { template: parsed.data, problems: [] } : { problems };
}

function meaningIssues(value: unknown): FieldIssue[] {
  const { id, fields } = (value ?? {}) as { id?: unknown; fields?: unknown };
  if (!Array.isArray(fields)) return [];
  const wellShaped = fields.map((field) => {
    const parsed = fieldSchema.safeParse(field);
    return parsed.success ? parsed.data : undefined;
  });
  return [...fieldIssues(typeof id === 'string' ? id : '?', wellShaped), ...sbatchIssues(value)];
}

/** A site's `sbatch` mapping: each names a field of the template that has no option of its own, of the kind the option takes. */
function sbatchIssues(value: unknown): FieldIssue[] {
  const { fields, sbatch } = (value ?? {}) as { fields?: unknown; sbatch?: unknown };
  if (!Array.isArray(fields) || sbatch === null || typeof sbatch !== 'object') return [];
  const issues: FieldIssue[] = [];
  for (const [name, option] of Object.entries(sbatch)) {
    if (!SITE_SBATCH_OPTION_NAMES.includes(option)) continue; // the schema names it
    const field = fields.find((f) => (f as { name?: unknown })?.name === name) as { type?: unknown } | undefined;
    const path = ['sbatch', name];
    const takesFlag = SITE_SBATCH_OPTIONS[option as keyof typeof SITE_SBATCH_OPTIONS].kind === 'flag';
    if (!field) issues.push({ path, message: `maps field '${name}' to ${option}, but the template has no such field` });
    else if (isNamedSbatchField(name) || (RESOURCE_FIELDS as readonly string[]).includes(name))
      issues.push({ path, message: `field '${name}' already becomes an #SBATCH line of its own` });
    else if (takesFlag !== (field.type === 'boolean'))
      issues.push({
        path,
        message: takesFlag
          ? `${option} takes no value: map a boolean field to it`
          : `${option} needs a value: a boolean field cannot give one`,
      });
  }
  return issues;
}

export function problemLine(problem: TemplateProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

type SchemaIssue = NonNullable<ReturnType<typeof templateFileSchema.safeParse>['error']>['issues'][number];

/** zod's words, made specific where a template author needs to know what is allowed. */
function issueWords(issue: SchemaIssue, value: unknown): string {
  // zod names the allowed discriminator values on the issue, outside its typings.
  const { options } = issue as { options?: unknown };
  if (issue.code === 'invalid_union' && Array.isArray(options)) {
    const given = issue.path.reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined),
      value,
    );
    return `unknown field type ${JSON.stringify(given)}; allowed: ${options.join(', ')}`;
  }
  return issue.message;
}
