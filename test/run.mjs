// `npm test`: every check the project has, in the order a reader would want to
// see them fail (cheap first), ending with one summary line that CI is judged by:
//   N passed, N failed[, N skipped]
// It exits non-zero when anything failed or when no test ran at all.
//
//   npm test                  everything: lint, typecheck, build, unit, cluster, e2e, lifecycle
//   npm test -- unit cluster  only the named stages (lint typecheck build unit cluster e2e lifecycle)
//
// A skipped test counts as failed, named, unless this file knows its reason to be true on this
// machine (allowedSkips): a broken build must not turn into a quiet row of skips.
// Each test stage runs with a temporary folder of its own (TMPDIR); what a test leaves in it
// under a name tests use (porthole-*, Playwright's and Chromium's folders) fails the stage.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeFinishedSessionFoldersSince, sessionFolders } from './cluster/session-folders.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'test-results');
// Stops and starts the shared cluster: it runs alone, after everything else.
const lifecycleTest = 'test/cluster/cluster-down-and-up.test.ts';
const clusterJson = join(root, 'test/cluster/state/cluster.json');
const allStages = ['lint', 'typecheck', 'build', 'unit', 'cluster', 'e2e', 'lifecycle'];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const stage of chosen) {
  if (!allStages.includes(stage)) {
    console.error(`Unknown test stage '${stage}'; choose from: ${allStages.join(', ')}`);
    process.exit(2);
  }
}
const stages = chosen.length ? chosen : allStages;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

/** Skips that are right on this machine: the test's name, and why the runner knows it. */
const allowedSkips = [
  {
    test: /^a real Electron in the package has every fuse Porthole requires/,
    // build/dist.mjs packages a stand-in when neither PORTHOLE_ELECTRON_DIST nor npm's download gives one.
    legitimate: () => !process.env.PORTHOLE_ELECTRON_DIST && !downloadedElectron(),
  },
  {
    test: /^the web host decrypts SSH with ssh2's native AES-GCM/,
    // npm ci builds it only where node-gyp, g++ and Node's headers are at hand.
    legitimate: () => !existsSync(join(root, 'node_modules/ssh2/lib/protocol/crypto/build/Release/sshcrypto.node')),
  },
];

function downloadedElectron() {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  return existsSync(pathFile) && existsSync(join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim()));
}

/** Counts skips: the allowed ones as skipped, any other as failed, naming it. */
function countSkips(stage, skippedNames) {
  for (const name of skippedNames) {
    if (allowedSkips.some((allowed) => allowed.test.test(name) && allowed.legitimate())) totals.skipped += 1;
    else {
      totals.failed += 1;
      failures.push(`${stage}: '${name}' was skipped, and nothing on this machine excuses it`);
    }
  }
}

/** Names of a temporary folder's entries that tests make: theirs, Playwright's, Chromium's. */
const testTempEntry = /^(porthole-|playwright[_-](?!transform-cache)|\.org\.chromium\.|chromium)/i;

/** A temporary folder for one stage, as open as /tmp (tests hand folders to the cluster's users). */
function stageTempDir(stage) {
  const dir = mkdtempSync(join(tmpdir(), `test-stage-${stage}-`));
  chmodSync(dir, 0o1777);
  return dir;
}

/** Fails the stage for what its tests left in its temporary folder, then removes the folder. */
function checkLeftovers(stage, dir) {
  const left = readdirSync(dir).filter((entry) => testTempEntry.test(entry));
  if (left.length) {
    totals.failed += 1;
    failures.push(`${stage} left ${left.length} temporary folder(s) behind: ${left.sort().join(', ')}`);
  }
  // A test's process may still be exiting and writing there: retry rather than stop the run.
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

function run(command, args, { env = {}, timeoutMinutes = 30 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    // A hung stage must not eat CI's 90 minutes: kill it, count it as failed.
    const timer = setTimeout(() => {
      console.error(`\n${command} ${args.join(' ')}: no result after ${timeoutMinutes} min; stopping it`);
      child.kill('SIGTERM');
    }, timeoutMinutes * 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

/** A check that is one pass or one fail (lint, a typecheck, the build). */
async function check(name, command, args, options) {
  console.log(`\n▶ ${name}`);
  const code = await run(command, args, options);
  if (code === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push(name);
  }
  return code === 0;
}

/** The job library, the templates' job scripts and the test cluster's scripts. */
function shellScripts() {
  const inFolder = (dir, keep) =>
    readdirSync(join(root, dir), { recursive: true })
      .map(String)
      .filter(keep)
      .map((f) => join(dir, f));
  return [
    ...inFolder('templates', (f) => f.endsWith('.sh')),
    'test/cluster/up',
    'test/cluster/down',
    ...inFolder('test/cluster/lib', (f) => f.endsWith('.sh')),
  ].sort();
}

function testFiles(dir) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .filter((f) => String(f).endsWith('.test.ts'))
    .map((f) => relative(root, join(full, String(f))))
    .sort();
}

/** node:test files, counted from the TAP summary it writes beside the console output. */
async function nodeTests(name, files, { concurrency, timeoutMinutes }) {
  console.log(`\n▶ ${name}: ${files.length} files`);
  if (files.length === 0) return;
  const tapFile = join(outDir, `${name}.tap`);
  rmSync(tapFile, { force: true });
  const tempDir = stageTempDir(name);
  await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ],
    { timeoutMinutes, env: { TMPDIR: tempDir } },
  );
  checkLeftovers(name, tempDir);
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const count = (key) => Number((tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  if (!tap.includes('# pass')) {
    totals.failed += 1;
    failures.push(`${name} (the test runner gave no summary)`);
    return;
  }
  totals.passed += passed;
  totals.failed += failed;
  if (failed) failures.push(`${name}: ${failed} failed`);
  // A skipped test or suite (or a todo) is a TAP line `ok N - <name> # SKIP|TODO <reason>`, at any depth.
  countSkips(
    name,
    [...tap.matchAll(/^\s*ok \d+ - (.*?) # (?:SKIP|TODO)\b/gm)].map((m) => m[1]),
  );
}

async function e2eTests() {
  const files = testFiles('test/e2e');
  console.log(`\n▶ e2e: ${files.length} files`);
  if (files.length === 0) return;
  const jsonFile = join(outDir, 'e2e.json');
  rmSync(jsonFile, { force: true });
  const tempDir = stageTempDir('e2e');
  await run(join(root, 'node_modules/.bin/playwright'), ['test', '--reporter=list,json'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile, TMPDIR: tempDir },
    timeoutMinutes: 30,
  });
  checkLeftovers('e2e', tempDir);
  if (!existsSync(jsonFile)) {
    totals.failed += 1;
    failures.push('e2e (Playwright wrote no report)');
    return;
  }
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  const { stats } = report;
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  if (stats.unexpected) failures.push(`e2e: ${stats.unexpected} failed`);
  // A global set-up that throws runs no test and reports it only in `errors`.
  if (report.errors?.length) {
    totals.failed += report.errors.length;
    failures.push(`e2e: ${report.errors.map((e) => (e.message ?? '').split('\n')[0]).join('; ')}`);
  }
  countSkips('e2e', skippedSpecs(report));
}

/** Titles ("file › test") of the Playwright tests whose outcome was a skip. */
function skippedSpecs(report) {
  const names = [];
  const walk = (suite, path) => {
    for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
    for (const spec of suite.specs ?? []) {
      if (spec.tests.some((t) => t.status === 'skipped')) names.push([...path, spec.title].join(' › '));
    }
  };
  walk(report, []);
  return names;
}

mkdirSync(outDir, { recursive: true });
const started = Date.now();
if (stages.includes('lint')) {
  await check('lint', join(root, 'node_modules/.bin/eslint'), ['.']);
  // One layout for all the code (.prettierrc.json); `npm run format` applies it.
  await check('format', join(root, 'node_modules/.bin/prettier'), ['--check', '--log-level', 'warn', '.']);
  // Shell is code too: Debian's shellcheck (installed here when missing, as the cluster's packages are).
  const installThenCheck = 'bash test/cluster/lib/install-apt-packages.sh shellcheck && shellcheck "$@"';
  await check('shellcheck', 'bash', ['-c', installThenCheck, 'shellcheck', ...shellScripts()]);
}
if (stages.includes('typecheck')) {
  for (const project of ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.e2e.json']) {
    await check(`typecheck ${project}`, join(root, 'node_modules/.bin/tsc'), ['-p', project]);
  }
}
const needsBuild = stages.some((s) => ['build', 'cluster', 'e2e'].includes(s));
const built = needsBuild ? await check('build', process.execPath, ['build/bundle.mjs']) : true;
if (stages.includes('unit')) await nodeTests('unit', testFiles('test/unit'), { concurrency: 2, timeoutMinutes: 10 });

if (['cluster', 'e2e', 'lifecycle'].some((s) => stages.includes(s))) {
  // The cluster fixture installs what is missing (apt) and starts the daemons; tests reuse it.
  const clusterUp = built && (await check('test cluster up', 'bash', ['test/cluster/up'], { timeoutMinutes: 30 }));
  if (clusterUp) {
    const foldersBefore = sessionFolders(clusterJson);
    const clusterFiles = testFiles('test/cluster').filter((f) => f !== lifecycleTest);
    if (stages.includes('cluster')) await nodeTests('cluster', clusterFiles, { concurrency: 1, timeoutMinutes: 30 });
    if (stages.includes('e2e')) await e2eTests();
    // Last, alone: it takes the cluster down and up again under every other test's feet.
    if (stages.includes('lifecycle')) await nodeTests('lifecycle', [lifecycleTest], { concurrency: 1, timeoutMinutes: 15 });
    const { removed, left } = removeFinishedSessionFoldersSince(clusterJson, foldersBefore);
    console.log(
      `\nRemoved the ${removed} session folders this run made in the test users' homes${left ? ` (${left} left: their jobs are still queued)` : ''}.`,
    );
  } else {
    failures.push('cluster, e2e and lifecycle tests did not run: the build or the test cluster failed');
  }
}

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`\nTest run took ${minutes} min.`);
if (failures.length) console.log(`Failed: ${failures.join('; ')}`);
const total = totals.passed + totals.failed + totals.skipped;
if (total === 0) {
  console.log('No test ran: that is a failure, not a pass.');
  totals.failed += 1;
}
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
