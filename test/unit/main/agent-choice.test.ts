import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseAgent, WINDOWS_OPENSSH_AGENT_PIPE } from '../../../main/ssh/agent-choice';

const only =
  (...present: string[]) =>
  (path: string) =>
    present.includes(path);

describe('SSH agent choice', () => {
  it('uses SSH_AUTH_SOCK (or IdentityAgent) on Linux and macOS when its socket is there, and no agent otherwise', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      assert.deepEqual(chooseAgent({ platform, configured: '/run/agent.sock', exists: only('/run/agent.sock') }), {
        kind: 'socket',
        path: '/run/agent.sock',
      });
      assert.equal(chooseAgent({ platform, configured: '/run/gone.sock', exists: only() }), null);
      assert.equal(chooseAgent({ platform, configured: null, exists: only(WINDOWS_OPENSSH_AGENT_PIPE) }), null);
    }
  });

  it('on Windows without SSH_AUTH_SOCK, asks the OpenSSH agent service through its named pipe', () => {
    const choice = chooseAgent({ platform: 'win32', configured: null, exists: only(WINDOWS_OPENSSH_AGENT_PIPE) });
    assert.deepEqual(choice, { kind: 'socket', path: '\\\\.\\pipe\\openssh-ssh-agent' });
  });

  it('on Windows without SSH_AUTH_SOCK nor the OpenSSH pipe, asks Pageant', () => {
    assert.deepEqual(chooseAgent({ platform: 'win32', configured: null, exists: only() }), { kind: 'pageant' });
  });

  it('on Windows, an SSH_AUTH_SOCK a person set wins over the pipe and Pageant', () => {
    const configured = '\\\\.\\pipe\\my-agent';
    const choice = chooseAgent({ platform: 'win32', configured, exists: only(configured, WINDOWS_OPENSSH_AGENT_PIPE) });
    assert.deepEqual(choice, { kind: 'socket', path: configured });
  });
});
