// Installer figures: the size of each installer `npm run dist` builds here (and how long the
// build took), and, in the same run, the first connect to a login node without Node.js (the
// runtime and the agent uploaded) next to the second connect (both already there).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadRuntimeCatalog } from '../../main/agent/node-runtimes';
import type { AgentBundle } from '../../main/agent/bootstrap';
import type { NodeRuntimeCatalog } from '../../main/agent/node-runtimes';
import { loadTestCluster, type TestCluster } from '../cluster/fixture';
import { portholeApp, projectRoot, realBundle } from '../cluster/main/harness';
import type { Bench, BenchContext } from './figures';

const MB = 1e6;

const bench: Bench = async (context) => {
  installerFigures(context);
  const state = loadTestCluster();
  const catalog = await loadRuntimeCatalog(join(projectRoot, 'dist/runtimes'));
  const bundle = await realBundle('0.0.0-bench-runtime');
  if (!catalog) throw new Error('no dist/runtimes: run npm run build');
  await connectFigures(context, state, catalog, bundle);
};
export default bench;

function installerFigures(context: BenchContext): void {
  const releaseDir = mkdtempSync(join(tmpdir(), 'porthole-bench-release-'));
  try {
    const started = performance.now();
    const built = spawnSync(process.execPath, [join(projectRoot, 'build/dist.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, PORTHOLE_RELEASE_DIR: releaseDir },
    });
    if (built.status !== 0) throw new Error(`npm run dist failed: ${built.stderr.slice(-2000)}`);
    context.figure({ name: 'npm run dist (every target this machine can build)', value: (performance.now() - started) / 1000, unit: 's' });
    if (built.stdout.includes('NOT RUNNABLE'))
      context.note('built around the Electron stand-in (no Electron binary here): these sizes leave Electron itself out');
    for (const file of readdirSync(releaseDir)
      .filter((f) => /\.(deb|tar\.gz|zip|AppImage|rpm|dmg|exe)$/.test(f))
      .sort()) {
      context.figure({ name: `installer size ${file}`, value: statSync(join(releaseDir, file)).size / MB, unit: 'MB' });
    }
  } finally {
    rmSync(releaseDir, { recursive: true, force: true });
  }
}

async function connectFigures(context: BenchContext, state: TestCluster, catalog: NodeRuntimeCatalog, bundle: AgentBundle): Promise<void> {
  const { noNode } = state;
  const asNoNodeUser = (command: string) =>
    execFileSync('ssh', ['-F', noNode.sshConfigFile, noNode.sshHost, command], { encoding: 'utf8' });
  asNoNodeUser(`rm -rf "$HOME/.porthole/runtime" "$HOME/.porthole/agent/${bundle.version}"`);
  const connectOnce = async () => {
    const { app, backend } = await portholeApp(bundle, catalog);
    backend.subscribe((event) => {
      if (event.type === 'prompt' && event.prompt.type === 'hostKey')
        void backend.handlers['prompts.answer'](event.prompt.id, { type: 'hostKey', trust: true });
    });
    await backend.handlers['clusters.add']({ name: 'no-node', host: noNode.sshHost, sshConfigFile: noNode.sshConfigFile });
    const started = performance.now();
    const connected = await backend.handlers['clusters.connect']('no-node');
    const elapsed = performance.now() - started;
    await app.stop();
    if (connected.status !== 'connected') throw new Error(`connect ended ${connected.status}: ${connected.reason}`);
    return elapsed;
  };
  try {
    const first = await connectOnce();
    const second = await connectOnce();
    const uploaded = catalog.forMachine(asNoNodeUser('uname -m').trim())!.bytes;
    context.note(
      `login node without Node.js over loopback SSH; the first connect uploads ${(uploaded / MB).toFixed(1)} MB of Node.js ${catalog.nodeVersion} and the agent`,
    );
    context.figure({
      name: 'first connect to a login node without Node.js (upload included)',
      value: first,
      unit: 'ms',
      baseline: { name: 'second connect', value: second },
    });
  } finally {
    asNoNodeUser(`rm -rf "$HOME/.porthole/agent/${bundle.version}"`);
  }
}
