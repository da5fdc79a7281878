import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { MethodHandlers } from '../../../agent/agent-methods';
import { parseCliArgs } from '../../../agent/cli-args';
import { BadInputError, exitCodeFor } from '../../../agent/errors';
import { RPC_ERRORS } from '../../../agent/protocol';
import { RpcServer } from '../../../agent/rpc-server';

function serverWith(handlers: Partial<MethodHandlers>): { server: RpcServer; lines: () => unknown[] } {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { server: new RpcServer(handlers as MethodHandlers, output), lines: () => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

describe('JSON-RPC server', () => {
  it('answers a malformed line with a parse error and keeps serving', async () => {
    const { server, lines } = serverWith({ hello: async () => ({ agentVersion: '1', protocolVersion: 1, nodeVersion: 'v20', user: 'u', capabilities: [] }) });
    const input = new PassThrough();
    const served = server.serve(input);
    input.write('{not json\n');
    input.write('[1,2]\n');
    input.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'nope' }) + '\n');
    input.write(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'hello', params: {} }) + '\n');
    input.end();
    await served;
    const [parse, invalid, missing, hello] = lines() as { error?: { code: number }; result?: { user: string } }[];
    assert.equal(parse.error?.code, RPC_ERRORS.parseError);
    assert.equal(invalid.error?.code, RPC_ERRORS.invalidRequest);
    assert.equal(missing.error?.code, RPC_ERRORS.methodNotFound);
    assert.equal(hello.result?.user, 'u');
  });

  it('turns a bad value into invalid params naming the field', async () => {
    const { server, lines } = serverWith({
      'sessions.show': async () => {
        throw new BadInputError('id', '../x', 'a session id');
      },
    });
    await server.handleLine(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'sessions.show', params: { id: '../x' } }));
    const [answer] = lines() as { error: { code: number; data: { field: string } } }[];
    assert.equal(answer.error.code, RPC_ERRORS.invalidParams);
    assert.equal(answer.error.data.field, 'id');
  });

  it('sends session.changed as a notification without an id', () => {
    const { server, lines } = serverWith({});
    server.notify('session.changed', { id: 's', templateId: 't', state: 'ready', jobId: '1', values: {}, submittedAt: 'x' });
    const [note] = lines() as { id?: unknown; method: string }[];
    assert.equal(note.method, 'session.changed');
    assert.equal('id' in note, false);
  });
});

describe('CLI arguments', () => {
  it('reads a launch with params', () => {
    const args = parseCliArgs(['launch', 'vnc-desktop', '--json', '--param', 'hours=2', '--param', 'title=a=b']);
    assert.equal(args.positional, 'vnc-desktop');
    assert.deepEqual(args.params, { hours: '2', title: 'a=b' });
    assert.equal(args.json, true);
  });

  it('refuses bad input with exit code 2 and says what is allowed', () => {
    for (const argv of [['bogus'], ['show'], ['logs', 'x', '--lines', 'many'], ['list', '--frobnicate'], ['launch', 'x', '--param', 'novalue']]) {
      assert.throws(() => parseCliArgs(argv), (error: unknown) => error instanceof BadInputError && exitCodeFor(error) === 2 && /allowed/.test(error.message), argv.join(' '));
    }
  });
});
