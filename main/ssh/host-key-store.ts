// Decides whether a server's host key is the one this person trusts: ~/.ssh/known_hosts and
// any UserKnownHostsFile are read (never written), Porthole's own file is where a key the
// person accepted in Porthole is remembered.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PromptBroker } from '../prompts';
import { PortholeError } from '../errors';
import type { SshHop } from './config';
import type { KnownHostKey } from '../api';
import { isCertificateType } from './host-certificate';
import { SSH2_HOST_KEY_ALGORITHMS } from './ssh2-host-key-algorithms';
import {
  fingerprintOfBlob,
  keyTypeOfBlob,
  knownHostsLine,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
  verifyHostCertificate,
  verifyHostKey,
  type CertificateVerdict,
  type KnownHostEntry,
} from './host-keys';

export class HostKeyRefused extends PortholeError {}

export class HostKeyStore {
  constructor(
    private readonly options: {
      home: string;
      portholeKnownHostsFile: string;
      prompts: PromptBroker;
      /** Site-wide keys, as OpenSSH's GlobalKnownHostsFile (sites often put their login nodes there). */
      globalKnownHostsFiles?: string[];
      /** Milliseconds since the epoch, for a certificate's validity. */
      now?: () => number;
    },
  ) {}

  async entriesFor(hop: SshHop): Promise<KnownHostEntry[]> {
    const files = [
      ...(this.options.globalKnownHostsFiles ?? ['/etc/ssh/ssh_known_hosts']),
      join(this.options.home, '.ssh', 'known_hosts'),
      ...hop.knownHostsFiles,
      this.options.portholeKnownHostsFile,
    ];
    const texts = await Promise.all(
      files.map((f) =>
        readFile(f, 'utf8').then(
          (text) => ({ f, text }),
          () => ({ f, text: '' }),
        ),
      ),
    );
    return texts.flatMap(({ f, text }) => parseKnownHosts(text, f));
  }

  private checkCertificate(entries: KnownHostEntry[], hop: SshHop, blob: Buffer): CertificateVerdict {
    const nowSeconds = BigInt(Math.floor((this.options.now ?? Date.now)() / 1000));
    try {
      return verifyHostCertificate(entries, hop.hostName, hop.port, blob, nowSeconds);
    } catch (error) {
      throw new HostKeyRefused(
        `The host certificate of ${hop.hostName} cannot be read (${(error as Error).message}); Porthole will not connect.`,
        { cause: error },
      );
    }
  }

  async algorithmsFor(hop: SshHop): Promise<string[]> {
    return preferredHostKeyAlgorithms(await this.entriesFor(hop), hop.hostName, hop.port, SSH2_HOST_KEY_ALGORITHMS);
  }

  /** Resolves when the key is trusted (perhaps after asking); throws HostKeyRefused otherwise. */
  async check(cluster: string, hop: SshHop, offered: Buffer, signal?: AbortSignal): Promise<void> {
    const entries = await this.entriesFor(hop);
    let blob = offered;
    let certificateProblem: string | undefined;
    if (isCertificateType(keyTypeOfBlob(offered))) {
      const certificate = this.checkCertificate(entries, hop, offered);
      if (certificate.status === 'trusted') return;
      if (certificate.status === 'revoked') {
        throw new HostKeyRefused(
          `The host certificate of ${hop.hostName} (${fingerprintOfBlob(offered)}) ` +
            `or its CA is marked @revoked in ${certificate.source}; Porthole will not connect.`,
        );
      }
      blob = certificate.plainKey;
      certificateProblem = `The server's host certificate was not accepted: ${certificate.reason}.`;
    }
    const verdict = verifyHostKey(entries, hop.hostName, hop.port, blob);
    const fingerprint = fingerprintOfBlob(blob);
    const keyType = keyTypeOfBlob(blob);
    if (verdict.status === 'trusted') return;
    if (verdict.status === 'revoked') {
      throw new HostKeyRefused(
        `The host key of ${hop.hostName} (${fingerprint}) is marked @revoked in ${verdict.source}; Porthole will not connect.`,
      );
    }
    if (verdict.status === 'changed') {
      // Shown, never acceptable from the UI: the only way on is for the person to fix known_hosts.
      // It stays up after the attempt ends (no signal), until the person has read it.
      // Nothing waits for its answer (the refusal below is the outcome, in the same words):
      // a warning that fails to show has no one to tell.
      void this.options.prompts
        .ask({
          cluster,
          type: 'hostKeyChanged',
          host: hop.hostName,
          port: hop.port,
          keyType,
          fingerprint,
          change: verdict.change,
          known: verdict.known,
        })
        .catch(() => undefined);
      throw new HostKeyRefused(changedKeyMessage(hop, keyType, fingerprint, verdict.change, verdict.known));
    }
    const answer = await this.options.prompts.ask(
      { cluster, type: 'hostKey', host: hop.hostName, port: hop.port, keyType, fingerprint, certificateProblem },
      signal,
    );
    if (answer.type !== 'hostKey' || !answer.trust) {
      throw new HostKeyRefused(`You did not trust the host key of ${hop.hostName} (${fingerprint}); not connected.`);
    }
    await mkdir(dirname(this.options.portholeKnownHostsFile), { recursive: true, mode: 0o700 });
    await appendFile(this.options.portholeKnownHostsFile, knownHostsLine(hop.hostName, hop.port, blob), { mode: 0o600 });
  }
}

function changedKeyMessage(hop: SshHop, keyType: string, fingerprint: string, change: 'key' | 'type', known: KnownHostKey[]): string {
  const where = `${hop.hostName}:${hop.port}`;
  const knownList = known.map((k) => `${k.keyType} ${k.fingerprint} (${k.source})`).join(', ');
  const what =
    change === 'key'
      ? `WARNING: the host key of ${where} has changed (now ${keyType} ${fingerprint}; known: ${knownList}).`
      : `WARNING: ${where} offered a host key of type ${keyType} (${fingerprint}), ` +
        `but only keys of other types are known for it: ${knownList}.`;
  return (
    `${what} Someone may be intercepting the connection, or the server was reinstalled. ` +
    'Porthole refuses to connect; ask your cluster admins, then remove the old line from that file.'
  );
}
