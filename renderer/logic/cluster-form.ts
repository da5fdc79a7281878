// The Add cluster form: what a person typed, checked before it is sent (main checks again).
import type { ClusterConfig } from '../../main/api';

export interface ClusterFormInput {
  name: string;
  host: string;
  user: string;
  port: string;
  identityFile: string;
  jumpHost: string;
}

export const EMPTY_CLUSTER_FORM: ClusterFormInput = { name: '', host: '', user: '', port: '', identityFile: '', jumpHost: '' };

export type ClusterFormResult =
  { config: ClusterConfig; errors?: undefined } | { config?: undefined; errors: Partial<Record<keyof ClusterFormInput, string>> };

export function parseClusterForm(input: ClusterFormInput): ClusterFormResult {
  const errors: Partial<Record<keyof ClusterFormInput, string>> = {};
  const name = input.name.trim();
  // Several login nodes of one cluster go in the one Host field, separated by commas.
  const hosts = input.host
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const host = hosts[0] ?? '';
  if (!name) errors.name = 'Give the cluster a name, e.g. hpc1';
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
    errors.name = 'Use letters, digits, dot, dash or underscore (up to 64), starting with a letter or digit';
  if (!host) errors.host = 'Enter the login node, e.g. login.hpc.example.org or an alias from ~/.ssh/config';
  else if (hosts.some((h) => /\s/.test(h))) errors.host = 'A host name has no spaces (separate several login nodes with commas)';
  let port: number | undefined;
  if (input.port.trim()) {
    port = Number(input.port.trim());
    if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'Port is a whole number from 1 to 65535 (22 is usual)';
  }
  if (Object.keys(errors).length) return { errors };
  const config: ClusterConfig = { name, host };
  if (hosts.length > 1) config.hosts = hosts;
  if (input.user.trim()) config.user = input.user.trim();
  if (port !== undefined) config.port = port;
  if (input.identityFile.trim()) config.identityFile = input.identityFile.trim();
  if (input.jumpHost.trim()) config.proxyJump = input.jumpHost.trim();
  return { config };
}

/** Main's error `field` names are ClusterConfig's; the form's are its inputs. */
export function formFieldOf(apiField: string | undefined): keyof ClusterFormInput | undefined {
  if (!apiField) return undefined;
  const map: Record<string, keyof ClusterFormInput> = {
    name: 'name',
    host: 'host',
    hosts: 'host',
    user: 'user',
    port: 'port',
    identityFile: 'identityFile',
    proxyJump: 'jumpHost',
    jumpHost: 'jumpHost',
  };
  // `hosts.1` (the second login node) is the Host field too.
  return map[apiField.replace(/^config\./, '').replace(/\.\d+$/, '')];
}
