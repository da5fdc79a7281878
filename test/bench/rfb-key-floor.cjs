/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS on purpose: it runs as one file on the node, with the node's own Node.js */
// The key-to-pixel floor (test/bench/viewer-motion.bench.ts): the least an RFB client can take
// from a key to the desktop's answer, run on the login node and connected straight to the node's
// socket (an SSH forward to it, as the route's last hop): no workstation, no bridge, no browser. It asks for Raw
// pixels only (nothing to decode) and prints one line of JSON: each key's milliseconds from
// sending the key to the whole framebuffer update that followed.
//   node rfb-key-floor.cjs <socket> <password file> <keys>
'use strict';
const { createCipheriv } = require('node:crypto');
const { readFileSync } = require('node:fs');
const net = require('node:net');

const [socketPath, passwordFile, keyCount] = process.argv.slice(2);
const XK_x = 0x78;
const XK_BackSpace = 0xff08;
/** After a key's update, how long nothing more may come before the next key is pressed. */
const QUIET_MS = 150;

const socket = net.connect(socketPath);
socket.setNoDelay?.(true);
let buffered = Buffer.alloc(0);
let wanted = null;
socket.on('data', (chunk) => {
  buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
  feed();
});
socket.on('error', (error) => fail(error.message));
socket.on('close', () => wanted && fail('the server closed the connection'));

function feed() {
  if (wanted && buffered.length >= wanted.n) {
    const { n, resolve } = wanted;
    wanted = null;
    const out = buffered.subarray(0, n);
    buffered = buffered.subarray(n);
    resolve(out);
  }
}

function read(n) {
  return new Promise((resolve) => {
    wanted = { n, resolve };
    feed();
  });
}

function fail(why) {
  console.error(`rfb-key-floor: ${why}`);
  process.exit(1);
}

/** VncAuth: DES (as 3DES with one key thrice) of the challenge, the key being the password's bytes bit-reversed. */
function vncAuthResponse(password, challenge) {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) {
    let b = key[i];
    let r = 0;
    for (let bit = 0; bit < 8; bit++) {
      r = (r << 1) | (b & 1);
      b >>= 1;
    }
    key[i] = r;
  }
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

function updateRequest(incremental, width, height) {
  const message = Buffer.alloc(10);
  message.writeUInt8(3, 0);
  message.writeUInt8(incremental ? 1 : 0, 1);
  message.writeUInt16BE(width, 6);
  message.writeUInt16BE(height, 8);
  return message;
}

function keyEvent(down, keysym) {
  const message = Buffer.alloc(8);
  message.writeUInt8(4, 0);
  message.writeUInt8(down ? 1 : 0, 1);
  message.writeUInt32BE(keysym, 4);
  return message;
}

/** Reads one server message; true when it was a framebuffer update (Raw and CopyRect rectangles only). */
async function readMessage() {
  const type = (await read(1))[0];
  if (type === 0) {
    const rects = (await read(3)).readUInt16BE(1);
    for (let i = 0; i < rects; i++) {
      const header = await read(12);
      const [w, h, encoding] = [header.readUInt16BE(4), header.readUInt16BE(6), header.readInt32BE(8)];
      if (encoding === 0) await read(w * h * 4);
      else if (encoding === 1) await read(4);
      else fail(`unexpected encoding ${encoding}`);
    }
    return true;
  }
  if (type === 2) return false; // Bell
  if (type === 3) {
    const length = (await read(7)).readUInt32BE(3);
    await read(length);
    return false;
  }
  return fail(`unexpected server message ${type}`);
}

/** The next framebuffer update, or null when none starts within ms. */
async function updateWithin(ms) {
  for (;;) {
    const started =
      buffered.length > 0
        ? Promise.resolve(true)
        : new Promise((resolve) => {
            const timer = setTimeout(() => resolve(false), ms);
            socket.once('data', () => (clearTimeout(timer), resolve(true)));
          });
    if (!(await started)) return null;
    if (await readMessage()) return true;
  }
}

async function main() {
  if (!/^RFB \d{3}\.\d{3}\n$/.test((await read(12)).toString('latin1'))) fail('not an RFB server');
  socket.write('RFB 003.008\n');
  const types = [...(await read((await read(1))[0]))];
  if (!types.includes(2)) fail(`no VncAuth among ${types}`);
  socket.write(Buffer.from([2]));
  socket.write(vncAuthResponse(readFileSync(passwordFile, 'utf8').trim(), await read(16)));
  if ((await read(4)).readUInt32BE(0) !== 0) fail('the password was refused');
  socket.write(Buffer.from([1])); // shared, as the viewer connects
  const init = await read(24);
  const [width, height] = [init.readUInt16BE(0), init.readUInt16BE(2)];
  await read(init.readUInt32BE(20));
  // SetEncodings: CopyRect, Raw.
  socket.write(Buffer.from([2, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0]));
  socket.write(updateRequest(false, width, height));
  while (!(await readMessage()));
  const times = [];
  for (let i = 0; i < Number(keyCount); i++) {
    // The request waits at the server until something changes: the key's echo answers it.
    socket.write(updateRequest(true, width, height));
    while (await updateWithin(QUIET_MS)) socket.write(updateRequest(true, width, height));
    const keysym = i % 2 ? XK_BackSpace : XK_x;
    const sent = performance.now();
    socket.write(Buffer.concat([keyEvent(true, keysym), keyEvent(false, keysym)]));
    if (!(await updateWithin(5000))) fail(`no update within 5 s of key ${i + 1}`);
    times.push(performance.now() - sent);
  }
  console.log(JSON.stringify(times));
  socket.destroy();
}

main().catch((error) => fail(error.message));
