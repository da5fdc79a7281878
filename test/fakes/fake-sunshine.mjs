#!/usr/bin/env node
// A FAKE Sunshine, for tests only: Sunshine cannot be installed on the build machines. Run as
// `fake-sunshine.mjs <sunshine.conf>` (tests put it on PATH as `sunshine`), it reads the same
// config keys the moonlight-desktop template writes and answers the parts Porthole uses, with
// the real one's semantics (LizardByte/Sunshine: src/confighttp.cpp, src/nvhttp.cpp, src/network.cpp):
//   TCP portBase     (HTTP)  GET /serverinfo, GET /applist, GET /pair: the Moonlight side
//   TCP portBase + 1 (HTTPS) the web UI, basic auth against credentials_file:
//                            POST /api/pin {pin, name}, GET /api/clients/list, POST /api/clients/unpair {uuid}
// - It binds bind_address, or every interface when there is none (as the real one: one address
//   for all its ports).
// - The web UI refuses (403, before any credential is read) a request whose source address is
//   of a wider network than origin_web_ui_allowed allows: pc = 127.0.0.0/8 and ::1, lan = the
//   private ranges, wan = anything; `lan` when unset.
// - A pairing request waits until the web UI gets a PIN; it succeeds only when that PIN matches
//   the client's. A PIN goes to ONE pending request, the first in Sunshine's hash map, which is
//   not the oldest: the fake takes the lowest uniqueid, so a test can choose who is first. Like
//   the real one, /api/pin answers true whenever a request took the PIN, matched or not, so only
//   /serverinfo's PairStatus (what `moonlight list` reads) tells the truth. A client paired by a
//   PIN is listed under the name posted with that PIN, with a uuid of Sunshine's own.
// - The stream itself is not faked: lan_encryption_mode and wan_encryption_mode are read and
//   printed (0 off, 1 when the client supports it, 2 mandatory). A stream session is: the real
//   one's RTSP handshake (TCP portBase + 21) then its control stream (ENet, UDP portBase + 10);
//   the fake's is one TCP connection to portBase + 21 that the (fake) Moonlight opens with its
//   uniqueid and holds while it streams. A paired client's connection and its end are logged to
//   log_path as the real one logs its control stream's ENet events, with the same words and format
//   (src/stream.cpp: "CLIENT CONNECTED", "CLIENT DISCONNECTED"; src/logging.cpp's formatter:
//   "[YYYY-MM-DD HH:MM:SS.mmm]: Info: ..."): the job's idle watcher reads them there.
// It never prints a PIN or a password; it prints each web-UI request, whom from and its answer.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { BlockList, createServer as createTcpServer, isIPv4 } from 'node:net';
import { dirname } from 'node:path';

const configFile = process.argv[2];
if (!configFile) {
  console.error('usage: sunshine <config file>');
  process.exit(2);
}
const config = Object.fromEntries(
  readFileSync(configFile, 'utf8')
    .split('\n')
    .map((line) => /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(line))
    .filter(Boolean)
    .map((match) => [match[1], match[2]]),
);
const portBase = Number(config.port ?? 47989);
const bindAddress = config.bind_address || '0.0.0.0';
const log = (line) => console.log(`fake sunshine: ${line}`);
/** A line of Sunshine's own log file (log_path), at level Info, in its format and local time. */
const sunshineLog = (message) => {
  log(message);
  if (!config.log_path) return;
  const now = new Date();
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}`;
  appendFileSync(config.log_path, `[${stamp}]: Info: ${message}\n`);
};

const NETWORKS = ['pc', 'lan', 'wan'];
const allowedOrigin = config.origin_web_ui_allowed ?? 'lan';
if (!NETWORKS.includes(allowedOrigin)) {
  console.error(`fake sunshine: origin_web_ui_allowed = ${allowedOrigin} is not one of ${NETWORKS.join(', ')}`);
  process.exit(2);
}
const encryption = { lan: config.lan_encryption_mode ?? '0', wan: config.wan_encryption_mode ?? '1' };
for (const [network, mode] of Object.entries(encryption)) {
  if (!['0', '1', '2'].includes(mode)) {
    console.error(`fake sunshine: ${network}_encryption_mode = ${mode} is not 0, 1 or 2`);
    process.exit(2);
  }
}

const pcAddresses = new BlockList();
pcAddresses.addSubnet('127.0.0.0', 8, 'ipv4');
pcAddresses.addAddress('::1', 'ipv6');
const lanAddresses = new BlockList();
for (const [net, prefix] of [
  ['192.168.0.0', 16],
  ['172.16.0.0', 12],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
])
  lanAddresses.addSubnet(net, prefix, 'ipv4');
lanAddresses.addSubnet('fc00::', 7, 'ipv6');
lanAddresses.addSubnet('fe80::', 64, 'ipv6');

/** pc, lan or wan, as Sunshine's net::from_address (an IPv4-mapped IPv6 address counts as IPv4). */
function networkOf(address) {
  const plain = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  const family = isIPv4(plain) ? 'ipv4' : 'ipv6';
  if (pcAddresses.check(plain, family)) return 'pc';
  return lanAddresses.check(plain, family) ? 'lan' : 'wan';
}

const credentials = JSON.parse(readFileSync(config.credentials_file, 'utf8'));
const stateFile = config.file_state;
/** The paired clients; `uniqueId` stands for the client certificate the real one keeps. */
const readClients = () => (existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')).named_devices ?? []) : []);
const saveClients = (clients) => {
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(`${stateFile}.tmp`, JSON.stringify({ named_devices: clients }) + '\n', { mode: 0o600 });
  renameSync(`${stateFile}.tmp`, stateFile);
};
const isPaired = (uniqueId) => readClients().some((client) => client.uniqueId === uniqueId);
const apps =
  config.file_apps && existsSync(config.file_apps)
    ? JSON.parse(readFileSync(config.file_apps, 'utf8')).apps.map((a) => a.name)
    : ['Desktop'];

// The certificate is made at the first start, self-signed, as Sunshine makes its own.
if (!existsSync(config.pkey) || !existsSync(config.cert)) {
  mkdirSync(dirname(config.pkey), { recursive: true });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      config.pkey,
      '-out',
      config.cert,
      '-days',
      '2',
      '-subj',
      '/CN=Sunshine Gamestream Host',
    ],
    { stdio: 'ignore' },
  );
}

/** Pairing requests waiting for a PIN, by the client's uniqueid: { salt, pinHash, answer(paired) }. */
const pending = new Map();

const xml = (fields) =>
  `<?xml version="1.0" encoding="utf-8"?><root status_code="200">${Object.entries(fields)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('')}</root>`;

const nvhttp = createHttpServer((request, response) => {
  const url = new URL(request.url, 'http://sunshine');
  const uniqueId = url.searchParams.get('uniqueid') ?? '';
  const reply = (body) => response.writeHead(200, { 'content-type': 'application/xml' }).end(body);
  if (url.pathname === '/serverinfo')
    return reply(
      xml({
        hostname: config.sunshine_name ?? 'Sunshine',
        HttpsPort: portBase - 5,
        ExternalPort: portBase,
        PairStatus: isPaired(uniqueId) ? 1 : 0,
      }),
    );
  if (url.pathname === '/applist') {
    if (!isPaired(uniqueId)) return response.writeHead(401).end();
    return reply(
      `<root status_code="200">${apps.map((name, i) => `<App><AppTitle>${name}</AppTitle><ID>${i + 1}</ID></App>`).join('')}</root>`,
    );
  }
  if (url.pathname === '/pair') {
    // The same client asking again takes over its own pending request, as in the real one.
    pending.get(uniqueId)?.answer(false);
    log(
      `pairing requested by ${url.searchParams.get('devicename') ?? 'a client'} (uniqueid ${uniqueId}); waiting for the PIN from the web UI`,
    );
    const timer = setTimeout(() => entry.answer(false), 60_000);
    const entry = {
      salt: url.searchParams.get('salt') ?? '',
      pinHash: url.searchParams.get('pinhash') ?? '',
      answer: (paired) => {
        clearTimeout(timer);
        if (pending.get(uniqueId) === entry) pending.delete(uniqueId);
        if (!response.writableEnded) reply(xml({ paired: paired ? 1 : 0 }));
      },
    };
    pending.set(uniqueId, entry);
    // A client that gave up (its process ended) leaves nothing waiting.
    response.on('close', () => {
      clearTimeout(timer);
      if (pending.get(uniqueId) === entry) pending.delete(uniqueId);
    });
    return undefined;
  }
  response.writeHead(404).end();
});

function authorised(header) {
  const [scheme, encoded] = (header ?? '').split(' ');
  if (scheme !== 'Basic' || !encoded) return false;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  const hash = createHash('sha256')
    .update(text.slice(colon + 1) + credentials.salt)
    .digest('hex')
    .toUpperCase();
  return colon > 0 && text.slice(0, colon) === credentials.username && hash === credentials.password;
}

const json = (response, status, body) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** The web API's routes: each gets the parsed JSON body (POST) and answers. */
const routes = {
  'POST /api/pin': (body, response) => {
    const pin = String(body.pin ?? '');
    const [uniqueId, first] = [...pending.entries()].sort(([a], [b]) => a.localeCompare(b))[0] ?? [];
    if (!first) return json(response, 200, { status: false });
    const matched =
      createHash('sha256')
        .update(first.salt + pin)
        .digest('hex') === first.pinHash;
    if (matched)
      saveClients([
        ...readClients().filter((client) => client.uniqueId !== uniqueId),
        { uniqueId, name: String(body.name ?? ''), uuid: randomUUID(), enabled: true },
      ]);
    log(`web UI: PIN given to the pairing of uniqueid ${uniqueId}; pairing ${matched ? 'done' : 'failed (the PIN did not match)'}`);
    first.answer(matched);
    return json(response, 200, { status: true });
  },
  'GET /api/clients/list': (_body, response) =>
    json(response, 200, { named_certs: readClients().map(({ name, uuid, enabled }) => ({ name, uuid, enabled })), status: true }),
  'POST /api/clients/unpair': (body, response) => {
    const clients = readClients();
    const kept = clients.filter((client) => client.uuid !== body.uuid);
    saveClients(kept);
    log(`web UI: unpaired ${clients.length - kept.length} client(s)`);
    json(response, 200, { status: kept.length < clients.length });
  },
};

const webUi = createHttpsServer({ key: readFileSync(config.pkey), cert: readFileSync(config.cert) }, (request, response) => {
  const from = request.socket.remoteAddress ?? '';
  const what = `${request.method} ${request.url} from ${from}`;
  if (NETWORKS.indexOf(networkOf(from)) > NETWORKS.indexOf(allowedOrigin)) {
    log(`web UI: denied ${what} (origin_web_ui_allowed = ${allowedOrigin})`);
    return response.writeHead(403).end();
  }
  if (!authorised(request.headers.authorization)) {
    log(`web UI: refused ${what}: wrong credentials`);
    return response.writeHead(401, { 'www-authenticate': 'Basic realm="Sunshine"' }).end();
  }
  const route = routes[`${request.method} ${request.url}`];
  if (!route) return response.writeHead(404).end();
  if (request.method === 'POST' && request.headers['content-type'] !== 'application/json')
    return json(response, 400, { status: false, error: 'Content type mismatch' });
  log(`web UI: ${what}`);
  let text = '';
  request.on('data', (chunk) => (text += chunk));
  request.on('end', () => {
    let body = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return json(response, 400, { status: false, error: 'not JSON' });
    }
    return route(body, response);
  });
  return undefined;
});

// A stream session (see the top): the client's uniqueid is its first line; an unpaired one is dropped
// unlogged, as the real one rejects a control connection with no session set up for it.
const streams = createTcpServer((socket) => {
  let first = '';
  let connected = false;
  socket.on('error', () => undefined);
  socket.on('data', (chunk) => {
    if (connected) return;
    first += chunk.toString('utf8');
    if (!first.includes('\n')) return;
    if (!isPaired(first.split('\n')[0].trim())) return void socket.destroy();
    connected = true;
    sunshineLog('CLIENT CONNECTED');
  });
  socket.on('close', () => {
    if (connected) sunshineLog('CLIENT DISCONNECTED');
  });
});

const listen = (server, port) => new Promise((resolve, reject) => server.once('error', reject).listen(port, bindAddress, resolve));
try {
  await listen(webUi, portBase + 1);
  await listen(nvhttp, portBase);
  await listen(streams, portBase + 21);
} catch (error) {
  console.error(`fake sunshine: cannot listen on ${bindAddress}:${portBase}: ${error.message}`);
  process.exit(1);
}
log(`stream encryption: lan_encryption_mode ${encryption.lan}, wan_encryption_mode ${encryption.wan}; web UI for ${allowedOrigin}`);
log(`listening on ${bindAddress}, port base ${portBase}`);
const stop = () => {
  nvhttp.close();
  webUi.close();
  streams.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
