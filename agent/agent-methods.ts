// One handler per method of protocol.ts's AgentMethods: the JSON-RPC server and the CLI both
// dispatch through this map, so a verb means the same thing however it is asked.
import { BadInputError } from './errors';
import type { AgentMethod, AgentMethods, ClusterInfo, Hello, RelayEndpoint } from './protocol';
import { AGENT_PROTOCOL_VERSION } from './protocol';
import type { SessionService } from './session-service';
import type { Slurm } from './slurm';
import type { TemplateCatalog } from './template-loader';
import { templateSummary } from './template-schema';
import type { DoctorCheck } from './protocol';

export type MethodHandlers = { [M in AgentMethod]: (params: AgentMethods[M]['params']) => Promise<AgentMethods[M]['result']> };

export interface MethodDeps {
  version: string;
  user: string;
  slurm: Slurm;
  catalog: TemplateCatalog;
  sessions: SessionService;
  doctor: () => Promise<DoctorCheck[]>;
  /** A session's relay endpoint; only `serve`, which stays running, can keep one. */
  relayEndpoint?: (id: string) => Promise<RelayEndpoint>;
  /** A Sunshine session's web-UI endpoint on the node's loopback; `serve` only, like relayEndpoint. */
  sunshineWebUiEndpoint?: (id: string) => Promise<RelayEndpoint>;
  /** Called after a launch or a cancel, so that `serve` polls at once. */
  onSessionsTouched?: () => void;
}

export const CAPABILITIES = ['relay:srun', 'relay:ssh', 'relay:direct', 'store:files', 'store:redis', 'notify:session.changed'];

export function createMethodHandlers(deps: MethodDeps): MethodHandlers {
  return {
    hello: async (): Promise<Hello> => ({ agentVersion: deps.version, protocolVersion: AGENT_PROTOCOL_VERSION, nodeVersion: process.version, user: deps.user, capabilities: CAPABILITIES }),
    'cluster.info': async (): Promise<ClusterInfo> => {
      const [clusterName, slurmVersion, partitions] = await Promise.all([deps.slurm.clusterName(), deps.slurm.version(), deps.slurm.partitions()]);
      return { clusterName, slurmVersion, partitions, user: deps.user };
    },
    'templates.list': async () => [...deps.catalog.templates.values()].map(templateSummary),
    'sessions.launch': async (params) => {
      const templateId = requireString(params, 'templateId');
      const values = params?.values ?? {};
      if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new BadInputError('values', values, 'an object of field name → value');
      const session = await deps.sessions.launch(templateId, values);
      deps.onSessionsTouched?.();
      return session;
    },
    'sessions.list': async (params) => deps.sessions.list({ all: params?.all === true }),
    'sessions.show': async (params) => deps.sessions.show(requireString(params, 'id')),
    'sessions.cancel': async (params) => {
      const session = await deps.sessions.cancel(requireString(params, 'id'));
      deps.onSessionsTouched?.();
      return session;
    },
    'sessions.connection': async (params) => deps.sessions.connection(requireString(params, 'id'), params?.withSecret === true),
    'sessions.logs': async (params) => {
      const lines = params?.lines ?? 100;
      if (!Number.isInteger(lines) || lines < 1 || lines > 10_000) throw new BadInputError('lines', lines, 'a whole number from 1 to 10000');
      return deps.sessions.logs(requireString(params, 'id'), lines);
    },
    'sessions.relay': async (params) => {
      const id = requireString(params, 'id');
      if (!deps.relayEndpoint) throw new BadInputError('method', 'sessions.relay', 'the `serve` verb (the CLI has `relay <id>`)');
      return deps.relayEndpoint(id);
    },
    'sessions.sunshineWebUi': async (params) => {
      const id = requireString(params, 'id');
      if (!deps.sunshineWebUiEndpoint) throw new BadInputError('method', 'sessions.sunshineWebUi', 'the `serve` verb, which keeps relay endpoints');
      return deps.sunshineWebUiEndpoint(id);
    },
    doctor: async () => deps.doctor(),
  };
}

function requireString(params: unknown, field: string): string {
  const value = params && typeof params === 'object' ? (params as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'string' || !value) throw new BadInputError(field, value, 'a non-empty string');
  return value;
}
