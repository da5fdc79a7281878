// Runs the Moonlight client's verbs: `pair` and `list` to their end (with a timeout, output
// kept for the error), `stream` left running on its own, as the window the person plays in.
import { spawn } from 'node:child_process';
import { PortholeError } from '../errors';
import type { MoonlightClient } from './client-locator';

export interface MoonlightRun {
  code: number | null;
  output: string;
}

export interface MoonlightRunner {
  /** Runs `moonlight <args>` to its end; rejects only when it could not start, timed out or was aborted. */
  run(args: string[], timeoutMs: number, signal?: AbortSignal): Promise<MoonlightRun>;
  /** Starts `moonlight <args>` detached; resolves once it runs, with its process id. */
  start(args: string[]): Promise<number>;
}

export function moonlightRunner(client: MoonlightClient, env: NodeJS.ProcessEnv): MoonlightRunner {
  const cannotStart = (error: Error) =>
    new PortholeError(`Could not start Moonlight (${client.command}): ${error.message}`, { cause: error });
  return {
    run: (args, timeoutMs, signal) =>
      new Promise((resolve, reject) => {
        const child = spawn(client.command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], signal });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new PortholeError(`Moonlight did not finish \`${args[0]}\` within ${timeoutMs / 1000} s: ${output.trim().slice(-300)}`));
        }, timeoutMs);
        child.on('error', (error) => {
          clearTimeout(timer);
          reject(error.name === 'AbortError' ? error : cannotStart(error));
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, output });
        });
      }),
    start: (args) =>
      new Promise((resolve, reject) => {
        // Detached: the stream window belongs to the person, and outlives a restart of Porthole.
        const child = spawn(client.command, args, { env, stdio: 'ignore', detached: true });
        child.once('error', (error) => reject(cannotStart(error)));
        child.once('spawn', () => {
          child.unref();
          resolve(child.pid ?? -1);
        });
      }),
  };
}
