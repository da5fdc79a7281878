// `metrics --listen HOST:PORT`, read at the command line's edge. Its own module so that parsing
// arguments does not load prom-client (a few hundred ms) for every other verb.
import { isIP } from 'node:net';
import { BadInputError } from './errors';

export interface ListenAddress {
  host: string;
  port: number;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/**
 * `--listen HOST:PORT` ([::1]:PORT for IPv6). A non-loopback address only with `--listen-public`:
 * the endpoint has no password, and whoever reaches it reads how the site's desktops are used.
 */
export function parseListenAddress(text: string, listenPublic: boolean): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !(isIP(host) || host === 'localhost') || port < 1 || port > 65535)
    throw new BadInputError('--listen', text, 'an address and port, e.g. 127.0.0.1:9464 or [::1]:9464');
  if (!LOOPBACK.test(host) && !listenPublic)
    throw new BadInputError(
      '--listen',
      text,
      'a loopback address such as 127.0.0.1:9464, because /metrics has no password and anyone who reaches it sees ' +
        'how the site’s desktops are used (templates, partitions, accounts); run Prometheus on this host, or add ' +
        '--listen-public and let only your Prometheus reach the port (a firewall)',
    );
  return { host, port };
}
