// Checks what a person asked for against a template's form, field by field. Values arrive as
// strings (CLI --param) or JSON values (RPC); what comes out is typed and within the limits,
// or a BadInputError that names the field, the value and what is allowed. The rules themselves
// are the form's too (common/field-rules.ts).
import { chosenAccount as accountOf, effectiveDefaultQos, wallLimit } from './common/accounting-rules';
import { DEFAULT_TEXT_MAX_LENGTH, numberProblem, textProblem } from './common/field-rules';
import { isNamedSbatchField, NAMED_SBATCH_FIELDS, SITE_SBATCH_OPTIONS } from './common/sbatch-options';
import { BadInputError } from './errors';
import type { AccountInfo, FieldValue, FieldValues, QosInfo } from './protocol';
import type { TemplateFile } from './template-schema';

type Field = TemplateFile['fields'][number];

// A partition name goes into an #SBATCH line: only what Slurm itself allows in a name.
const PARTITION_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface ValidationContext {
  /** Partitions Slurm knows, when known; a partition value must be one of them. */
  partitions?: string[];
  /** Slurm's default partition, used when the template names none. */
  defaultPartition?: string;
  /**
   * The user's accounts with the QOS each allows, from Slurm's accounting; an account or QOS
   * value must be one of them. Empty or absent where Slurm keeps no accounting: then a value
   * only needs to be a well-formed name, and Slurm decides.
   */
  accounts?: AccountInfo[];
  /** The limits of those QOS: a QOS's MaxWall bounds `hours`. */
  qos?: QosInfo[];
  /** Partition name → the accounts it admits (AllowAccounts), for partitions that name some. */
  partitionAccounts?: Record<string, string[]>;
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
  // The account first, wherever the template lists it: the QOS and the time are checked against it.
  for (const field of [...template.fields].sort((a, b) => Number(b.type === 'account') - Number(a.type === 'account'))) {
    const raw = Object.prototype.hasOwnProperty.call(given, field.name) ? given[field.name] : undefined;
    const value = raw === undefined ? (field.default ?? clusterDefault(field, values, context)) : raw;
    if (value === undefined) {
      if (field.type === 'partition' && context.partitions?.length === 0) continue;
      // Without accounting there is nothing to choose from: Slurm's own default applies.
      if ((field.type === 'account' || field.type === 'qos') && !context.accounts?.length) continue;
      throw new BadInputError(field.name, raw, `a value is required (${describeAllowed(field, context, values)})`);
    }
    values[field.name] = checkField(field, value, context, values);
    if (isNamedSbatchField(field.name)) checkSbatchValue(field.name, values[field.name], NAMED_SBATCH_FIELDS[field.name].rule);
    const siteOption = template.sbatch[field.name];
    if (siteOption) {
      const option = SITE_SBATCH_OPTIONS[siteOption];
      if (option.kind === 'value') checkSbatchValue(field.name, values[field.name], option.rule);
    }
  }
  checkWallTime(values, context);
  checkPartitionAccount(values, context);
  return values;
}

/** The value the cluster chooses for a field the person left out: Slurm's default partition, account or QOS. */
function clusterDefault(field: Field, values: FieldValues, context: ValidationContext): FieldValue | undefined {
  switch (field.type) {
    case 'partition':
      return context.defaultPartition;
    case 'account':
      return (context.accounts?.find((a) => a.isDefault) ?? context.accounts?.[0])?.name;
    case 'qos': {
      const account = chosenAccount(values, context);
      return account && effectiveDefaultQos(account);
    }
    default:
      return undefined;
  }
}

/** The account a launch runs under: the `account` value, else the user's default account. */
function chosenAccount(values: FieldValues, context: ValidationContext): AccountInfo | undefined {
  return accountOf(values.account, context.accounts ?? []);
}

/** An #SBATCH value must fit its option's rule; an empty text means "none" and writes no line. */
function checkSbatchValue(name: string, value: FieldValue, rule: { pattern: RegExp; allowed: string }): void {
  if (typeof value === 'boolean') throw new BadInputError(name, value, rule.allowed);
  const text = String(value);
  if (text !== '' && !rule.pattern.test(text)) throw new BadInputError(name, value, rule.allowed);
}

/** A partition that names its accounts (AllowAccounts) takes jobs of those only. */
function checkPartitionAccount(values: FieldValues, context: ValidationContext): void {
  const account = chosenAccount(values, context)?.name ?? (typeof values.account === 'string' ? values.account : undefined);
  const admitted = typeof values.partition === 'string' ? context.partitionAccounts?.[values.partition] : undefined;
  if (!account || !admitted || admitted.includes(account)) return;
  const open = (context.partitions ?? []).filter((p) => context.partitionAccounts?.[p]?.includes(account) ?? true);
  throw new BadInputError('partition', values.partition, `a partition open to account '${account}'; choose one of: ${open.join(', ')}`);
}

/** `hours` may not pass the MaxWall of the chosen QOS or of the account's association: Slurm would not run the job. */
function checkWallTime(values: FieldValues, context: ValidationContext): void {
  if (typeof values.hours !== 'number') return;
  const limit = wallLimit(chosenAccount(values, context), values.qos, context.qos ?? []);
  if (limit && Math.round(values.hours * 60) > limit.minutes)
    throw new BadInputError('hours', values.hours, `at most ${limit.minutes / 60} (${limit.minutes} minutes, the MaxWall of ${limit.of})`);
}

function checkField(field: Field, value: unknown, context: ValidationContext, values: FieldValues): FieldValue {
  const reject = (): never => {
    throw new BadInputError(field.name, value, describeAllowed(field, context, values));
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
    case 'account': {
      if (typeof value !== 'string') return reject();
      if (context.accounts?.length && !context.accounts.some((a) => a.name === value)) return reject();
      return value;
    }
    case 'qos': {
      if (typeof value !== 'string') return reject();
      const account = chosenAccount(values, context);
      if (context.accounts?.length && !account?.qos.includes(value)) return reject();
      return value;
    }
  }
}

export function describeAllowed(field: Field, context: ValidationContext = {}, values: FieldValues = {}): string {
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
    case 'account':
      return context.accounts?.length
        ? `an account you have on this cluster; choose one of: ${context.accounts.map((a) => a.name).join(', ')}`
        : NAMED_SBATCH_FIELDS.account.rule.allowed;
    case 'qos': {
      const account = chosenAccount(values, context);
      if (!context.accounts?.length) return NAMED_SBATCH_FIELDS.qos.rule.allowed;
      return account
        ? `a QOS that account '${account.name}' allows; choose one of: ${account.qos.join(', ') || '(none)'}`
        : 'a QOS of a valid account';
    }
  }
}
