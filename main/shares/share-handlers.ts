// The Api's share methods. The owner's side (create, stop) is the agent's, on the session's
// cluster. The watcher's side (open) finds which of this app's clusters the link is for, asks
// that cluster's agent for a stream (it presents the link's secret to the owner's share server),
// and hands the page a one-stream URL of main's bridge, as sessions.viewerUrl does.
import { parseShareLink, ShareLinkError, type ShareLink } from '../../agent/common/share-link';
import type { RelayEndpoint } from '../../agent/protocol';
import type { ApiHandlers } from '../api-handlers';
import { PortholeError } from '../errors';
import type { PortholeApp } from '../porthole-app';
import { chooseShareCluster, type ClusterCandidate } from './share-cluster-choice';

/** The agent may make an SSH hop to the login node that serves the share. */
const OPEN_TIMEOUT_MS = 60_000;

export function createShareHandlers(app: PortholeApp): Pick<ApiHandlers, 'shares.create' | 'shares.stop' | 'shares.open'> {
  return {
    'shares.create': async (cluster, id, user, minutes) =>
      (await app.connected(cluster)).agent.call('shares.create', { id, user, minutes }, { timeoutMs: OPEN_TIMEOUT_MS }),
    'shares.stop': async (cluster, id, shareId) => {
      await (await app.connected(cluster)).agent.call('shares.stop', { id, shareId });
    },
    'shares.open': async (link, chosenCluster) => {
      const cluster = chooseShareCluster(readLink(link), await candidates(app), chosenCluster);
      const opened = await (await app.connected(cluster)).agent.call('shares.open', { link }, { timeoutMs: OPEN_TIMEOUT_MS });
      const sharedEndpoint: RelayEndpoint = 'socket' in opened ? { socket: opened.socket } : { host: opened.host, port: opened.port };
      return {
        url: app.bridge.urlFor({ cluster, sessionId: opened.sessionId, sharedEndpoint }),
        cluster,
        owner: opened.owner,
        sessionId: opened.sessionId,
        expiresAt: opened.expiresAt,
        viewOnly: true,
      };
    },
  };
}

function readLink(link: string): ShareLink {
  try {
    return parseShareLink(link);
  } catch (error) {
    if (error instanceof ShareLinkError) throw new PortholeError(error.message, { field: 'link', cause: error });
    throw error;
  }
}

/** Every configured cluster, with the Slurm ClusterName and user its agent reports when it is connected. */
async function candidates(app: PortholeApp): Promise<ClusterCandidate[]> {
  const configs = await app.store.list();
  return Promise.all(
    configs.map(async ({ name }): Promise<ClusterCandidate> => {
      if (app.connectionState(name).status !== 'connected') return { name };
      // cluster.info is kept by the agent for minutes: asking each connected cluster is cheap.
      const info = await (await app.connected(name)).agent.call('cluster.info', {}).catch(() => null);
      return info ? { name, slurm: { clusterName: info.clusterName, user: info.user } } : { name };
    }),
  );
}
