// Posts a pairing PIN to Sunshine's web UI (`POST /api/pin`, basic auth with the session's
// credentials) over a stream the caller opens: in the app, a forwardOut of the cluster's SSH
// connection, so the credentials never cross a network outside SSH and the cluster.
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { PortholeError } from '../errors';

export interface PinSubmission {
  /** Opens a byte stream to Sunshine's web-UI port (portBase + 1) on the node. */
  openStream: () => Promise<Duplex>;
  node: string;
  username: string;
  password: string;
  pin: string;
  /** The name Sunshine lists the paired client under. */
  clientName: string;
  timeoutMs?: number;
}

/** What Sunshine answered: true when it took the PIN. That is NOT proof of pairing (a wrong PIN is taken too). */
export async function submitPin(submission: PinSubmission): Promise<boolean> {
  const stream = await submission.openStream();
  // Sunshine's certificate is self-signed, made by Sunshine itself on the node, and the bytes
  // travel inside SSH to the cluster: there is no authority to check it against.
  const tls = tlsConnect({ socket: stream, rejectUnauthorized: false });
  const body = JSON.stringify({ pin: submission.pin, name: submission.clientName });
  return new Promise((resolve, reject) => {
    const call = request(
      {
        method: 'POST',
        path: '/api/pin',
        host: submission.node,
        createConnection: () => tls,
        auth: `${submission.username}:${submission.password}`,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: submission.timeoutMs ?? 10_000,
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          tls.destroy();
          if (response.statusCode === 401) return reject(new PortholeError(`Sunshine on ${submission.node} refused this session's web credentials (HTTP 401); relaunch the session to get new ones.`));
          if (response.statusCode !== 200) return reject(new PortholeError(`Sunshine on ${submission.node} answered HTTP ${response.statusCode} to the pairing PIN: ${text.slice(0, 200)}`));
          try {
            const status = (JSON.parse(text) as { status?: unknown }).status;
            resolve(status === true || status === 'true');
          } catch (cause) {
            reject(new PortholeError(`Sunshine on ${submission.node} gave an answer that is not JSON to the pairing PIN: ${text.slice(0, 200)}`, { cause }));
          }
        });
      },
    );
    call.on('timeout', () => call.destroy(new Error(`no answer within ${(submission.timeoutMs ?? 10_000) / 1000} s`)));
    call.on('error', (error) => {
      tls.destroy();
      reject(new PortholeError(`Could not send the pairing PIN to Sunshine on ${submission.node}: ${error.message}`, { cause: error }));
    });
    call.end(body);
  });
}
