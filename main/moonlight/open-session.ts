// The app's side of Open on a Moonlight session: the session's connection from the agent,
// the client from this computer, the web UI reached through the cluster's SSH connection.
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import type { MoonlightOpened } from '../api';
import { PortholeError } from '../errors';
import type { PortholeApp } from '../porthole-app';
import type { SshConnection } from '../ssh/connection';
import { locateMoonlight } from './client-locator';
import { readMoonlightPath, settingsFile } from './moonlight-settings';
import { moonlightRunner } from './moonlight-process';
import { openMoonlight } from './open-moonlight';

export async function openMoonlightSession(app: PortholeApp, cluster: string, sessionId: string): Promise<MoonlightOpened> {
  const runtime = await app.connected(cluster);
  const connection = await runtime.agent.call('sessions.connection', { id: sessionId, withSecret: true });
  if (connection.kind !== 'sunshine') throw new PortholeError(`Session '${sessionId}' is a VNC desktop: open it in the viewer, not Moonlight.`, { field: 'id' });
  const file = settingsFile(app.options.paths.root);
  const client = locateMoonlight({ platform: process.platform, env: app.options.env, home: app.options.home, configuredPath: await readMoonlightPath(file), settingsFile: file });
  return openMoonlight({
    sessionId,
    connection,
    moonlight: moonlightRunner(client, app.options.env),
    openWebUiStream: () => forwardTo(runtime.connection, connection.host, connection.portBase + 1),
    clientName: `Porthole on ${hostname()}`,
  });
}

/** A TCP stream from the login node to host:port, carried by the cluster's one SSH connection. */
function forwardTo(connection: SshConnection, host: string, port: number): Promise<Duplex> {
  const client = connection.client();
  return new Promise((resolve, reject) =>
    client.forwardOut('127.0.0.1', 0, host, port, (error, channel) =>
      error ? reject(new PortholeError(`The login node could not reach Sunshine's web UI on ${host}:${port}: ${error.message}`, { cause: error })) : resolve(channel),
    ),
  );
}
