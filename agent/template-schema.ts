// What a template.json may say (DESIGN.md §3), parsed once at the boundary with zod.
// Field names that Slurm resources come from are fixed (RESOURCE_FIELDS) so that every
// template asks for the same thing under the same name.
import { z } from 'zod';
import type { TemplateField, TemplateSummary } from './protocol';

/** Field names the batch-script builder turns into #SBATCH lines. */
export const RESOURCE_FIELDS = ['partition', 'hours', 'cpus', 'memoryGb', 'gpus'] as const;

const fieldName = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'a field name is a letter then letters or digits (camelCase), at most 40');
const base = { name: fieldName, label: z.string().min(1).max(80), help: z.string().max(300).optional() };

const fieldSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('number'), default: z.number().optional(), min: z.number().optional(), max: z.number().optional(), step: z.number().positive().optional() }).strict(),
  z.object({ ...base, type: z.literal('string'), default: z.string().optional(), pattern: z.string().optional(), maxLength: z.number().int().positive().max(4096).optional() }).strict(),
  z.object({ ...base, type: z.literal('select'), default: z.string().optional(), options: z.array(z.object({ value: z.string().min(1).max(200), label: z.string().min(1).max(80) }).strict()).min(1) }).strict(),
  z.object({ ...base, type: z.literal('boolean'), default: z.boolean().optional() }).strict(),
  z.object({ ...base, type: z.literal('partition'), default: z.string().optional(), requireGpus: z.boolean().optional() }).strict(),
]);

export const templateFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a template id is lower-case letters, digits and dashes'),
    name: z.string().min(1).max(80),
    description: z.string().max(500).default(''),
    icon: z.string().max(40).default('🖥️'),
    kind: z.enum(['vnc', 'sunshine']),
    /** An Apptainer image, used when the runtime field says apptainer or singularity. */
    image: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, 'an absolute path of letters, digits, . _ - /').optional(),
    fields: z.array(fieldSchema).max(40),
  })
  .strict()
  .superRefine((template, context) => {
    const seen = new Set<string>();
    for (const field of template.fields) {
      if (seen.has(field.name)) context.addIssue({ code: 'custom', message: `field '${field.name}' appears twice` });
      seen.add(field.name);
    }
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
