// Reads one of the agent's JSON configuration files (agent.json, site.json) against its zod
// schema; the first problem is a BadInputError naming the file, line, key, the value given
// (never a password) and what is allowed there.
import { existsSync, readFileSync } from 'node:fs';
import { BadInputError } from './errors';
import { configError, parseLocatedJson, type LocatedJson } from './json-locations';
import { redactRedisUrl } from './redis-registry';
import type * as z from './zod';

export interface ConfigFile<T> {
  located: LocatedJson;
  value: T;
}

/** The file checked against `schema`, or undefined when it does not exist. */
export function readConfigFile<T>(file: string, schema: z.ZodMiniType<T>): ConfigFile<T> | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new BadInputError(file, '(unreadable)', `a file this user can read (${(cause as Error).message})`);
  }
  const located = parseLocatedJson(file, text);
  const parsed = schema.safeParse(located.value);
  if (parsed.success) return { located, value: parsed.data };
  const issue = parsed.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const path = [...issue.path, issue.keys[0]];
    throw configError(
      located,
      path,
      '(an option)',
      `not an option here; the options here are: ${optionNamesAt(schema, issue.path).join(', ')}`,
    );
  }
  throw configError(located, issue.path, shownValue(located.value, issue.path), issue.message);
}

/** The keys a schema allows at a path (a record's keys are any name): read from the schema itself. */
function optionNamesAt(schema: unknown, path: PropertyKey[]): string[] {
  type Node = { def: { shape?: Record<PropertyKey, Node>; innerType?: Node; valueType?: Node; element?: Node } } | undefined;
  const unwrap = (node: Node): Node => (node?.def.innerType ? unwrap(node.def.innerType) : node);
  const node = path.reduce<Node>((at, key) => {
    const here = unwrap(at);
    return here?.def.shape?.[key] ?? here?.def.valueType ?? here?.def.element;
  }, schema as Node);
  return Object.keys(unwrap(node)?.def.shape ?? {});
}

/** The value a config error points at, with a password or a URL's password hidden. */
export function shownValue(root: unknown, path: PropertyKey[]): unknown {
  const value = path.reduce<unknown>(
    (at, key) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined),
    root,
  );
  const key = String(path.at(-1) ?? '');
  if (/password/i.test(key)) return '(hidden)';
  if (typeof value === 'string' && key === 'url') return redactRedisUrl(value);
  if (value !== null && typeof value === 'object') return '(an object)';
  return value;
}
