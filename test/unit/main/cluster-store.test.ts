import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ClusterStore } from '../../../main/config/cluster-store';
import { configRoot } from '../../../main/config/paths';
import { tempDir } from '../../cluster/fixture';

async function store(contents?: string) {
  const dir = tempDir('store');
  const file = join(dir, 'clusters.json');
  if (contents !== undefined) await writeFile(file, contents);
  return { dir, file, store: new ClusterStore(file) };
}

test('an absent clusters.json means no clusters yet', async () => {
  const { store: s } = await store();
  assert.deepEqual(await s.list(), []);
});

test('adds, updates and removes clusters, writing the file atomically', async () => {
  const { dir, file, store: s } = await store();
  await s.add({ name: 'hpc1', host: 'login.hpc1.example', user: 'alice' });
  await s.add({ name: 'hpc2', host: 'hpc2-alias' });
  await s.update('hpc1', { name: 'hpc1', host: 'login.hpc1.example', port: 2222 });
  await s.remove('hpc2');
  assert.deepEqual(await s.list(), [{ name: 'hpc1', host: 'login.hpc1.example', port: 2222 }]);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')).version, 1);
  assert.deepEqual(
    (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary file left behind',
  );
});

test('two adds at once both land', async () => {
  const { store: s } = await store();
  await Promise.all([s.add({ name: 'a', host: 'a' }), s.add({ name: 'b', host: 'b' })]);
  assert.deepEqual((await s.list()).map((c) => c.name).sort(), ['a', 'b']);
});

test('refuses a bad value with the field named', async () => {
  const { store: s } = await store();
  await assert.rejects(
    s.add({ name: 'x', host: 'h', port: 70000 }),
    (e: Error & { field?: string }) => e.field === 'port' && /port/.test(e.message),
  );
  await assert.rejects(s.add({ name: 'bad name', host: 'h' }), (e: Error & { field?: string }) => e.field === 'name');
  await assert.rejects(s.add({ name: 'x', host: '-oProxyCommand=evil' }), (e: Error & { field?: string }) => e.field === 'host');
  await assert.rejects(s.add({ name: 'x', host: 'h', extra: 1 }), /extra|Unrecognized/);
});

test('refuses a duplicate name', async () => {
  const { store: s } = await store();
  await s.add({ name: 'a', host: 'a' });
  await assert.rejects(s.add({ name: 'a', host: 'b' }), /exists already/);
});

test('a broken file is reported with its line and never overwritten', async () => {
  const text =
    '{\n  "version": 1,\n  "clusters": [\n    { "name": "ok", "host": "h" },\n    { "name": "bad", "host": "h", "port": "22" }\n  ]\n}\n';
  const { file, store: s } = await store(text);
  await assert.rejects(s.list(), /line 5 .*clusters\.1\.port/);
  await assert.rejects(s.add({ name: 'new', host: 'h' }), /line 5/);
  assert.equal(await readFile(file, 'utf8'), text, 'the file is untouched');
});

test('a file that is not JSON is reported with the line of the mistake', async () => {
  const text = '{\n  "version": 1,\n  "clusters": [\n    { "name": "a", "host": "h" },,\n  ]\n}\n';
  const { store: s } = await store(text);
  await assert.rejects(s.list(), /line 4: this is not valid JSON/);
});

test('PORTHOLE_HOME wins; otherwise the OS config folder', () => {
  assert.equal(configRoot({ PORTHOLE_HOME: '/x/y' }, 'linux', '/home/a'), '/x/y');
  assert.equal(configRoot({}, 'linux', '/home/a'), '/home/a/.config/porthole');
  assert.equal(configRoot({ XDG_CONFIG_HOME: '/c' }, 'linux', '/home/a'), '/c/porthole');
  assert.equal(configRoot({}, 'darwin', '/Users/a'), '/Users/a/Library/Application Support/Porthole');
});
