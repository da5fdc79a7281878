// Finds the line of a value inside JSON text, so that an error in a file a person edits can
// say "line 7" rather than "clusters[1].port". JSON.parse keeps no positions, hence this scan.

export type JsonPath = readonly (string | number)[];

/** 1-based line of the value at `path`, or of the deepest parent found. */
export function lineOfPath(text: string, path: JsonPath): number {
  const offsets = valueOffsets(text);
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const offset = offsets.get(JSON.stringify(path.slice(0, depth)));
    if (offset !== undefined) return lineOfOffset(text, offset);
  }
  return 1;
}

export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text[i] === '\n') line += 1;
  return line;
}

/**
 * The line of the first syntax error in text JSON.parse refused. V8's message gives a position
 * for some mistakes and only a snippet for others, so the text is scanned again here.
 */
export function lineOfSyntaxError(text: string): number {
  return lineOfOffset(text, syntaxErrorOffset(text) ?? text.length);
}

/** Offset of the first character that breaks JSON's grammar, or null when there is none. */
export function syntaxErrorOffset(text: string): number | null {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i += 1;
  };
  const literal = (word: string) => {
    for (const c of word) {
      if (text[i] !== c) fail();
      i += 1;
    }
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i += 1;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i += 1;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || !match[0]) fail();
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i += 1;
      space();
      if (text[i] === '}') return void (i += 1);
      for (;;) {
        space();
        string();
        space();
        if (text[i] !== ':') fail();
        i += 1;
        value();
        space();
        if (text[i] === ',') i += 1;
        else if (text[i] === '}') return void (i += 1);
        else fail();
      }
    }
    if (c === '[') {
      i += 1;
      space();
      if (text[i] === ']') return void (i += 1);
      for (;;) {
        value();
        space();
        if (text[i] === ',') i += 1;
        else if (text[i] === ']') return void (i += 1);
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    number();
  };
  try {
    value();
    space();
    return i < text.length ? i : null;
  } catch (offset) {
    return offset as number;
  }
}

/** Offset of every value by its path (JSON-encoded), for text that JSON.parse accepted. */
function valueOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i += 1;
  };
  const readString = (): string => {
    const start = i;
    i += 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i += 1;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const readValue = (path: (string | number)[]) => {
    skipSpace();
    offsets.set(JSON.stringify(path), i);
    const c = text[i];
    if (c === '{') {
      i += 1;
      skipSpace();
      while (text[i] !== '}' && i < text.length) {
        skipSpace();
        const key = readString();
        skipSpace();
        i += 1; // ':'
        readValue([...path, key]);
        skipSpace();
        if (text[i] === ',') i += 1;
        skipSpace();
      }
      i += 1;
    } else if (c === '[') {
      i += 1;
      let index = 0;
      skipSpace();
      while (text[i] !== ']' && i < text.length) {
        readValue([...path, index]);
        index += 1;
        skipSpace();
        if (text[i] === ',') i += 1;
        skipSpace();
      }
      i += 1;
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,}\]]/.test(text[i])) i += 1;
    }
  };
  readValue([]);
  return offsets;
}
