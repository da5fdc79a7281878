// The command lines main runs on the login node. Every one goes through /bin/sh explicitly
// (a login shell may be csh), and the only values put into them are checked here first:
// the agent version, its hash, a session id, and the runtime's version, checksums and upload name.
import { AGENT_FOLDER_UNUSED_MINUTES } from '../../agent/common/agent-folder';
import { SESSION_ID_PATTERN } from '../../agent/common/session-id';
import { singleQuote } from '../../agent/common/shell-quote';
import { PortholeError } from '../errors';

/** Exit codes of the serve wrapper, chosen outside what node itself uses. */
export const AGENT_MISSING_EXIT = 97;
export const NODE_MISSING_EXIT = 98;

const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/;
const HASH = /^[0-9a-f]{64}$/;

export function agentDir(version: string): string {
  if (!VERSION.test(version)) throw new PortholeError(`'${version}' is not an agent version`);
  return `.porthole/agent/${version}`;
}

/** Where the login node may keep its own Node runtime (when it has no Node 18+), ahead of PATH. */
const PATH_PREFIX = 'PATH="$HOME/.porthole/runtime/bin:$PATH"; export PATH';
const NODE_VERSION = /^\d+\.\d+\.\d+$/;
const UPLOAD_NAME = /^\.upload-[0-9a-f]{12}$/;
/** A SHA-256 in hex of a file, with GNU coreutils or without (shasum). */
const SHA256_FUNCTION = `sum() { (sha256sum "$1" 2>/dev/null || shasum -a 256 "$1") | cut -c1-64; }`;

function sh(script: string): string {
  return `/bin/sh -c ${singleQuote(script)}`;
}

/** `node -v` outputs of Node 18 and later, as sh `case` patterns. */
const NODE_VERSION_PATTERNS = 'v1[89].*|v[2-9][0-9].*|v[1-9][0-9][0-9].*';

/** Runs the agent's JSON-RPC server; exits 98 without a Node 18+, 97 when the installed agent is missing or not this build. */
export function serveCommand(version: string, hash: string): string {
  if (!HASH.test(hash)) throw new PortholeError(`'${hash}' is not a SHA-256 in hex`);
  const file = `$HOME/${agentDir(version)}/agent.cjs`;
  return sh(
    [
      PATH_PREFIX,
      // Node first: on a login node without it, the runtime goes up before the agent. Asking
      // `node -v` (not only `command -v`) also catches an old node and a damaged runtime.
      `v=$(node -v 2>/dev/null) || exit ${NODE_MISSING_EXIT}`,
      `case "$v" in ${NODE_VERSION_PATTERNS}) ;; *) exit ${NODE_MISSING_EXIT} ;; esac`,
      `f="${file}"`,
      `[ -f "$f" ] || exit ${AGENT_MISSING_EXIT}`,
      `h=$( (sha256sum "$f" 2>/dev/null || shasum -a 256 "$f") | cut -c1-64)`,
      `[ "$h" = "${hash}" ] || exit ${AGENT_MISSING_EXIT}`,
      `exec node "$f" serve`,
    ].join('; '),
  );
}

/** Makes the agent folder, reports the node version (empty when there is none) and removes old agent versions. */
export function prepareCommand(version: string): string {
  return sh(
    [PATH_PREFIX, `umask 077`, `mkdir -p "$HOME/${agentDir(version)}"`, `node -v 2>/dev/null || true`, removeOldAgents(version)].join('; '),
  );
}

/**
 * Removes the other versions in ~/.porthole/agent that no running agent touched within
 * AGENT_FOLDER_UNUSED_MINUTES (a serve on any login node touches its own) and that no process
 * of the user on this login node runs (an agent older than that touch). It runs where an upgrade
 * puts a new version in place, prints nothing, and never fails the upload.
 */
function removeOldAgents(version: string): string {
  return (
    `(cd "$HOME/.porthole/agent" && procs=$(ps -u "$(id -u)" -o args=) && for d in *; do ` +
    `{ [ -d "$d" ] && [ "$d" != "${version}" ]; } || continue; ` +
    `[ -z "$(find "./$d" -maxdepth 0 -mmin -${AGENT_FOLDER_UNUSED_MINUTES})" ] || continue; ` +
    `case "$procs" in *"/.porthole/agent/$d/"*) continue ;; esac; ` +
    `rm -rf "./$d"; done) >/dev/null 2>&1 || true`
  );
}

export function relayCommand(version: string, sessionId: string): string {
  if (!SESSION_ID_PATTERN.test(sessionId)) throw new PortholeError(`'${sessionId}' is not a session id`, { field: 'id' });
  return sh([PATH_PREFIX, `exec node "$HOME/${agentDir(version)}/agent.cjs" relay ${sessionId}`].join('; '));
}

/** Major version from `node -v` output, or null when there is no node. */
export function nodeMajor(output: string): number | null {
  const match = /^v(\d+)\./m.exec(output.trim());
  return match ? Number(match[1]) : null;
}

export const MIN_NODE_MAJOR = 18;

export function runtimeDir(nodeVersion: string): string {
  if (!NODE_VERSION.test(nodeVersion)) throw new PortholeError(`'${nodeVersion}' is not a Node.js version`);
  return `.porthole/runtime/${nodeVersion}`;
}

/** Prints the login node's `uname -m`, then the SHA-256 of an installed runtime's node (or `none`). */
export function runtimeProbeCommand(nodeVersion: string): string {
  const node = `$HOME/${runtimeDir(nodeVersion)}/bin/node`;
  return sh(
    [
      `umask 077`,
      `mkdir -p "$HOME/.porthole/runtime"`,
      `uname -m`,
      SHA256_FUNCTION,
      `if [ -f "${node}" ]; then sum "${node}"; else echo none; fi`,
    ].join('; '),
  );
}

/**
 * Unpacks an uploaded runtime (~/.porthole/runtime/<upload>) beside its final place, checks both
 * checksums and that it runs here, then renames it into place and points ~/.porthole/runtime/bin
 * at it. Every step is a rename, so a second app instance doing the same never sees half a
 * runtime; a damaged runtime already in place is moved aside first.
 */
export function placeRuntimeCommand(nodeVersion: string, upload: string, archiveSha256: string, nodeSha256: string): string {
  if (!UPLOAD_NAME.test(upload)) throw new PortholeError(`'${upload}' is not an upload name`);
  if (!HASH.test(archiveSha256) || !HASH.test(nodeSha256)) throw new PortholeError('A runtime checksum is not a SHA-256 in hex');
  const folder = runtimeDir(nodeVersion).split('/').at(-1)!;
  const staging = `${upload}.d`;
  return sh(
    [
      `umask 077`,
      `cd "$HOME/.porthole/runtime" || exit 1`,
      SHA256_FUNCTION,
      `trap 'rm -rf "${upload}" "${staging}" "${upload}.old" "${upload}.bin"' EXIT`,
      `[ "$(sum ${upload})" = ${archiveSha256} ] || { echo "the uploaded archive arrived damaged (checksum mismatch)" >&2; exit 1; }`,
      `mkdir "${staging}" && gzip -dc "${upload}" | tar -xf - -C "${staging}" ` +
        `|| { echo "could not unpack the runtime (gzip and tar are needed, and free space in your home)" >&2; exit 1; }`,
      `[ "$(sum ${staging}/bin/node)" = ${nodeSha256} ] || { echo "the unpacked node does not match its checksum" >&2; exit 1; }`,
      // Node 22's official binaries need glibc 2.28 or later (RHEL 8, Debian 10, Ubuntu 20.04).
      `"${staging}/bin/node" -v >/dev/null ` +
        `|| { echo "Node.js ${nodeVersion} does not run on this login node (it needs glibc 2.28 or later)" >&2; exit 1; }`,
      `if [ "$(sum ${folder}/bin/node 2>/dev/null)" != ${nodeSha256} ]; then`,
      `  if [ -e "${folder}" ]; then mv "${folder}" "${upload}.old" 2>/dev/null || true; fi;`,
      // Another instance may have put a whole one there meanwhile: that is as good as ours.
      `  mv "${staging}" "${folder}" 2>/dev/null || [ "$(sum ${folder}/bin/node)" = ${nodeSha256} ] ` +
        `|| { echo "could not put the runtime in place" >&2; exit 1; };`,
      `fi`,
      linkRuntimeLine(folder, `${upload}.bin`),
    ].join('\n'),
  );
}

/** Points ~/.porthole/runtime/bin at an installed runtime whose node checked out whole. */
export function linkRuntimeCommand(nodeVersion: string, linkName: string): string {
  if (!UPLOAD_NAME.test(linkName)) throw new PortholeError(`'${linkName}' is not a temporary name`);
  const folder = runtimeDir(nodeVersion).split('/').at(-1)!;
  return sh([`cd "$HOME/.porthole/runtime" || exit 1`, `trap 'rm -f "${linkName}"' EXIT`, linkRuntimeLine(folder, linkName)].join('; '));
}

/** A new symlink renamed over the old one: the PATH entry is never missing for a moment. */
function linkRuntimeLine(folder: string, temporary: string): string {
  return (
    `ln -s "${folder}/bin" "${temporary}" && mv -T "${temporary}" bin ` +
    `|| { echo "could not point ~/.porthole/runtime/bin at the runtime" >&2; exit 1; }`
  );
}
