// The one way the agent runs an external command: no shell, a timeout always, the command's
// own stderr kept for the error. Injected everywhere (STYLE habit 8) so tests can script it.
import { spawn } from 'node:child_process';
import { CommandError } from './errors';

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface CommandOptions {
  timeoutMs?: number;
  input?: string;
  env?: Record<string, string>;
}

export type CommandRunner = (command: string, args: string[], options?: CommandOptions) => Promise<CommandResult>;

export const DEFAULT_COMMAND_TIMEOUT_MS = 20_000;

export const runCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new CommandError(`Could not run ${command}: ${error.message}`, error.message, { cause: error }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new CommandError(`${command} did not answer within ${timeoutMs / 1000} s; is Slurm reachable?`, stderr.trim()));
      } else resolve({ stdout, stderr, code: code ?? 1 });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });

/** Runs and throws a CommandError carrying the command's own message when it exits non-zero. */
export async function runChecked(runner: CommandRunner, command: string, args: string[], options?: CommandOptions): Promise<string> {
  const result = await runner(command, args, options);
  if (result.code !== 0) {
    const own = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n');
    throw new CommandError(`${command} failed (exit ${result.code}): ${own}`, own);
  }
  return result.stdout;
}
