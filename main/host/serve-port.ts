// Which port `porthole serve` listens on. The page keeps History in IndexedDB, which belongs to
// the origin (http://127.0.0.1:<port>): a random port each run would open an empty History every
// time. So serve asks for the same port every run, and the same few after it when that is taken.
import type { Server } from 'node:net';

/** Below Linux's ephemeral range (32768–60999), so that no outgoing connection holds it by chance. */
export const DEFAULT_SERVE_PORT = 27300;
/** How many ports after the default are tried, in order, before a random one. */
export const SERVE_PORT_FALLBACKS = 9;

export interface ChosenPort {
  port: number;
  /** Said when the port is not the default: History is kept per port. */
  note?: string;
}

/**
 * Listens on `requested` alone when a person chose it (0: any free port); otherwise on the
 * preferred port (the default; tests give their own), then the next ones, then any free port,
 * saying so.
 */
export async function listenOnServePort(
  server: Server,
  address: string,
  { requested, preferred = DEFAULT_SERVE_PORT }: { requested?: number; preferred?: number } = {},
): Promise<ChosenPort> {
  if (requested !== undefined) return { port: await listenOn(server, address, requested) };
  const last = preferred + SERVE_PORT_FALLBACKS;
  for (let port = preferred; port <= last; port++) {
    try {
      await listenOn(server, address, port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
      throw error;
    }
    if (port === preferred) return { port };
    return {
      port,
      note:
        `port ${preferred} is taken (another porthole serve?), so this one serves on ${port}; ` +
        `History belongs to the port, so the page shows what was kept on ${port}.`,
    };
  }
  const port = await listenOn(server, address, 0);
  return {
    port,
    note:
      `ports ${preferred}–${last} are all taken, so this one serves on ${port}, chosen at random: ` +
      `History kept on it will not be there after a restart. Stop another porthole serve, or give --port.`,
  };
}

function listenOn(server: Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, address, () => {
      server.removeListener('error', onError);
      resolve((server.address() as { port: number }).port);
    });
  });
}
