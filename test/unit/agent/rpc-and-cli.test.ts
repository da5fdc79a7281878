import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { MethodHandlers } from '../../../agent/agent-methods';
import { CLI_VERBS, parseCliArgs } from '../../../agent/cli-args';
import { BadInputError, exitCodeFor } from '../../../agent/errors';
import { AGENT_METHODS, AGENT_PARAMS, RPC_ERRORS, type AgentParamsTable, type RpcFailure } from '../../../agent/protocol';
import { RpcServer } from '../../../agent/rpc-server';

function serverWith(handlers: Partial<MethodHandlers>): { server: RpcServer; lines: () => unknown[] } {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return {
    server: new RpcServer(handlers as MethodHandlers, output),
    lines: () =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
  };
}

describe('JSON-RPC server', () => {
  it('answers a malformed line with a parse error and keeps serving', async () => {
    const { server, lines } = serverWith({
      hello: async () => ({ agentVersion: '1', protocolVersion: 1, nodeVersion: 'v20', user: 'u', capabilities: [] }),
    });
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

  it('refuses bad params before any handler runs, naming the field, what was given and what is allowed', async () => {
    const seen: unknown[] = [];
    const { server, lines } = serverWith({
      'sessions.show': async (params) => {
        seen.push(params);
        return { id: params.id, templateId: 't', state: 'ready', jobId: '1', values: {}, submittedAt: 'x' };
      },
      'sessions.logs': async (params) => {
        seen.push(params);
        return { text: '' };
      },
    });
    const requests: [string, unknown][] = [
      ['sessions.show', { id: '../../etc' }],
      ['sessions.show', {}],
      ['sessions.show', { id: 'a1', extra: true }],
      ['sessions.logs', { id: 'a1', lines: 0 }],
      ['sessions.logs', { id: 'a1', lines: 'many' }],
      ['sessions.show', 'a1'],
    ];
    for (const [index, [method, params]] of requests.entries())
      await server.handleLine(JSON.stringify({ jsonrpc: '2.0', id: index, method, params }));
    const answers = lines() as RpcFailure[];
    assert.deepEqual(seen, [], 'a handler ran on bad params');
    assert.deepEqual(
      answers.map((a) => a.error.code),
      requests.map(() => RPC_ERRORS.invalidParams),
    );
    assert.deepEqual(
      answers.map((a) => [a.error.data?.field, a.error.data?.given]),
      [
        ['id', '../../etc'],
        ['id', undefined],
        ['extra', true],
        ['lines', 0],
        ['lines', 'many'],
        ['params', 'a1'],
      ],
    );
    assert.match(answers[0].error.message, /^id: "\.\.\/\.\.\/etc" is not allowed; a session id is lower-case letters, digits and dashes/);
    assert.match(answers[2].error.message, /extra: true is not allowed; sessions\.show takes only: id/);
    assert.match(answers[3].error.message, /lines: 0 is not allowed; a whole number from 1 to 10000/);
  });

  it('gives a handler its params parsed, with the defaults filled in', async () => {
    const seen: unknown[] = [];
    const { server } = serverWith({
      'sessions.logs': async (params) => {
        seen.push(params);
        return { text: '' };
      },
      'sessions.launch': async (params) => {
        seen.push(params);
        throw new BadInputError('templateId', params.templateId, 'a template of templates.list');
      },
    });
    await server.handleLine(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sessions.logs', params: { id: 'a1' } }));
    await server.handleLine(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'sessions.launch', params: { templateId: 'xterm' } }));
    assert.deepEqual(seen, [
      { id: 'a1', lines: 100 },
      { templateId: 'xterm', values: {} },
    ]);
  });

  it('has one params schema for every method, and no other', () => {
    assert.deepEqual(Object.keys(AGENT_PARAMS), [...AGENT_METHODS]);
    const { doctor: _doctor, ...withoutDoctor } = AGENT_PARAMS;
    // @ts-expect-error a method of AgentResults without its params schema does not compile
    const incomplete: AgentParamsTable = withoutDoctor;
    // @ts-expect-error nor does a schema for a method the protocol does not have
    const extra: AgentParamsTable = { ...AGENT_PARAMS, 'sessions.frobnicate': AGENT_PARAMS.doctor };
    assert.ok(incomplete && extra);
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
  it('takes the RPC methods’ own names as verbs, plus templates.check, serve, the relays and metrics', () => {
    assert.deepEqual(
      [...CLI_VERBS],
      [
        // Relays and share servers live only as long as `serve` does.
        ...AGENT_METHODS.filter((m) => m !== 'sessions.relay' && m !== 'sessions.sunshineWebUi' && !m.startsWith('shares.')),
        'templates.check',
        'serve',
        'relay',
        'relay-local',
        'metrics',
      ],
    );
    assert.throws(
      () => parseCliArgs(['cluster-info']),
      /verb: "cluster-info" is not allowed; one of: hello, cluster\.info, templates\.list/,
    );
  });

  it('reads a launch with params', () => {
    const args = parseCliArgs(['sessions.launch', 'vnc-desktop', '--json', '--param', 'hours=2', '--param', 'title=a=b']);
    assert.equal(args.positional, 'vnc-desktop');
    assert.deepEqual(args.params, { hours: '2', title: 'a=b' });
    assert.equal(args.json, true);
  });

  it('refuses bad input with exit code 2 and says what is allowed', () => {
    for (const argv of [
      ['bogus'],
      ['sessions.show'],
      ['sessions.logs', 'x', '--lines', 'many'],
      ['sessions.list', '--frobnicate'],
      ['sessions.launch', 'x', '--param', 'novalue'],
    ]) {
      assert.throws(
        () => parseCliArgs(argv),
        (error: unknown) => error instanceof BadInputError && exitCodeFor(error) === 2 && /allowed/.test(error.message),
        argv.join(' '),
      );
    }
  });
});
