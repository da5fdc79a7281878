// The fingerprint of the certificate a session's Sunshine serves, for main to pin: the job's
// sunshine.conf says where the certificate is (`cert = …`, on the shared home, made by Sunshine
// itself), and its SHA-256 is what main compares with the peer's before sending a credential.
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NotFoundError } from './errors';

/** The file the moonlight-desktop job writes Sunshine's configuration to, in the session folder. */
export const SUNSHINE_CONFIG_FILE = 'sunshine.conf';

/** The `cert` path of a sunshine.conf (`key = value` lines, as Sunshine reads them), if it has one. */
export function certificatePath(configText: string): string | undefined {
  for (const line of configText.split('\n')) {
    const match = /^\s*cert\s*=\s*(.*?)\s*$/.exec(line);
    if (match && match[1].startsWith('/')) return match[1];
  }
  return undefined;
}

/** SHA-256 of a PEM certificate's DER, lower-case hex (what main computes from the TLS peer). */
export function certificateSha256(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

/** Reads the certificate that the session's sunshine.conf names; a clear error when it cannot. */
export function sunshineCertSha256(configText: string | undefined, sessionId: string): string {
  const file = configText === undefined ? undefined : certificatePath(configText);
  if (!file) {
    const missing =
      configText === undefined
        ? `has no ${SUNSHINE_CONFIG_FILE}`
        : `has a ${SUNSHINE_CONFIG_FILE} without a \`cert = /absolute/path\` line`;
    throw new NotFoundError(
      `Session '${sessionId}' ${missing}, so Sunshine's certificate is unknown: ` +
        `Porthole cannot check whom it talks to and will not pair; relaunch the session.`,
    );
  }
  try {
    return certificateSha256(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new NotFoundError(
      `Sunshine's certificate ${file} of session '${sessionId}' ` +
        `cannot be read as a certificate (${(error as Error).message}): ` +
        `Porthole cannot check whom it talks to, so it will not pair; relaunch the session.`,
    );
  }
}
