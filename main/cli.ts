// Entry point of dist/main/cli.cjs:
//   porthole serve [--port N]   the app on http://127.0.0.1 for a browser (URL with a token)
//   porthole start              Electron when its binary is installed, otherwise `serve`
//   porthole demo               starts the local test cluster and adds it as cluster `demo`
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createPortholeApp } from './app-factory';
import { configPaths, configRoot } from './config/paths';
import { ClusterStore } from './config/cluster-store';
import { demoClusterFromCheckout } from './demo-cluster';
import { electronBinary } from './electron-launcher';
import { WebHost } from './host/server';

const distDir = join(__dirname, '..');
const projectRoot = join(distDir, '..');

const USAGE = `Usage: porthole <command>
  serve [--port N]   serve the app on 127.0.0.1 and print the address to open
  start              open the app (Electron when installed, otherwise serve)
  demo               start the local test cluster and add it as cluster 'demo'`;

function parsePort(args: string[]): number | undefined {
  const index = args.indexOf('--port');
  if (index < 0) return undefined;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`--port needs a number from 0 to 65535, not '${args[index + 1] ?? ''}'`);
  }
  return value;
}

async function serve(args: string[]): Promise<void> {
  const app = await createPortholeApp({ distDir, projectRoot });
  const host = new WebHost({
    backend: app.backend(),
    rendererDir: join(distDir, 'renderer'),
    port: parsePort(args),
    log: (line) => process.stderr.write(`porthole: ${line}\n`),
  });
  const url = await host.listen();
  // The viewer's streams come from this page alone.
  app.bridge.allowPageOrigins(host.origins);
  console.log(`Porthole is running. Open this address in your browser (it carries your access token):\n\n    ${url}\n`);
  const stop = () => {
    void Promise.all([host.close(), app.stop()]).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function start(args: string[]): Promise<void> {
  const binary = electronBinary(projectRoot);
  if (!binary) {
    console.log('Electron is not installed here (its binary could not be downloaded); serving the app for a browser instead.');
    return serve(args);
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
  const [command, ...args] = argv;
  if (command === 'serve') return serve(args);
  if (command === 'start') return start(args);
  if (command === 'demo') return demo();
  console.error(USAGE);
  process.exitCode = command ? 2 : 0;
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`porthole: ${error.message}`);
  process.exit(1);
});
