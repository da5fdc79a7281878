import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cliExitCode, CliUsageError, errorJson, parsePortholeArgs, PORTHOLE_USAGE, wantsJson } from '../../../main/cli-args';

describe('porthole command line', () => {
  it('reads each command and its port', () => {
    assert.deepEqual(parsePortholeArgs(['serve']), { kind: 'serve', port: undefined });
    assert.deepEqual(parsePortholeArgs(['serve', '--port', '8080']), { kind: 'serve', port: 8080 });
    assert.deepEqual(parsePortholeArgs(['start', '--port=0']), { kind: 'start', port: 0 });
    assert.deepEqual(parsePortholeArgs(['demo', '--json']), { kind: 'demo' });
  });

  it('answers --help and --version (and -h, -v) before anything else, even after a command', () => {
    for (const argv of [['--help'], ['-h'], ['serve', '--help'], ['bogus', '--help']])
      assert.deepEqual(parsePortholeArgs(argv), { kind: 'help' });
    for (const argv of [['--version'], ['-v'], ['demo', '--version']]) assert.deepEqual(parsePortholeArgs(argv), { kind: 'version' });
    assert.match(PORTHOLE_USAGE, /serve \[--port N\][\s\S]*--help[\s\S]*--version/);
  });

  it('refuses a bad command line naming the option, what was given and what is allowed', () => {
    const refusals: [string[], RegExp][] = [
      [[], /^command: "" is not allowed; one of: serve, start, demo/],
      [['serv'], /^command: "serv" is not allowed; one of: serve, start, demo$/],
      [['serve', 'now'], /^argument: "now" is not allowed; serve takes no argument$/],
      [['serve', '--port', 'http'], /^--port: "http" is not allowed; a whole number from 0 to 65535/],
      [['serve', '--port', '70000'], /^--port: "70000" is not allowed; a whole number from 0 to 65535/],
      [['serve', '--port'], /^--port: "" is not allowed; a value after it/],
      [['demo', '--port', '1'], /^option: "--port" is not allowed; demo takes --json, --help, --version$/],
      [['serve', '--prot', '1'], /^option: "--prot" is not allowed; serve takes --port, --json, --help, --version$/],
      [['serve', '--json=yes'], /^--json: "yes" is not allowed; no value$/],
    ];
    for (const [argv, message] of refusals) {
      assert.throws(
        () => parsePortholeArgs(argv),
        (error: unknown) => error instanceof CliUsageError && message.test(error.message) && cliExitCode(error) === 2,
        argv.join(' '),
      );
    }
  });

  it('gives an error as one JSON object under --json, with the field when the command line was at fault', () => {
    assert.equal(wantsJson(['serve', '--port', 'x', '--json']), true);
    assert.equal(wantsJson(['serve']), false);
    let usage: unknown;
    try {
      parsePortholeArgs(['serve', '--port', 'x']);
    } catch (error) {
      usage = error;
    }
    assert.deepEqual(JSON.parse(errorJson(usage)), {
      error: { message: '--port: "x" is not allowed; a whole number from 0 to 65535 (0: any free port)', field: '--port' },
    });
    assert.deepEqual(JSON.parse(errorJson(new Error('test/cluster/up failed (exit 3)'))), {
      error: { message: 'test/cluster/up failed (exit 3)' },
    });
    assert.equal(cliExitCode(new Error('x')), 1);
  });
});
