// Takes secrets out of a log line before it is written: a log file is sent with bug reports and
// read by others. Known secrets (the web host's token) are hidden by value; the rest by shape,
// since a line may quote what a server or a config file said.
const HIDDEN = '***';

/** The password of any URL (everything up to the last '@' before a space, so an unescaped '@' in it is hidden too). */
const URL_USER_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)\S*@/gi;
/** A URL whose whole user part may be a password (redis://secret@host). */
const URL_LONE_USER = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s:/@]+@/gi;
/** `password=…`, `"vncPassword": "…"`, `token: …`, `?token=…` and the like. */
const NAMED_SECRET = /(\b\w*(?:password|passwd|secret|token|cookie|credential)\w*["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi;

export function redactLine(line: string, knownSecrets: readonly string[] = []): string {
  let text = line;
  for (const secret of knownSecrets) if (secret) text = text.split(secret).join(HIDDEN);
  return text.replace(URL_USER_PASSWORD, `$1${HIDDEN}@`).replace(URL_LONE_USER, `$1${HIDDEN}@`).replace(NAMED_SECRET, `$1${HIDDEN}`);
}
