// The `porthole` command line, read with node:util's parseArgs: pure, so that every refusal is
// tested without starting anything. Errors name the option, what was given and what is allowed.
import { parseArgs } from 'node:util';
import { PortholeError } from './errors';
import { DEFAULT_SERVE_PORT } from './host/serve-port';

export const PORTHOLE_USAGE = `Usage: porthole <command> [options]

Commands:
  serve [--port N]   serve the app on 127.0.0.1 and print the address to open
                     (without --port: ${DEFAULT_SERVE_PORT} every run, or the next free one)
  start [--port N]   open the app (Electron when installed, otherwise serve)
  demo               start the local test cluster and add it as cluster 'demo'

Options:
  --json             report an error as one JSON object on stderr
  -h, --help         print this help
  -v, --version      print Porthole's version`;

const COMMANDS = ['serve', 'start', 'demo'] as const;
type CommandName = (typeof COMMANDS)[number];

export type PortholeCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'serve' | 'start'; port?: number } | { kind: 'demo' };

const OPTIONS = {
  port: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Which options each command takes besides --json, --help and --version. */
const COMMAND_OPTIONS: Record<CommandName, readonly string[]> = { serve: ['port'], start: ['port'], demo: [] };

/** A command line that cannot run (exit 2), as opposed to a failure while running (exit 1). */
export class CliUsageError extends PortholeError {}

function badCliInput(field: string, given: string, allowed: string): CliUsageError {
  return new CliUsageError(`${field}: ${JSON.stringify(given)} is not allowed; ${allowed}`, { field });
}

/** Read before parsing, so that even a command line parseArgs refuses gets its error as JSON. */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json');
}

export function parsePortholeArgs(argv: string[]): PortholeCommand {
  // strict: false and tokens, so that the refusals below say what is allowed in our words.
  const { values, positionals, tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...extra] = positionals;
  if (!command) throw badCliInput('command', '', `one of: ${COMMANDS.join(', ')} (porthole --help says more)`);
  if (!(COMMANDS as readonly string[]).includes(command)) throw badCliInput('command', command, `one of: ${COMMANDS.join(', ')}`);
  const name = command as CommandName;
  const allowed = [...COMMAND_OPTIONS[name], 'json', 'help', 'version'];
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (!allowed.includes(token.name))
      throw badCliInput('option', token.rawName, `${name} takes ${allowed.map((o) => `--${o}`).join(', ')}`);
    const takesValue = OPTIONS[token.name as keyof typeof OPTIONS].type === 'string';
    if (takesValue && token.value === undefined) throw badCliInput(token.rawName, '', 'a value after it, e.g. --port 8080');
    if (!takesValue && token.value !== undefined) throw badCliInput(token.rawName, token.value, 'no value');
  }
  // After the options: an unknown option's value reads as an argument, and the option is the mistake.
  if (extra.length) throw badCliInput('argument', extra[0], `${name} takes no argument`);
  if (name === 'demo') return { kind: 'demo' };
  return { kind: name, port: values.port === undefined ? undefined : parsePort(String(values.port)) };
}

function parsePort(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw badCliInput('--port', text, 'a whole number from 0 to 65535 (0: any free port)');
  return port;
}

/** An error as `porthole --json` prints it: `{ "error": { "message", "field"? } }`. */
export function errorJson(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const field = error instanceof PortholeError ? error.field : undefined;
  return JSON.stringify({ error: field ? { message, field } : { message } });
}

/** 2 for a command line that cannot run, 1 for a failure while running. */
export function cliExitCode(error: unknown): number {
  return error instanceof CliUsageError ? 2 : 1;
}
