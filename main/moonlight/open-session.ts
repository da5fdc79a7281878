// The app's side of Open on a Moonlight session: the session's connection from the agent,
// the client from this computer, the web UI reached through the agent's relay to the node's
// loopback (Sunshine refuses it from anywhere else), over the cluster's SSH connection.
import { hostname } from 'node:os';
import type { MoonlightOpened } from '../api';
import { PortholeError } from '../errors';
import type { PortholeApp } from '../porthole-app';
import { locateMoonlight } from './client-locator';
import { readMoonlightPath, settingsFile } from './moonlight-settings';
import { moonlightRunner } from './moonlight-process';
import { openMoonlight } from './open-moonlight';

export async function openMoonlightSession(app: PortholeApp, cluster: string, sessionId: string): Promise<MoonlightOpened> {
  const live = await app.connected(cluster);
  const connection = await live.agent.call('sessions.connection', { id: sessionId, withSecret: true });
  if (connection.kind !== 'sunshine')
    throw new PortholeError(`Session '${sessionId}' is a VNC desktop: open it in the viewer, not Moonlight.`, { field: 'id' });
  const file = settingsFile(app.options.paths.root);
  const client = locateMoonlight({
    platform: process.platform,
    env: app.options.env,
    home: app.options.home,
    configuredPath: await readMoonlightPath(file),
    settingsFile: file,
  });
  return openMoonlight({
    sessionId,
    connection,
    moonlight: moonlightRunner(client, app.options.env),
    openWebUiStream: async () => {
      const endpoint = await live.agent.call('sessions.sunshineWebUi', { id: sessionId });
      return 'socket' in endpoint
        ? live.connection.forwardOutStreamLocal(endpoint.socket)
        : live.connection.forwardOut(endpoint.host, endpoint.port);
    },
    clientName: `Porthole on ${hostname()}`,
  });
}
