// Open on a Moonlight session: the node must answer from here (else say so), Moonlight must be
// paired with it (pair when not), then `moonlight stream <host:port> Desktop` runs on its own.
import type { Duplex } from 'node:stream';
import type { SunshineConnection } from '../../agent/protocol';
import type { MoonlightOpened } from '../api';
import { PortholeError } from '../errors';
import type { MoonlightRunner } from './moonlight-process';
import { ensurePaired } from './pairing';
import { checkReachable } from './reachability';
import { sunshineWebApi } from './sunshine-web-api';

export interface OpenMoonlightInput {
  sessionId: string;
  /** With its secrets (Sunshine's web-UI user and password) and its certificate's fingerprint. */
  connection: SunshineConnection;
  moonlight: MoonlightRunner;
  /** A byte stream to Sunshine's web UI (portBase + 1 on the node's loopback), through the cluster's SSH connection. */
  openWebUiStream: () => Promise<Duplex>;
  /** How Sunshine lists this computer among its paired clients. */
  clientName: string;
  reachTimeoutMs?: number;
  /** For tests: how long a pairing waits once another client's request may have taken the PIN. */
  pinTakenGraceMs?: number;
}

/** The Sunshine app Moonlight starts: the template's apps file names the whole desktop so. */
const DESKTOP_APP = 'Desktop';

export async function openMoonlight(input: OpenMoonlightInput): Promise<MoonlightOpened> {
  const { node, host, portBase, username, password, certSha256 } = input.connection;
  if (!username || !password)
    throw new PortholeError(`Session '${input.sessionId}' has no Sunshine credentials in its folder; relaunch it.`);
  if (!certSha256)
    throw new PortholeError(
      `Session '${input.sessionId}' came without the fingerprint of its Sunshine certificate: ` +
        `Porthole sends the session's credentials only to a Sunshine it can check. ` +
        `Reconnect to the cluster (its agent is then updated) or relaunch the session.`,
    );
  await checkReachable({ node, host, port: portBase }, input.reachTimeoutMs);
  const address = `${host}:${portBase}`;
  const paired = await ensurePaired({
    moonlight: input.moonlight,
    address,
    node,
    webApi: sunshineWebApi({ openStream: input.openWebUiStream, node, username, password, certSha256 }),
    clientName: input.clientName,
    pinTakenGraceMs: input.pinTakenGraceMs,
  });
  await input.moonlight.start(['stream', address, DESKTOP_APP]);
  return { node, host, portBase, paired };
}
