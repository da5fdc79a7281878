// A JSON configuration file (site.json, agent.json) read so that every problem names where it
// is: the file, the line and the key. The reading itself (syntax, keys written twice, positions)
// is json-positions.ts's, shared with the template checks.
import { BadInputError } from './errors';
import { positionOfPath, readJson } from './json-positions';

export interface LocatedJson {
  file: string;
  value: unknown;
  /** Where the value at `path` is written (its key when it has one), or the nearest enclosing value. */
  place(path: PropertyKey[]): { file: string; line: number; column: number };
  /** The same place as `file:line:column`. */
  where(path: PropertyKey[]): string;
}

/** Plain JSON, as JSON.parse and jq read it (no comments, no trailing commas, no key twice); the first problem is thrown. */
export function parseLocatedJson(file: string, text: string): LocatedJson {
  const reading = readJson(text);
  const first = reading.problems[0];
  if (first || reading.value === undefined)
    throw new BadInputError(
      `${file}:${first?.line ?? 1}:${first?.column ?? 1}`,
      '(not JSON)',
      `a JSON object (${first?.message ?? 'the file is empty'})`,
    );
  const { tree } = reading;
  const place = (path: PropertyKey[]) => ({ file, ...positionOfPath(text, tree, path as (string | number)[]) });
  return {
    file,
    value: reading.value,
    place,
    where(path) {
      const at = place(path);
      return `${file}:${at.line}:${at.column}`;
    },
  };
}

/** A problem in a configuration file: `<file>:<line>:<column>: <key>`, the value given and what is allowed. */
export function configError(located: LocatedJson, path: PropertyKey[], given: unknown, allowed: string): BadInputError {
  return new BadInputError(`${located.where(path)}: ${path.join('.') || '(top)'}`, given, allowed);
}
