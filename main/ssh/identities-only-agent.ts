// IdentitiesOnly as OpenSSH reads it: the agent still signs, but only for the keys of the
// identity files, so a server never sees (and a person's account is never tried with) the
// agent's other keys.
import { readFile } from 'node:fs/promises';
import { OpenSSHAgent, utils, type IdentityCallback, type ParsedKey } from 'ssh2';

export class IdentitiesOnlyAgent extends OpenSSHAgent {
  constructor(
    socketPath: string,
    private readonly identityFiles: string[],
  ) {
    super(socketPath);
  }

  override getIdentities(callback: IdentityCallback<ParsedKey>): void {
    super.getIdentities((error, keys) => {
      if (error || !keys) return callback(error ?? new Error('The agent listed no keys'));
      publicBlobsOf(this.identityFiles).then(
        (allowed) =>
          callback(
            undefined,
            keys.filter((key) => 'getPublicSSH' in key && allowed.some((blob) => blob.equals(key.getPublicSSH()))),
          ),
        (readError: Error) => callback(readError),
      );
    });
  }
}

/** The public half of each identity file: from `<file>.pub`, else from the file when it is not encrypted. */
async function publicBlobsOf(files: string[]): Promise<Buffer[]> {
  const blobs: Buffer[] = [];
  for (const file of files) {
    for (const candidate of [`${file}.pub`, file]) {
      const data = await readFile(candidate).catch(() => null);
      const parsed = data ? utils.parseKey(data) : null;
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      if (key && !(key instanceof Error)) {
        blobs.push(key.getPublicSSH());
        break;
      }
    }
  }
  return blobs;
}
