// Reads a JSON configuration file so that every problem can name where it is: the file, the line
// and the key. jsonc-parser keeps each value's offset, which JSON.parse throws away.
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { BadInputError } from './errors';

export interface LocatedJson {
  file: string;
  value: unknown;
  /** `file:line:column` of the value at `path` (of its key when it has one), or of the nearest enclosing value. */
  where(path: PropertyKey[]): string;
}

export function parseLocatedJson(file: string, text: string): LocatedJson {
  const errors: ParseError[] = [];
  // No comments, no trailing commas: these files are plain JSON, as JSON.parse and jq read them.
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length || !root) {
    const first = errors[0];
    const at = first ? position(text, first.offset) : { line: 1, column: 1 };
    throw new BadInputError(
      `${file}:${at.line}:${at.column}`,
      '(not JSON)',
      `a JSON object (${first ? printParseErrorCode(first.error) : 'the file is empty'} here)`,
    );
  }
  return {
    file,
    value: nodeValue(root),
    where(path) {
      const node = nearestNode(root, path);
      const at = position(text, (node.parent?.type === 'property' ? node.parent : node).offset);
      return `${file}:${at.line}:${at.column}`;
    },
  };
}

/** A problem in a configuration file: `<file>:<line>:<column>: <key>`, the value given and what is allowed. */
export function configError(located: LocatedJson, path: PropertyKey[], given: unknown, allowed: string): BadInputError {
  return new BadInputError(`${located.where(path)}: ${path.join('.') || '(top)'}`, given, allowed);
}

function nearestNode(root: Node, path: PropertyKey[]): Node {
  for (let length = path.length; length > 0; length--) {
    const node = findNodeAtLocation(root, path.slice(0, length) as (string | number)[]);
    if (node) return node;
  }
  return root;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

// getNodeValue of jsonc-parser would do, but it gives objects a prototype of Object for "__proto__" keys.
function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((property) => [property.children![0].value, nodeValue(property.children![1])]));
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}
