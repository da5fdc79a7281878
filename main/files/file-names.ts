// Names of files moved into and out of a desktop: which a person may give (the remote side is a
// POSIX file system, and the name arrives from a page), and the next free one when a name is
// taken, so that nothing is ever overwritten silently.

/** What a file or folder name may be, in the words an error shows. */
export const FILE_NAME_RULE = 'a name of 1 to 255 bytes, without "/", "\\" or control characters, and not "." or ".."';

/** Half-written files carry this prefix until they are renamed to their real name; listings leave them out. */
export const PART_FILE_PREFIX = '.porthole-part-';

/** Why this name cannot be used on the remote (or local) side, in words; null when it can. */
export function fileNameProblem(name: string): string | null {
  if (name === '') return 'the name is empty';
  if (name === '.' || name === '..') return `"${name}" names a folder, not a file`;
  if (/[/\\]/.test(name)) return 'the name contains a "/" or "\\"';
  // C0 controls and DEL: a newline or an escape in a name breaks every listing and shell that shows it.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the name contains a control character';
  if (Buffer.byteLength(name) > 255) return `the name is ${Buffer.byteLength(name)} bytes long`;
  if (name.startsWith(PART_FILE_PREFIX)) return `the name starts with "${PART_FILE_PREFIX}", which Porthole keeps for half-written files`;
  return null;
}

/** The error to show for an unusable name: which file, what is wrong, what is allowed. */
export function fileNameError(name: string): string | null {
  const problem = fileNameProblem(name);
  return problem ? `${JSON.stringify(name)} cannot be used: ${problem}; use ${FILE_NAME_RULE}.` : null;
}

/**
 * The n-th name to try for `name` (n = 1 is the name itself): `report (2).pdf`, `archive (2).tar.gz`,
 * `.bashrc (2)`, as file managers number a copy.
 */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  // A leading dot is part of the stem (a hidden file), and a double extension stays together.
  const match = /^(\.?[^.]+)(\..*)?$/.exec(name);
  const stem = match ? match[1] : name;
  const extension = match ? (match[2] ?? '') : '';
  return `${stem} (${n})${extension}`;
}
