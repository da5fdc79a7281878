// A session's shares, kept in its folder (`shares.json`, 0600) so that the owner's agent, when it
// starts again on the same login node, serves the unexpired ones again. The secret is kept only
// as its SHA-256: the server needs to check it, never to give it out again.
import type { SessionFiles } from './session-files';
import * as z from './zod';

export const SHARES_FILE = 'shares.json';

const isoTime = z.string('an ISO 8601 time');
const shareRecordSchema = z.object({
  shareId: z.string('a share id'),
  user: z.string('a user name'),
  createdAt: isoTime,
  expiresAt: isoTime,
  secretSha256: z.string('the secret’s SHA-256 in hex'),
  loginNode: z.string('a host name'),
});
const sharesFileSchema = z.array(shareRecordSchema);
export type ShareRecord = z.output<typeof shareRecordSchema>;

export class ShareStore {
  constructor(private readonly files: SessionFiles) {}

  /** The session's shares; a file that is unreadable is reported, never overwritten by a guess. */
  read(sessionId: string): ShareRecord[] {
    const text = this.files.read(sessionId, SHARES_FILE);
    if (text === undefined) return [];
    const parsed = sharesFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(`${SHARES_FILE} of session ${sessionId} is not a list of shares: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  add(sessionId: string, record: ShareRecord): void {
    this.write(sessionId, [...this.read(sessionId), record]);
  }

  /** Removes the share; returns it, or undefined when the session has no such share. */
  remove(sessionId: string, shareId: string): ShareRecord | undefined {
    const records = this.read(sessionId);
    const removed = records.find((record) => record.shareId === shareId);
    if (removed)
      this.write(
        sessionId,
        records.filter((record) => record !== removed),
      );
    return removed;
  }

  private write(sessionId: string, records: ShareRecord[]): void {
    this.files.write(sessionId, SHARES_FILE, JSON.stringify(records, null, 2) + '\n', 0o600);
  }
}
