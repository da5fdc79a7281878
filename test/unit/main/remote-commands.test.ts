import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeMajor, relayCommand, serveCommand } from '../../../main/agent/remote-commands';
import { assertNodeUsable } from '../../../main/agent/bootstrap';

test('commands run through /bin/sh and quote what they carry', () => {
  const hash = 'a'.repeat(64);
  const serve = serveCommand('0.1.0', hash);
  assert.match(serve, /^\/bin\/sh -c '/);
  assert.match(serve, /\.porthole\/agent\/0\.1\.0\/agent\.cjs/);
  assert.match(serve, /exec node "\$f" serve/);
  assert.match(relayCommand('0.1.0', 'abc-123'), /relay abc-123'$/);
});

test('values that are not a version, a hash or a session id never reach a command', () => {
  assert.throws(() => serveCommand('1.0; rm -rf ~', 'a'.repeat(64)), /not an agent version/);
  assert.throws(() => serveCommand('1.0', 'nothex'), /SHA-256/);
  assert.throws(() => relayCommand('1.0', "x'; reboot; '"), /not a session id/);
});

test('no node, or one older than 18, is said plainly', () => {
  assert.equal(nodeMajor('v20.11.1\n'), 20);
  assert.equal(nodeMajor(''), null);
  assert.throws(() => assertNodeUsable('hpc1', ''), /has no Node\.js on the login node/);
  assert.throws(() => assertNodeUsable('hpc1', 'v16.20.0'), /v16\.20\.0 .*needs 18 or later/);
  assert.doesNotThrow(() => assertNodeUsable('hpc1', 'v18.0.0'));
});
