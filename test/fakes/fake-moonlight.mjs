#!/usr/bin/env node
// A FAKE Moonlight client, for tests only: the real one cannot be installed on the build
// machines. Tests put it on PATH as `moonlight` (or give its path). It appends every call to
// $FAKE_MOONLIGHT_DIR/calls.jsonl ({ argv, at, pid }) and speaks to (fake) Sunshine over HTTP:
//   moonlight pair <host[:port]> --pin NNNN   exits 0 once Sunshine answers, paired or NOT,
//                                             as the real client does on a wrong PIN
//   moonlight list <host[:port]>              the truth: exit 0 and the apps when paired, else 1
//   moonlight stream <host[:port]> <app>      exit 1 when not paired; otherwise "streams" for
//                                             $FAKE_MOONLIGHT_STREAM_SECONDS (default 1) or until SIGTERM:
//                                             holds the fake Sunshine's stream connection (port + 21,
//                                             see fake-sunshine.mjs), which Sunshine logs as a client
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const dir = process.env.FAKE_MOONLIGHT_DIR;
if (!dir) {
  console.error('fake moonlight: set FAKE_MOONLIGHT_DIR to a folder for its records');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const [verb, address, ...rest] = process.argv.slice(2);
appendFileSync(join(dir, 'calls.jsonl'), JSON.stringify({ argv: process.argv.slice(2), at: Date.now(), pid: process.pid }) + '\n');

// The client's identity, kept like the real client keeps its own.
const idFile = join(dir, 'uniqueid');
if (!existsSync(idFile)) writeFileSync(idFile, randomUUID());
const uniqueId = readFileSync(idFile, 'utf8').trim();

function fail(message, code = 1) {
  console.error(message);
  process.exit(code);
}

if (!['pair', 'list', 'stream'].includes(verb) || !address) fail('usage: moonlight pair|list|stream <host[:port]> …', 2);
const [host, port = '47989'] = address.split(':');
const base = `http://${host}:${port}`;

async function get(path, timeoutMs) {
  try {
    const response = await fetch(`${base}${path}${path.includes('?') ? '&' : '?'}uniqueid=${uniqueId}`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return fail(`Failed to connect to ${address}: ${error.cause?.code ?? error.message}`);
  }
}

const paired = async () => /<PairStatus>1<\/PairStatus>/.test((await get('/serverinfo', 5000)).body);

if (verb === 'pair') {
  const pinAt = rest.indexOf('--pin');
  const pin = pinAt >= 0 ? rest[pinAt + 1] : undefined;
  if (!pin || !/^\d{4}$/.test(pin)) fail('pair needs --pin with 4 digits', 2);
  const salt = randomBytes(16).toString('hex');
  const pinHash = createHash('sha256')
    .update(salt + pin)
    .digest('hex');
  console.log(`Pairing with ${address}: enter the PIN on the host`);
  await get(`/pair?devicename=fake-moonlight&salt=${salt}&pinhash=${pinHash}`, 70_000);
  // The real client says this even when the PIN was wrong.
  console.log('Pairing completed successfully');
  process.exit(0);
}

if (!(await paired())) fail(`Computer ${address} is not paired`);

if (verb === 'list') {
  const apps = (await get('/applist', 5000)).body.match(/<AppTitle>([^<]*)<\/AppTitle>/g) ?? [];
  for (const app of apps) console.log(app.replace(/<\/?AppTitle>/g, ''));
  process.exit(0);
}

const stream = connect(Number(port) + 21, host);
stream.once('error', (error) => fail(`Failed to start the stream from ${address}: ${error.code ?? error.message}`));
stream.once('connect', () => {
  stream.write(`${uniqueId}\n`);
  console.log(`Streaming ${rest[0] ?? 'Desktop'} from ${address}`);
});
// The stream ends with the process; a host that ends it first ends the client.
stream.once('close', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
setTimeout(() => process.exit(0), Number(process.env.FAKE_MOONLIGHT_STREAM_SECONDS ?? 1) * 1000);
