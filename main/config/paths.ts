// The one place that decides where Porthole keeps its files on the workstation.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ConfigPaths {
  /** The folder itself: PORTHOLE_HOME, or the OS's application config folder. */
  root: string;
  clustersFile: string;
  /** Host keys a person trusted in Porthole (OpenSSH known_hosts format). */
  knownHostsFile: string;
}

export function configRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.PORTHOLE_HOME) return env.PORTHOLE_HOME;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Porthole');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Porthole');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'porthole');
}

export function configPaths(root: string): ConfigPaths {
  return { root, clustersFile: join(root, 'clusters.json'), knownHostsFile: join(root, 'known_hosts') };
}
