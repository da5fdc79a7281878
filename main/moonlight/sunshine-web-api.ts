// Sunshine's web API (its web UI's port, portBase + 1, HTTPS with basic auth), over a stream
// the caller opens: in the app, the agent's relay to 127.0.0.1 on the node, carried by the
// cluster's SSH connection. Sunshine answers it only from the node's loopback. Each request
// first checks that the TLS peer presents the session's certificate (its SHA-256, which the
// agent read from the shared home) and only then sends the session's credentials.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { PortholeError } from '../errors';

export interface SunshineWebApiOptions {
  /** Opens a byte stream to Sunshine's web-UI port on the node. */
  openStream: () => Promise<Duplex>;
  node: string;
  username: string;
  password: string;
  /** SHA-256 of the DER of the certificate Sunshine must present, lower-case hex. */
  certSha256: string;
  timeoutMs?: number;
}

/** A client Sunshine is paired with, as /api/clients/list gives it. */
export interface PairedClient {
  /** The name posted with the PIN that paired it. */
  name: string;
  /** Sunshine's own id for it, made when it paired; /api/clients/unpair takes it. */
  uuid: string;
}

export interface SunshineWebApi {
  /** Gives the PIN to a waiting pairing request; true when one took it (NOT proof of pairing: a wrong PIN is taken too). */
  postPin(pin: string, name: string): Promise<boolean>;
  listClients(): Promise<PairedClient[]>;
  /** True when Sunshine had that client and removed it. */
  unpair(uuid: string): Promise<boolean>;
}

export function sunshineWebApi(options: SunshineWebApiOptions): SunshineWebApi {
  const call = (method: 'GET' | 'POST', path: string, body?: object) => callSunshine(options, method, path, body);
  return {
    postPin: async (pin, name) => statusOf(await call('POST', '/api/pin', { pin, name })),
    listClients: async () => {
      const answer = (await call('GET', '/api/clients/list')) as { named_certs?: unknown };
      if (!Array.isArray(answer.named_certs))
        throw new PortholeError(
          `Sunshine on ${options.node} listed its clients in a form Porthole does not know: ${JSON.stringify(answer).slice(0, 200)}`,
        );
      return answer.named_certs
        .filter((c): c is PairedClient => typeof c?.uuid === 'string' && typeof c?.name === 'string')
        .map(({ name, uuid }) => ({ name, uuid }));
    },
    unpair: async (uuid) => statusOf(await call('POST', '/api/clients/unpair', { uuid })),
  };
}

function statusOf(answer: unknown): boolean {
  const status = (answer as { status?: unknown }).status;
  return status === true || status === 'true';
}

/** A TLS session over the stream, once the peer's certificate is the pinned one; nothing is sent before. */
async function pinnedTls(options: SunshineWebApiOptions): Promise<TLSSocket> {
  const stream = await options.openStream();
  // No authority signs Sunshine's certificate (it makes its own on the node): the pin below is
  // the whole check, and it runs before a byte of the request is written.
  const tls = tlsConnect({ socket: stream, rejectUnauthorized: false });
  return new Promise((resolve, reject) => {
    tls.once('error', (error) =>
      reject(
        new PortholeError(`Could not open a TLS session with Sunshine's web UI on ${options.node}: ${error.message}`, { cause: error }),
      ),
    );
    tls.once('secureConnect', () => {
      const presented = createHash('sha256')
        .update(tls.getPeerCertificate().raw ?? Buffer.alloc(0))
        .digest('hex');
      if (presented === options.certSha256) return resolve(tls);
      tls.destroy();
      reject(
        new PortholeError(
          `Sunshine's web UI on ${options.node} presented a certificate that is not the session's ` +
            `(SHA-256 ${presented.slice(0, 16)}…, expected ${options.certSha256.slice(0, 16)}…): ` +
            `Porthole sent it no credential and will not pair. ` +
            `Something other than this session's Sunshine answers on its port; ` +
            `relaunch the session, and tell the site if it happens again.`,
        ),
      );
    });
  });
}

async function callSunshine(options: SunshineWebApiOptions, method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
  const { node } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const tls = await pinnedTls(options);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const call = request(
      {
        method,
        path,
        host: node,
        createConnection: () => tls,
        auth: `${options.username}:${options.password}`,
        headers: text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        timeout: timeoutMs,
      },
      (response) => {
        let answer = '';
        response.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        response.on('end', () => {
          tls.destroy();
          if (response.statusCode === 401)
            return reject(
              new PortholeError(
                `Sunshine on ${node} refused this session's web credentials (HTTP 401); relaunch the session to get new ones.`,
              ),
            );
          if (response.statusCode === 403)
            return reject(
              new PortholeError(
                `Sunshine on ${node} refused ${method} ${path} (HTTP 403): ` +
                  `its web UI answers only the node's own loopback, and this request came from elsewhere.`,
              ),
            );
          if (response.statusCode !== 200)
            return reject(
              new PortholeError(`Sunshine on ${node} answered HTTP ${response.statusCode} to ${method} ${path}: ${answer.slice(0, 200)}`),
            );
          try {
            resolve(JSON.parse(answer));
          } catch (cause) {
            reject(
              new PortholeError(`Sunshine on ${node} gave an answer that is not JSON to ${method} ${path}: ${answer.slice(0, 200)}`, {
                cause,
              }),
            );
          }
        });
      },
    );
    call.on('timeout', () => call.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    call.on('error', (error) => {
      tls.destroy();
      reject(new PortholeError(`Could not reach Sunshine's web UI on ${node} (${method} ${path}): ${error.message}`, { cause: error }));
    });
    call.end(text);
  });
}
