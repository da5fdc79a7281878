// The Moonlight client's path from the settings file (settings.json in Porthole's config
// folder), when a person set one; validated here, so the locator gets a clean value or nothing.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { PortholeError } from '../errors';

export function settingsFile(configRoot: string): string {
  return join(configRoot, 'settings.json');
}

export async function readMoonlightPath(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PortholeError(`Cannot read the settings file ${file}: ${(error as Error).message}`, { cause: error });
  }
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (cause) {
    throw new PortholeError(`The settings file ${file} is not valid JSON (${(cause as Error).message}); fix it or remove it.`, { cause });
  }
  const value = settings && typeof settings === 'object' ? (settings as Record<string, unknown>).moonlightPath : undefined;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isAbsolute(value) || value.length > 4096) {
    throw new PortholeError(
      `moonlightPath: ${JSON.stringify(value).slice(0, 100)} in ${file} is not allowed; ` +
        `give the absolute path of the Moonlight executable.`,
      { field: 'moonlightPath' },
    );
  }
  return value;
}
