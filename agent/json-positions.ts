// JSON read with the positions of its parts (jsonc-parser), so that a problem in a file a person
// wrote (template.json) is reported at its line and column, the way an editor or a compiler does.
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

/** One problem at a place in the text; line and column count from 1, as editors show them. */
export interface JsonProblem {
  line: number;
  column: number;
  message: string;
}

export type JsonReading = { value: unknown; tree: Node; problems: JsonProblem[] } | { value?: undefined; problems: JsonProblem[] };

// jsonc-parser's codes, in the words of someone who writes JSON by hand.
const SYNTAX_WORDS: Record<ReturnType<typeof printParseErrorCode>, string> = {
  InvalidSymbol: 'this is not JSON here (a value, a quoted name, or a bracket was expected)',
  InvalidNumberFormat: 'not a number JSON can read',
  PropertyNameExpected: 'a "quoted" property name was expected (JSON allows no comma before } or ])',
  ValueExpected: 'a value was expected (JSON allows no comma before } or ])',
  ColonExpected: "':' was expected after the property name",
  CommaExpected: "',' was expected between two entries",
  CloseBraceExpected: "'}' was expected",
  CloseBracketExpected: "']' was expected",
  EndOfFileExpected: 'more text after the end of the JSON value',
  InvalidCommentToken: 'JSON allows no comments',
  UnexpectedEndOfComment: 'a comment that never ends (and JSON allows no comments)',
  UnexpectedEndOfString: 'a string that never ends (a missing ")',
  UnexpectedEndOfNumber: 'a number that ends too soon',
  InvalidUnicode: 'a broken \\u escape',
  InvalidEscapeCharacter: 'an escape JSON does not have (use \\\\ for a backslash)',
  InvalidCharacter: 'a control character inside a string (write \\n or \\t)',
  '<unknown ParseErrorCode>': 'not valid JSON here',
};

/** Parses strict JSON: every syntax problem, and every key written twice, with its position. */
export function readJson(text: string): JsonReading {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const problems = errors.map((error) => ({ ...positionAt(text, error.offset), message: SYNTAX_WORDS[printParseErrorCode(error.error)] }));
  if (problems.length || !tree) return { problems: problems.length ? problems : [{ line: 1, column: 1, message: 'the file is empty' }] };
  return { value: nodeValue(tree), tree, problems: duplicateKeys(text, tree) };
}

/**
 * Where the thing at `path` is written; when it is not there (a key that is missing), the
 * nearest enclosing part that is. With `key`, the place of that key of the object at `path`.
 */
export function positionOfPath(
  text: string,
  tree: Node,
  path: readonly (string | number)[],
  key?: string,
): { line: number; column: number } {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = findNodeAtLocation(tree, path.slice(0, depth));
    if (!node) continue;
    const keyNode = key !== undefined && depth === path.length ? propertyKey(node, key) : undefined;
    // A value's position is its property's (the key), which is where a reader looks for it.
    const shown = keyNode ?? (node.parent?.type === 'property' ? node.parent : node);
    return positionAt(text, shown.offset);
  }
  return { line: 1, column: 1 };
}

// jsonc-parser's getNodeValue assigns keys one by one, so a "__proto__" key would set the object's
// prototype; JSON.parse makes it an own property, and so does this.
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

function propertyKey(object: Node, key: string): Node | undefined {
  return object.children?.find((property) => property.children?.[0].value === key)?.children?.[0];
}

// JSON.parse keeps the last of two equal keys without a word: the first is silently not used.
function duplicateKeys(text: string, node: Node): JsonProblem[] {
  const problems: JsonProblem[] = [];
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const keyNode = property.children?.[0];
      if (!keyNode) continue;
      if (seen.has(keyNode.value)) problems.push({ ...positionAt(text, keyNode.offset), message: `key "${keyNode.value}" appears twice` });
      seen.add(keyNode.value);
    }
  }
  for (const child of node.children ?? []) problems.push(...duplicateKeys(text, child));
  return problems;
}

function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
