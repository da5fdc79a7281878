// A desktop shared view-only (docs/architecture.md, "Sharing a desktop view-only"): the owner
// (porthole) shares a ready xterm session with porthole-colleague, who opens the link with their
// own SSH login and agent, gets pixels, and whose keys reach nothing (the same keys typed by the
// owner run a command in the xterm). The intruder cannot connect to the share's socket even with
// the link; the colleague is refused after Stop sharing (and cut off at once), after expiry, with
// a changed secret, and with a link made for another user. The share comes back when the owner's
// agent starts again.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { Session, ShareInfo, SharedDesktop } from '../../../agent/protocol';
import { formatShareLink, parseShareLink } from '../../../agent/common/share-link';
import { loadTestCluster, projectRoot, shellQuote } from '../fixture';
import {
  AGENT_FILE,
  AGENT_VERSION,
  agentJson,
  cancelAll,
  installAgent,
  launch,
  serveChannel,
  sshChannel,
  waitForSession,
} from './agent-harness';
import { rfbHandshake } from './rfb-client';

const cluster = loadTestCluster();
const owner = cluster.ssh.user;
const colleague = cluster.colleague.user;
const colleagueHost = cluster.colleague.sshHost;
const intruder = cluster.intruder.user;
const ownerUid = Number(spawnSync('id', ['-u', owner], { encoding: 'utf8' }).stdout.trim());
/** Where the owner's agent serves a share (agent/share-access.ts). */
const shareFolder = (shareId: string) => `/tmp/porthole-shares-${ownerUid}/${shareId}`;

type RpcAnswer = { result?: unknown; error?: { code: number; message: string; data?: { field?: string } } };

/** The colleague's own `serve`, over the colleague's own SSH login (to login1, or another login node's alias). */
function colleagueServe(host = colleagueHost): { call(method: string, params: unknown): Promise<RpcAnswer>; close(): void } {
  const child = spawn('ssh', ['-F', cluster.sshConfigFile, '-T', host, `exec node ~/${AGENT_FILE} serve`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const waiting = new Map<number, (answer: RpcAnswer) => void>();
  let next = 1;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as RpcAnswer & { id?: number };
    if (message.id !== undefined) waiting.get(message.id)?.(message);
  });
  return {
    call: (method, params) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
      }),
    close: () => child.stdin.end(),
  };
}

function installColleagueAgent(): void {
  const ssh = ['-F', cluster.sshConfigFile];
  const made = spawnSync('ssh', [...ssh, colleagueHost, `mkdir -p ~/.porthole/agent/${AGENT_VERSION}`], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const copied = spawnSync('scp', ['-q', ...ssh, `${projectRoot}/dist/agent.cjs`, `${colleagueHost}:${AGENT_FILE}`], { encoding: 'utf8' });
  assert.equal(copied.status, 0, copied.stderr);
}

/** A stream to a Unix socket on the login node as the colleague, through the colleague's SSH login (as main's forwarding does). */
function asColleague(socket: string): ChildProcessWithoutNullStreams {
  return spawn('ssh', ['-F', cluster.sshConfigFile, '-T', colleagueHost, `exec node ~/${AGENT_FILE} relay-local ${shellQuote(socket)}`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

class Bytes {
  private buffered = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;
  constructor(input: Readable) {
    input.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake?.();
    });
    input.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
  }
  async read(n: number, timeoutMs = 15_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffered.length < n) {
      if (this.ended) throw new Error(`the stream ended before ${n} bytes came`);
      if (Date.now() > deadline) throw new Error(`no ${n} bytes within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 200);
      });
    }
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }
  /** Resolves when the stream ends; rejects if it is still open after `timeoutMs`. */
  async closed(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error(`the stream was still open after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The viewer's side of a share: RFB 3.8 with security None, ClientInit, ServerInit; returns the desktop's size. */
async function rfbNone(bytes: Bytes, output: Writable): Promise<{ width: number; height: number }> {
  assert.equal((await bytes.read(12)).toString('latin1'), 'RFB 003.008\n');
  output.write('RFB 003.008\n');
  const count = (await bytes.read(1))[0];
  assert.deepEqual([...(await bytes.read(count))], [1], 'a share offers only security None');
  output.write(Buffer.from([1]));
  assert.equal((await bytes.read(4)).readUInt32BE(0), 0, 'SecurityResult');
  output.write(Buffer.from([1]));
  const init = await bytes.read(24);
  await bytes.read(init.readUInt32BE(20));
  return { width: init.readUInt16BE(0), height: init.readUInt16BE(2) };
}

/** KeyEvents typing `text` and Return, and a click at (10, 10): what a viewer sends when a person acts. */
function typing(text: string): Buffer {
  const key = (keysym: number, down: boolean) => {
    const message = Buffer.alloc(8);
    message[0] = 4;
    message[1] = down ? 1 : 0;
    message.writeUInt32BE(keysym, 4);
    return message;
  };
  const keysyms = [...text].map((char) => char.charCodeAt(0)).concat(0xff0d);
  const click = (mask: number) => Buffer.from([5, mask, 0, 10, 0, 10]);
  return Buffer.concat([click(1), click(0), ...keysyms.flatMap((keysym) => [key(keysym, true), key(keysym, false)])]);
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return check();
}

/** As the intruder on the login node (setpriv, like the isolation tests on node01): connect() to `socket`. */
function intruderConnect(socket: string): { code: number; stderr: string } {
  const script = `require('net').connect(${JSON.stringify(socket)}).on('connect',()=>{console.log('connected');process.exit(0)}).on('error',(e)=>{console.error(e.code);process.exit(3)})`;
  const result = spawnSync(
    'setpriv',
    [`--reuid=${intruder}`, `--regid=${intruder}`, '--init-groups', '--', process.execPath, '-e', script],
    {
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  return { code: result.status ?? -1, stderr: result.stderr.trim() };
}

describe('a desktop shared view-only with one colleague', () => {
  let session: Session | undefined;
  let ownerServe: ReturnType<typeof serveChannel>;
  let watcherServe: ReturnType<typeof colleagueServe>;
  let share: { share: ShareInfo; link: string };
  const typedFile = `${cluster.ssh.home}/share-typed-${process.pid}`;

  async function create(user: string, minutes?: number): Promise<RpcAnswer> {
    return ownerServe.call('shares.create', { id: session!.id, user, ...(minutes === undefined ? {} : { minutes }) });
  }

  before(async () => {
    installAgent();
    installColleagueAgent();
    session = await launch('xterm', { hours: '0.25', runtime: 'native', title: 'shared' });
    session = await waitForSession(session.id, (s) => s.state === 'ready' || s.state === 'ended', 60_000);
    assert.equal(session.state, 'ready', JSON.stringify(session));
    ownerServe = serveChannel();
    watcherServe = colleagueServe();
    const created = await create(colleague);
    assert.equal(created.error, undefined, JSON.stringify(created.error));
    share = created.result as typeof share;
  });

  after(async () => {
    rmSync(typedFile, { force: true });
    watcherServe?.close();
    await ownerServe?.close();
    await cancelAll([session]);
  });

  it('refuses a share with the owner, an unknown user or minutes out of range, naming the field', async () => {
    for (const [user, minutes, field] of [
      [owner, undefined, 'user'],
      ['nobody-here-x', undefined, 'user'],
      [colleague, 0, 'minutes'],
      [colleague, 10_081, 'minutes'],
    ] as const) {
      const answer = await create(user, minutes);
      assert.equal(answer.error?.data?.field, field, JSON.stringify(answer));
    }
  });

  it('gives a link for the colleague that names this cluster, login node and session, and keeps the secret out of the session', async () => {
    const link = parseShareLink(share.link);
    assert.equal(link.user, colleague);
    assert.equal(link.owner, owner);
    assert.equal(link.sessionId, session!.id);
    const shown = await agentJson<Session>(['sessions.show', session!.id]);
    assert.equal(JSON.stringify(shown).includes(link.secret), false);
  });

  it('the colleague gets pixels, is listed as watching, and their keys and clicks change nothing on the desktop', async () => {
    const opened = await watcherServe.call('shares.open', { link: share.link });
    assert.equal(opened.error, undefined, JSON.stringify(opened.error));
    const desktop = opened.result as SharedDesktop;
    assert.equal(desktop.viewOnly, true);
    assert.ok('socket' in desktop);
    const stream = asColleague(desktop.socket);
    const bytes = new Bytes(stream.stdout);
    try {
      const { width, height } = await rfbNone(bytes, stream.stdin);
      assert.ok(width > 0 && height > 0);
      // A full FramebufferUpdateRequest: the answer is a FramebufferUpdate (type 0) with at least one rectangle.
      const request = Buffer.alloc(10);
      request[0] = 3;
      request.writeUInt16BE(width, 6);
      request.writeUInt16BE(height, 8);
      stream.stdin.write(request);
      const update = await bytes.read(4);
      assert.equal(update[0], 0, 'a FramebufferUpdate');
      assert.ok(update.readUInt16BE(2) >= 1, 'with a rectangle');

      const listed = await agentJson<Session>(['sessions.show', session!.id]);
      assert.ok(listed.shares === undefined, 'the CLI has no share servers');
      const shown = (await ownerServe.call('sessions.show', { id: session!.id })).result as Session;
      assert.equal(shown.shares?.find((s) => s.shareId === share.share.shareId)?.watchers.length, 1, JSON.stringify(shown.shares));

      stream.stdin.write(typing(`touch ${typedFile}`));
      assert.equal(await waitFor(() => existsSync(typedFile), 3000), false, "the watcher's keys ran a command in the xterm");
      assert.equal(
        (await bytes.read(1, 500).then(
          () => 'open',
          (error: Error) => (/ended/.test(error.message) ? 'closed' : 'open'),
        )) === 'open',
        true,
        'the watcher is still connected: dropped input is not a reason to cut',
      );
    } finally {
      stream.stdin.end();
      stream.kill();
    }
    // The control: the same keys from the owner's own viewer do run the command, so the check above can fail.
    const connection = await agentJson<{ password: string }>(['sessions.connection', session!.id, '--with-secret']);
    const ownerViewer = sshChannel(`exec node ~/${AGENT_FILE} relay ${shellQuote(session!.id)}`);
    try {
      const result = await rfbHandshake(ownerViewer.stdout, ownerViewer.stdin, connection.password);
      assert.equal(result.ok, true);
      ownerViewer.stdin.write(Buffer.from([1]));
      ownerViewer.stdin.write(typing(`touch ${typedFile}`));
      assert.equal(await waitFor(() => existsSync(typedFile), 10_000), true, "the owner's keys did not reach the xterm");
    } finally {
      ownerViewer.stdin.end();
      ownerViewer.kill();
    }
  });

  it('Xvnc itself ignores the input of a client signed in with the view-only password, the share server’s second lock', async () => {
    const viewOnlyPassword = readFileSync(`${cluster.ssh.home}/.porthole/sessions/${session!.id}/vnc-view-password`, 'utf8').trim();
    const viewer = sshChannel(`exec node ~/${AGENT_FILE} relay ${shellQuote(session!.id)}`);
    const typedByViewOnly = `${typedFile}-view-only`;
    try {
      const result = await rfbHandshake(viewer.stdout, viewer.stdin, viewOnlyPassword);
      assert.equal(result.ok, true, result.failureReason);
      viewer.stdin.write(Buffer.from([1]));
      viewer.stdin.write(typing(`touch ${typedByViewOnly}`));
      assert.equal(
        await waitFor(() => existsSync(typedByViewOnly), 3000),
        false,
        'keys signed in with the view-only password ran a command',
      );
    } finally {
      rmSync(typedByViewOnly, { force: true });
      viewer.stdin.end();
      viewer.kill();
    }
  });

  it('the intruder cannot connect to the share socket (EACCES), even knowing where it is', () => {
    const link = parseShareLink(share.link);
    const socket = `${shareFolder(link.shareId)}/rfb.sock`;
    assert.ok(existsSync(socket), `the share socket ${socket} exists`);
    const result = intruderConnect(socket);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stderr, 'EACCES');
  });

  it('refuses the colleague with a changed secret, and a link made for another user', async () => {
    const link = parseShareLink(share.link);
    const changed = formatShareLink({ ...link, secret: [...link.secret].reverse().join('') });
    const wrong = await watcherServe.call('shares.open', { link: changed });
    assert.match(wrong.error?.message ?? '', /wrong secret/);
    assert.equal(wrong.error?.message.includes(link.secret), false, 'the secret is not repeated');

    const forIntruder = (await create(intruder)).result as typeof share;
    const refused = await watcherServe.call('shares.open', { link: forIntruder.link });
    assert.match(refused.error?.message ?? '', new RegExp(`this share is for ${intruder}`));
    // Past the watcher's own agent, the kernel refuses the colleague the other user's socket.
    const other = parseShareLink(forIntruder.link);
    const direct = asColleague(`${shareFolder(other.shareId)}/rfb.sock`);
    let stderr = '';
    direct.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise((resolve) => direct.on('close', resolve));
    assert.match(stderr, /EACCES|permission denied/i);
    await ownerServe.call('shares.stop', { id: session!.id, shareId: forIntruder.share.shareId });
  });

  it('a colleague signed in on another login node is told which login node serves the share when it cannot be reached', async () => {
    // login2 is its own UTS, network and mount namespace: the link names login1's host name, which login2 cannot reach here.
    const onLogin2 = colleagueServe(cluster.colleague.sshHostLogin2);
    try {
      const link = parseShareLink(share.link);
      const answer = await onLogin2.call('shares.open', { link: share.link });
      assert.match(
        answer.error?.message ?? '',
        new RegExp(`served on login node ${link.loginNode}, which could not be reached from login2`),
      );
      assert.equal(answer.error?.message.includes(link.secret), false, 'the secret is not repeated');
    } finally {
      onLogin2.close();
    }
  });

  it('comes back when the owner’s agent starts again (shares.json)', async () => {
    await ownerServe.close();
    ownerServe = serveChannel();
    await ownerServe.call('hello', {});
    // Within one slow poll (15 s) at worst: another agent of the owner may have served it meanwhile.
    const deadline = Date.now() + 40_000;
    let opened: RpcAnswer = {};
    while (Date.now() < deadline) {
      opened = await watcherServe.call('shares.open', { link: share.link });
      if (!opened.error) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(opened.error, undefined, JSON.stringify(opened.error));
  });

  it('Stop sharing cuts a connected colleague off at once, from any agent of the owner, and refuses them after', async () => {
    const opened = (await watcherServe.call('shares.open', { link: share.link })).result as SharedDesktop & { socket: string };
    const stream = asColleague(opened.socket);
    const bytes = new Bytes(stream.stdout);
    try {
      await rfbNone(bytes, stream.stdin);
      // A second agent of the owner on this login node (a second app, the web host) neither takes the
      // share over when it starts nor leaves it running when it is the one asked to stop it.
      const second = serveChannel();
      try {
        await second.call('hello', {});
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const stopped = await second.call('shares.stop', { id: session!.id, shareId: share.share.shareId });
        assert.deepEqual(stopped.result, { stopped: true });
        await bytes.closed(3000);
      } finally {
        await second.close();
      }
    } finally {
      stream.kill();
    }
    const again = await watcherServe.call('shares.open', { link: share.link });
    assert.match(again.error?.message ?? '', /not served|stopped/);
    const shown = (await ownerServe.call('sessions.show', { id: session!.id })).result as Session;
    assert.equal(shown.shares, undefined);
  });

  it('a share of one minute refuses the colleague once it has expired, and is gone from the session', async () => {
    const created = (await create(colleague, 1)).result as typeof share;
    assert.equal((await watcherServe.call('shares.open', { link: created.link })).error, undefined);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(created.share.expiresAt) - Date.now() + 1500));
    const late = await watcherServe.call('shares.open', { link: created.link });
    assert.match(late.error?.message ?? '', /expired/);
    // Past the watcher's own check: the socket is gone.
    const link = parseShareLink(created.link);
    assert.equal(existsSync(shareFolder(link.shareId)), false);
    const shown = (await ownerServe.call('sessions.show', { id: session!.id })).result as Session;
    assert.equal(shown.shares, undefined);
  });
});
