// The share link in a command line: Windows and Linux start (or wake) the app with the link the
// person clicked as an argument, among Chromium's own switches.
import { SHARE_LINK_PREFIX } from '../../agent/common/share-link';

/** The first porthole://share/… argument, or undefined. The link itself is checked when it is opened. */
export function shareLinkIn(argv: readonly string[]): string | undefined {
  return argv.find(isShareLinkArg);
}

export function isShareLinkArg(arg: string): boolean {
  // Schemes are case-insensitive, and some launchers write them in capitals.
  return arg.slice(0, SHARE_LINK_PREFIX.length).toLowerCase() === SHARE_LINK_PREFIX;
}
