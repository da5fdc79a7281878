// The main ↔ agent contract (DESIGN.md contract 2). This file is the only place
// where an agent method name or a message shape is written down: the agent's
// JSON-RPC server, its CLI and the client in main/ all look methods up here.
// Types only, plus the constant lists that both sides iterate; no Node imports,
// because the renderer sees these types through main/api.ts.

export const AGENT_PROTOCOL_VERSION = 1;

export const SESSION_STATES = ['submitted', 'queued', 'starting', 'ready', 'ended'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const SESSION_ENDS = ['completed', 'failed', 'cancelled', 'timeout', 'lost'] as const;
export type SessionEnd = (typeof SESSION_ENDS)[number];

export type TemplateKind = 'vnc' | 'sunshine';
export type Runtime = 'apptainer' | 'singularity' | 'native';

/** A value a person typed into a template's form, after validation. */
export type FieldValue = string | number | boolean;
export type FieldValues = Record<string, FieldValue>;

export interface Session {
  id: string;
  templateId: string;
  state: SessionState;
  /** Set only when state is 'ended'. */
  end?: SessionEnd;
  /** A sentence a person can read: Slurm's pending reason, or the log tail of a failure. */
  reason?: string;
  jobId: string;
  node?: string;
  values: FieldValues;
  /** ISO 8601 times. */
  submittedAt: string;
  startedAt?: string;
  endsAt?: string;
  endedAt?: string;
}

export type TemplateField =
  | { name: string; type: 'number'; label: string; help?: string; default?: number; min?: number; max?: number; step?: number }
  | { name: string; type: 'string'; label: string; help?: string; default?: string; pattern?: string; maxLength?: number }
  | { name: string; type: 'select'; label: string; help?: string; default?: string; options: { value: string; label: string }[] }
  | { name: string; type: 'boolean'; label: string; help?: string; default?: boolean }
  /** Options come from the cluster (partitions); the form fills them from ClusterInfo. */
  | { name: string; type: 'partition'; label: string; help?: string; default?: string; requireGpus?: boolean };

export interface TemplateSummary {
  id: string;
  name: string;
  description: string;
  /** An emoji or a short name of an icon the renderer knows. */
  icon: string;
  kind: TemplateKind;
  fields: TemplateField[];
  /** Where it came from: shipped with Porthole, the site (/etc/porthole/templates) or the user. */
  source: 'builtin' | 'site' | 'user';
}

export interface PartitionInfo {
  name: string;
  isDefault: boolean;
  /** Null when Slurm says UNLIMITED. */
  maxTimeMinutes: number | null;
  nodes: number;
  cpusPerNode: number;
  memoryMbPerNode: number;
  gpusPerNode: number;
  gpuType?: string;
  state: string;
}

export interface ClusterInfo {
  clusterName: string;
  slurmVersion: string;
  partitions: PartitionInfo[];
  user: string;
}

export type VncConnection =
  | { kind: 'vnc'; node: string; port: number; password?: string }
  | { kind: 'vnc'; node: string; socket: string; password?: string };
/**
 * Moonlight's stream is UDP straight from the node, which no SSH route can carry: `host` is the
 * address the job found for itself, and Moonlight reaches Sunshine's ports there, offsets of
 * `portBase` (TCP −5, 0, +1, +21; UDP +9, +10, +11). Sunshine's web UI (portBase + 1) answers
 * only requests from the node's loopback: main reaches it through `sessions.sunshineWebUi`.
 */
export interface SunshineConnection {
  kind: 'sunshine';
  node: string;
  host: string;
  portBase: number;
  /**
   * SHA-256 of the certificate Sunshine serves (its DER, lower-case hex), read from the shared
   * home by `sessions.connection`: main talks to the web UI only when its peer presents it.
   */
  certSha256?: string;
  /** Sunshine's web-UI credentials, only with withSecret: the PIN is posted with them. */
  username?: string;
  password?: string;
}
export type SessionConnection = VncConnection | SunshineConnection;

/**
 * Where main opens a viewer stream without starting a process: a TCP address the login node
 * reaches (route `direct`, through SSH's direct-tcpip) or a Unix socket on the login node that
 * `serve` relays by the route (through SSH's streamlocal forwarding).
 */
export type RelayEndpoint = { host: string; port: number } | { socket: string };

export interface DoctorCheck {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  /** What was found, in a sentence. */
  message: string;
  /** What to do about it, when status is not ok. */
  fix?: string;
}

export interface Hello {
  agentVersion: string;
  protocolVersion: number;
  nodeVersion: string;
  user: string;
  capabilities: string[];
}

/** Method name → params → result. Both the server and the client are typed from this map. */
export interface AgentMethods {
  hello: { params: Record<string, never>; result: Hello };
  'cluster.info': { params: Record<string, never>; result: ClusterInfo };
  'templates.list': { params: Record<string, never>; result: TemplateSummary[] };
  'sessions.launch': { params: { templateId: string; values: FieldValues }; result: Session };
  'sessions.list': { params: { all?: boolean }; result: Session[] };
  'sessions.show': { params: { id: string }; result: Session };
  'sessions.cancel': { params: { id: string }; result: Session };
  'sessions.connection': { params: { id: string; withSecret?: boolean }; result: SessionConnection };
  'sessions.logs': { params: { id: string; lines?: number }; result: { text: string } };
  'sessions.relay': { params: { id: string }; result: RelayEndpoint };
  /** A Sunshine session's web UI: a relay to 127.0.0.1:portBase + 1 on its node. */
  'sessions.sunshineWebUi': { params: { id: string }; result: RelayEndpoint };
  doctor: { params: Record<string, never>; result: DoctorCheck[] };
}
export type AgentMethod = keyof AgentMethods;

export const AGENT_METHODS: readonly AgentMethod[] = [
  'hello',
  'cluster.info',
  'templates.list',
  'sessions.launch',
  'sessions.list',
  'sessions.show',
  'sessions.cancel',
  'sessions.connection',
  'sessions.logs',
  'sessions.relay',
  'sessions.sunshineWebUi',
  'doctor',
];

export interface AgentNotifications {
  'session.changed': Session;
}
export type AgentNotification = keyof AgentNotifications;

// JSON-RPC 2.0 framing: one object per line on the agent's stdio.
export interface RpcRequest<M extends AgentMethod = AgentMethod> {
  jsonrpc: '2.0';
  id: number | string;
  method: M;
  params: AgentMethods[M]['params'];
}
export interface RpcNotification<N extends AgentNotification = AgentNotification> {
  jsonrpc: '2.0';
  method: N;
  params: AgentNotifications[N];
}
export interface RpcSuccess<M extends AgentMethod = AgentMethod> {
  jsonrpc: '2.0';
  id: number | string;
  result: AgentMethods[M]['result'];
}
export interface RpcFailure {
  jsonrpc: '2.0';
  id: number | string | null;
  error: RpcErrorBody;
}
export interface RpcErrorBody {
  code: number;
  message: string;
  /** For invalid params: which field, what was given, what is allowed. */
  data?: { field?: string; given?: unknown; allowed?: string; slurmMessage?: string };
}

/** JSON-RPC's own codes, plus ours in the server-error range. */
export const RPC_ERRORS = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Slurm (or another command) refused or timed out; message carries its own words. */
  commandFailed: -32000,
  notFound: -32001,
} as const;
