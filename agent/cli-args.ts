// The CLI's argument grammar, read with node:util's parseArgs: `<verb> [positional] [--json]
// [--param key=value]… [--all] [--lines N] [--with-secret]`, and `--help`, `--version`. A verb is
// an RPC method's own name (protocol.ts), so the CLI and `serve` speak the same words, plus the
// verbs that are no method: `serve` itself, the relays, and `templates.check`, which an admin
// runs on a folder before any user sees it. A dotted verb may be written with a space
// (`templates check`). Pure, so that every refusal is tested without a cluster.
import { parseArgs } from 'node:util';
import { BadInputError } from './errors';
import { parseListenAddress, type ListenAddress } from './metrics-listen-address';
import { AGENT_METHODS, type AgentMethod } from './protocol';

/** Methods that hand out an endpoint `serve` keeps open: a one-shot CLI has none to keep (`relay <id>` pipes instead). */
const SERVE_ONLY = [
  'sessions.relay',
  'sessions.sunshineWebUi',
  // A share's server lives in `serve`, as long as the owner's app is connected.
  'shares.create',
  'shares.stop',
  'shares.open',
] as const satisfies readonly AgentMethod[];
export type CliMethod = Exclude<AgentMethod, (typeof SERVE_ONLY)[number]>;
const PROCESS_VERBS = ['templates.check', 'serve', 'relay', 'relay-local', 'metrics'] as const;

export const CLI_VERBS: readonly (CliMethod | (typeof PROCESS_VERBS)[number])[] = [
  ...(AGENT_METHODS.filter((m) => !(SERVE_ONLY as readonly AgentMethod[]).includes(m)) as CliMethod[]),
  ...PROCESS_VERBS,
];
export type CliVerb = (typeof CLI_VERBS)[number];

export interface CliArgs {
  verb: CliVerb;
  positional?: string;
  json: boolean;
  params: Record<string, string>;
  all: boolean;
  withSecret: boolean;
  /** Left out: the method's default. Its range is the method's params schema's to check. */
  lines?: number;
  /** metrics: serve /metrics there instead of printing once. */
  listen?: ListenAddress;
}

const NEEDS_POSITIONAL: Partial<Record<CliVerb, string>> = {
  'sessions.launch': 'templateId',
  'sessions.show': 'id',
  'sessions.cancel': 'id',
  'sessions.connection': 'id',
  'sessions.logs': 'id',
  'sessions.keepRunning': 'id',
  'files.folder': 'id',
  'files.probeWrite': 'id',
  'templates.check': 'folder',
  relay: 'id',
  'relay-local': 'target',
};

export function isCliMethod(verb: CliVerb): verb is CliMethod {
  return !(PROCESS_VERBS as readonly string[]).includes(verb);
}

const OPTIONS = {
  json: { type: 'boolean' },
  all: { type: 'boolean' },
  'with-secret': { type: 'boolean' },
  param: { type: 'string', multiple: true },
  lines: { type: 'string' },
  listen: { type: 'string' },
  'listen-public': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;
type OptionName = keyof typeof OPTIONS;
const OPTIONS_ALLOWED =
  'one of: --json, --param key=value, --all, --lines N, --with-secret, --listen HOST:PORT, --listen-public, --help, --version';

export const AGENT_USAGE = `Usage: node agent.cjs <verb> [argument] [options]

Verbs:
${CLI_VERBS.map((verb) => `  ${verb}${NEEDS_POSITIONAL[verb] ? ` <${NEEDS_POSITIONAL[verb]}>` : ''}`).join('\n')}
A dotted verb may be written with a space: templates check <folder>.
templates.check exits 2 when a template has a problem, each printed as file:line:column: message.

Options:
  --json               print the result, or the error, as JSON
  --param key=value    a launch's form value (repeat it for each)
  --all                sessions.list: ended sessions too
  --lines N            sessions.logs: how many of the last lines
  --with-secret        sessions.connection: with the VNC password
  --listen HOST:PORT   metrics: serve /metrics there (loopback only) instead of printing once
  --listen-public      metrics: allow a --listen address other hosts can reach
  -h, --help           print this help
  -v, --version        print the agent's version`;

/** `--help` or `--version` anywhere on the line: answered before the rest is checked. */
export function cliInfoRequest(argv: string[]): 'help' | 'version' | null {
  const { values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false });
  return values.help ? 'help' : values.version ? 'version' : null;
}

export function parseCliArgs(argv: string[]): CliArgs {
  // strict: false and tokens, so that each refusal says what is allowed in the agent's own words.
  const { values, tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  let verb: CliVerb | undefined;
  let group: string | undefined;
  let positional: string | undefined;
  for (const token of tokens) {
    if (token.kind === 'option') checkOption(token.name, token.rawName, token.value);
    if (token.kind !== 'positional') continue;
    if (verb === undefined && group === undefined && isVerbGroup(token.value)) group = token.value;
    else if (verb === undefined) verb = verbOf(group === undefined ? token.value : `${group}.${token.value}`);
    else if (positional === undefined && NEEDS_POSITIONAL[verb]) positional = token.value;
    else
      throw new BadInputError(
        'argument',
        token.value,
        `${verb} takes ${NEEDS_POSITIONAL[verb] ? `one ${NEEDS_POSITIONAL[verb]}` : 'no argument'}`,
      );
  }
  if (verb === undefined) throw badVerb(group ?? '');
  const needed = NEEDS_POSITIONAL[verb];
  if (needed && positional === undefined) throw new BadInputError(needed, '', `\`${verb} <${needed}>\` needs it`);
  return {
    verb,
    positional,
    json: values.json === true,
    all: values.all === true,
    withSecret: values['with-secret'] === true,
    params: paramsOf((values.param ?? []) as string[]),
    lines: values.lines === undefined ? undefined : linesOf(String(values.lines)),
    listen: values.listen === undefined ? undefined : parseListenAddress(String(values.listen), values['listen-public'] === true),
  };
}

/** `templates` in `templates check`: the part before the dot of some verb, and no verb itself. */
function isVerbGroup(text: string): boolean {
  return !(CLI_VERBS as readonly string[]).includes(text) && CLI_VERBS.some((verb) => verb.startsWith(`${text}.`));
}

function verbOf(text: string): CliVerb {
  if (!(CLI_VERBS as readonly string[]).includes(text)) throw badVerb(text);
  return text as CliVerb;
}

function badVerb(text: string): BadInputError {
  return new BadInputError('verb', text, `one of: ${CLI_VERBS.join(', ')}`);
}

function checkOption(name: string, rawName: string, value: string | undefined): void {
  if (!(name in OPTIONS)) throw new BadInputError('option', rawName, OPTIONS_ALLOWED);
  const takesValue = OPTIONS[name as OptionName].type === 'string';
  if (takesValue && value === undefined)
    throw new BadInputError(rawName, '', `a value after it, e.g. ${rawName} ${VALUE_EXAMPLES[name] ?? 'hours=2'}`);
  if (!takesValue && value !== undefined) throw new BadInputError(rawName, value, 'no value');
}

const VALUE_EXAMPLES: Partial<Record<string, string>> = { lines: '100', listen: '127.0.0.1:9464' };

function paramsOf(pairs: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new BadInputError('--param', pair, 'key=value, e.g. --param hours=2');
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return params;
}

function linesOf(text: string): number {
  if (!/^\d+$/.test(text)) throw new BadInputError('--lines', text, 'a whole number from 1 to 10000');
  return Number(text);
}
