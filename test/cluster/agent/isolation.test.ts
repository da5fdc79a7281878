// A desktop belongs to its owner alone: another Unix user of the same node, the test
// cluster's porthole-intruder acting inside node01's namespaces, can neither open the X display
// of a session (vnc-desktop, xterm, and moonlight-desktop's X server with the FAKE Sunshine),
// nor reach its VNC server, nor hand a job a display it planted beforehand.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Session } from '../../../agent/protocol';
import { loadTestCluster, projectRoot, shellQuote, sshRun } from '../fixture';
import { agentJson, cancelAll, installAgent, installFakeSunshine, waitForSession } from './agent-harness';
import { onNode, onNodeCommand } from './on-node';

const cluster = loadTestCluster();
const owner = cluster.ssh.user;
const intruder = cluster.intruder.user;
const fakesBin = `${cluster.ssh.home}/.porthole-isolation-fakes/bin`;

function sessionFile(session: Session, name: string): string {
  return join(cluster.ssh.home, '.porthole/sessions', session.id, name);
}

/** The display a session's X server reported, from the job's log. */
function displayOf(session: Session): number {
  const log = readFileSync(sessionFile(session, 'output.log'), 'utf8');
  const display = /X server ready on display :(\d+)/.exec(log)?.[1];
  assert.ok(display, `no display in the log of ${session.id}:\n${log}`);
  return Number(display);
}

/**
 * The first byte of the X server's answer to a connection set-up with no authorisation, through
 * socat's `address` as the intruder: 0 Failed, 1 Success, 2 Authenticate; -1 when no answer.
 */
function xSetupAnswer(address: string): number {
  // Little-endian set-up request, protocol 11.0, no authorisation name or data.
  const answer = onNode(
    intruder,
    `printf 'l\\000\\013\\000\\000\\000\\000\\000\\000\\000\\000\\000' | socat -t 2 - ${address} | head -c 1 | od -An -tu1`,
  );
  return answer.stdout.trim() === '' ? -1 : Number(answer.stdout.trim());
}

function assertDisplayRefusesIntruder(session: Session): void {
  const display = displayOf(session);
  const asIntruder = onNode(intruder, `xdpyinfo -display :${display}`);
  assert.notEqual(
    asIntruder.code,
    0,
    `the intruder opened display :${display} of ${session.templateId}:\n${asIntruder.stdout.slice(0, 300)}`,
  );
  assert.match(asIntruder.stderr, /unable to open display/);
  assert.equal(xSetupAnswer(`ABSTRACT-CONNECT:/tmp/.X11-unix/X${display}`), 0, 'the abstract socket let the intruder in');
  assert.equal(xSetupAnswer(`UNIX-CONNECT:/tmp/.X11-unix/X${display}`), 0, 'the display socket let the intruder in');
  // The same display opens for its owner with the session's cookie: it is the session's server.
  const asOwner = onNode(owner, `XAUTHORITY=${sessionFile(session, 'xauthority')} xdpyinfo -display :${display}`);
  assert.equal(asOwner.code, 0, `the owner could not open display :${display}: ${asOwner.stderr}`);
}

describe('a desktop on a shared node, against another user of that node', () => {
  const started: (Session | undefined)[] = [];
  const ready: Record<string, Session> = {};

  async function start(templateId: string, params: Record<string, string>, env: Record<string, string> = {}): Promise<Session> {
    const given = Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
    const session = await agentJson<Session>(['sessions.launch', templateId, ...given], { env });
    started.push(session);
    const settled = await waitForSession(session.id, (s) => s.state === 'ready' || s.state === 'ended', 60_000);
    assert.equal(settled.state, 'ready', JSON.stringify(settled));
    return settled;
  }

  before(async () => {
    installAgent();
    await installFakeSunshine(fakesBin);
    ready['vnc-desktop'] = await start('vnc-desktop', { hours: '0.25', runtime: 'native', resolution: '1280x800' });
    ready.xterm = await start('xterm', { hours: '0.25', runtime: 'native', title: 'isolation' });
    // The FAKE Sunshine comes first on the job's PATH (sbatch passes the agent's environment on).
    ready['moonlight-desktop'] = await start(
      'moonlight-desktop',
      { partition: 'gpu', runtime: 'native', hours: '0.25', cpus: '1', memoryGb: '0.5' },
      { PATH: `${fakesBin}:/usr/local/bin:/usr/bin:/bin` },
    );
  });

  after(async () => {
    await cancelAll(started);
    await sshRun(`rm -rf ${join(fakesBin, '..')}`);
  });

  for (const templateId of ['vnc-desktop', 'xterm', 'moonlight-desktop']) {
    it(`refuses the intruder the X display of ${templateId}, by its socket and its abstract socket`, () => {
      assertDisplayRefusesIntruder(ready[templateId]);
    });
  }

  for (const templateId of ['vnc-desktop', 'xterm']) {
    it(`gives the intruder no way to the VNC server of ${templateId}: no TCP listener, a socket in a 0700 folder`, async () => {
      const connection = await agentJson<{ socket?: string; port?: number }>(['sessions.connection', ready[templateId].id]);
      const socket = connection.socket;
      assert.ok(socket, `no Unix socket: ${JSON.stringify(connection)}`);
      const listening = onNode('root', `ss -xlpH src ${socket}`).stdout;
      const xvncPid = /pid=(\d+)/.exec(listening)?.[1];
      assert.ok(xvncPid, `nothing listens on ${socket} on node01`);
      const tcp = onNode('root', 'ss -ltnpH').stdout;
      assert.ok(!tcp.includes(`pid=${xvncPid},`), `the session's Xvnc (pid ${xvncPid}) listens on TCP on node01:\n${tcp}`);
      const knocked = onNode(intruder, `socat -t 2 - UNIX-CONNECT:${socket} </dev/null`);
      assert.notEqual(knocked.code, 0, 'the intruder connected to the VNC socket');
      assert.match(knocked.stderr, /Permission denied/);
      const folder = onNode('root', `stat -c '%U %a' ${join(socket, '..')} && stat -c '%U %a' ${socket}`)
        .stdout.trim()
        .split('\n');
      assert.deepEqual(folder, [`${owner} 700`, `${owner} 600`]);
    });
  }

  it("takes a TCP port for Sunshine's only when this user listens on it, never because something answers there", async () => {
    const jobLibrary = readFileSync(join(projectRoot, 'templates/lib/job-lib.sh'), 'utf8');
    const portBase = (await agentJson<{ portBase: number }>(['sessions.connection', ready['moonlight-desktop'].id])).portBase;
    const [command, ...args] = onNodeCommand(
      intruder,
      `exec node -e ${shellQuote("const s = require('net').createServer().listen(0, '0.0.0.0', () => console.log(s.address().port))")}`,
    );
    const squatter = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [chunk] = (await once(squatter.stdout!, 'data')) as [Buffer];
      const squatted = Number(chunk.toString().trim());
      const asOwner = (ports: number[]) =>
        onNode(owner, `${jobLibrary}\nporthole_port_answers 127.0.0.1 ${ports[0]} && porthole_ports_are_mine ${ports.join(' ')}`).code;
      assert.equal(asOwner([portBase, portBase + 1]), 0, "the session's own Sunshine ports were not taken for its own");
      assert.notEqual(asOwner([squatted]), 0, `port ${squatted}, where the intruder listens, was taken for the job's own`);
    } finally {
      const exited = once(squatter, 'exit');
      squatter.kill('SIGTERM');
      await exited;
    }
  });

  it('never gives a job a display the intruder planted beforehand: the job takes another, and nobody connects to the planted one', async () => {
    const planted = plantDisplays();
    try {
      const displays = await planted.ready;
      assert.ok(displays.length > 100, `only ${displays.length} displays could be planted`);
      const session = await start('xterm', { hours: '0.25', runtime: 'native', title: 'planted' });
      const display = displayOf(session);
      assert.ok(!displays.includes(display), `the job took the planted display :${display}`);
      // The job's xterm opens its window on the job's own server…
      const xauthority = sessionFile(session, 'xauthority');
      const windows = onNode(
        owner,
        `export XAUTHORITY=${xauthority}; for i in $(seq 100); do xwininfo -root -tree -display :${display} | grep -q '"planted"' && exit 0; sleep 0.1; done; exit 1`,
      );
      assert.equal(windows.code, 0, `no xterm window on display :${display} (XAUTHORITY ${xauthority}): ${windows.stderr}`);
      // …and not one connection reached the intruder's sockets.
      assert.deepEqual(planted.connections, []);
      await cancelAll([session]);
    } finally {
      await planted.stop();
    }
  });
});

/**
 * As the intruder on node01, a listening socket on every free display from 0 to 499 (the file
 * socket, the abstract one for every other display, a lock file for every third), which counts
 * each connection made to it. ready resolves with the planted display numbers.
 */
function plantDisplays() {
  const script = `
    const net = require('net'), fs = require('fs');
    const taken = new Set(fs.readdirSync('/tmp/.X11-unix').map((name) => name.slice(1)));
    for (const name of fs.readdirSync('/tmp')) { const m = /^\\.X(\\d+)-lock$/.exec(name); if (m) taken.add(m[1]); }
    const planted = [], servers = [];
    const plant = (path, display) => new Promise((resolve) => {
      const server = net.createServer((c) => { console.log('connected ' + display); c.destroy(); });
      server.once('error', () => resolve(false));
      server.listen(path, () => { servers.push(server); resolve(true); });
    });
    (async () => {
      for (let display = 0; display < 500; display++) {
        if (taken.has(String(display))) continue;
        if (!(await plant('/tmp/.X11-unix/X' + display, display))) continue;
        if (display % 2 === 0) await plant('\\0/tmp/.X11-unix/X' + display, display);
        if (display % 3 === 0) fs.writeFileSync('/tmp/.X' + display + '-lock', String(process.pid).padStart(10) + '\\n');
        planted.push(display);
      }
      console.log('planted ' + planted.join(','));
    })();
    process.on('SIGTERM', () => {
      for (const display of planted) fs.rmSync('/tmp/.X' + display + '-lock', { force: true });
      for (const server of servers) server.close();
      process.exit(0);
    });`;
  const [command, ...args] = onNodeCommand(intruder, `exec node -e ${shellQuote(script)}`);
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const connections: string[] = [];
  const ready = new Promise<number[]>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (const line of text.split('\n').slice(0, -1)) {
        if (line.startsWith('planted ')) resolve(line.slice(8).split(',').filter(Boolean).map(Number));
        if (line.startsWith('connected ')) connections.push(line);
      }
      text = text.slice(text.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`the planting process exited (${code})`)));
  });
  return {
    ready,
    connections,
    /** Ends the planting process by its PID; what it leaves behind is removed as root. */
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      onNode('root', `find /tmp/.X11-unix /tmp -maxdepth 1 -user ${intruder} \\( -type s -o -name '.X*-lock' \\) -delete`);
    },
  };
}
