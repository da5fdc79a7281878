// Questions main must ask the person (host key, passphrase, keyboard-interactive): each is an
// ApiEvent out, and an answer back through `prompts.answer`, whichever transport carries them.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ApiEvent, Prompt, PromptAnswer } from './api';
import { PortholeError } from './errors';

type PromptBody = Prompt extends infer P ? (P extends Prompt ? Omit<P, 'id'> : never) : never;

const answerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hostKey'), trust: z.boolean() }),
  z.strictObject({ type: z.literal('passphrase'), passphrase: z.string().max(4096).nullable() }),
  z.strictObject({ type: z.literal('keyboardInteractive'), responses: z.array(z.string().max(4096)).max(32).nullable() }),
  z.strictObject({ type: z.literal('hostKeyChanged') }),
]);

interface Pending {
  prompt: Prompt;
  resolve: (answer: PromptAnswer) => void;
}

export class PromptBroker {
  private readonly pending = new Map<string, Pending>();
  constructor(private readonly emit: (event: ApiEvent) => void) {}

  /** Shows the prompt and waits for the person; `signal` withdraws it (the connection gave up). */
  ask(body: PromptBody, signal?: AbortSignal): Promise<PromptAnswer> {
    const prompt = { ...body, id: randomUUID() } as Prompt;
    return new Promise<PromptAnswer>((resolve, reject) => {
      const onAbort = () => {
        this.close(prompt.id);
        reject(new PortholeError('The question was withdrawn: the connection attempt ended', { cause: signal?.reason }));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(prompt.id, {
        prompt,
        resolve: (answer) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(answer);
        },
      });
      this.emit({ type: 'prompt', prompt });
    });
  }

  /** Prompts still waiting, for a window that opens (or reloads) after they were sent. */
  open(): Prompt[] {
    return [...this.pending.values()].map((p) => p.prompt);
  }

  answer(id: string, input: unknown): void {
    const waiting = this.pending.get(id);
    if (!waiting)
      throw new PortholeError('This question is no longer open (it was answered or the connection attempt ended)', { field: 'id' });
    const parsed = answerSchema.safeParse(input);
    if (!parsed.success)
      throw new PortholeError(`Not an answer: ${parsed.error.issues[0].message}`, { field: 'answer', cause: parsed.error });
    const answer = parsed.data;
    const expected = waiting.prompt.type;
    if (answer.type !== expected)
      throw new PortholeError(`This question needs a '${expected}' answer, not '${answer.type}'`, { field: 'answer' });
    this.close(id);
    waiting.resolve(answer);
  }

  private close(id: string): void {
    if (this.pending.delete(id)) this.emit({ type: 'promptClosed', id });
  }
}
