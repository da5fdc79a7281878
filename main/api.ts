// The renderer ↔ main contract (DESIGN.md contract 1). The only place where an
// Api method name or an event shape is written down. Two transports carry it
// (Electron IPC in main/electron/, WebSocket in main/host/); both look methods
// up in API_METHODS, so the renderer cannot tell them apart.
// Types only (plus that one list): the renderer imports this file with `import type`.

import type {
  ClusterInfo,
  DoctorCheck,
  FieldValues,
  Session,
  TemplateSummary,
} from '../agent/protocol';

export type { ClusterInfo, DoctorCheck, FieldValues, Session, TemplateSummary } from '../agent/protocol';
export type { PartitionInfo, SessionEnd, SessionState, TemplateField } from '../agent/protocol';

/** What a person enters to add a cluster; `host` may be an alias from ~/.ssh/config. */
export interface ClusterConfig {
  name: string;
  host: string;
  user?: string;
  port?: number;
  identityFile?: string;
  /** OpenSSH syntax: `user@jump1:22,jump2`. */
  proxyJump?: string;
  sshConfigFile?: string;
}

export type ConnectionStatus = 'offline' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface ConnectionState {
  cluster: string;
  status: ConnectionStatus;
  /** Why it is not connected (the last error), in words. */
  reason?: string;
  /** Reconnect attempt number, counting from 1. */
  attempt?: number;
  /** When reconnecting: epoch milliseconds of the next attempt. */
  nextAttemptAt?: number;
  /** While connecting: how far a long step has got (uploading Node.js to a login node without it). */
  progress?: { step: string; doneBytes: number; totalBytes: number };
}

export interface ClusterView {
  config: ClusterConfig;
  connection: ConnectionState;
}

/** A session as the UI shows it: the agent's session, plus which cluster it is on. */
export interface SessionView extends Session {
  cluster: string;
  templateName: string;
  kind: 'vnc' | 'sunshine';
}

export interface ViewerTarget {
  /** ws://127.0.0.1:<port>/<path>?token=… on main's bridge; one per viewer. */
  url: string;
  /** Handed to noVNC in memory: never put in the DOM or a URL. */
  password: string;
}

/** What Open on a Moonlight session did: the node streamed, and whether it was paired just now. */
export interface MoonlightOpened {
  node: string;
  host: string;
  portBase: number;
  paired: 'already' | 'now';
}

/** A key known_hosts holds for a host: type, `SHA256:` fingerprint, and file:line to fix it in. */
export interface KnownHostKey {
  keyType: string;
  fingerprint: string;
  source: string;
}

export type Prompt =
  | {
      id: string;
      cluster: string;
      type: 'hostKey';
      host: string;
      port: number;
      keyType: string;
      fingerprint: string;
      /** Why the server's host certificate did not vouch for it, when it offered one. */
      certificateProblem?: string;
    }
  | {
      id: string;
      cluster: string;
      type: 'hostKeyChanged';
      host: string;
      port: number;
      keyType: string;
      fingerprint: string;
      /** `key`: another key of this type is known; `type`: the server offered a type not known for it. */
      change: 'key' | 'type';
      known: KnownHostKey[];
    }
  | { id: string; cluster: string; type: 'passphrase'; keyFile: string }
  | {
      id: string;
      cluster: string;
      type: 'keyboardInteractive';
      name: string;
      instructions: string;
      prompts: { prompt: string; echo: boolean }[];
    };

export type PromptAnswer =
  | { type: 'hostKey'; trust: boolean }
  | { type: 'passphrase'; passphrase: string | null }
  | { type: 'keyboardInteractive'; responses: string[] | null }
  | { type: 'hostKeyChanged' };

export type ApiEvent =
  | { type: 'connection'; state: ConnectionState }
  | { type: 'session'; session: SessionView }
  | { type: 'prompt'; prompt: Prompt }
  | { type: 'promptClosed'; id: string };

/** Method name → argument tuple → result. */
export interface ApiMethods {
  'clusters.list': { args: []; result: ClusterView[] };
  'clusters.add': { args: [config: ClusterConfig]; result: ClusterView };
  'clusters.update': { args: [name: string, config: ClusterConfig]; result: ClusterView };
  'clusters.remove': { args: [name: string]; result: void };
  'clusters.connect': { args: [name: string]; result: ConnectionState };
  'clusters.disconnect': { args: [name: string]; result: ConnectionState };
  /** Adds the local test cluster as `demo` (starting it when needed). */
  'clusters.addDemo': { args: []; result: ClusterView };
  'templates.list': { args: [cluster: string]; result: TemplateSummary[] };
  clusterInfo: { args: [cluster: string]; result: ClusterInfo };
  doctor: { args: [cluster: string]; result: DoctorCheck[] };
  'sessions.list': { args: [cluster: string]; result: SessionView[] };
  'sessions.launch': { args: [cluster: string, templateId: string, values: FieldValues]; result: SessionView };
  'sessions.cancel': { args: [cluster: string, id: string]; result: SessionView };
  /** The template and values of a past session, to open the launch form with. */
  'sessions.relaunch': { args: [cluster: string, id: string]; result: { templateId: string; values: FieldValues } };
  'sessions.logs': { args: [cluster: string, id: string, lines?: number]; result: string };
  'sessions.viewerUrl': { args: [cluster: string, id: string]; result: ViewerTarget };
  /** Pairs Moonlight with the session's Sunshine when needed, then starts `moonlight stream`. */
  'viewer.openMoonlight': { args: [cluster: string, id: string]; result: MoonlightOpened };
  'prompts.answer': { args: [id: string, answer: PromptAnswer]; result: void };
}
export type ApiMethod = keyof ApiMethods;

export const API_METHODS: readonly ApiMethod[] = [
  'clusters.list',
  'clusters.add',
  'clusters.update',
  'clusters.remove',
  'clusters.connect',
  'clusters.disconnect',
  'clusters.addDemo',
  'templates.list',
  'clusterInfo',
  'doctor',
  'sessions.list',
  'sessions.launch',
  'sessions.cancel',
  'sessions.relaunch',
  'sessions.logs',
  'sessions.viewerUrl',
  'viewer.openMoonlight',
  'prompts.answer',
];

/** What both transports give the renderer: one call function and one event stream. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, ...args: ApiMethods[M]['args']): Promise<ApiMethods[M]['result']>;
  subscribe(handler: (event: ApiEvent) => void): () => void;
}

/** An error crossing the boundary keeps a field name when it is about bad input. */
export interface ApiErrorBody {
  message: string;
  field?: string;
}

/** How a call ends, the same over both transports: a result, or an error to show. */
export type ApiOutcome<M extends ApiMethod = ApiMethod> = { result: ApiMethods[M]['result'] } | { error: ApiErrorBody };

/**
 * What Electron's preload puts on `window.porthole`: one named function per method of
 * API_METHODS, each resolving to an ApiOutcome (never rejecting for an Api error, so the
 * `field` survives the context bridge), and `subscribe`, which returns its unsubscribe.
 * The web host carries the same outcomes as JSON (main/host/protocol-wire.ts).
 */
export interface PortholeBridge {
  api: { [M in ApiMethod]: (...args: ApiMethods[M]['args']) => Promise<ApiOutcome<M>> };
  subscribe(handler: (event: ApiEvent) => void): () => void;
}
