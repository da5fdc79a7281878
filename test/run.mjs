// `npm test`: every check the project has, in the order a reader would want to
// see them fail (cheap first), ending with one summary line that CI is judged by:
//   N passed, N failed[, N skipped]
// It exits non-zero when anything failed or when no test ran at all.
//
//   npm test                  everything: lint, typecheck, build, unit, cluster, e2e
//   npm test -- unit cluster  only the named stages (lint typecheck build unit cluster e2e)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'test-results');
const allStages = ['lint', 'typecheck', 'build', 'unit', 'cluster', 'e2e'];
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

function testFiles(dir) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .filter((f) => String(f).endsWith('.test.ts'))
    .map((f) => relative(root, join(full, String(f))))
    .sort();
}

/** node:test files, counted from the TAP summary it writes beside the console output. */
async function nodeTests(name, dir, { concurrency, timeoutMinutes }) {
  const files = testFiles(dir);
  console.log(`\n▶ ${name}: ${files.length} files`);
  if (files.length === 0) return;
  const tapFile = join(outDir, `${name}.tap`);
  rmSync(tapFile, { force: true });
  await run(
    process.execPath,
    [
      '--import', 'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
      ...files,
    ],
    { timeoutMinutes },
  );
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const count = (key) => Number((tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const skipped = count('skipped') + count('todo');
  if (!tap.includes('# pass')) {
    totals.failed += 1;
    failures.push(`${name} (the test runner gave no summary)`);
    return;
  }
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  if (failed) failures.push(`${name}: ${failed} failed`);
}

async function e2eTests() {
  const files = testFiles('test/e2e');
  console.log(`\n▶ e2e: ${files.length} files`);
  if (files.length === 0) return;
  const jsonFile = join(outDir, 'e2e.json');
  rmSync(jsonFile, { force: true });
  await run(join(root, 'node_modules/.bin/playwright'), ['test', '--reporter=list,json'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile },
    timeoutMinutes: 30,
  });
  if (!existsSync(jsonFile)) {
    totals.failed += 1;
    failures.push('e2e (Playwright wrote no report)');
    return;
  }
  const { stats } = JSON.parse(readFileSync(jsonFile, 'utf8'));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
  if (stats.unexpected) failures.push(`e2e: ${stats.unexpected} failed`);
}

mkdirSync(outDir, { recursive: true });
const started = Date.now();
if (stages.includes('lint')) await check('lint', join(root, 'node_modules/.bin/eslint'), ['.']);
if (stages.includes('typecheck')) {
  for (const project of ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.e2e.json']) {
    await check(`typecheck ${project}`, join(root, 'node_modules/.bin/tsc'), ['-p', project]);
  }
}
const needsBuild = stages.some((s) => ['build', 'cluster', 'e2e'].includes(s));
const built = needsBuild ? await check('build', process.execPath, ['build/bundle.mjs']) : true;
if (stages.includes('unit')) await nodeTests('unit', 'test/unit', { concurrency: 2, timeoutMinutes: 10 });

if (stages.includes('cluster') || stages.includes('e2e')) {
  // The cluster fixture installs what is missing (apt) and starts the daemons; tests reuse it.
  const clusterUp = built && (await check('test cluster up', 'bash', ['test/cluster/up'], { timeoutMinutes: 30 }));
  if (clusterUp) {
    if (stages.includes('cluster')) await nodeTests('cluster', 'test/cluster', { concurrency: 1, timeoutMinutes: 30 });
    if (stages.includes('e2e')) await e2eTests();
  } else {
    failures.push('cluster and e2e tests did not run: the build or the test cluster failed');
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
