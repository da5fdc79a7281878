// `npm run build`: bundles the three programs with esbuild.
//   dist/agent.cjs           the login-node agent: one file, no node_modules, Node 18+,
//                            with the shipped templates compiled in (one upload, nothing to find)
//   dist/main/*.cjs          the workstation side: CLI (`porthole serve|demo|start`) and Electron entry points
//   dist/renderer/           the React UI, served by the web host or loaded by Electron
//   dist/runtimes/           Node.js for login nodes without one (build/node-runtimes.mjs, cached)
// `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeRuntimes } from './node-runtimes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const watch = process.argv.includes('--watch');

/**
 * `import builtinTemplates, { jobLibrary } from 'porthole:builtin-templates'` → every templates/<id>/
 * as data, and templates/lib/job-lib.sh, the functions every batch script gets.
 */
const builtinTemplatesPlugin = {
  name: 'builtin-templates',
  setup(build) {
    build.onResolve({ filter: /^porthole:builtin-templates$/ }, () => ({ path: 'builtin-templates', namespace: 'porthole' }));
    build.onLoad({ filter: /.*/, namespace: 'porthole' }, () => {
      const dir = join(root, 'templates');
      const templates = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'template.json')))
        .map((e) => ({
          dir: e.name,
          templateJson: readFileSync(join(dir, e.name, 'template.json'), 'utf8'),
          jobScript: existsSync(join(dir, e.name, 'job.sh')) ? readFileSync(join(dir, e.name, 'job.sh'), 'utf8') : '',
        }));
      const jobLibraryFile = join(dir, 'lib', 'job-lib.sh');
      const contents =
        `export default ${JSON.stringify(templates)};\n` +
        `export const jobLibrary = ${JSON.stringify(readFileSync(jobLibraryFile, 'utf8'))};`;
      return {
        contents,
        loader: 'js',
        watchDirs: [dir],
        watchFiles: [jobLibraryFile, ...templates.flatMap((t) => [join(dir, t.dir, 'template.json'), join(dir, t.dir, 'job.sh')])],
      };
    });
  },
};

const define = { __PORTHOLE_VERSION__: JSON.stringify(pkg.version) };

const builds = [
  {
    entryPoints: { agent: join(root, 'agent/cli.ts') },
    outdir: join(root, 'dist'),
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    plugins: [builtinTemplatesPlugin],
    // jsonc-parser's main file is a UMD wrapper whose require('./impl/…') esbuild cannot follow
    // (the bundle then fails at run time): its ES module build bundles.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    // Node parses the whole file at every connect before the agent can say hello: smaller is faster.
    minify: !watch,
    define,
  },
  {
    entryPoints: {
      cli: join(root, 'main/cli.ts'),
      'electron-main': join(root, 'main/electron/main.ts'),
      preload: join(root, 'main/electron/preload.ts'),
    },
    outdir: join(root, 'dist/main'),
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    // electron comes from the Electron binary at run time. ssh2 loads its native crypto
    // (`./crypto/build/Release/sshcrypto.node`, relative to this bundle) in a try/catch: it is
    // copied beside the bundle below when `npm ci` could build it. cpu-features is not built.
    external: ['electron', 'cpu-features', '*.node'],
    define,
  },
  {
    entryPoints: { app: join(root, 'renderer/index.tsx') },
    outdir: join(root, 'dist/renderer'),
    platform: 'browser',
    // noVNC 1.7 is ES modules with top-level await (docs/field-notes.md): es2022 at least.
    target: 'es2022',
    format: 'esm',
    jsx: 'automatic',
    loader: { '.png': 'file', '.svg': 'file', '.woff2': 'file' },
    define: { ...define, 'process.env.NODE_ENV': JSON.stringify(watch ? 'development' : 'production') },
    minify: !watch,
  },
];

const common = { bundle: true, sourcemap: 'linked', logLevel: 'warning', legalComments: 'none' };
mkdirSync(join(root, 'dist/renderer'), { recursive: true });
cpSync(join(root, 'renderer/index.html'), join(root, 'dist/renderer/index.html'));

// ssh2's AES-GCM in C++ (built by its install script when node-gyp has Node's headers): the
// workstation's ssh2 then spends a third less CPU per GiB of desktop stream. Without it, ssh2
// uses Node's crypto and works the same, slower.
const sshCrypto = join(root, 'node_modules/ssh2/lib/protocol/crypto/build/Release/sshcrypto.node');
const bundledSshCrypto = join(root, 'dist/main/crypto/build/Release/sshcrypto.node');
rmSync(bundledSshCrypto, { force: true });
if (existsSync(sshCrypto)) {
  mkdirSync(dirname(bundledSshCrypto), { recursive: true });
  cpSync(sshCrypto, bundledSshCrypto);
}

// ws unmasks each frame a page sends (the files a user drops, docs/field-notes.md) in JavaScript
// unless bufferutil's native build loads: it is N-API, one build for Node and Electron, and its
// bundled loader (node-gyp-build) looks for prebuilds/<platform>-<arch>/ beside the bundle.
const bufferutilPrebuilds = join(root, 'node_modules/bufferutil/prebuilds');
rmSync(join(root, 'dist/main/prebuilds'), { recursive: true, force: true });
if (existsSync(bufferutilPrebuilds)) cpSync(bufferutilPrebuilds, join(root, 'dist/main/prebuilds'), { recursive: true });

// Without the runtimes the app still works with clusters that have Node: say so, do not fail.
await ensureNodeRuntimes().catch((error) =>
  console.warn(`No Node.js runtimes for login nodes in dist/runtimes (${error.message}); clusters without Node 18+ will not connect.`),
);

if (watch) {
  for (const options of builds) await (await esbuild.context({ ...common, ...options })).watch();
  console.log('Watching main/, agent/, renderer/ and templates/ for changes…');
} else {
  await Promise.all(builds.map((options) => esbuild.build({ ...common, ...options })));
  console.log(`Built dist/agent.cjs, dist/main/, dist/renderer/ (porthole ${pkg.version})`);
}
