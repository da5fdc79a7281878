// Values an attacker or an accident could type into a form field: quotes, command substitution,
// backticks, newlines, NUL, very long text, unicode. Shared by the unit test of the batch-script
// builder and the launch test on the real cluster.
// A table of hostile values reads better packed than one per line.
// prettier-ignore
const seeds = [
  `'`, `"`, `\\`, `'\\''`, `$(touch /tmp/porthole-pwned)`, '`touch /tmp/porthole-pwned`', '${HOME}', '$HOME', '$((1+1))', '$[1]',
  '; touch /tmp/porthole-pwned', '&& id', '|| id', '| id', '& id &', '\nid\n', 'a\nb', '\r\n', '\t', '\0', 'a\0b',
  '$(printf "\\x27")', "';id;'", '";id;"', "'$(id)'", '"$(id)"', '\\$(id)', '\\`id\\`', '#', '# comment', '!', '!!', '!-1', '*', '?', '[a-z]',
  '~', '~root', '{a,b}', '<(id)', '>(id)', '> /tmp/porthole-pwned', '< /etc/passwd', '2>&1', '\u001b[31mred', '\u0007', '\u007f', '\u00a0',
  'é', 'ß', '漢字', '😀', '👩‍💻', '\u202e', '\u200b', '\ufeff', 'ﬁ', 'İ', '\ud800', 'x'.repeat(200), 'x'.repeat(201), 'y'.repeat(10_000),
  ' leading', 'trailing ', '   ', '', '-', '--', '--help', '-rf', 'PORTHOLE_TITLE=x', 'export X=1', 'EOF', "'EOF'", '\\n', '%s%s%n', '%(x)s',
  '{{title}}', '<script>alert(1)</script>', '../../etc/passwd', '/dev/null', 'C:\\Windows', 'null', 'undefined', 'NaN', '0', '-1', '1e309',
];

function build(): string[] {
  const values = new Set<string>(seeds);
  const wrappers = [(s: string) => `a${s}b`, (s: string) => `'${s}'`, (s: string) => `"${s}"`, (s: string) => `${s}${s}`];
  for (const wrap of wrappers) for (const seed of seeds) if (values.size < 320) values.add(wrap(seed));
  return [...values];
}

export const HOSTILE_VALUES: string[] = build();

/** What the vnc-desktop `title` field accepts: at most 200 characters, no control characters but newline and tab. */
export function titleAccepts(value: string): boolean {
  return (
    value.length <= 200 &&
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value) &&
    !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)
  );
}
