// Picks the login node to sign in to: candidates are opened in order, each one a head start after
// the one before (at once when that one has failed), and the first whose server sends anything wins
// (sshd greets as soon as it accepts). A TCP connection alone proves nothing: a hung sshd's kernel
// still accepts into its backlog. Only the winner goes on to the SSH handshake, so a person is never
// asked about two hosts at once; the others are closed.
import type { Duplex } from 'node:stream';

export interface DialCandidate {
  /** The login node as a person knows it, for the state and for messages. */
  label: string;
  /** Opens the byte stream (a TCP socket, or a channel through a jump host). */
  open(signal: AbortSignal): Promise<Duplex>;
}

export interface Dialed {
  label: string;
  /** Connected, with the server's first bytes put back for the SSH client to read. */
  socket: Duplex;
}

export interface DialOptions {
  /** How long a candidate has to answer before the next one is opened too. */
  headStartMs: number;
  /** How long the whole attempt may take before every candidate still silent is given up. */
  answerTimeoutMs: number;
  signal?: AbortSignal;
}

/** No candidate answered: each one's own reason, in order. */
export class DialFailed extends Error {
  constructor(readonly failures: { label: string; error: Error }[]) {
    super(failures.map((f) => (failures.length > 1 ? `${f.label}: ${f.error.message}` : f.error.message)).join('; '));
  }
}

export function dialFirstAnswer(candidates: DialCandidate[], options: DialOptions): Promise<Dialed> {
  return new Promise((resolve, reject) => {
    const failures: ({ label: string; error: Error } | undefined)[] = candidates.map(() => undefined);
    const opened: Duplex[] = [];
    const abort = new AbortController();
    let started = 0;
    let done = false;
    let headStart: ReturnType<typeof setTimeout> | undefined;

    const finish = (outcome: { won: Dialed } | { error: Error }) => {
      if (done) return;
      done = true;
      clearTimeout(headStart);
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      abort.abort();
      for (const socket of opened) if (!('won' in outcome) || socket !== outcome.won.socket) socket.destroy();
      if ('won' in outcome) resolve(outcome.won);
      else reject(outcome.error);
    };
    const failed = (index: number, error: Error) => {
      if (done || failures[index]) return;
      failures[index] = { label: candidates[index].label, error };
      if (failures.every(Boolean)) finish({ error: new DialFailed(failures as { label: string; error: Error }[]) });
      // The one that failed gives its head start to the next at once.
      else if (index === started - 1) startNext();
    };
    const startNext = () => {
      clearTimeout(headStart);
      if (done || started >= candidates.length) return;
      const index = started++;
      headStart = setTimeout(startNext, options.headStartMs);
      candidates[index].open(abort.signal).then(
        (socket) => {
          if (done) return void socket.destroy();
          opened.push(socket);
          awaitGreeting(socket, index);
        },
        (error: Error) => failed(index, error),
      );
    };
    const awaitGreeting = (socket: Duplex, index: number) => {
      const onData = (chunk: Buffer) => {
        socket.off('error', onError).off('close', onClose);
        // Until the SSH client attaches its own, an error must not go unheard (it would end the process).
        socket.on('error', () => undefined);
        // Paused with its first bytes put back: the SSH client that takes the socket reads them first.
        socket.pause();
        socket.unshift(chunk);
        if (done) return void socket.destroy();
        finish({ won: { label: candidates[index].label, socket } });
      };
      const onError = (error: Error) => {
        socket.off('data', onData);
        failed(index, error);
      };
      const onClose = () => failed(index, new Error('closed the connection before its SSH server greeted'));
      socket.once('data', onData).once('error', onError).once('close', onClose);
    };
    const onAbort = () => finish({ error: new Error('The connection attempt was stopped.') });
    const deadline = setTimeout(() => {
      for (const [index] of candidates.entries()) {
        const what = index < started ? 'no SSH greeting' : 'not tried';
        failed(index, new Error(`${what} within ${options.answerTimeoutMs / 1000} s`));
      }
    }, options.answerTimeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (candidates.length === 0) return finish({ error: new DialFailed([]) });
    startNext();
  });
}
