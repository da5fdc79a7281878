// Turns a template and its validated values into the batch script (docs/architecture.md §3): #SBATCH lines
// built here from the resource fields, then every value as a single-quoted PORTHOLE_* assignment,
// then the job library's functions, then the template's static job.sh. No value reaches shell
// text any other way.
import type { FieldValues } from './protocol';
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

export function sbatchDirectives(values: FieldValues, sessionId: string): string[] {
  const lines = [`--job-name=porthole-${sessionId}`];
  // Values here are already validated (template-values.ts): partition names are [A-Za-z0-9_.-],
  // the others numbers; String() of a number cannot carry anything else.
  if (typeof values.partition === 'string') lines.push(`--partition=${values.partition}`);
  if (typeof values.hours === 'number') lines.push(`--time=${timeLimit(values.hours)}`);
  if (typeof values.cpus === 'number') lines.push(`--cpus-per-task=${Math.round(values.cpus)}`);
  if (typeof values.memoryGb === 'number') lines.push(`--mem=${Math.max(1, Math.round(values.memoryGb * 1024))}M`);
  if (typeof values.gpus === 'number' && values.gpus > 0) lines.push(`--gres=gpu:${Math.round(values.gpus)}`);
  return lines.map((line) => `#SBATCH ${line}`);
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
] as const;

function agentVariables(input: BatchScriptInput): Record<(typeof AGENT_VARIABLE_NAMES)[number], string> {
  return {
    PORTHOLE_SESSION_ID: input.sessionId,
    PORTHOLE_SESSION_DIR: input.sessionDir,
    PORTHOLE_TEMPLATE_ID: input.template.id,
    PORTHOLE_IMAGE: input.template.image ?? '',
    PORTHOLE_VNC_LISTEN: input.vncListen,
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
    '#!/bin/bash',
    ...sbatchDirectives(values, input.sessionId),
    '# Values of this session, each one single-quoted word (written by the Porthole agent).',
    ...assignments.map(([name, value]) => `${name}=${singleQuote(value)}`),
    `export ${assignments.map(([name]) => name).join(' ')}`,
    '# The Porthole job library: functions only, called by the template body.',
    input.jobLibrary.replace(/^# shellcheck shell=bash\n/, ''),
    '# The template body follows.',
    body,
  ].join('\n');
}
