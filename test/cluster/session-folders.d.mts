// Types of session-folders.mjs (plain JavaScript, as test/run.mjs imports it).
export declare function sessionFolders(clusterJson: string): Set<string>;
export declare function removeFinishedSessionFoldersSince(clusterJson: string, before: Set<string>): { removed: number; left: number };
