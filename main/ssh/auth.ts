// User authentication in OpenSSH's order: the agent, then each identity file (asking for
// the passphrase of an encrypted one), then keyboard-interactive (2FA codes, with the
// server's own prompt text), then a password. Every question goes through the PromptBroker.
// ssh_config may turn each method off (PubkeyAuthentication, KbdInteractiveAuthentication,
// PasswordAuthentication) and keep the agent to the identity files (IdentitiesOnly).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  utils,
  type AnyAuthMethod,
  type AuthenticationType,
  type AuthHandlerMiddleware,
  type ParsedKey,
  type Prompt as Ssh2Prompt,
} from 'ssh2';
import type { PromptBroker } from '../prompts';
import { chooseAgent } from './agent-choice';
import { defaultIdentityFiles, type SshHop } from './config';
import { IdentitiesOnlyAgent } from './identities-only-agent';

export interface AuthContext {
  cluster: string;
  hop: SshHop;
  home: string;
  prompts: PromptBroker;
  signal?: AbortSignal;
  /** Set when the person cancelled a question, so the failure says so. */
  cancelled: { value: boolean };
}

type Step = () => Promise<AnyAuthMethod | null>;

export function makeAuthHandler(context: AuthContext): AuthHandlerMiddleware {
  const steps = authSteps(context);
  let index = 0;
  return (authsLeft, _partialSuccess, next) => {
    const allowed = (type: AuthenticationType) =>
      !authsLeft || authsLeft.length === 0 || authsLeft.includes(type === 'agent' ? 'publickey' : type);
    const tryNext = async (): Promise<void> => {
      while (index < steps.length && !context.cancelled.value) {
        const step = steps[index];
        index += 1;
        const method = await step.run().catch(() => null);
        if (method && allowed(method.type)) return next(method);
      }
      next(false as unknown as AnyAuthMethod);
    };
    void tryNext();
  };
}

function authSteps(context: AuthContext): { run: Step }[] {
  const { hop } = context;
  const username = hop.user;
  const steps: { run: Step }[] = [];
  const files = hop.identityFilesExplicit ? hop.identityFiles : defaultIdentityFiles(context.home);
  if (hop.allowed.publickey) {
    const agent = chooseAgent({ platform: process.platform, configured: hop.identityAgent, exists: existsSync });
    if (agent?.kind === 'socket') {
      const socket = agent.path;
      steps.push({
        run: async () => ({ type: 'agent', username, agent: hop.identitiesOnly ? new IdentitiesOnlyAgent(socket, files) : socket }),
      });
    }
    // IdentitiesOnly filters an agent's keys through a socket; Pageant has none, so it is asked only without it.
    if (agent?.kind === 'pageant' && !hop.identitiesOnly) steps.push({ run: async () => ({ type: 'agent', username, agent: 'pageant' }) });
    for (const file of files) steps.push({ run: () => keyMethod(context, file) });
  }
  if (hop.allowed.keyboardInteractive) steps.push(keyboardInteractiveStep(context));
  if (hop.allowed.password) steps.push(passwordStep(context));
  return steps;
}

function keyboardInteractiveStep(context: AuthContext): { run: Step } {
  return {
    run: async () => ({
      type: 'keyboard-interactive',
      username: context.hop.user,
      prompt: (name: string, instructions: string, _lang: string, prompts: Ssh2Prompt[], finish: (answers: string[]) => void) => {
        if (prompts.length === 0) return finish([]);
        context.prompts
          .ask(
            {
              cluster: context.cluster,
              type: 'keyboardInteractive',
              name,
              instructions,
              prompts: prompts.map((p) => ({ prompt: p.prompt, echo: p.echo ?? false })),
            },
            context.signal,
          )
          .then((answer) => {
            const responses = answer.type === 'keyboardInteractive' ? answer.responses : null;
            if (!responses) context.cancelled.value = true;
            finish(responses ?? []);
          })
          .catch(() => {
            context.cancelled.value = true;
            finish([]);
          });
      },
    }),
  };
}

function passwordStep(context: AuthContext): { run: Step } {
  const { hop } = context;
  const username = hop.user;
  return {
    run: async () => {
      // A plain password is asked with the keyboard-interactive question (one hidden field),
      // so the UI needs one form for both.
      const answer = await context.prompts.ask(
        {
          cluster: context.cluster,
          type: 'keyboardInteractive',
          name: 'Password',
          instructions: '',
          prompts: [{ prompt: `${username}@${hop.hostName}'s password:`, echo: false }],
        },
        context.signal,
      );
      const responses = answer.type === 'keyboardInteractive' ? answer.responses : null;
      if (!responses) {
        context.cancelled.value = true;
        return null;
      }
      return { type: 'password', username, password: responses[0] ?? '' };
    },
  };
}

async function keyMethod(context: AuthContext, file: string): Promise<AnyAuthMethod | null> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    return null;
  }
  let parsed = utils.parseKey(data);
  // ssh2 tells an encrypted key by this error; ask up to three times, like ssh.
  for (let attempt = 0; parsed instanceof Error && /passphrase/i.test(parsed.message) && attempt < 3; attempt += 1) {
    const answer = await context.prompts.ask({ cluster: context.cluster, type: 'passphrase', keyFile: file }, context.signal);
    const passphrase = answer.type === 'passphrase' ? answer.passphrase : null;
    if (passphrase === null) return null;
    parsed = utils.parseKey(data, passphrase);
  }
  if (parsed instanceof Error) return null;
  const key: ParsedKey = Array.isArray(parsed) ? parsed[0] : parsed;
  return { type: 'publickey', username: context.hop.user, key };
}
