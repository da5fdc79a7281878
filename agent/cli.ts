// Entry point of dist/agent.cjs: `node agent.cjs <verb> …`. Builds the agent from its parts
// (the real command runner, clock and home folder) and runs one verb, or `serve`.
import { homedir, hostname, tmpdir, userInfo } from 'node:os';
import builtinTemplates, { jobLibrary } from 'porthole:builtin-templates';
import { keepAgentFolderFresh } from './agent-folder-heartbeat';
import { agentConfigFile, agentConfigPermissionProblem, loadAgentConfig } from './agent-config';
import { callMethod, createMethodHandlers, type MethodHandlers } from './agent-methods';
import { AGENT_USAGE, cliInfoRequest, isCliMethod, parseCliArgs, type CliArgs, type CliMethod } from './cli-args';
import {
  clusterText,
  connectionText,
  doctorText,
  sessionsTable,
  sessionText,
  templateCheckJson,
  templateCheckText,
  templatesTable,
} from './cli-output';
import { runCommand } from './command-runner';
import { runDoctor } from './doctor';
import { BadInputError, exitCodeFor, toRpcError } from './errors';
import { openRegistry } from './redis-registry';
import { chooseRoute, relay, relayLocal, type RelayTarget } from './relay';
import { privateRuntimeDir, RelayEndpoints } from './relay-endpoints';
import { RpcServer } from './rpc-server';
import { SessionFiles } from './session-files';
import { probeWrite, sessionFilesFolder } from './session-files-folder';
import { SessionFolderWatch } from './session-folder-watch';
import { SessionPoller, SLOW_POLL_MS } from './session-poller';
import type { AgentMethods } from './protocol';
import { SessionService } from './session-service';
import { ShareAccess } from './share-access';
import { ShareService } from './share-service';
import { ShareStore } from './share-store';
import { ShareWatch } from './share-watch';
import { siteConfigFile, siteConfigPermissionProblem } from './site-config';
import { Slurm } from './slurm';
import { ClusterFacts } from './cluster-facts';
import { checkTemplateFolder } from './template-check-folder';
import { loadCatalog } from './template-loader';
import { applySiteChoices } from './template-overrides';

const VERSION = typeof __PORTHOLE_VERSION__ === 'string' ? __PORTHOLE_VERSION__ : '0.0.0-dev';

async function main(argv: string[]): Promise<number> {
  const info = cliInfoRequest(argv);
  if (info) {
    process.stdout.write(`${info === 'help' ? AGENT_USAGE : `porthole-agent ${VERSION}`}\n`);
    return 0;
  }
  const args = parseCliArgs(argv);
  if (args.verb === 'relay-local') return relayLocal(args.positional as string);
  if (args.verb === 'templates.check') return checkTemplates(args.positional as string, args.json);

  const home = process.env.HOME || homedir();
  const user = userInfo().username;
  const config = loadAgentConfig(home, process.env);
  const log = (line: string): void => void process.stderr.write(`porthole-agent: ${line}\n`);
  const configProblem = agentConfigPermissionProblem(agentConfigFile(home));
  if (configProblem) log(configProblem);
  const siteProblem = siteConfigPermissionProblem(siteConfigFile(process.env));
  if (siteProblem) log(siteProblem);
  if (args.verb === 'metrics') {
    // Loaded only here: prom-client takes a few hundred ms to load, which every relay would pay.
    const { runMetricsCommand } = await import('./metrics-command');
    return runMetricsCommand({ redis: config.redis, listen: args.listen, write: (text) => process.stdout.write(text), log });
  }
  const slurm = new Slurm(runCommand);
  const facts = new ClusterFacts(slurm, user);
  const files = new SessionFiles(home);
  const catalog = applySiteChoices(loadCatalog(builtinTemplates, home, config.templateDirs), config);
  const needsRegistry = !['hello', 'templates.list', 'relay', 'sessions.connection', 'sessions.logs'].includes(args.verb);
  const registry = needsRegistry
    ? await openRegistry(config.redis, user, log, config.sessions.recordHoursAfterEnd)
    : (await import('./redis-registry')).noRegistry;
  const now = (): Date => new Date();
  // Only `direct` reaches the node's address: every other route ends on the node, at a Unix socket.
  const sessions = new SessionService({
    slurm,
    accounting: () => facts.accounting(),
    partitions: (wanted) => facts.partitions(wanted),
    files,
    catalog,
    jobLibrary,
    registry,
    counters: registry.status().configured ? registry : undefined,
    now,
    vncListen: config.route === 'direct' ? 'tcp' : 'socket',
    folderDaysAfterEnd: config.sessions.folderDaysAfterEnd,
    siteIdle: config.idle,
  });
  let poller: SessionPoller | undefined;
  let relays: RelayEndpoints | undefined;
  let shares: { owner: ShareService; watcher: ShareWatch } | undefined;
  const servedShares = (): NonNullable<typeof shares> => {
    if (!shares) throw new BadInputError('method', 'shares', 'the `serve` verb, which keeps the share servers running');
    return shares;
  };
  // The job id comes from the session's own record: no squeue on the way to a desktop.
  const relayTarget = (id: string): RelayTarget => {
    const connection = sessions.connection(id, false);
    // Moonlight streams UDP straight from the node: there is nothing for a relay to carry.
    if (connection.kind !== 'vnc')
      throw new BadInputError('id', id, 'a VNC session; a Sunshine session is opened with Moonlight, not relayed');
    return { jobId: files.readRecord(id).jobId, connection };
  };
  const sunshineTarget = (id: string) => {
    const connection = sessions.connection(id, false);
    if (connection.kind !== 'sunshine') throw new BadInputError('id', id, 'a Sunshine session; a VNC session is relayed by sessions.relay');
    return { jobId: files.readRecord(id).jobId, connection };
  };
  const handlers = createMethodHandlers({
    version: VERSION,
    user,
    facts,
    catalog,
    sessions,
    doctor: () =>
      runDoctor({
        slurm,
        run: runCommand,
        catalog,
        registry,
        sessionsDir: files.sessionsDir,
        agentConfigFile: agentConfigFile(home),
        touchRegistry: () => sessions.registerAll(),
      }),
    filesFolder: (id) => sessionFilesFolder(files, catalog, id),
    probeWrite,
    onSessionsTouched: () => poller?.kick(),
    shares: {
      'shares.create': (params) => servedShares().owner.create(params),
      'shares.stop': (params) => servedShares().owner.stop(params),
      'shares.open': (params) => servedShares().watcher.open(params),
    },
    withShares: (session) => shares?.owner.withShares(session) ?? session,
    relayEndpoint: (id) => (relays ? relays.open(id) : Promise.reject(new Error('relay endpoints exist only in serve'))),
    sunshineWebUiEndpoint: (id) =>
      relays ? relays.openSunshineWebUi(id) : Promise.reject(new Error('relay endpoints exist only in serve')),
  });

  try {
    if (args.verb === 'serve') {
      keepAgentFolderFresh(process.argv[1], log);
      const server = new RpcServer(handlers, process.stdout);
      const folders = new SessionFolderWatch(
        (id) => files.dirOf(id),
        () => poller?.kick('folder'),
      );
      const runtimeDir = privateRuntimeDir(tmpdir(), userInfo().uid);
      relays = new RelayEndpoints({
        route: config.route,
        agentFile: process.argv[1],
        runtimeDir,
        target: relayTarget,
        sunshineTarget,
        run: runCommand,
        log,
      });
      const endpoints = relays;
      const clusterName = async (): Promise<string> => (await facts.info()).clusterName;
      // A share's change is told at once, and remembered so that the poller does not tell it again.
      const announce = (id: string): void =>
        void handlers['sessions.show']({ id }).then(
          (session) => {
            server.notify('session.changed', session);
            poller?.remember(session);
          },
          (error: Error) => log(`session ${id}: ${error.message}`),
        );
      shares = {
        owner: new ShareService({
          owner: user,
          ownerUid: userInfo().uid,
          loginNode: hostname(),
          clusterName,
          sessions,
          store: new ShareStore(files),
          access: new ShareAccess(userInfo().uid, runCommand),
          desktopEndpoint: (id) => endpoints.open(id),
          run: runCommand,
          now,
          onSessionChanged: announce,
          log,
        }),
        watcher: new ShareWatch({
          user,
          loginNode: hostname(),
          clusterName,
          runtimeDir,
          agentFile: process.argv[1],
          run: runCommand,
          now,
          log,
        }),
      };
      const shareService = shares.owner;
      // At most once a slow poll: shares another `serve` of this owner stopped or stopped serving.
      let sharesAdoptedAt = Date.now();
      poller = new SessionPoller({
        list: async (askSlurm) => {
          const listed = await sessions.list({ all: true, askSlurm });
          if (Date.now() - sharesAdoptedAt >= SLOW_POLL_MS) {
            sharesAdoptedAt = Date.now();
            void shareService.adopt(listed).catch((error: Error) => log(`shares: ${error.message}`));
          }
          return listed.map((session) => shareService.withShares(session));
        },
        onChange: (session) => {
          server.notify('session.changed', session);
          folders.follow(session);
          // The route to a node (and its SSH master) is made while the desktop server starts,
          // and the session's endpoint as soon as it is ready: before anyone opens it.
          if (session.node && (session.state === 'starting' || session.state === 'ready')) relays?.warm(session.node);
          // Opening early only saves time: the viewer's own relay opens it again and hears the failure.
          if (session.state === 'ready') relays?.open(session.id).catch(() => undefined);
          if (session.state === 'ended') {
            relays?.close(session.id);
            void shareService.sessionEnded(session.id);
          }
        },
        onError: (error) => log(`polling Slurm failed: ${error.message}`),
        setTimer: (fn, ms) => {
          const timer = setTimeout(fn, ms);
          timer.unref();
          return { cancel: () => clearTimeout(timer) };
        },
      });
      // After the first turn of reading stdin: main's `hello` is waiting there, and the first
      // poll reads every session's record before it would be answered.
      setImmediate(() => poller?.kick());
      // The Launch form asks for cluster.info soon after connecting: sacctmgr's answer is then ready.
      setImmediate(() => void facts.accounting().catch(() => undefined));
      // …and the first launch's partition checks need no sinfo of their own.
      setImmediate(() => void facts.partitions().catch(() => undefined));
      // The shares this login node served before `serve` last ended (the app reconnected).
      setImmediate(() => void shareService.restore().catch((error: Error) => log(`serving shares again failed: ${error.message}`)));
      await server.serve(process.stdin);
      poller.stop();
      folders.close();
      await shareService.closeAll();
      shares.watcher.closeAll();
      relays.closeAll();
      return 0;
    }
    if (args.verb === 'relay') {
      const target = relayTarget(args.positional as string);
      const route = await chooseRoute(config.route, target.connection.node, runCommand);
      return await relay(target, route, process.argv[1]);
    }
    if (!isCliMethod(args.verb)) throw new Error(`verb ${args.verb} is handled above`);
    return await runMethod(args.verb, args, handlers);
  } finally {
    await registry.close();
  }
}

/** What a method takes from the command line, and how its result reads at a terminal without --json. */
type CliMethodEntry<M extends CliMethod> = {
  params: (args: CliArgs) => AgentMethods[M]['params'];
  text: (result: AgentMethods[M]['result']) => string;
  /** Left out: 0 once the method answered. */
  exitCode?: (result: AgentMethods[M]['result']) => number;
};

const CLI_METHODS: { [M in CliMethod]: CliMethodEntry<M> } = {
  hello: {
    params: () => ({}),
    text: (h) => `porthole agent ${h.agentVersion} (protocol ${h.protocolVersion}, node ${h.nodeVersion}) for ${h.user}`,
  },
  'cluster.info': { params: () => ({}), text: clusterText },
  'templates.list': { params: () => ({}), text: templatesTable },
  'sessions.launch': { params: (a) => ({ templateId: a.positional ?? '', values: a.params }), text: sessionText },
  'sessions.list': { params: (a) => ({ all: a.all }), text: sessionsTable },
  'sessions.show': { params: (a) => ({ id: a.positional ?? '' }), text: sessionText },
  'sessions.cancel': { params: (a) => ({ id: a.positional ?? '' }), text: sessionText },
  'sessions.connection': { params: (a) => ({ id: a.positional ?? '', withSecret: a.withSecret }), text: connectionText },
  'sessions.logs': { params: (a) => ({ id: a.positional ?? '', lines: a.lines }), text: (l) => l.text },
  'sessions.keepRunning': { params: (a) => ({ id: a.positional ?? '' }), text: sessionText },
  // 1 when a check fails, so that a script or a health check can act on it (warnings pass).
  doctor: { params: () => ({}), text: doctorText, exitCode: (checks) => (checks.some((c) => c.status === 'fail') ? 1 : 0) },
  'files.folder': { params: (a) => ({ id: a.positional ?? '' }), text: (r) => r.folder },
  'files.probeWrite': {
    params: (a) => ({ id: a.positional ?? '' }),
    text: (r) => (r.code ? `${r.code}: ${r.message ?? ''}` : 'writes succeed'),
  },
};

/** Needs no Slurm, home or configuration: an admin checks a folder before it is installed. */
function checkTemplates(folder: string, json: boolean): number {
  const checks = checkTemplateFolder(folder);
  process.stdout.write((json ? JSON.stringify(templateCheckJson(checks), null, 2) : templateCheckText(checks)) + '\n');
  // 2, as for any other bad input: the templates are the input.
  return checks.some((check) => check.problems.length) ? 2 : 0;
}

async function runMethod<M extends CliMethod>(method: M, args: CliArgs, handlers: MethodHandlers): Promise<number> {
  const entry = CLI_METHODS[method] as CliMethodEntry<M>;
  const result = await callMethod(handlers, method, entry.params(args));
  process.stdout.write((args.json ? JSON.stringify(result, null, 2) : entry.text(result)) + '\n');
  return entry.exitCode?.(result) ?? 0;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Under --json the error is the JSON-RPC error `serve` would send: code, message, and for bad
    // input the field, what was given and what is allowed.
    const json = argv.includes('--json');
    process.stderr.write(
      `${json ? JSON.stringify({ error: toRpcError(error) }) : error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = exitCodeFor(error);
  },
);
