// Which SSH agent to ask for keys. ssh_config's IdentityAgent or SSH_AUTH_SOCK when either names
// one (macOS and Linux: the login session's agent, as OpenSSH does). Windows users rarely have
// SSH_AUTH_SOCK: there the agent is the OpenSSH service's named pipe or else Pageant, which
// ssh2 reaches by the name 'pageant' (node_modules/ssh2/lib/agent.js, createAgent).
export const WINDOWS_OPENSSH_AGENT_PIPE = '\\\\.\\pipe\\openssh-ssh-agent';

export type AgentChoice = { kind: 'socket'; path: string } | { kind: 'pageant' } | null;

export interface AgentSurroundings {
  platform: NodeJS.Platform;
  /** The hop's IdentityAgent, SSH_AUTH_SOCK when ssh_config names none (main/ssh/config.ts). */
  configured: string | null;
  /** Whether a socket or pipe is there to connect to. */
  exists: (path: string) => boolean;
}

export function chooseAgent({ platform, configured, exists }: AgentSurroundings): AgentChoice {
  if (configured) return exists(configured) ? { kind: 'socket', path: configured } : null;
  if (platform !== 'win32') return null;
  if (exists(WINDOWS_OPENSSH_AGENT_PIPE)) return { kind: 'socket', path: WINDOWS_OPENSSH_AGENT_PIPE };
  // Pageant has no path to look for: when it is not running, ssh2 reports so and the identity files come next.
  return { kind: 'pageant' };
}
