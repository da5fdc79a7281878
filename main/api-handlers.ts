// The Api implementation: one async function per method of main/api.ts. Both transports
// (Electron IPC and the web host) call these after checking the arguments with api-args.ts.
import type { ApiEvent, ApiMethod, ApiMethods, ClusterView } from './api';
import { PortholeError } from './errors';
import { openMoonlightSession } from './moonlight/open-session';
import type { PortholeApp } from './porthole-app';
import { createShareHandlers } from './shares/share-handlers';

export type ApiHandlers = { [M in ApiMethod]: (...args: ApiMethods[M]['args']) => Promise<ApiMethods[M]['result']> };

/** What a transport needs: the handlers, the event stream, and the prompts still open. */
export interface ApiBackend {
  handlers: ApiHandlers;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** Events a newly opened window needs at once (open prompts, connection states). */
  snapshot(): ApiEvent[];
}

export function createApiHandlers(app: PortholeApp): ApiHandlers {
  const view = async (name: string): Promise<ClusterView> => ({ config: await app.store.get(name), connection: app.connectionState(name) });
  return {
    'clusters.list': async () => (await app.store.list()).map((config) => ({ config, connection: app.connectionState(config.name) })),
    'clusters.add': async (config) => {
      const added = await app.store.add(config);
      return { config: added, connection: app.connectionState(added.name) };
    },
    'clusters.update': async (name, config) => {
      app.dropCluster(name);
      const updated = await app.store.update(name, config);
      return { config: updated, connection: app.connectionState(updated.name) };
    },
    'clusters.remove': async (name) => {
      app.dropCluster(name);
      await app.store.remove(name);
    },
    'clusters.connect': async (name) => {
      const live = await app.cluster(name);
      await live.connect();
      return live.state;
    },
    'clusters.disconnect': async (name) => {
      app.dropCluster(name);
      return app.connectionState(name);
    },
    'clusters.addDemo': async () => {
      const config = await app.addDemoCluster();
      return view(config.name);
    },
    'clusters.info': async (cluster) => (await app.connected(cluster)).agent.call('cluster.info', {}),
    'clusters.doctor': async (cluster) => (await app.connected(cluster)).agent.call('doctor', {}, { timeoutMs: 120_000 }),
    'templates.list': async (cluster) => (await app.connected(cluster)).templatesList(),
    'sessions.list': async (cluster) => (await app.connected(cluster)).sessions(),
    'sessions.launch': async (cluster, templateId, values) => {
      const live = await app.connected(cluster);
      await live.ensureTemplates();
      return live.view(await live.agent.call('sessions.launch', { templateId, values }, { timeoutMs: 120_000 }));
    },
    'sessions.cancel': async (cluster, id) => {
      const live = await app.connected(cluster);
      app.bridge.tokens.revoke({ cluster, sessionId: id });
      return live.view(await live.agent.call('sessions.cancel', { id }, { timeoutMs: 60_000 }));
    },
    'sessions.keepRunning': async (cluster, id) => {
      const live = await app.connected(cluster);
      return live.view(await live.agent.call('sessions.keepRunning', { id }));
    },
    'sessions.relaunch': async (cluster, id) => {
      const session = await (await app.connected(cluster)).agent.call('sessions.show', { id });
      return { templateId: session.templateId, values: session.values };
    },
    'sessions.logs': async (cluster, id, lines) => (await (await app.connected(cluster)).agent.call('sessions.logs', { id, lines })).text,
    'sessions.viewerUrl': async (cluster, id) => {
      const connection = await (await app.connected(cluster)).agent.call('sessions.connection', { id, withSecret: true });
      if (connection.kind !== 'vnc')
        throw new PortholeError(`Session '${id}' is a Moonlight desktop: open it with Moonlight, not the VNC viewer.`, { field: 'id' });
      return { url: app.bridge.urlFor({ cluster, sessionId: id }), password: connection.password ?? '' };
    },
    'viewer.openMoonlight': async (cluster, id) => openMoonlightSession(app, cluster, id),
    'prompts.answer': async (id, answer) => app.prompts.answer(id, answer),
    'files.list': async (cluster, id) => app.files.list({ cluster, sessionId: id }),
    'files.uploadUrl': async (cluster, id) => {
      await app.connected(cluster);
      return app.bridge.uploadUrlFor({ cluster, sessionId: id });
    },
    'files.createFolder': async (cluster, id, name) => app.files.createFolder({ cluster, sessionId: id }, name),
    'files.download': async (cluster, id, name, transferId) => app.files.download({ cluster, sessionId: id }, name, transferId),
    'files.cancelDownload': async (transferId) => app.files.cancelDownload(transferId),
    ...createShareHandlers(app),
  };
}
