import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_USAGE, CLI_VERBS, cliInfoRequest, parseCliArgs } from '../../../agent/cli-args';
import { BadInputError, toRpcError } from '../../../agent/errors';

function refusal(argv: string[]): BadInputError {
  try {
    parseCliArgs(argv);
  } catch (error) {
    if (error instanceof BadInputError) return error;
    throw error;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

describe('agent command line (parseArgs)', () => {
  it('answers --help and --version wherever they stand, before the rest is checked', () => {
    for (const argv of [['--help'], ['-h'], ['sessions.show', '--help'], ['bogus', '-h']]) assert.equal(cliInfoRequest(argv), 'help');
    for (const argv of [['--version'], ['-v'], ['doctor', '--version']]) assert.equal(cliInfoRequest(argv), 'version');
    assert.equal(cliInfoRequest(['sessions.list', '--all']), null);
  });

  it('lists every verb with its argument, and every option, in its help', () => {
    for (const verb of CLI_VERBS) assert.match(AGENT_USAGE, new RegExp(`^  ${verb.replace('.', '\\.')}( <\\w+>)?$`, 'm'));
    assert.match(AGENT_USAGE, /^ {2}sessions\.show <id>$/m);
    for (const option of ['--json', '--param key=value', '--all', '--lines N', '--with-secret', '--help', '--version'])
      assert.ok(AGENT_USAGE.includes(option), option);
  });

  it('takes options before the verb and values written with =', () => {
    const args = parseCliArgs(['--json', 'sessions.logs', 'abc', '--lines=20']);
    assert.deepEqual(
      { verb: args.verb, positional: args.positional, json: args.json, lines: args.lines },
      {
        verb: 'sessions.logs',
        positional: 'abc',
        json: true,
        lines: 20,
      },
    );
    assert.deepEqual(parseCliArgs(['sessions.launch', 'xterm', '--param=title=a b']).params, { title: 'a b' });
  });

  it('names the option, what was given and what is allowed when an option is wrong', () => {
    assert.equal(
      refusal(['sessions.list', '--frobnicate', 'x']).message,
      'option: "--frobnicate" is not allowed; one of: --json, --param key=value, --all, --lines N, --with-secret, --listen HOST:PORT, --listen-public, --help, --version',
    );
    assert.equal(refusal(['sessions.logs', 'abc', '--lines']).message, '--lines: "" is not allowed; a value after it, e.g. --lines 100');
    assert.equal(refusal(['sessions.list', '--all=yes']).message, '--all: "yes" is not allowed; no value');
    assert.equal(refusal([]).message, `verb: "" is not allowed; one of: ${CLI_VERBS.join(', ')}`);
    assert.equal(refusal(['doctor', 'extra']).message, 'argument: "extra" is not allowed; doctor takes no argument');
  });

  it('gives a refusal under --json as the JSON-RPC error serve sends, with the field, the value and what is allowed', () => {
    assert.deepEqual(toRpcError(refusal(['sessions.logs', 'abc', '--lines', 'many', '--json'])), {
      code: -32602,
      message: '--lines: "many" is not allowed; a whole number from 1 to 10000',
      data: { field: '--lines', given: 'many', allowed: 'a whole number from 1 to 10000' },
    });
  });
});
