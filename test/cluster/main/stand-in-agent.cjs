/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS on purpose: it runs as one file on the login node, like dist/agent.cjs */
// A stand-in for dist/agent.cjs in bootstrap and reconnect tests: `serve` answers `hello`,
// `templates.list` and `sessions.list` over JSON-RPC on stdio; `relay <id>` echoes its stdin,
// so uploading, starting and the viewer bridge are tested apart from the real agent.
// STAND_IN_VERSION below is rewritten by tests to make builds that differ.
const STAND_IN_VERSION = 'stand-in-1';
if (process.argv[2] === 'relay') {
  process.stdin.pipe(process.stdout);
  return;
}
const readline = require('node:readline');
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }) + '\n');
    return;
  }
  const answer = (result) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: request.id, result }) + '\n');
  if (request.method === 'hello') {
    answer({
      agentVersion: STAND_IN_VERSION,
      protocolVersion: 1,
      nodeVersion: process.version,
      user: require('node:os').userInfo().username,
      capabilities: [],
      pid: process.pid,
    });
  } else if (request.method === 'sessions.list') answer([]);
  else if (request.method === 'templates.list') answer([]);
  else
    process.stdout.write(
      JSON.stringify({ jsonrpc: '2.0', id: request.id, error: { code: -32601, message: `no method ${request.method}` } }) + '\n',
    );
});
lines.on('close', () => process.exit(0));
