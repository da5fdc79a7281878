// Keeps the running agent's version folder fresh (common/agent-folder.ts says why), so that an
// upgrade on another login node never removes the file this agent's relays still start.
import { utimesSync } from 'node:fs';
import { dirname } from 'node:path';
import { AGENT_FOLDER_HEARTBEAT_MINUTES } from './common/agent-folder';

/** Only an installed agent (~/.porthole/agent/<version>/agent.cjs): a checkout's or a test's file is left alone. */
const INSTALLED_AGENT = /\/\.porthole\/agent\/[^/]+\/agent\.cjs$/;

export function keepAgentFolderFresh(agentFile: string, log: (line: string) => void): { stop(): void } {
  if (!INSTALLED_AGENT.test(agentFile)) return { stop: () => undefined };
  const folder = dirname(agentFile);
  const touch = (): void => {
    try {
      const now = new Date();
      utimesSync(folder, now, now);
    } catch (error) {
      log(`could not mark ${folder} as in use (${(error as Error).message}); an upgrade elsewhere may remove it`);
    }
  };
  touch();
  const timer = setInterval(touch, AGENT_FOLDER_HEARTBEAT_MINUTES * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
