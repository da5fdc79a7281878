// A tiny TCP forwarder in its own process, on a loopback port in front of the test cluster's
// sshd: a connection the test can cut (by the forwarder's PID) without touching the shared sshd,
// either for good (stop) or once, as a network blip does (cut: it keeps listening).
import { spawn } from 'node:child_process';

export interface TcpForwarder {
  port: number;
  pid: number;
  stop(): Promise<void>;
  /** Drops every connection open now; new ones are forwarded again. */
  cut(): void;
}

const FORWARDER_SOURCE = `
const net = require('node:net');
const [targetHost, targetPort] = [process.argv[1], Number(process.argv[2])];
const open = new Set();
process.on('SIGUSR1', () => { for (const socket of open) socket.destroy(); });
const server = net.createServer((client) => {
  const upstream = net.connect(targetPort, targetHost);
  open.add(client); open.add(upstream);
  client.on('close', () => open.delete(client)); upstream.on('close', () => open.delete(upstream));
  client.pipe(upstream).pipe(client);
  const end = () => { client.destroy(); upstream.destroy(); };
  client.on('error', end); upstream.on('error', end); client.on('close', end); upstream.on('close', end);
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
`;

export async function startTcpForwarder(targetHost: string, targetPort: number): Promise<TcpForwarder> {
  const child = spawn(process.execPath, ['-e', FORWARDER_SOURCE, targetHost, String(targetPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = out.match(/listening (\d+)/);
      if (found) resolve(Number(found[1]));
    });
    child.once('exit', (code) => reject(new Error(`The TCP forwarder exited (${code}) before listening`)));
  });
  return {
    port,
    pid: child.pid!,
    cut() {
      process.kill(child.pid!, 'SIGUSR1');
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}
