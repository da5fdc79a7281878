// The command lines of the relay's hops to a node (docs/architecture.md §5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { srunRelayCommand, sshRelayCommand } from '../../../agent/relay';

const agentFile = '/home/ada/.porthole/agent/0.1.0/agent.cjs';
const runtimeNode = '/home/ada/.porthole/runtime/22.23.3/bin/node';

describe('relay hops', () => {
  it('runs the last hop on the node with the Node that runs the agent, not whatever node the node has', () => {
    const srun = srunRelayCommand(
      { jobId: '42', connection: { kind: 'vnc', node: 'gpu07', socket: '/tmp/porthole-x/vnc.sock' } },
      agentFile,
      runtimeNode,
    );
    assert.deepEqual(srun.slice(-4), [runtimeNode, agentFile, 'relay-local', '/tmp/porthole-x/vnc.sock']);
    assert.ok(srun.includes('--overlap') && srun.includes('--jobid=42') && srun.includes('--nodelist=gpu07'));
  });

  it('gives ssh one remote command with every word quoted, for a socket in a folder with a space', () => {
    const ssh = sshRelayCommand(
      { jobId: '42', connection: { kind: 'vnc', node: 'gpu07', socket: '/tmp/my desk/vnc.sock' } },
      agentFile,
      runtimeNode,
    );
    assert.equal(ssh.at(-2), 'gpu07');
    assert.equal(ssh.at(-1), `'${runtimeNode}' '${agentFile}' 'relay-local' '/tmp/my desk/vnc.sock'`);
  });

  it('forwards a loopback port with ssh -W and starts nothing on the node', () => {
    const ssh = sshRelayCommand({ jobId: '42', connection: { kind: 'vnc', node: 'gpu07', port: 5901 } }, agentFile, runtimeNode);
    assert.deepEqual(ssh.slice(-3), ['-W', '127.0.0.1:5901', 'gpu07']);
    assert.ok(!ssh.includes(runtimeNode));
  });
});
