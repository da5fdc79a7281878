#!/usr/bin/env node
// A FAKE Sunshine, for tests only: Sunshine cannot be installed on the build machines. Run as
// `fake-sunshine.mjs <sunshine.conf>` (tests put it on PATH as `sunshine`), it reads the same
// config keys the moonlight-desktop template writes and answers the parts Porthole uses:
//   TCP portBase     (HTTP)  GET /serverinfo, GET /applist, GET /pair: the Moonlight side
//   TCP portBase + 1 (HTTPS) POST /api/pin: the web UI, basic auth against credentials_file
// A pairing is held open until the web UI gets a PIN; it succeeds only when that PIN matches
// the client's. Like the real one, /api/pin answers true whether the PIN matched or not, so
// only /serverinfo's PairStatus (what `moonlight list` reads) tells the truth.
// It never binds all interfaces: bind_address, or 127.0.0.1. It never logs a PIN or a password.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
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
const bindAddress = config.bind_address || '127.0.0.1';
const log = (line) => console.log(`fake sunshine: ${line}`);

const credentials = JSON.parse(readFileSync(config.credentials_file, 'utf8'));
const stateFile = config.file_state;
const readPaired = () => (existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')).paired ?? [] : []);
const savePaired = (paired) => {
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(`${stateFile}.tmp`, JSON.stringify({ paired }) + '\n', { mode: 0o600 });
  renameSync(`${stateFile}.tmp`, stateFile);
};
const apps = config.file_apps && existsSync(config.file_apps) ? JSON.parse(readFileSync(config.file_apps, 'utf8')).apps.map((a) => a.name) : ['Desktop'];

// The web UI's certificate is made at start, self-signed, as Sunshine makes its own.
if (!existsSync(config.pkey) || !existsSync(config.cert)) {
  mkdirSync(dirname(config.pkey), { recursive: true });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', config.pkey, '-out', config.cert, '-days', '2', '-subj', '/CN=Sunshine Gamestream Host'], { stdio: 'ignore' });
}

/** The one pairing waiting for its PIN: { uniqueId, salt, pinHash, answer(paired) }. */
let pending = null;

const xml = (fields) => `<?xml version="1.0" encoding="utf-8"?><root status_code="200">${Object.entries(fields).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</root>`;

const nvhttp = createHttpServer((request, response) => {
  const url = new URL(request.url, 'http://sunshine');
  const uniqueId = url.searchParams.get('uniqueid') ?? '';
  const reply = (body) => response.writeHead(200, { 'content-type': 'application/xml' }).end(body);
  if (url.pathname === '/serverinfo') return reply(xml({ hostname: config.sunshine_name ?? 'Sunshine', HttpsPort: portBase - 5, ExternalPort: portBase, PairStatus: readPaired().includes(uniqueId) ? 1 : 0 }));
  if (url.pathname === '/applist') {
    if (!readPaired().includes(uniqueId)) return response.writeHead(401).end();
    return reply(`<root status_code="200">${apps.map((name, i) => `<App><AppTitle>${name}</AppTitle><ID>${i + 1}</ID></App>`).join('')}</root>`);
  }
  if (url.pathname === '/pair') {
    if (pending) pending.answer(false);
    log(`pairing requested by ${url.searchParams.get('devicename') ?? 'a client'}; waiting for the PIN from the web UI`);
    const timer = setTimeout(() => pending?.answer(false), 60_000);
    pending = {
      uniqueId,
      salt: url.searchParams.get('salt') ?? '',
      pinHash: url.searchParams.get('pinhash') ?? '',
      answer: (paired) => {
        clearTimeout(timer);
        pending = null;
        reply(xml({ paired: paired ? 1 : 0 }));
      },
    };
    return undefined;
  }
  response.writeHead(404).end();
});

function authorised(header) {
  const [scheme, encoded] = (header ?? '').split(' ');
  if (scheme !== 'Basic' || !encoded) return false;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  const hash = createHash('sha256').update(text.slice(colon + 1) + credentials.salt).digest('hex').toUpperCase();
  return colon > 0 && text.slice(0, colon) === credentials.username && hash === credentials.password;
}

const webUi = createHttpsServer({ key: readFileSync(config.pkey), cert: readFileSync(config.cert) }, (request, response) => {
  if (!authorised(request.headers.authorization)) {
    log(`web UI: refused ${request.method} ${request.url}: wrong credentials`);
    return response.writeHead(401, { 'www-authenticate': 'Basic realm="Sunshine"' }).end();
  }
  if (request.method !== 'POST' || request.url !== '/api/pin') return response.writeHead(404).end();
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    let pin;
    try {
      pin = String(JSON.parse(body).pin ?? '');
    } catch {
      return response.writeHead(400).end();
    }
    if (!pending) return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: false }));
    const matched = createHash('sha256').update(pending.salt + pin).digest('hex') === pending.pinHash;
    if (matched) savePaired([...new Set([...readPaired(), pending.uniqueId])]);
    log(`web UI: PIN received; pairing ${matched ? 'done' : 'failed (the PIN did not match)'}`);
    pending.answer(matched);
    // What the real one does: true as long as a pairing was waiting, match or not.
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: true }));
  });
  return undefined;
});

const listen = (server, port) => new Promise((resolve, reject) => server.once('error', reject).listen(port, bindAddress, resolve));
try {
  await listen(webUi, portBase + 1);
  await listen(nvhttp, portBase);
} catch (error) {
  console.error(`fake sunshine: cannot listen on ${bindAddress}:${portBase}: ${error.message}`);
  process.exit(1);
}
log(`listening on ${bindAddress}, port base ${portBase}`);
const stop = () => {
  nvhttp.close();
  webUi.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
