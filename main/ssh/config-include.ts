// Reads an ssh_config with its `Include` lines expanded in place, as OpenSSH does (the
// `ssh-config` parser does not follow them, docs/field-notes.md): relative paths are under ~/.ssh,
// wildcards in the file name are expanded in sorted order, and an include loop is refused.
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { glob } from 'ssh-config';
import { PortholeError } from '../errors';

const MAX_DEPTH = 16;

export async function readSshConfigWithIncludes(file: string, home: string, depth = 0): Promise<string> {
  if (depth > MAX_DEPTH)
    throw new PortholeError(`ssh_config Include goes more than ${MAX_DEPTH} files deep at ${file}; is there a loop?`, {
      field: 'sshConfigFile',
    });
  const text = await readFile(file, 'utf8');
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const include = /^\s*Include\s*[=\s]\s*(.+?)\s*$/i.exec(line);
    if (!include) {
      lines.push(line);
      continue;
    }
    for (const pattern of splitArguments(include[1])) {
      for (const included of await expand(pattern, home)) {
        lines.push(await readSshConfigWithIncludes(included, home, depth + 1));
      }
    }
  }
  return lines.join('\n');
}

function splitArguments(value: string): string[] {
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

async function expand(pattern: string, home: string): Promise<string[]> {
  const withHome = pattern.startsWith('~/') ? join(home, pattern.slice(2)) : pattern;
  const path = isAbsolute(withHome) ? withHome : join(home, '.ssh', withHome);
  const name = basename(path);
  if (!/[*?]/.test(name)) return (await exists(path)) ? [path] : [];
  const folder = dirname(path);
  const entries = await readdir(folder).catch(() => [] as string[]);
  return entries
    .filter((entry) => glob(name, entry))
    .sort()
    .map((entry) => join(folder, entry));
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}
