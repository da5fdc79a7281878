// Checks a launch form against its template and the live cluster before anything is sent, so
// a person sees what is wrong next to the field. The agent validates again (it is the
// boundary) by the same rules (agent/common/field-rules.ts); this is for a quick, precise answer.
import { numberProblem, textProblem, type NumberProblem, type TextProblem } from '../../agent/common/field-rules';
import type { ClusterInfo, FieldValues, TemplateField } from '../../main/api';
import { effectiveDefaultQos } from '../../agent/common/accounting-rules';
import {
  accountChoices,
  chosenPartition,
  formAccount,
  formWallLimit,
  numberBounds,
  partitionChoices,
  qosChoices,
  type NumberBounds,
} from './form-bounds';

export type FieldErrors = Record<string, string>;
/** One value of a form (main/api.ts exports the record type only). */
export type FieldValue = FieldValues[string];

/** The values a form opens with: the template's defaults, then `given` (a relaunch) on top. */
export function initialValues(fields: TemplateField[], info: ClusterInfo | undefined, given: FieldValues = {}): FieldValues {
  const values: FieldValues = {};
  // The account first, wherever the template lists it: the QOS offered depends on it.
  for (const field of [...fields].sort((a, b) => Number(b.type === 'account') - Number(a.type === 'account'))) {
    if (field.type === 'partition') {
      const choices = partitionChoices(field, info, values);
      const preferred = field.default && choices.some((p) => p.name === field.default) ? field.default : undefined;
      const fallback = choices.find((p) => p.isDefault)?.name ?? choices[0]?.name;
      const value = preferred ?? fallback;
      if (value !== undefined) values[field.name] = value;
    } else if (field.type === 'account') {
      const choices = accountChoices(info);
      const value = choices.find((a) => a.name === field.default)?.name ?? choices[0]?.name;
      if (value !== undefined) values[field.name] = value;
    } else if (field.type === 'qos') {
      // The chosen account's default QOS.
      const account = formAccount(values, info);
      const value = account?.qos.includes(field.default ?? '') ? field.default : account && effectiveDefaultQos(account);
      if (value !== undefined) values[field.name] = value;
    } else if (field.type === 'select') {
      const value = field.default ?? field.options[0]?.value;
      if (value !== undefined) values[field.name] = value;
    } else if (field.default !== undefined) {
      values[field.name] = field.default;
    } else if (field.type === 'boolean') {
      values[field.name] = false;
    }
  }
  for (const [name, value] of Object.entries(given)) {
    if (fields.some((f) => f.name === name)) values[name] = value;
  }
  return values;
}

/** One field's problem in words that say what is allowed, or null when it is fine. */
export function validateField(
  field: TemplateField,
  value: FieldValue | undefined,
  fields: TemplateField[],
  values: FieldValues,
  info: ClusterInfo | undefined,
): string | null {
  switch (field.type) {
    case 'number': {
      if (value === undefined || value === '' || typeof value !== 'number' || Number.isNaN(value)) return `${field.label} needs a number`;
      const bounds = numberBounds(field, chosenPartition(fields, values, info), formWallLimit(values, info));
      const problem = numberProblem(value, { ...bounds, step: field.step });
      return problem && numberProblemWords(field.label, problem, bounds);
    }
    case 'string': {
      const problem = textProblem(typeof value === 'string' ? value : '', field);
      return problem && textProblemWords(field.label, problem);
    }
    case 'select':
      return field.options.some((o) => o.value === value) ? null : `Choose one of: ${field.options.map((o) => o.label).join(', ')}`;
    case 'partition': {
      const choices = partitionChoices(field, info, values);
      if (!info) return null;
      if (choices.some((p) => p.name === value)) return null;
      const account = formAccount(values, info)?.name;
      const forAccount = account && info.partitions.some((p) => p.accounts) ? ` open to account '${account}'` : '';
      if (choices.length === 0)
        return `Cluster '${info.clusterName}' has no partition${field.requireGpus ? ' with GPUs' : ''}${forAccount}`;
      const closed = info.partitions.find((p) => p.name === value && account && p.accounts && !p.accounts.includes(account));
      if (closed)
        return `Partition '${closed.name}' is not open to account '${account}'; choose one of: ${choices.map((p) => p.name).join(', ')}`;
      return (
        `Partition '${String(value ?? '')}' does not exist on cluster '${info.clusterName}'; ` +
        `choose one of: ${choices.map((p) => p.name).join(', ')}`
      );
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : `${field.label} is yes or no`;
    case 'account': {
      const choices = accountChoices(info);
      // No accounting on this cluster (or not read yet): Slurm's default account applies.
      if (choices.length === 0 || choices.some((a) => a.name === value)) return null;
      const names = choices.map((a) => a.name).join(', ');
      return `You have no account '${String(value ?? '')}' on cluster '${info!.clusterName}'; choose one of: ${names}`;
    }
    case 'qos': {
      const account = formAccount(values, info);
      if (!account || account.qos.includes(String(value))) return null;
      return `Account '${account.name}' does not allow QOS '${String(value ?? '')}'; choose one of: ${qosChoices(values, info).join(', ')}`;
    }
  }
}

export function validateForm(fields: TemplateField[], values: FieldValues, info: ClusterInfo | undefined): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of fields) {
    const problem = validateField(field, values[field.name], fields, values, info);
    if (problem) errors[field.name] = problem;
  }
  return errors;
}

function numberProblemWords(label: string, problem: NumberProblem, { limitedBy, wallLimitOf }: NumberBounds): string {
  switch (problem.kind) {
    case 'off-step':
      return problem.step === 1 ? `${label} must be a whole number` : `${label} must be a multiple of ${problem.step}`;
    case 'below-min':
      return `${label} must be at least ${problem.min}`;
    case 'above-max':
      if (wallLimitOf) return `${label} must be at most ${problem.max} (the MaxWall of ${wallLimitOf})`;
      return limitedBy
        ? `${label} must be at most ${problem.max} (the limit of partition '${limitedBy}')`
        : `${label} must be at most ${problem.max}`;
  }
}

function textProblemWords(label: string, problem: TextProblem): string {
  switch (problem.kind) {
    case 'control-character':
      return `${label} may not hold control characters (only text, new lines and tabs)`;
    case 'broken-unicode':
      return `${label} holds a broken Unicode character (a lone surrogate)`;
    case 'too-long':
      return `${label} may have at most ${problem.maxLength} characters`;
    case 'no-match':
      return `${label} does not have the expected form (${problem.pattern})`;
  }
}
