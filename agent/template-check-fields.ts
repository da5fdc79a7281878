// What a template's fields must mean, beyond their shape (which the zod schema checks): names
// that give each field a variable of its own, limits that leave some value allowed, defaults a
// user could submit unchanged, patterns that compile. A template that breaks one of these would
// run with a wrong variable or show a form nobody can fill, so it does not load.
import { AGENT_VARIABLE_NAMES, variableName } from './batch-script';
import { numberProblem, textProblem, type NumberProblem, type TextProblem } from './common/field-rules';

/** One problem, at a path inside template.json (`['fields', 2, 'default']`). */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** The part of a field these checks read; every field type has a name and a type. */
type CheckedField = { name: string; type: string } & Partial<{
  default: unknown;
  min: number;
  max: number;
  step: number;
  pattern: string;
  maxLength: number;
  options: { value: string }[];
}>;

/** `undefined` stands for a field whose shape is wrong: its place is kept, so the paths stay right. */
export function fieldIssues(templateId: string, fields: readonly (CheckedField | undefined)[]): FieldIssue[] {
  return [...fieldNameIssues(templateId, fields), ...fieldMeaningIssues(fields)];
}

// Each field becomes one PORTHOLE_* variable of the batch script: two fields on one
// variable, or a field on one the agent sets itself, would let the later assignment win.
function fieldNameIssues(templateId: string, fields: readonly (CheckedField | undefined)[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const fieldByVariable = new Map<string, string>();
  const agentVariables: readonly string[] = AGENT_VARIABLE_NAMES;
  fields.forEach((field, index) => {
    if (!field) return;
    const variable = variableName(field.name);
    const path = ['fields', index, 'name'];
    const earlier = fieldByVariable.get(variable);
    if (agentVariables.includes(variable)) {
      issues.push({
        path,
        message:
          `field '${field.name}' of template '${templateId}' would set ${variable}, ` +
          `which the agent sets itself for every session (reserved: ${AGENT_VARIABLE_NAMES.join(', ')}); rename the field`,
      });
    } else if (earlier === field.name) {
      issues.push({ path, message: `field '${field.name}' appears twice` });
    } else if (earlier !== undefined) {
      issues.push({
        path,
        message: `field '${field.name}' of template '${templateId}' would set ${variable}, as field '${earlier}' does; rename one of them`,
      });
    }
    fieldByVariable.set(variable, earlier ?? field.name);
  });
  return issues;
}

function fieldMeaningIssues(fields: readonly (CheckedField | undefined)[]): FieldIssue[] {
  return fields.flatMap((field, index) => {
    if (!field) return [];
    const at: PathOf = (...keys) => ['fields', index, ...keys];
    if (field.type === 'number') return numberFieldIssues(field, at);
    if (field.type === 'string') return stringFieldIssues(field, at);
    if (field.type === 'select') return selectFieldIssues(field, at);
    return [];
  });
}

type PathOf = (...keys: (string | number)[]) => (string | number)[];

function numberFieldIssues(field: CheckedField, at: PathOf): FieldIssue[] {
  const { min, max, step } = field;
  if (min !== undefined && max !== undefined && min > max)
    return [{ path: at('min'), message: `field '${field.name}': min ${min} is above max ${max}; no value would be allowed` }];
  if (typeof field.default !== 'number') return [];
  const problem = numberProblem(field.default, { min, max, step });
  return problem ? [{ path: at('default'), message: `field '${field.name}': default ${field.default} ${numberWords(problem)}` }] : [];
}

function stringFieldIssues(field: CheckedField, at: PathOf): FieldIssue[] {
  if (field.pattern !== undefined) {
    try {
      // The same flag the form and the agent read the pattern with (field-rules.ts).
      new RegExp(field.pattern, 'u');
    } catch (error) {
      return [
        {
          path: at('pattern'),
          message:
            `field '${field.name}': pattern ${JSON.stringify(field.pattern)} ` +
            `is not a valid regular expression (${(error as Error).message})`,
        },
      ];
    }
  }
  if (typeof field.default !== 'string') return [];
  const problem = textProblem(field.default, { maxLength: field.maxLength, pattern: field.pattern });
  return problem
    ? [{ path: at('default'), message: `field '${field.name}': default ${JSON.stringify(field.default)} ${textWords(problem)}` }]
    : [];
}

function selectFieldIssues(field: CheckedField, at: PathOf): FieldIssue[] {
  const values = (field.options ?? []).map((option) => option.value);
  const issues: FieldIssue[] = [];
  values.forEach((value, index) => {
    if (values.indexOf(value) !== index)
      issues.push({ path: at('options', index, 'value'), message: `field '${field.name}': option '${value}' appears twice` });
  });
  if (typeof field.default === 'string' && !values.includes(field.default))
    issues.push({
      path: at('default'),
      message: `field '${field.name}': default ${JSON.stringify(field.default)} is not one of its options: ${values.join(', ')}`,
    });
  return issues;
}

function numberWords(problem: NumberProblem): string {
  if (problem.kind === 'below-min') return `is below its min ${problem.min}`;
  if (problem.kind === 'above-max') return `is above its max ${problem.max}`;
  return `is not a whole number of steps of ${problem.step}`;
}

function textWords(problem: TextProblem): string {
  if (problem.kind === 'no-match') return `does not match its pattern ${JSON.stringify(problem.pattern)}`;
  if (problem.kind === 'too-long') return `is longer than its maxLength ${problem.maxLength}`;
  if (problem.kind === 'control-character') return 'holds a control character';
  return 'holds broken Unicode (a lone surrogate)';
}
