// node01's loopback is its own (docs/architecture.md §5): a server that a job binds to 127.0.0.1 is out
// of the login side's reach, and reachable from inside the job (srun --overlap) and over
// the `ssh` route through node01's sshd.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { shellQuote, sshRun } from './fixture';
import { submit, waitForJobState } from './jobs';

const port = 20000 + (process.pid % 10000);
const greeting = 'hello from node01';
// A tiny TCP server and client for `node -e`, so the test needs nothing else on the node.
const server = `require("net").createServer((s) => s.end("${greeting}\\n")).listen(${port}, "127.0.0.1")`;
const client = `const s = require("net").connect(${port}, "127.0.0.1"); s.on("data", (d) => process.stdout.write(d)); s.on("error", (e) => console.log(e.code));`;
let job = '';

before(async () => {
  job = await submit('--job-name=fixture-loopback --output=/dev/null', `#!/bin/bash\nexec node -e ${shellQuote(server)}\n`);
  await waitForJobState(job, ['RUNNING'], 10_000);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await viaSrun()).stdout.includes(greeting)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the job's server on node01 127.0.0.1:${port} never answered`);
});

after(async () => {
  if (job) await sshRun(`scancel ${job}`);
});

function viaSrun() {
  return sshRun(`srun --jobid=${job} --overlap -N1 -n1 -u node -e ${shellQuote(client)}`, { timeoutMs: 15_000 });
}

test('a server a job binds to 127.0.0.1 on node01 cannot be reached from the login side', async () => {
  const fromLogin = await sshRun(`node -e ${shellQuote(client)}`);
  assert.equal(fromLogin.stdout.trim(), 'ECONNREFUSED');
});

test('the same server answers from inside the job (srun --overlap)', async () => {
  assert.equal((await viaSrun()).stdout.trim(), greeting);
});

test('the same server answers over the ssh route through node01', async () => {
  const viaNodeSshd = await sshRun(`ssh node01 node -e ${shellQuote(shellQuote(client))}`);
  assert.equal(viaNodeSshd.stdout.trim(), greeting, viaNodeSshd.stderr);
  const forwarded = await sshRun(`ssh -W 127.0.0.1:${port} node01 </dev/null`);
  assert.equal(forwarded.stdout.trim(), greeting, forwarded.stderr);
});
