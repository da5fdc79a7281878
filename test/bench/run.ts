// `npm run bench`: starts the test cluster when needed, then runs every test/bench/*.bench.ts
// in name order and prints each figure on its own line.
//   npm run bench -- agent    only the bench files whose name contains "agent"
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { removeFinishedSessionFoldersSince, sessionFolders } from '../cluster/session-folders.mjs';
import { formatFigure, type Bench, type BenchContext } from './figures';

const root = fileURLToPath(new URL('../..', import.meta.url));
const benchDir = join(root, 'test/bench');
const filters = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`No bench file matches ${filters.join(', ') || '*'} in test/bench/`);
  process.exit(2);
}

execFileSync('bash', [join(root, 'test/cluster/up')], { stdio: ['ignore', 'ignore', 'inherit'] });
const clusterJson = join(root, 'test/cluster/state/cluster.json');
const foldersBefore = sessionFolders(clusterJson);

const lines: string[] = [];
const context: BenchContext = {
  figure(figure) {
    const line = formatFigure(figure);
    lines.push(line);
    console.log(line);
  },
  note(text) {
    console.log(`  ${text}`);
  },
};

// Not top-level await: tsx runs this .ts as CommonJS (package.json has no "type": "module").
async function runAll(): Promise<number> {
  let failed = 0;
  for (const file of files) {
    console.log(`\n▶ ${file}`);
    try {
      // As CommonJS, a bench file's exports arrive wrapped once more by import().
      const loaded = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: Bench | { default: Bench } };
      const bench = typeof loaded.default === 'function' ? loaded.default : loaded.default.default;
      await bench(context);
    } catch (error) {
      failed += 1;
      console.error(`${file} failed:`, error);
    }
  }
  return failed;
}

void runAll().then((failed) => {
  const { removed } = removeFinishedSessionFoldersSince(clusterJson, foldersBefore);
  console.log(`\nRemoved the ${removed} session folders the benches made in the test users' homes.`);
  console.log(`\nAll figures:\n${lines.join('\n')}`);
  process.exit(failed ? 1 : 0);
});
