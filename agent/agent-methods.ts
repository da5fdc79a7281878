// One handler per method of protocol.ts's AgentMethods: the JSON-RPC server and the CLI both
// dispatch through this map, so a verb means the same thing however it is asked. Params arrive
// parsed with protocol.ts's AGENT_PARAMS (the server and the CLI both parse them first).
import type { ClusterFacts } from './cluster-facts';
import { BadInputError } from './errors';
import type { AgentMethod, AgentMethods, ClusterInfo, DoctorCheck, Hello, RelayEndpoint, Session } from './protocol';
import { AGENT_PARAMS, AGENT_PROTOCOL_VERSION } from './protocol';
import type { SessionService } from './session-service';
import type { TemplateCatalog } from './template-loader';
import { templateSummary } from './template-schema';

export type MethodHandlers = { [M in AgentMethod]: (params: AgentMethods[M]['parsed']) => Promise<AgentMethods[M]['result']> };

export type ShareHandlers = Pick<MethodHandlers, 'shares.create' | 'shares.stop' | 'shares.open'>;

export interface MethodDeps {
  version: string;
  user: string;
  facts: ClusterFacts;
  catalog: TemplateCatalog;
  sessions: SessionService;
  doctor: () => Promise<DoctorCheck[]>;
  /** A session's relay endpoint; only `serve`, which stays running, can keep one. */
  relayEndpoint?: (id: string) => Promise<RelayEndpoint>;
  /** A Sunshine session's web-UI endpoint on the node's loopback; `serve` only, like relayEndpoint. */
  sunshineWebUiEndpoint?: (id: string) => Promise<RelayEndpoint>;
  /** A session's files folder (created when missing), and a probe write in it: session-files-folder.ts. */
  filesFolder: (id: string) => string;
  probeWrite: (folder: string) => { code: string | null; message?: string };
  /** The share servers (agent/share-service.ts); `serve` only, which keeps them running. */
  shares?: ShareHandlers;
  /** Adds a session's shares and their watchers (`serve` only: they live there). */
  withShares?: (session: Session) => Session;
  /** Called after a launch or a cancel, so that `serve` polls at once. */
  onSessionsTouched?: () => void;
}

export const CAPABILITIES = ['relay:srun', 'relay:ssh', 'relay:direct', 'store:files', 'store:redis', 'notify:session.changed'];

export function createMethodHandlers(deps: MethodDeps): MethodHandlers {
  const withShares = (session: Session): Session => deps.withShares?.(session) ?? session;
  return {
    hello: async (): Promise<Hello> => ({
      agentVersion: deps.version,
      protocolVersion: AGENT_PROTOCOL_VERSION,
      nodeVersion: process.version,
      user: deps.user,
      capabilities: CAPABILITIES,
    }),
    'cluster.info': async (): Promise<ClusterInfo> => deps.facts.info(),
    'templates.list': async () => ({ templates: [...deps.catalog.templates.values()].map(templateSummary), broken: deps.catalog.broken }),
    'sessions.launch': async ({ templateId, values }) => {
      const session = await deps.sessions.launch(templateId, values);
      deps.onSessionsTouched?.();
      return session;
    },
    'sessions.list': async ({ all }) => (await deps.sessions.list({ all: all === true })).map(withShares),
    'sessions.show': async ({ id }) => withShares(await deps.sessions.show(id)),
    'sessions.cancel': async ({ id }) => {
      const session = await deps.sessions.cancel(id);
      deps.onSessionsTouched?.();
      return session;
    },
    'sessions.keepRunning': async ({ id }) => {
      const session = await deps.sessions.keepRunning(id);
      deps.onSessionsTouched?.();
      return session;
    },
    'sessions.connection': async ({ id, withSecret }) => deps.sessions.connection(id, withSecret === true),
    'sessions.logs': async ({ id, lines }) => deps.sessions.logs(id, lines),
    'sessions.relay': async ({ id }) => {
      if (!deps.relayEndpoint) throw new BadInputError('method', 'sessions.relay', 'the `serve` verb (the CLI has `relay <id>`)');
      return deps.relayEndpoint(id);
    },
    'sessions.sunshineWebUi': async ({ id }) => {
      if (!deps.sunshineWebUiEndpoint)
        throw new BadInputError('method', 'sessions.sunshineWebUi', 'the `serve` verb, which keeps relay endpoints');
      return deps.sunshineWebUiEndpoint(id);
    },
    doctor: async () => deps.doctor(),
    'files.folder': async ({ id }) => ({ folder: deps.filesFolder(id) }),
    'files.probeWrite': async ({ id }) => deps.probeWrite(deps.filesFolder(id)),
    'shares.create': async (params) => servedShares(deps, 'shares.create')['shares.create'](params),
    'shares.stop': async (params) => servedShares(deps, 'shares.stop')['shares.stop'](params),
    'shares.open': async (params) => servedShares(deps, 'shares.open')['shares.open'](params),
  };
}

function servedShares(deps: MethodDeps, method: AgentMethod): ShareHandlers {
  if (!deps.shares) throw new BadInputError('method', method, 'the `serve` verb, which keeps the share servers running');
  return deps.shares;
}

/**
 * Runs one method with params from outside (a JSON-RPC request, the CLI's options): parsed with
 * the method's schema first, so a bad one is refused naming the field, what was given and what
 * is allowed, and a handler only ever sees params of its type.
 */
export function callMethod<M extends AgentMethod>(
  handlers: MethodHandlers,
  method: M,
  params: unknown,
): Promise<AgentMethods[M]['result']> {
  const schema = AGENT_PARAMS[method];
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw paramsError(method, Object.keys(schema.def.shape), params, parsed.error.issues[0]);
  const handler = handlers[method] as (p: unknown) => Promise<AgentMethods[M]['result']>;
  return handler(parsed.data);
}

function paramsError(
  method: AgentMethod,
  known: string[],
  params: unknown,
  issue: { code: string; path: PropertyKey[]; message: string; keys?: string[] },
): BadInputError {
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
    const field = issue.keys[0];
    return new BadInputError(
      field,
      (params as Record<string, unknown>)[field],
      `${method} takes ${known.length ? `only: ${known.join(', ')}` : 'no params'}`,
    );
  }
  if (!issue.path.length) return new BadInputError('params', params, `an object of ${method}'s named params`);
  const given = issue.path.reduce<unknown>(
    (value, key) => (value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined),
    params,
  );
  return new BadInputError(issue.path.map(String).join('.'), given, issue.message);
}
