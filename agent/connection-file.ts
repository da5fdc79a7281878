// Reads the connection.json a job wrote (docs/architecture.md §4) into a typed connection, without its
// secrets: the VNC password and Sunshine's credentials live in their own 0600 files.
import type { SessionConnection } from './protocol';

// A node name or address goes to ssh, srun and Moonlight as one argument: no spaces, no
// leading dash, nothing a shell or an option parser could read as more than a host.
const HOST = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$/;

export function parseConnectionFile(text: string, sessionId: string): SessionConnection {
  const unreadable = () => new Error(`The connection.json of session '${sessionId}' is not one this agent can read: ${text.slice(0, 200)}`);
  let written: { kind?: unknown; node?: unknown; port?: unknown; socket?: unknown; host?: unknown; portBase?: unknown };
  try {
    written = JSON.parse(text) as typeof written;
  } catch {
    throw unreadable();
  }
  if (typeof written.node !== 'string' || !HOST.test(written.node)) throw unreadable();
  if (written.kind === 'vnc') {
    if (typeof written.socket === 'string' && written.socket.startsWith('/'))
      return { kind: 'vnc', node: written.node, socket: written.socket };
    if (isPort(written.port)) return { kind: 'vnc', node: written.node, port: written.port };
    throw unreadable();
  }
  // portBase − 5 and + 21 must be ports too.
  if (
    written.kind === 'sunshine' &&
    typeof written.host === 'string' &&
    HOST.test(written.host) &&
    isPort(written.portBase) &&
    written.portBase > 5 &&
    written.portBase < 65_535 - 21
  ) {
    return { kind: 'sunshine', node: written.node, host: written.host, portBase: written.portBase };
  }
  throw unreadable();
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65_536;
}

/** What the sunshine-credentials file holds: the user name on its first line, the password on its second. */
export function parseSunshineCredentials(text: string): { username: string; password: string } | undefined {
  const [username, password] = text.split('\n');
  return username && password ? { username, password } : undefined;
}
