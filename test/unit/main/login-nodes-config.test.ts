// A cluster with several login nodes: how clusters.json takes them, refuses what cannot be one,
// and how each becomes its own route (alias, port, keepalive).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClusterStore } from '../../../main/config/cluster-store';
import { resolveLoginNodes } from '../../../main/ssh/config';
import { tempDir } from '../../cluster/fixture';

const context = {
  sshConfigText: ['Host login2', '  HostName 10.0.0.2', '  Port 2202', '  User alice', 'Host *', '  User bob'].join('\n'),
  home: '/home/alice',
  localUser: 'alice',
  env: {},
};

function store() {
  const file = join(tempDir('login-nodes'), 'clusters.json');
  return { file, store: new ClusterStore(file) };
}

test('hosts lists the login nodes in order; host is the first of them', async () => {
  const { store: s } = store();
  const added = await s.add({ name: 'hpc', hosts: ['login1.hpc.example', 'login2.hpc.example:2222'] });
  assert.deepEqual(added, { name: 'hpc', host: 'login1.hpc.example', hosts: ['login1.hpc.example', 'login2.hpc.example:2222'] });
  assert.deepEqual(await s.list(), [added], 'read back from the file as it was given');
  // Giving both is fine when host is the first; one entry is just a host.
  assert.deepEqual(await s.update('hpc', { name: 'hpc', host: 'a', hosts: ['a', 'b'] }), { name: 'hpc', host: 'a', hosts: ['a', 'b'] });
  assert.deepEqual(await s.update('hpc', { name: 'hpc', hosts: ['only'] }), { name: 'hpc', host: 'only' });
});

test('a list of login nodes that cannot be one is refused, naming the field, and the file is left as it was', async () => {
  const { file, store: s } = store();
  await s.add({ name: 'hpc', host: 'login1' });
  const before = await readFile(file, 'utf8');
  const refusals: [unknown, RegExp][] = [
    [{ name: 'x' }, /^host: give the login node's host \(or several in hosts\)$/],
    [{ name: 'x', hosts: [] }, /^hosts: list at least one login node$/],
    [{ name: 'x', hosts: ['a', 'a'] }, /^hosts: 'a' is listed twice; list each login node once$/],
    [
      { name: 'x', host: 'c', hosts: ['a', 'b'] },
      /^host: 'c' is not the first of hosts \(a, b\); leave host out, or list it first in hosts$/,
    ],
    [
      { name: 'x', hosts: ['a', 'has space'] },
      /^hosts\.1: a host is a name, an alias from ~\/\.ssh\/config or an address, with no spaces$/,
    ],
    [{ name: 'x', hosts: ['a', '-login2'] }, /^hosts\.1: a host may not start with "-"$/],
  ];
  for (const [input, message] of refusals) {
    await assert.rejects(s.add(input), (error: Error & { field?: string }) => {
      assert.match(error.message, message);
      assert.equal(error.field, error.message.split(':')[0]);
      return true;
    });
  }
  assert.equal(await readFile(file, 'utf8'), before);
});

test('a hand-edited clusters.json with a bad hosts entry is reported with its line and not overwritten', async () => {
  const { file, store: s } = store();
  const text = JSON.stringify({ version: 1, clusters: [{ name: 'hpc', hosts: ['login1', 'login1'] }] }, null, 2);
  await writeFile(file, text);
  await assert.rejects(s.list(), /clusters\.json line 6 at clusters\.0\.hosts: 'login1' is listed twice/);
  assert.equal(await readFile(file, 'utf8'), text);
});

test('each login node resolves as its own host: ssh_config alias, its own :port, else the cluster port', () => {
  const nodes = resolveLoginNodes({ name: 'hpc', host: 'login1', hosts: ['login1', 'login2', '10.0.0.3:2203', '[fd00::4]:2204'] }, context);
  assert.deepEqual(
    nodes.map(({ label, route }) => [label, route.target.hostName, route.target.port, route.target.user]),
    [
      ['login1', 'login1', 22, 'bob'],
      ['login2', '10.0.0.2', 2202, 'alice'],
      ['10.0.0.3:2203', '10.0.0.3', 2203, 'bob'],
      ['[fd00::4]:2204', 'fd00::4', 2204, 'bob'],
    ],
  );
  const withPort = resolveLoginNodes({ name: 'hpc', host: 'login1', hosts: ['login1', 'login2', 'login3:2203'], port: 2200 }, context);
  assert.deepEqual(
    withPort.map(({ route }) => route.target.port),
    [2200, 2200, 2203],
  );
});

test('with several login nodes a dead one is noticed in seconds (1 s keepalive, 2 unanswered), unless ssh_config says', () => {
  const [several] = resolveLoginNodes({ name: 'hpc', host: 'login1', hosts: ['login1', 'login2'] }, context);
  assert.deepEqual([several.route.target.serverAliveIntervalSeconds, several.route.target.serverAliveCountMax], [1, 2]);
  const [single] = resolveLoginNodes({ name: 'hpc', host: 'login1' }, context);
  assert.deepEqual([single.route.target.serverAliveIntervalSeconds, single.route.target.serverAliveCountMax], [15, 3]);
  const own = { ...context, sshConfigText: 'Host *\n  ServerAliveInterval 5\n  ServerAliveCountMax 4' };
  const [configured] = resolveLoginNodes({ name: 'hpc', host: 'login1', hosts: ['login1', 'login2'] }, own);
  assert.deepEqual([configured.route.target.serverAliveIntervalSeconds, configured.route.target.serverAliveCountMax], [5, 4]);
});

test('a port out of range in a hosts entry is refused, naming the entry', () => {
  assert.throws(() => resolveLoginNodes({ name: 'hpc', host: 'a', hosts: ['a', 'b:70000'] }, context), {
    message: "hosts: the port of 'b:70000' is not between 1 and 65535",
  });
});
