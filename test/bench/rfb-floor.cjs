/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS on purpose: it runs as one file on the node, with the node's own Node.js */
// Floors for the benches: the least an RFB client can take, run on the cluster itself, straight to
// the desktop server: no workstation, no bridge, no browser. It asks for Raw pixels only (nothing
// to decode).
//   node rfb-floor.cjs keys <socket> <password file> <keys>
//     key to pixel (viewer-motion.bench.ts), on the login node through an SSH forward to the
//     node's socket (the route's last hop): one line of JSON, each key's milliseconds from sending
//     the key to the whole framebuffer update that followed.
//   node rfb-floor.cjs first-update <port> <display file>
//     the launch floor's last step (launch-floor.ts), in the floor's job on the node: waits until
//     Xvnc has written its display number into <display file>, connects to 127.0.0.1:<port>
//     (security None), asks for the whole screen and prints the wall-clock time (ms since the
//     epoch) at which all of the first framebuffer update had arrived.
'use strict';
const { createCipheriv } = require('node:crypto');
const { existsSync, readFileSync, statSync } = require('node:fs');
const net = require('node:net');

const [mode, ...args] = process.argv.slice(2);
const XK_x = 0x78;
const XK_BackSpace = 0xff08;
/** After a key's update, how long nothing more may come before the next key is pressed. */
const QUIET_MS = 150;

let socket;
let buffered = Buffer.alloc(0);
let wanted = null;

function connect(target) {
  socket = net.connect(target);
  socket.setNoDelay?.(true);
  socket.on('data', (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    feed();
  });
  socket.on('error', (error) => fail(error.message));
  socket.on('close', () => wanted && fail('the server closed the connection'));
}

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
  console.error(`rfb-floor: ${why}`);
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

/** Version, security (VncAuth with the password in `passwordFile`, else None), ClientInit (shared); gives the screen's size. */
async function logIn(passwordFile) {
  if (!/^RFB \d{3}\.\d{3}\n$/.test((await read(12)).toString('latin1'))) fail('not an RFB server');
  socket.write('RFB 003.008\n');
  const types = [...(await read((await read(1))[0]))];
  const type = passwordFile ? 2 : 1;
  if (!types.includes(type)) fail(`no ${passwordFile ? 'VncAuth' : 'None'} security among ${types}`);
  socket.write(Buffer.from([type]));
  if (passwordFile) socket.write(vncAuthResponse(readFileSync(passwordFile, 'utf8').trim(), await read(16)));
  if ((await read(4)).readUInt32BE(0) !== 0) fail('the server refused the login');
  socket.write(Buffer.from([1])); // shared, as the viewer connects
  const init = await read(24);
  const [width, height] = [init.readUInt16BE(0), init.readUInt16BE(2)];
  await read(init.readUInt32BE(20));
  // SetEncodings: CopyRect, Raw.
  socket.write(Buffer.from([2, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0]));
  return [width, height];
}

async function keys(socketPath, passwordFile, keyCount) {
  connect(socketPath);
  const [width, height] = await logIn(passwordFile);
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

async function firstUpdate(port, displayFile) {
  // As the job library waits for Xvnc: its display number written means it listens.
  while (!(existsSync(displayFile) && statSync(displayFile).size > 0)) await new Promise((resolve) => setTimeout(resolve, 5));
  connect({ host: '127.0.0.1', port: Number(port) });
  const [width, height] = await logIn(null);
  socket.write(updateRequest(false, width, height));
  while (!(await readMessage()));
  console.log((performance.timeOrigin + performance.now()).toFixed(3));
  socket.destroy();
}

const modes = { keys, 'first-update': firstUpdate };
if (!modes[mode]) fail(`mode '${mode}'; allowed: ${Object.keys(modes).join(', ')}`);
modes[mode](...args).catch((error) => fail(error.message));
