// Turns a template and its validated values into the batch script (docs/architecture.md §3): #SBATCH lines
// built here from the resource fields, then every value as a single-quoted PORTHOLE_* assignment,
// then the job library's functions, then the template's static job.sh. No value reaches shell
// text any other way.
import type { FieldValues } from './protocol';
import { SITE_SBATCH_OPTIONS } from './common/sbatch-options';
import { singleQuote } from './common/shell-quote';
import type { TemplateFile } from './template-schema';

export interface BatchScriptInput {
  template: TemplateFile;
  jobScript: string;
  /** Shell functions the job script may call (templates/lib/job-lib.sh); they hold no value. */
  jobLibrary: string;
  values: FieldValues;
  sessionId: string;
  sessionDir: string;
  /** Where the job's VNC server listens (PORTHOLE_VNC_LISTEN). */
  vncListen: VncListen;
  /** Stop the desktop after this many minutes with no viewer and no input (PORTHOLE_IDLE_MINUTES); none: never. */
  idleMinutes?: number;
}

/**
 * `socket`: a Unix socket only the user can reach, for every route that ends on the node
 * (ssh, srun, auto). `tcp`: a port on the node's address, which only the `direct` route needs.
 */
export type VncListen = 'socket' | 'tcp';

/** `memoryGb` → `PORTHOLE_MEMORY_GB`. */
export function variableName(fieldName: string): string {
  return `PORTHOLE_${fieldName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** Slurm's --time from hours; at least one minute. */
export function timeLimit(hours: number): string {
  const minutes = Math.max(1, Math.round(hours * 60));
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:00`;
}

export function sbatchDirectives(values: FieldValues, sessionId: string, siteOptions: TemplateFile['sbatch'] = {}): string[] {
  const lines = [`--job-name=porthole-${sessionId}`];
  // Values here are already validated (template-values.ts): names and the text options meet
  // their rules in common/sbatch-options.ts, the others are numbers; String() of a number
  // cannot carry anything else. An empty text means "none".
  const text = (name: string): string | undefined =>
    typeof values[name] === 'string' && values[name] !== '' ? String(values[name]) : undefined;
  if (text('partition')) lines.push(`--partition=${text('partition')}`);
  if (text('account')) lines.push(`--account=${text('account')}`);
  if (text('qos')) lines.push(`--qos=${text('qos')}`);
  if (typeof values.hours === 'number') lines.push(`--time=${timeLimit(values.hours)}`);
  if (typeof values.cpus === 'number') lines.push(`--cpus-per-task=${Math.round(values.cpus)}`);
  if (typeof values.memoryGb === 'number') lines.push(`--mem=${Math.max(1, Math.round(values.memoryGb * 1024))}M`);
  if (typeof values.gpus === 'number' && values.gpus > 0)
    lines.push(`--gres=gpu:${text('gpuType') ? `${text('gpuType')}:` : ''}${Math.round(values.gpus)}`);
  if (text('constraint')) lines.push(`--constraint=${text('constraint')}`);
  if (text('reservation')) lines.push(`--reservation=${text('reservation')}`);
  for (const [field, option] of Object.entries(siteOptions)) {
    const value = values[field];
    if (SITE_SBATCH_OPTIONS[option].kind === 'flag') {
      if (value === true) lines.push(option);
    } else if (typeof value === 'number' || text(field)) lines.push(`${option}=${String(value)}`);
  }
  return lines.map((line) => `#SBATCH ${line}`);
}

/**
 * The template's own `#!` line, kept: `#!/bin/bash -l` makes the job a login shell, which sites
 * need for `module` and their profile. Only bash (the job library is bash), with only the options
 * -l, -e, -x or --login; any other line becomes `#!/bin/bash`.
 */
export function shebangOf(jobScript: string): string {
  const line = /^#!(.*)\n/.exec(jobScript)?.[1].trim();
  // `env` takes no second word on Linux: `#!/usr/bin/env bash -l` would look for a program "bash -l".
  return line && /^(?:(?:\/usr)?\/bin\/bash(?: -[lex]+| --login)*|\/usr\/bin\/env bash)$/.test(line) ? `#!${line}` : '#!/bin/bash';
}

/**
 * The variables the agent itself sets in every batch script. A template field whose variable
 * would take one of these names is refused when the template is loaded (template-schema.ts).
 */
export const AGENT_VARIABLE_NAMES = [
  'PORTHOLE_SESSION_ID',
  'PORTHOLE_SESSION_DIR',
  'PORTHOLE_TEMPLATE_ID',
  'PORTHOLE_IMAGE',
  'PORTHOLE_VNC_LISTEN',
  'PORTHOLE_IDLE_MINUTES',
] as const;

function agentVariables(input: BatchScriptInput): Record<(typeof AGENT_VARIABLE_NAMES)[number], string> {
  return {
    PORTHOLE_SESSION_ID: input.sessionId,
    PORTHOLE_SESSION_DIR: input.sessionDir,
    PORTHOLE_TEMPLATE_ID: input.template.id,
    PORTHOLE_IMAGE: input.template.image ?? '',
    PORTHOLE_VNC_LISTEN: input.vncListen,
    PORTHOLE_IDLE_MINUTES: input.idleMinutes === undefined ? '' : String(input.idleMinutes),
  };
}

export function buildBatchScript(input: BatchScriptInput): string {
  const { values } = input;
  const assignments: [string, string][] = [
    ...Object.entries(agentVariables(input)),
    ...Object.entries(values).map(([name, value]): [string, string] => [variableName(name), String(value)]),
  ];
  const body = input.jobScript.replace(/^#!.*\n/, '');
  return [
    shebangOf(input.jobScript),
    ...sbatchDirectives(values, input.sessionId, input.template.sbatch),
    '# Values of this session, each one single-quoted word (written by the Porthole agent).',
    ...assignments.map(([name, value]) => `${name}=${singleQuote(value)}`),
    `export ${assignments.map(([name]) => name).join(' ')}`,
    '# The Porthole job library: functions only, called by the template body.',
    input.jobLibrary.replace(/^# shellcheck shell=bash\n/, ''),
    '# The template body follows.',
    body,
  ].join('\n');
}
