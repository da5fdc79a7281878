// The one check between a URL path and a file of the built renderer, shared by both file
// servers (the web host and Electron's porthole:// handler). Pure, so every trick is a unit test.
// The path is split on `/` before it is decoded: an encoded slash (`..%2f`) or backslash cannot
// make a new segment, and a segment that decodes to `..`, to a separator or to a NUL is refused
// rather than normalised away. The result is then checked to lie inside the root by
// path.relative, not by a string prefix (`renderer-x/` starts with `renderer`).
import { isAbsolute, join, relative, resolve } from 'node:path';

export type UrlFile = { ok: true; file: string } | { ok: false; why: string };

/** `/` means index.html; every other path names one file under `root`, segment by segment. */
export function fileForUrlPath(root: string, urlPath: string): UrlFile {
  if (!urlPath.startsWith('/')) return { ok: false, why: `the path must start with '/', not '${urlPath.slice(0, 40)}'` };
  const rawSegments = urlPath === '/' ? ['index.html'] : urlPath.slice(1).split('/');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, why: `'${raw.slice(0, 40)}' is not a valid %-escape` };
    }
    const refused = refusedSegment(segment);
    if (refused) return { ok: false, why: refused };
    segments.push(segment);
  }
  const base = resolve(root);
  const file = join(base, ...segments);
  const inside = relative(base, file);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) return { ok: false, why: 'the path leaves the app folder' };
  return { ok: true, file };
}

/** Why a decoded segment is refused, or null. `:` too: on Windows it names a drive or a stream. */
function refusedSegment(segment: string): string | null {
  if (segment === '' || segment === '.' || segment === '..') return `an empty, '.' or '..' segment`;
  // eslint-disable-next-line no-control-regex -- control characters (NUL first) are what is refused
  if (/[\u0000-\u001f\u007f]/.test(segment)) return 'a control character (NUL included)';
  if (/[/\\:]/.test(segment)) return `a '/', '\\' or ':' inside a segment (encoded as %2F, %5C or %3A)`;
  return null;
}
