// The watcher's side of sharing (docs/architecture.md, "Sharing a desktop view-only"): reads the
// link, checks it is for this user and cluster, reaches the owner's share socket (on this login
// node, or through an ssh hop to the one the link names) and gives main a socket of its own in
// the watcher's private runtime folder. Each stream sends the share line first, so main sees
// plain RFB with security None.
import { spawn } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { parseShareLink, ShareLinkError, type ShareLink } from './common/share-link';
import type { CommandRunner } from './command-runner';
import { BadInputError, CommandError } from './errors';
import type { SharedDesktop } from './protocol';
import { singleQuote } from './common/shell-quote';
import { shareSocketPath, userId } from './share-access';
import { shareLine } from './share-server';
import { SocketReader } from './share-rfb-handshake';

export interface ShareWatchDeps {
  user: string;
  loginNode: string;
  clusterName: () => Promise<string>;
  /** The watcher's own 0700 folder (relay-endpoints.ts's privateRuntimeDir). */
  runtimeDir: string;
  agentFile: string;
  run: CommandRunner;
  now: () => Date;
  log: (line: string) => void;
}

const SSH_HOP = ['ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'ServerAliveInterval=15', '-T'];

export class ShareWatch {
  private readonly servers = new Map<string, Server>();

  constructor(private readonly deps: ShareWatchDeps) {}

  async open({ link: text }: { link: string }): Promise<SharedDesktop> {
    const link = this.readLink(text);
    if (link.user !== this.deps.user)
      throw new BadInputError('link', shownLink, `a link made for you (${this.deps.user}); this share is for ${link.user}`);
    const clusterName = await this.deps.clusterName();
    if (link.clusterName !== clusterName)
      throw new BadInputError('link', shownLink, `a link of cluster ${clusterName}; this one is of cluster ${link.clusterName}`);
    if (Date.parse(link.expiresAt) <= this.deps.now().getTime())
      throw new BadInputError('link', shownLink, `a share that has not expired; this one expired at ${link.expiresAt}`);
    const ownerUid = await userId(link.owner, this.deps.loginNode, this.deps.run);
    // One stream now, closed after the answer: a stopped share or a bad secret is said here, not in the viewer.
    const probe = await this.upstream(link, ownerUid);
    probe.destroy();
    const socket = join(this.deps.runtimeDir, `share-${link.shareId}.sock`);
    if (!this.servers.has(socket)) {
      rmSync(socket, { force: true });
      const server = createServer((viewer) => void this.carry(viewer, link, ownerUid));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socket, () => resolve());
      });
      this.servers.set(socket, server);
    }
    return { socket, owner: link.owner, sessionId: link.sessionId, expiresAt: link.expiresAt, viewOnly: true };
  }

  closeAll(): void {
    for (const [socket, server] of this.servers) {
      server.close();
      rmSync(socket, { force: true });
    }
    this.servers.clear();
  }

  private readLink(text: string): ShareLink {
    try {
      return parseShareLink(text);
    } catch (error) {
      if (error instanceof ShareLinkError) throw new BadInputError('link', shownLink, error.message);
      throw error;
    }
  }

  private async carry(viewer: Socket, link: ShareLink, ownerUid: number): Promise<void> {
    viewer.on('error', () => viewer.destroy());
    try {
      const share = await this.upstream(link, ownerUid);
      share.on('error', () => viewer.destroy());
      share.on('close', () => viewer.destroy());
      viewer.on('close', () => share.destroy());
      share.pipe(viewer);
      viewer.pipe(share);
    } catch (error) {
      this.deps.log(`share ${link.shareId}: ${(error as Error).message}`);
      viewer.destroy();
    }
  }

  /** A stream to the share, past its `OK` line. */
  private async upstream(link: ShareLink, ownerUid: number): Promise<Duplex> {
    const path = shareSocketPath(ownerUid, link.shareId);
    const stream = link.loginNode === this.deps.loginNode ? await localStream(path, link) : this.hopStream(path, link);
    const reader = new SocketReader(stream, `${link.owner}'s share on ${link.loginNode}`);
    let answer: string;
    stream.write(shareLine(link.shareId, link.secret));
    try {
      answer = await reader.readLine(200);
    } catch (error) {
      stream.destroy();
      throw new CommandError(
        link.loginNode === this.deps.loginNode
          ? `${link.owner}'s share did not answer: ${(error as Error).message}`
          : `${link.owner}'s share is served on login node ${link.loginNode}, which could not be reached from ` +
              `${this.deps.loginNode}: ${(error as Error).message}`,
        (error as Error).message,
      );
    }
    const rest = reader.release();
    if (answer !== 'OK') {
      stream.destroy();
      throw new BadInputError('link', shownLink, `a share that is open; ${link.owner}'s share answered: ${answer.replace(/^ERR /, '')}`);
    }
    if (rest.length) stream.unshift(rest);
    return stream;
  }

  /** `ssh <login node> relay-local <socket>`: the agent on the serving login node joins the stream to the share. */
  private hopStream(path: string, link: ShareLink): Duplex {
    const [command, ...args] = [
      ...SSH_HOP,
      link.loginNode,
      [process.execPath, this.deps.agentFile, 'relay-local', path].map(singleQuote).join(' '),
    ];
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
    child.on('close', (code) => {
      if (code) this.deps.log(`share hop to ${link.loginNode}: ${stderr.trim()}`);
      stream.destroy();
    });
    return stream;
  }
}

/** The link is never repeated in an error: it holds the secret. */
const shownLink = 'porthole://share/…';

function localStream(path: string, link: ShareLink): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (error: NodeJS.ErrnoException): void => {
      const why =
        error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
          ? `${link.owner}'s share is not served on ${link.loginNode} now: it was stopped, or ${link.owner}'s Porthole is not connected`
          : error.code === 'EACCES'
            ? // Stopping a share also takes the watcher's way into the owner's share folder away.
              `${link.owner}'s share does not let you in (EACCES): it was stopped, or it is for another user`
            : `${link.owner}'s share cannot be reached: ${error.message}`;
      reject(new BadInputError('link', shownLink, `a share that is open; ${why}`));
    };
    socket.once('error', onError);
  });
}
