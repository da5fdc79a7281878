// Before Moonlight starts: can this computer reach the node's Sunshine at all? The stream is
// UDP straight from the node and cannot go through SSH, so a node off this network must be
// said plainly, not left to a client that hangs on "connecting".
import { connect } from 'node:net';
import { PortholeError } from '../errors';

export interface ReachTarget {
  node: string;
  host: string;
  port: number;
}

/** Resolves when a TCP connection to host:port opens within timeoutMs; otherwise a PortholeError saying what to do. */
export function checkReachable(target: ReachTarget, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    const fail = (why: string) => {
      socket.destroy();
      reject(
        new PortholeError(
          `Node ${target.node} (${target.host}) is not reachable from this network: port ${target.port} of its Sunshine ${why}. ` +
            'Moonlight streams straight from the node over UDP, which cannot go through SSH: ' +
            "connect to the site's VPN or gateway that reaches the compute nodes, then Open again.",
        ),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(`did not answer within ${timeoutMs / 1000} s`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(`could not be reached (${error.code ?? error.message})`));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
  });
}
