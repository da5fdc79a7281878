// The command lines main runs on the login node. Every one goes through /bin/sh explicitly
// (a login shell may be csh), and the only values put into them are checked here first:
// the agent version, its hash and a session id.
import { PortholeError } from '../errors';

/** Exit codes of the serve wrapper, chosen outside what node itself uses. */
export const AGENT_MISSING_EXIT = 97;
export const NODE_MISSING_EXIT = 98;

const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/;
const HASH = /^[0-9a-f]{64}$/;
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function agentDir(version: string): string {
  if (!VERSION.test(version)) throw new PortholeError(`'${version}' is not an agent version`);
  return `.porthole/agent/${version}`;
}

/** Where the login node may keep its own Node runtime (issue 8), ahead of PATH. */
const PATH_PREFIX = 'PATH="$HOME/.porthole/runtime/bin:$PATH"; export PATH';

function sh(script: string): string {
  return `/bin/sh -c '${script.replace(/'/g, `'\\''`)}'`;
}

/** Runs the agent's JSON-RPC server, or exits 97 when the installed file is missing or not this build. */
export function serveCommand(version: string, hash: string): string {
  if (!HASH.test(hash)) throw new PortholeError(`'${hash}' is not a SHA-256 in hex`);
  const file = `$HOME/${agentDir(version)}/agent.cjs`;
  return sh(
    [
      PATH_PREFIX,
      `f="${file}"`,
      `[ -f "$f" ] || exit ${AGENT_MISSING_EXIT}`,
      `h=$( (sha256sum "$f" 2>/dev/null || shasum -a 256 "$f") | cut -c1-64)`,
      `[ "$h" = "${hash}" ] || exit ${AGENT_MISSING_EXIT}`,
      `command -v node >/dev/null 2>&1 || exit ${NODE_MISSING_EXIT}`,
      `exec node "$f" serve`,
    ].join('; '),
  );
}

/** Makes the agent folder and reports the node version (empty when there is none). */
export function prepareCommand(version: string): string {
  return sh([PATH_PREFIX, `umask 077`, `mkdir -p "$HOME/${agentDir(version)}"`, `node -v 2>/dev/null || true`].join('; '));
}

export function relayCommand(version: string, sessionId: string): string {
  if (!SESSION_ID.test(sessionId)) throw new PortholeError(`'${sessionId}' is not a session id`, { field: 'id' });
  return sh([PATH_PREFIX, `exec node "$HOME/${agentDir(version)}/agent.cjs" relay ${sessionId}`].join('; '));
}

/** Major version from `node -v` output, or null when there is no node. */
export function nodeMajor(output: string): number | null {
  const match = /^v(\d+)\./m.exec(output.trim());
  return match ? Number(match[1]) : null;
}

export const MIN_NODE_MAJOR = 18;
