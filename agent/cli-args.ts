// The CLI's argument grammar: `<verb> [positional] [--json] [--param key=value]… [--all]
// [--lines N] [--with-secret]`. A verb is an RPC method's own name (protocol.ts), so the CLI and
// `serve` speak the same words, plus the verbs that only a process can do: `serve` itself and
// the relays. Pure, so that every refusal is tested without a cluster.
import { BadInputError } from './errors';
import { AGENT_METHODS, type AgentMethod } from './protocol';

/** Methods that hand out an endpoint `serve` keeps open: a one-shot CLI has none to keep (`relay <id>` pipes instead). */
const SERVE_ONLY = ['sessions.relay', 'sessions.sunshineWebUi'] as const satisfies readonly AgentMethod[];
export type CliMethod = Exclude<AgentMethod, (typeof SERVE_ONLY)[number]>;
const PROCESS_VERBS = ['serve', 'relay', 'relay-local'] as const;

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
}

const NEEDS_POSITIONAL: Partial<Record<CliVerb, string>> = {
  'sessions.launch': 'templateId',
  'sessions.show': 'id',
  'sessions.cancel': 'id',
  'sessions.connection': 'id',
  'sessions.logs': 'id',
  relay: 'id',
  'relay-local': 'target',
};

export function isCliMethod(verb: CliVerb): verb is CliMethod {
  return !(PROCESS_VERBS as readonly string[]).includes(verb);
}

export function parseCliArgs(argv: string[]): CliArgs {
  const [verb, ...rest] = argv;
  if (!verb || !(CLI_VERBS as readonly string[]).includes(verb))
    throw new BadInputError('verb', verb ?? '', `one of: ${CLI_VERBS.join(', ')}`);
  const args: CliArgs = { verb: verb as CliVerb, json: false, params: {}, all: false, withSecret: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--json') args.json = true;
    else if (arg === '--all') args.all = true;
    else if (arg === '--with-secret') args.withSecret = true;
    else if (arg === '--param') {
      const pair = rest[++i];
      const eq = pair?.indexOf('=') ?? -1;
      if (pair === undefined || eq < 1) throw new BadInputError('--param', pair ?? '', 'key=value, e.g. --param hours=2');
      args.params[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else if (arg === '--lines') {
      const text = rest[++i] ?? '';
      if (!/^\d+$/.test(text)) throw new BadInputError('--lines', text, 'a whole number from 1 to 10000');
      args.lines = Number(text);
    } else if (arg.startsWith('--'))
      throw new BadInputError('option', arg, 'one of: --json, --param key=value, --all, --lines N, --with-secret');
    else if (args.positional === undefined && NEEDS_POSITIONAL[args.verb]) args.positional = arg;
    else
      throw new BadInputError(
        'argument',
        arg,
        `${args.verb} takes ${NEEDS_POSITIONAL[args.verb] ? `one ${NEEDS_POSITIONAL[args.verb]}` : 'no argument'}`,
      );
  }
  const needed = NEEDS_POSITIONAL[args.verb];
  if (needed && args.positional === undefined) throw new BadInputError(needed, '', `\`${args.verb} <${needed}>\` needs it`);
  return args;
}
