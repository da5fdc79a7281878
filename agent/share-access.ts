// Who can reach a share's socket (docs/architecture.md, "Sharing a desktop view-only"). Node
// cannot read a Unix socket's peer credentials (SO_PEERCRED), so the kernel's permission check on
// connect() is the identity check: the socket sits in a folder of mode 0700, and a POSIX ACL
// lets exactly one other uid through (x on the folders, rw on the socket). Every other local user
// gets EACCES. Where ACLs are not supported, no share is made: never a wider mode instead.
import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { CommandRunner } from './command-runner';
import { BadInputError, CommandError } from './errors';

/**
 * Share sockets are found by the watcher's agent, which runs as another user with its own
 * TMPDIR: the folder's place cannot depend on the owner's environment.
 */
export const SHARES_TMP = '/tmp';
export const SHARE_SOCKET_NAME = 'rfb.sock';

/** `/tmp/porthole-shares-<owner uid>`: one per owner, 0700, each watcher's uid let through by an ACL. */
export function sharesRoot(ownerUid: number, tmp = SHARES_TMP): string {
  return join(tmp, `porthole-shares-${ownerUid}`);
}

export function shareSocketPath(ownerUid: number, shareId: string, tmp = SHARES_TMP): string {
  return join(sharesRoot(ownerUid, tmp), shareId, SHARE_SOCKET_NAME);
}

/** A user of this login node, by `getent passwd` (the name service the node's sshd uses). */
export async function userId(user: string, loginNode: string, run: CommandRunner): Promise<number> {
  const { code, stdout } = await run('getent', ['passwd', user], { timeoutMs: 5000 });
  const uid = code === 0 ? Number(stdout.split(':')[2]) : NaN;
  if (!Number.isInteger(uid)) throw new BadInputError('user', user, `a user known on ${loginNode} (getent passwd finds none by that name)`);
  return uid;
}

/** Another `serve` of the same owner on this login node (a second app, the web host) serves the share already. */
export class ServedElsewhereError extends Error {}

export class ShareAccess {
  constructor(
    private readonly ownerUid: number,
    private readonly run: CommandRunner,
    private readonly tmp = SHARES_TMP,
  ) {}

  /** Makes the share's folder (empty, 0700) with `watcherUid` let through; returns the socket's path. */
  async prepare(shareId: string, watcherUid: number): Promise<string> {
    const root = sharesRoot(this.ownerUid, this.tmp);
    mkdirSync(root, { recursive: true, mode: 0o700 });
    const stat = lstatSync(root);
    // The group bits of a folder with an ACL show the ACL's mask, not a group's rights.
    if (!stat.isDirectory() || stat.uid !== this.ownerUid || (stat.mode & 0o007) !== 0)
      throw new BadInputError(
        'share folder',
        root,
        `a folder owned by uid ${this.ownerUid} that others cannot enter (remove it and try again)`,
      );
    const folder = join(root, shareId);
    // A socket that answers belongs to a live server: taking its place would cut its watchers.
    if (await answers(join(folder, SHARE_SOCKET_NAME)))
      throw new ServedElsewhereError(`share ${shareId} is served by another agent of yours`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { mode: 0o700 });
    await this.allow(root, watcherUid, 'x');
    await this.allow(folder, watcherUid, 'x');
    return join(folder, SHARE_SOCKET_NAME);
  }

  /** Once the server listens: the socket itself is the owner's alone, and the watcher's by the ACL. */
  async openSocket(socket: string, watcherUid: number): Promise<void> {
    chmodSync(socket, 0o600);
    await this.allow(socket, watcherUid, 'rw');
  }

  /**
   * Removes the share's folder, and the watchers' way through the root once no share is left in
   * it. Another `serve` of the owner may serve shares there, so this one's own list cannot tell;
   * an entry left on the root opens nothing alone (x without r, each share folder has its own).
   */
  async remove(shareId: string): Promise<void> {
    const root = sharesRoot(this.ownerUid, this.tmp);
    rmSync(join(root, shareId), { recursive: true, force: true });
    if (readdirSync(root).length === 0) await this.run('setfacl', ['-b', root], { timeoutMs: 5000 }).catch(() => undefined);
  }

  /** setfacl, then getfacl to see it took: a file system that ignores ACLs must not pass for one that has them. */
  private async allow(path: string, uid: number, rights: 'x' | 'rw'): Promise<void> {
    const set = await this.run('setfacl', ['-m', `u:${uid}:${rights}`, path], { timeoutMs: 5000 }).catch((error: Error) => ({
      code: 127,
      stderr: error.message,
      stdout: '',
    }));
    const got = set.code === 0 ? await this.run('getfacl', ['-p', '-n', path], { timeoutMs: 5000 }) : undefined;
    const entry = rights === 'x' ? `user:${uid}:--x` : `user:${uid}:rw-`;
    if (!got || got.code !== 0 || !got.stdout.split('\n').some((line) => line.trim().startsWith(entry)))
      throw new CommandError(
        `This login node cannot limit a share to one user: POSIX ACLs (setfacl/getfacl) do not work on ${path}` +
          ` (${(set.stderr || got?.stderr || 'the entry did not take').trim()}); the share was not made.` +
          ' Ask the admins for the acl package and ACLs on /tmp.',
        set.stderr,
      );
  }
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socket);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
