// The main ↔ agent contract (docs/architecture.md §2). This file is the only place where an
// agent method name or a message shape is written down: the agent's JSON-RPC server, its CLI
// and the client in main/ all look methods up here, and both sides parse what crosses with its
// schemas. Types, schemas (zod/mini) and constant lists only; no Node imports, because the
// renderer sees these types through main/api.ts.
import { SESSION_ID_PATTERN, SESSION_ID_RULE } from './common/session-id';
import { SHARE_ID_PATTERN, SHARE_ID_RULE, USER_NAME_PATTERN, USER_NAME_RULE } from './common/share-link';
import * as z from './zod';

export const AGENT_PROTOCOL_VERSION = 1;

export const SESSION_STATES = ['submitted', 'queued', 'starting', 'ready', 'ended'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const SESSION_ENDS = ['completed', 'failed', 'cancelled', 'timeout', 'lost', 'idle'] as const;
export type SessionEnd = (typeof SESSION_ENDS)[number];

export type TemplateKind = 'vnc' | 'sunshine';
export type Runtime = 'apptainer' | 'singularity' | 'native';

/** A value a person typed into a template's form, after validation. */
export type FieldValue = string | number | boolean;
export type FieldValues = Record<string, FieldValue>;
const fieldValues = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()], 'a string, a number or true/false'),
  'an object of field name → value',
);

const isoTime = z.string('an ISO 8601 time');
const shareInfoSchema = z.object({
  shareId: z.string('a share id'),
  user: z.string('a user name'),
  createdAt: isoTime,
  expiresAt: isoTime,
  loginNode: z.string('a host name'),
  watchers: z.array(z.object({ since: isoTime })),
});
// Not strict: a newer agent may add fields, which this side drops instead of refusing the session.
const sessionSchema = z.object({
  id: z.string('a session id'),
  templateId: z.string('a template id'),
  state: z.enum(SESSION_STATES, `one of: ${SESSION_STATES.join(', ')}`),
  /** Set only when state is 'ended'. */
  end: z.optional(z.enum(SESSION_ENDS, `one of: ${SESSION_ENDS.join(', ')}`)),
  /** A sentence a person can read: Slurm's pending reason, or the log tail of a failure. */
  reason: z.optional(z.string('a sentence')),
  jobId: z.string('a Slurm job id'),
  node: z.optional(z.string('a node name')),
  values: fieldValues,
  /** ISO 8601 times. */
  submittedAt: isoTime,
  startedAt: z.optional(isoTime),
  /** When the desktop server became ready (connection.json was written), so every window shows the same step times. */
  readyAt: z.optional(isoTime),
  endsAt: z.optional(isoTime),
  endedAt: z.optional(isoTime),
  /** The session's unexpired shares, with who is watching now. */
  shares: z.optional(z.array(shareInfoSchema)),
  /** While a ready desktop is idle: when its job stops it unless someone comes back or asks to keep it running. */
  idleStopAt: z.optional(isoTime),
});
export type Session = z.output<typeof sessionSchema>;

/** One share of a session (docs/architecture.md, "Sharing a desktop view-only"); never its secret. */
export interface ShareInfo {
  shareId: string;
  /** The one Unix user the share lets in. */
  user: string;
  /** ISO 8601 times. */
  createdAt: string;
  expiresAt: string;
  /** The login node whose agent serves it: the link names it. */
  loginNode: string;
  /** One entry per watcher connected now. */
  watchers: { since: string }[];
}

export type TemplateField =
  | { name: string; type: 'number'; label: string; help?: string; default?: number; min?: number; max?: number; step?: number }
  | { name: string; type: 'string'; label: string; help?: string; default?: string; pattern?: string; maxLength?: number }
  | { name: string; type: 'select'; label: string; help?: string; default?: string; options: { value: string; label: string }[] }
  | { name: string; type: 'boolean'; label: string; help?: string; default?: boolean }
  /** Options come from the cluster (partitions); the form fills them from ClusterInfo. */
  | { name: string; type: 'partition'; label: string; help?: string; default?: string; requireGpus?: boolean }
  /** Options come from the user's Slurm associations (ClusterInfo.accounts), the default account first. */
  | { name: string; type: 'account'; label: string; help?: string; default?: string }
  /** Options are the QOS the chosen account allows (ClusterInfo.accounts[].qos). */
  | { name: string; type: 'qos'; label: string; help?: string; default?: string };

export interface TemplateSummary {
  id: string;
  name: string;
  description: string;
  /** The name of one of the renderer's icon drawings (desktop, terminal, gpu, chart, notebook); others get a default. */
  icon: string;
  kind: TemplateKind;
  fields: TemplateField[];
  /** Where it came from: shipped with Porthole, the site (/etc/porthole/templates) or the user. */
  source: 'builtin' | 'site' | 'user';
}

/** One problem of a template, where it is written: `file:line:column: message`, as a compiler says it. */
export interface TemplateProblem {
  /** The file's path on the login node (template.json, or job.sh). */
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A template that did not load: shown to every user as broken, with why, instead of vanishing. */
export interface BrokenTemplate {
  /** Its folder's name: template.json may be too broken to give an id. */
  id: string;
  source: TemplateSummary['source'];
  problems: TemplateProblem[];
}

/** What `templates.list` returns: the templates a user can launch, and the ones that did not load. */
export interface TemplateList {
  templates: TemplateSummary[];
  broken: BrokenTemplate[];
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
  /** The accounts Slurm lets use it (AllowAccounts); absent when every account may. */
  accounts?: string[];
}

/** One Slurm account the user has an association with, on this cluster. */
export interface AccountInfo {
  name: string;
  /** The user's default account (Slurm's DefaultAccount). */
  isDefault: boolean;
  /** The QOS this user may use under this account, in the order the form offers them. */
  qos: string[];
  /** The association's DefaultQOS, when it names one. */
  defaultQos?: string;
  /** The association's own MaxWall in minutes; null when it sets none. */
  maxWallMinutes: number | null;
}

/** One Slurm QOS and the limits on a single job that it sets. */
export interface QosInfo {
  name: string;
  /** MaxWall per job in minutes; null when the QOS sets none. */
  maxWallMinutes: number | null;
  /** MaxTRES per job as Slurm words it (`cpu=8,node=1`); empty when none. */
  maxTresPerJob: string;
}

export interface ClusterInfo {
  clusterName: string;
  slurmVersion: string;
  partitions: PartitionInfo[];
  user: string;
  /** The user's accounts, the default first; empty where Slurm keeps no accounting (AccountingStorageType none). */
  accounts: AccountInfo[];
  /** The QOS the user's accounts name, with their limits. */
  qos: QosInfo[];
}

export type VncConnection =
  { kind: 'vnc'; node: string; port: number; password?: string } | { kind: 'vnc'; node: string; socket: string; password?: string };
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

/** What `shares.open` gives the watcher: where to read the shared desktop (plain RFB, security None), and whose it is. */
export type SharedDesktop = RelayEndpoint & { owner: string; sessionId: string; expiresAt: string; viewOnly: true };

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

const noParams = z.strictObject({});
const sessionId = z.string(SESSION_ID_RULE).check(z.regex(SESSION_ID_PATTERN, SESSION_ID_RULE));
const sessionRef = z.strictObject({ id: sessionId });
const flag = z.optional(z.boolean('true or false'));
const LINES_RULE = 'a whole number from 1 to 10000';
const SHARE_MINUTES_RULE = 'a whole number of minutes from 1 to 10080 (7 days)';
const logLines = z._default(z.number(LINES_RULE).check(z.int(LINES_RULE), z.gte(1, LINES_RULE), z.lte(10_000, LINES_RULE)), 100);

/**
 * Method name → the schema of its params. The one list of the agent's methods: AGENT_METHODS
 * is its keys, the RPC server parses every request's params with it (refusing bad ones with
 * -32602, naming the field), and AgentMethods' params are its types.
 */
export const AGENT_PARAMS = {
  hello: noParams,
  'cluster.info': noParams,
  'templates.list': noParams,
  /** The values are checked against the template's own fields by the session service. */
  'sessions.launch': z.strictObject({
    templateId: z.string('a template id').check(z.minLength(1, 'a template id')),
    values: z._default(fieldValues, {}),
  }),
  'sessions.list': z.strictObject({ all: flag }),
  'sessions.show': sessionRef,
  'sessions.cancel': sessionRef,
  'sessions.connection': z.strictObject({ id: sessionId, withSecret: flag }),
  'sessions.logs': z.strictObject({ id: sessionId, lines: logLines }),
  'sessions.relay': sessionRef,
  /** A Sunshine session's web UI: a relay to 127.0.0.1:portBase + 1 on its node. */
  'sessions.sunshineWebUi': sessionRef,
  /** Restarts an idle desktop's clock: its job's idle watcher reads the file this writes. */
  'sessions.keepRunning': sessionRef,
  doctor: noParams,
  /** The folder dropped files go to (created when missing): the session's `files/`, or the template's `files.folder`. */
  'files.folder': sessionRef,
  /** Why a write in that folder fails now (EDQUOT, ENOSPC, EACCES…): SFTP says only "Failure". */
  'files.probeWrite': sessionRef,
  /** Shares a ready VNC session with one other user of the cluster, view-only, until `minutes` from now. */
  'shares.create': z.strictObject({
    id: sessionId,
    user: z.string(USER_NAME_RULE).check(z.regex(USER_NAME_PATTERN, USER_NAME_RULE)),
    minutes: z._default(
      z.number(SHARE_MINUTES_RULE).check(z.int(SHARE_MINUTES_RULE), z.gte(1, SHARE_MINUTES_RULE), z.lte(10_080, SHARE_MINUTES_RULE)),
      480,
    ),
  }),
  /** Ends a share: its watchers are cut off at once. */
  'shares.stop': z.strictObject({ id: sessionId, shareId: z.string(SHARE_ID_RULE).check(z.regex(SHARE_ID_PATTERN, SHARE_ID_RULE)) }),
  /** The watcher's side: a socket on this login node that carries the shared desktop as plain RFB. */
  'shares.open': z.strictObject({ link: z.string('a porthole://share/ link').check(z.minLength(1, 'a porthole://share/ link')) }),
} satisfies AgentParamsTable;

/** Method name → result. A method here and not in AGENT_PARAMS (or the reverse) does not compile. */
export interface AgentResults {
  hello: Hello;
  'cluster.info': ClusterInfo;
  'templates.list': TemplateList;
  'sessions.launch': Session;
  'sessions.list': Session[];
  'sessions.show': Session;
  'sessions.cancel': Session;
  'sessions.connection': SessionConnection;
  'sessions.logs': { text: string };
  'sessions.relay': RelayEndpoint;
  'sessions.sunshineWebUi': RelayEndpoint;
  'sessions.keepRunning': Session;
  doctor: DoctorCheck[];
  'files.folder': { folder: string };
  'files.probeWrite': { code: string | null; message?: string };
  'shares.create': { share: ShareInfo; link: string };
  'shares.stop': { stopped: true };
  'shares.open': SharedDesktop;
}
export type AgentMethod = keyof AgentResults;

/** What AGENT_PARAMS must be: one params schema for every method, and nothing else. */
export type AgentParamsTable = { [M in AgentMethod]: z.ZodMiniType };

/**
 * Method name → params → result: `params` is what a caller sends (defaults may be left out),
 * `parsed` what a handler gets once the server has parsed it.
 */
export type AgentMethods = {
  [M in AgentMethod]: { params: z.input<(typeof AGENT_PARAMS)[M]>; parsed: z.output<(typeof AGENT_PARAMS)[M]>; result: AgentResults[M] };
};

export const AGENT_METHODS = Object.keys(AGENT_PARAMS) as AgentMethod[];

/** Notification name → the schema of its params: main parses what the agent sends with it. */
export const AGENT_NOTIFICATION_PARAMS = {
  'session.changed': sessionSchema,
} satisfies Record<string, z.ZodMiniType>;
export type AgentNotification = keyof typeof AGENT_NOTIFICATION_PARAMS;
export type AgentNotifications = { [N in AgentNotification]: z.output<(typeof AGENT_NOTIFICATION_PARAMS)[N]> };

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
