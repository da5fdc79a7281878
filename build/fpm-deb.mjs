#!/usr/bin/env node
// Stands in for fpm when electron-builder makes a .deb (CUSTOM_FPM_PATH, set by build/dist.mjs
// where electron-builder cannot download its own fpm): Debian has no fpm, but dpkg-deb is on
// every Debian. Takes the arguments electron-builder's FpmTarget gives fpm for `-t deb`
// (flags, then `source=destination` pairs) and builds the same package with dpkg-deb.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const FLAGS_WITH_VALUE = new Set([
  '-s',
  '-t',
  '-d',
  '--deb-recommends',
  '--deb-compression',
  '--architecture',
  '--after-install',
  '--after-remove',
  '--description',
  '--version',
  '--package',
  '--name',
  '--maintainer',
  '--vendor',
  '--url',
  '--category',
  '--deb-priority',
  '--license',
  '--iteration',
]);
const FLAGS_ALONE = new Set(['--force', '--debug']);

function parse(args) {
  const flags = new Map();
  const files = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (FLAGS_ALONE.has(arg)) continue;
    if (FLAGS_WITH_VALUE.has(arg)) {
      flags.set(arg, [...(flags.get(arg) ?? []), args[++i]]);
    } else if (arg.startsWith('-')) {
      fail(`fpm option ${arg} is not supported by build/fpm-deb.mjs (it handles what electron-builder passes for a .deb)`);
    } else {
      const at = arg.lastIndexOf('=');
      if (at < 1) fail(`'${arg}' is not a source=destination pair`);
      files.push({ source: arg.slice(0, at), destination: arg.slice(at + 1) });
    }
  }
  return { one: (flag) => flags.get(flag)?.at(-1), all: (flag) => flags.get(flag) ?? [], files };
}

function fail(message) {
  console.error(`fpm-deb: ${message}`);
  process.exit(1);
}

const { one, all, files } = parse(process.argv.slice(2));
if (one('-s') !== 'dir' || one('-t') !== 'deb') fail('only `-s dir -t deb` is supported');
const output = one('--package') ?? fail('--package is required');

const root = mkdtempSync(join(tmpdir(), 'porthole-deb-'));
try {
  for (const { source, destination } of files) {
    const target = join(root, destination);
    mkdirSync(source.endsWith('/') ? target : dirname(target), { recursive: true });
    cpSync(source, target, { recursive: true, verbatimSymlinks: true });
  }
  const installedKb = spawnSync('du', ['-sk', '--exclude=DEBIAN', root], { encoding: 'utf8' }).stdout.split('\t')[0];
  mkdirSync(join(root, 'DEBIAN'));
  // Debian's control format: a continuation line starts with a space, an empty one is " .".
  const [synopsis, ...rest] = (one('--description') ?? one('--name')).split('\n').map((line) => line.trim());
  const description = [synopsis || one('--name'), ...rest.filter(Boolean).map((line) => ` ${line}`)].join('\n');
  const control = [
    ['Package', one('--name')],
    ['Version', one('--version')],
    ['Architecture', one('--architecture')],
    ['Maintainer', one('--maintainer')],
    ['Installed-Size', installedKb],
    ['Depends', all('-d').join(', ')],
    ['Recommends', all('--deb-recommends').join(', ')],
    ['Section', one('--category')?.toLowerCase()],
    ['Priority', one('--deb-priority')],
    ['Homepage', one('--url')],
    ['Description', description],
  ].filter(([, value]) => value);
  writeFileSync(join(root, 'DEBIAN/control'), control.map(([key, value]) => `${key}: ${value}`).join('\n') + '\n');
  for (const [flag, script] of [
    ['--after-install', 'postinst'],
    ['--after-remove', 'postrm'],
  ]) {
    if (!one(flag)) continue;
    writeFileSync(join(root, 'DEBIAN', script), readFileSync(one(flag)));
    chmodSync(join(root, 'DEBIAN', script), 0o755);
  }
  rmSync(output, { force: true });
  const built = spawnSync('dpkg-deb', ['--root-owner-group', `-Z${one('--deb-compression') ?? 'xz'}`, '--build', root, output], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) fail(`dpkg-deb failed (exit ${built.status ?? built.signal})`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
