/** One single-quoted shell word holding `value` verbatim: inside '…' nothing is special but '. */
export function singleQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
