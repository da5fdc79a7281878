// How the app tells an agent version in use from one left behind by an upgrade: every running
// `serve` keeps its own folder (~/.porthole/agent/<version>/) modified, on whichever login node
// it runs, and the app removes another version's folder only when nothing touched it for a while.

/** How often a running agent touches its folder. */
export const AGENT_FOLDER_HEARTBEAT_MINUTES = 10;

/** A version folder untouched this long, and run by no process on this login node, is removed after an upgrade. */
export const AGENT_FOLDER_UNUSED_MINUTES = 6 * AGENT_FOLDER_HEARTBEAT_MINUTES;
