// Builds the PortholeApp the same way for `porthole serve` and for Electron: paths from
// PORTHOLE_HOME or the OS, the agent from dist/agent.cjs, the demo cluster from the checkout.
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { loadAgentBundle } from './agent/bootstrap';
import { loadRuntimeCatalog } from './agent/node-runtimes';
import { configPaths, configRoot } from './config/paths';
import { demoClusterFromCheckout } from './demo-cluster';
import { openAppLog, serveLogDir, type AppLog } from './log/app-log';
import { PortholeApp } from './porthole-app';

declare const __PORTHOLE_VERSION__: string | undefined;

export function portholeVersion(): string {
  return typeof __PORTHOLE_VERSION__ === 'string' ? __PORTHOLE_VERSION__ : '0.0.0-dev';
}

/** The log's lines at the terminal that started the app, as before there was a log file. */
export function echoToStderr(line: string): void {
  process.stderr.write(`porthole: ${line}\n`);
}

export interface AppLocations {
  /** The folder with agent.cjs, main/ and renderer/ (the build output). */
  distDir: string;
  /** The folder with agent.cjs and runtimes/ when not distDir: resources/agent in a packaged app. */
  agentDir?: string;
  /** The checkout, when running from one (for the demo cluster). */
  projectRoot?: string;
  /** The app's log, when the caller writes to it too; otherwise one is opened in logDir. */
  log?: AppLog;
  /** Where that log goes: Electron's app.getPath('logs'); the config folder's logs/ when not given. */
  logDir?: string;
  /** Where downloaded files go: Electron's app.getPath('downloads'); PORTHOLE_DOWNLOADS or ~/Downloads when not given. */
  downloadsDir?: string;
}

export async function createPortholeApp(locations: AppLocations, env: NodeJS.ProcessEnv = process.env): Promise<PortholeApp> {
  const paths = configPaths(configRoot(env));
  const agentDir = locations.agentDir ?? locations.distDir;
  const bundle = await loadAgentBundle(join(agentDir, 'agent.cjs'), portholeVersion());
  const nodeRuntimes = await loadRuntimeCatalog(join(agentDir, 'runtimes'));
  const root = locations.projectRoot;
  const hasFixture = !!root && existsSync(join(root, 'test/cluster/up'));
  const app = new PortholeApp({
    paths,
    home: homedir(),
    localUser: userInfo().username,
    env,
    bundle,
    nodeRuntimes,
    demoCluster: hasFixture ? (onLine) => demoClusterFromCheckout(root!, paths.knownHostsFile, onLine) : undefined,
    downloadsFolder: env.PORTHOLE_DOWNLOADS ?? locations.downloadsDir,
    log: locations.log ?? openAppLog({ dir: locations.logDir ?? serveLogDir(paths.root), echo: echoToStderr }),
  });
  await app.start();
  return app;
}
