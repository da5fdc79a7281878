// Checks what a person asked for against a template's form, field by field. Values arrive as
// strings (CLI --param) or JSON values (RPC); what comes out is typed and within the limits,
// or a BadInputError that names the field, the value and what is allowed. The rules themselves
// are the form's too (common/field-rules.ts).
import { DEFAULT_TEXT_MAX_LENGTH, numberProblem, textProblem } from './common/field-rules';
import { BadInputError } from './errors';
import type { FieldValue, FieldValues } from './protocol';
import type { TemplateFile } from './template-schema';

type Field = TemplateFile['fields'][number];

// A partition name goes into an #SBATCH line: only what Slurm itself allows in a name.
const PARTITION_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface ValidationContext {
  /** Partitions Slurm knows, when known; a partition value must be one of them. */
  partitions?: string[];
  /** Slurm's default partition, used when the template names none. */
  defaultPartition?: string;
}

export function validateValues(template: TemplateFile, given: Record<string, unknown>, context: ValidationContext = {}): FieldValues {
  const known = new Set(template.fields.map((f) => f.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      throw new BadInputError(
        name,
        given[name],
        `template '${template.id}' has no such field; its fields are: ${[...known].join(', ') || '(none)'}`,
      );
    }
  }
  const values: FieldValues = {};
  for (const field of template.fields) {
    const raw = Object.prototype.hasOwnProperty.call(given, field.name) ? given[field.name] : undefined;
    const value = raw === undefined ? (field.default ?? (field.type === 'partition' ? context.defaultPartition : undefined)) : raw;
    if (value === undefined) {
      if (field.type === 'partition' && context.partitions?.length === 0) continue;
      throw new BadInputError(field.name, raw, `a value is required (${describeAllowed(field, context)})`);
    }
    values[field.name] = checkField(field, value, context);
  }
  return values;
}

function checkField(field: Field, value: unknown, context: ValidationContext): FieldValue {
  const reject = (): never => {
    throw new BadInputError(field.name, value, describeAllowed(field, context));
  };
  switch (field.type) {
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
      if (!Number.isFinite(n) || numberProblem(n, field)) return reject();
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return reject();
    }
    case 'select': {
      if (typeof value !== 'string' || !field.options.some((o) => o.value === value)) return reject();
      return value;
    }
    case 'partition': {
      if (typeof value !== 'string' || !PARTITION_NAME.test(value)) return reject();
      if (context.partitions && !context.partitions.includes(value)) return reject();
      return value;
    }
    case 'string': {
      if (typeof value !== 'string' || textProblem(value, field)) return reject();
      return value;
    }
  }
}

export function describeAllowed(field: Field, context: ValidationContext = {}): string {
  switch (field.type) {
    case 'number': {
      const range = [field.min !== undefined ? `at least ${field.min}` : '', field.max !== undefined ? `at most ${field.max}` : '']
        .filter(Boolean)
        .join(' and ');
      return `a number${range ? ` ${range}` : ''}${field.step !== undefined ? ` in steps of ${field.step}` : ''}`;
    }
    case 'boolean':
      return 'true or false';
    case 'select':
      return `one of: ${field.options.map((o) => o.value).join(', ')}`;
    case 'partition':
      return context.partitions
        ? `a partition of this cluster; choose one of: ${context.partitions.join(', ')}`
        : 'a partition name (letters, digits, . _ -)';
    case 'string':
      return (
        `text of at most ${field.maxLength ?? DEFAULT_TEXT_MAX_LENGTH} characters ` +
        `without control characters or broken unicode${field.pattern ? `, matching ${field.pattern}` : ''}`
      );
  }
}
