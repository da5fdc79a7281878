// Entry point of dist/main/cli.cjs (`porthole --help` lists the commands):
//   porthole serve [--port N]   the app on http://127.0.0.1 for a browser (URL with a token)
//   porthole start              Electron when its binary is installed, otherwise `serve`
//   porthole demo               starts the local test cluster and adds it as cluster `demo`
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createPortholeApp, echoToStderr, portholeVersion } from './app-factory';
import { cliExitCode, errorJson, parsePortholeArgs, PORTHOLE_USAGE, wantsJson } from './cli-args';
import { configPaths, configRoot } from './config/paths';
import { ClusterStore } from './config/cluster-store';
import { demoClusterFromCheckout } from './demo-cluster';
import { electronBinary } from './electron-launcher';
import { WebHost } from './host/server';
import { WIRE_TOKEN_PARAM } from '../agent/common/web-host-wire';
import { openAppLog, serveLogDir } from './log/app-log';

const distDir = join(__dirname, '..');
const projectRoot = join(distDir, '..');

async function serve(port: number | undefined): Promise<void> {
  const log = openAppLog({ dir: serveLogDir(configRoot()), echo: echoToStderr });
  const app = await createPortholeApp({ distDir, projectRoot, log });
  const host = new WebHost({ backend: app.backend(), rendererDir: join(distDir, 'renderer'), port, log });
  const url = await host.listen();
  log.hide(new URL(url).searchParams.get(WIRE_TOKEN_PARAM) ?? '');
  log(`serving on ${url}; logs in ${log.file}`);
  if (host.portNote) log(host.portNote);
  // The viewer's streams come from this page alone.
  app.bridge.allowPageOrigins(host.origins);
  console.log(`Porthole is running. Open this address in your browser (it carries your access token):\n\n    ${url}\n`);
  const stop = () => {
    void Promise.all([host.close(), app.stop()]).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function start(port: number | undefined): Promise<void> {
  const binary = electronBinary(projectRoot);
  if (!binary) {
    console.log('Electron is not installed here (its binary could not be downloaded); serving the app for a browser instead.');
    return serve(port);
  }
  const child = spawn(binary, [join(distDir, 'main/electron-main.cjs')], { stdio: 'inherit' });
  child.on('close', (code) => process.exit(code ?? 0));
}

async function demo(): Promise<void> {
  const paths = configPaths(configRoot());
  const config = await demoClusterFromCheckout(projectRoot, paths.knownHostsFile);
  const store = new ClusterStore(paths.clustersFile);
  const existing = (await store.list()).some((c) => c.name === config.name);
  await (existing ? store.update(config.name, config) : store.add(config));
  console.log(`Cluster 'demo' (${config.user}@${config.host}:${config.port}) is in ${paths.clustersFile}. Run \`npm start\` to use it.`);
}

async function main(argv: string[]): Promise<void> {
  const command = parsePortholeArgs(argv);
  if (command.kind === 'help') return void console.log(PORTHOLE_USAGE);
  if (command.kind === 'version') return void console.log(`porthole ${portholeVersion()}`);
  if (command.kind === 'serve') return serve(command.port);
  if (command.kind === 'start') return start(command.port);
  return demo();
}

const argv = process.argv.slice(2);
main(argv).catch((error: unknown) => {
  console.error(wantsJson(argv) ? errorJson(error) : `porthole: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(cliExitCode(error));
});
