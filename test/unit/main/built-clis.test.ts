// The two command lines as a person runs them: the built dist/main/cli.cjs and dist/agent.cjs
// (npm test's build stage comes before the unit tests).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, tempDir } from '../../cluster/fixture';

const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

function run(bundle: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const file = join(projectRoot, 'dist', bundle);
  assert.ok(existsSync(file), `${file} is missing: run node build/bundle.mjs first`);
  return spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
}

for (const [bundle, name] of [
  ['main/cli.cjs', 'porthole'],
  ['agent.cjs', 'porthole-agent'],
] as const) {
  describe(`${name} command line`, () => {
    it('prints its help to stdout and exits 0', () => {
      const result = run(bundle, ['--help']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^Usage: /);
      assert.match(result.stdout, /--version/);
      assert.equal(result.stderr, '');
    });

    it('prints its version to stdout and exits 0', () => {
      const result = run(bundle, ['--version']);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout, `${name} ${version}\n`);
    });
  });
}

describe('errors under --json', () => {
  it('porthole: one JSON object on stderr naming the option, exit 2, nothing on stdout', () => {
    const result = run('main/cli.cjs', ['serve', '--port', 'http', '--json']);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.deepEqual(JSON.parse(result.stderr), {
      error: { message: '--port: "http" is not allowed; a whole number from 0 to 65535 (0: any free port)', field: '--port' },
    });
  });

  it('the agent: the JSON-RPC error serve would send, exit 2; without --json, the sentence', () => {
    const json = run('agent.cjs', ['sessions.logs', 'abc', '--lines', 'many', '--json']);
    assert.equal(json.status, 2);
    assert.deepEqual(JSON.parse(json.stderr), {
      error: {
        code: -32602,
        message: '--lines: "many" is not allowed; a whole number from 1 to 10000',
        data: { field: '--lines', given: 'many', allowed: 'a whole number from 1 to 10000' },
      },
    });
    const text = run('agent.cjs', ['sessions.logs', 'abc', '--lines', 'many']);
    assert.equal(text.stderr, '--lines: "many" is not allowed; a whole number from 1 to 10000\n');
  });
});

describe('porthole serve’s log', () => {
  it('is in the config folder’s logs/, says where it serves, and never holds the access token', async () => {
    const home = tempDir('serve-log');
    const child = spawn(process.execPath, [join(projectRoot, 'dist/main/cli.cjs'), 'serve', '--port', '0'], {
      env: { ...process.env, PORTHOLE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      let stdout = '';
      const url = await new Promise<URL>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const found = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(stdout);
          if (found) resolve(new URL(found[0]));
        });
        child.once('exit', (code) => reject(new Error(`serve exited (${code}) before printing its address:\n${stdout}`)));
      });
      const token = url.searchParams.get('token') ?? '';
      assert.ok(token.length >= 16, `a token in ${url}`);
      child.kill('SIGTERM');
      await exited;
      const written = readFileSync(join(home, 'logs/porthole.log'), 'utf8');
      assert.match(written, new RegExp(`^\\S+Z serving on http://127\\.0\\.0\\.1:${url.port}/\\S*token=\\*\\*\\*`, 'm'));
      assert.ok(!written.includes(token), `the token is in the log:\n${written}`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
