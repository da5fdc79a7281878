// Which template fields become #SBATCH lines, and what a value must look like to get there. A
// value reaches an #SBATCH line only through these rules: each admits nothing but what Slurm
// reads as that option (no spaces, quotes or new lines), so no free text reaches the script.
// Shared by the agent (the boundary) and the form (which words the same rule next to the field).

export interface SbatchValueRule {
  pattern: RegExp;
  /** What is allowed, for an error message. */
  allowed: string;
}

// What Slurm itself allows in an account, QOS, reservation, partition or GRES type name.
const SLURM_NAME: SbatchValueRule = { pattern: /^[A-Za-z0-9_.-]{1,64}$/, allowed: 'a name of letters, digits, . _ - (at most 64)' };

/** Field names with an #SBATCH option of their own (besides partition and the numbers), and their values' rules. */
export const NAMED_SBATCH_FIELDS = {
  account: { option: '--account', rule: SLURM_NAME },
  qos: { option: '--qos', rule: SLURM_NAME },
  reservation: { option: '--reservation', rule: SLURM_NAME },
  // Node features joined by Slurm's operators: a&b, a|b, [a|b], a*2, (a|b)&c.
  constraint: {
    option: '--constraint',
    rule: { pattern: /^[A-Za-z0-9_.\-&|,[\]*()]{1,256}$/, allowed: 'node features with & | , [ ] * ( ) between them (no spaces)' },
  },
  // Not an option alone: with `gpus`, it makes --gres=gpu:<type>:<count>.
  gpuType: { option: '--gres', rule: SLURM_NAME },
} as const satisfies Record<string, { option: string; rule: SbatchValueRule }>;

export type NamedSbatchField = keyof typeof NAMED_SBATCH_FIELDS;

export function isNamedSbatchField(name: string): name is NamedSbatchField {
  return Object.prototype.hasOwnProperty.call(NAMED_SBATCH_FIELDS, name);
}

const HOST_LIST: SbatchValueRule = {
  pattern: /^[A-Za-z0-9_.\-[\],]{1,1024}$/,
  allowed: 'host names or a Slurm host list such as node[01-04]',
};

/**
 * Options a site may give a template's own fields (`"sbatch": {"<field>": "<option>"}` in
 * template.json). Only these: each is harmless to let a user set within its rule. A `flag`
 * option is written alone when its boolean field is true.
 */
export const SITE_SBATCH_OPTIONS = {
  '--licenses': {
    kind: 'value',
    rule: {
      pattern: /^[A-Za-z0-9_.@-]+(:\d+)?(,[A-Za-z0-9_.@-]+(:\d+)?)*$/,
      allowed: 'license names, each with an optional :count, separated by commas',
    },
  },
  '--wckey': { kind: 'value', rule: SLURM_NAME },
  '--mail-type': { kind: 'value', rule: { pattern: /^[A-Z0-9_]+(,[A-Z0-9_]+)*$/, allowed: 'Slurm mail types such as BEGIN,END,FAIL' } },
  '--nodelist': { kind: 'value', rule: HOST_LIST },
  '--exclude': { kind: 'value', rule: HOST_LIST },
  '--tmp': { kind: 'value', rule: { pattern: /^\d{1,9}[KMGT]?$/, allowed: 'a size such as 10G' } },
  '--exclusive': { kind: 'flag' },
} as const satisfies Record<string, { kind: 'value'; rule: SbatchValueRule } | { kind: 'flag' }>;

export type SiteSbatchOption = keyof typeof SITE_SBATCH_OPTIONS;
export const SITE_SBATCH_OPTION_NAMES = Object.keys(SITE_SBATCH_OPTIONS) as [SiteSbatchOption, ...SiteSbatchOption[]];
