// Questions main asks the person (host key, passphrase, keyboard-interactive), oldest first.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Prompt, PromptAnswer } from '../../main/api';
import { errorMessage } from '../transport/api-call-error';
import type { ApiLink } from '../transport/link';

export interface PromptsState {
  prompts: Prompt[];
  answerError?: string;
  open(prompt: Prompt): void;
  close(id: string): void;
  answer(id: string, answer: PromptAnswer): Promise<void>;
}

export function createPromptsStore(link: ApiLink): StoreApi<PromptsState> {
  return createStore<PromptsState>((set, get) => ({
    prompts: [],
    open(prompt) {
      if (get().prompts.some((p) => p.id === prompt.id)) return;
      set({ prompts: [...get().prompts, prompt] });
    },
    close(id) {
      set({ prompts: get().prompts.filter((p) => p.id !== id) });
    },
    async answer(id, answer) {
      set({ answerError: undefined });
      try {
        await link.call('prompts.answer', id, answer);
        get().close(id);
      } catch (error) {
        set({ answerError: errorMessage(error) });
      }
    },
  }));
}
