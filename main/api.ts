// The renderer ↔ main contract (docs/architecture.md §1). The only place where an
// Api method name, an event shape or a message of the web host's wire is written down. Two
// transports carry it (Electron IPC in main/electron/, WebSocket in main/host/); both look
// methods up in API_METHODS, so the renderer cannot tell them apart.
// Types only (plus that one list): the renderer imports this file with `import type`.

import type { ClusterInfo, DoctorCheck, FieldValues, Session, TemplateList } from '../agent/protocol';
import type { ShareInfo } from '../agent/protocol';

export type {
  BrokenTemplate,
  ClusterInfo,
  DoctorCheck,
  FieldValues,
  Session,
  TemplateList,
  TemplateProblem,
  TemplateSummary,
} from '../agent/protocol';
export type { AccountInfo, PartitionInfo, QosInfo, SessionEnd, SessionState, TemplateField } from '../agent/protocol';
export type { ShareInfo } from '../agent/protocol';

/** What a person enters to add a cluster; `host` may be an alias from ~/.ssh/config. */
export interface ClusterConfig {
  name: string;
  /** The login node; with several, the first of `hosts`. */
  host: string;
  /** A cluster's login nodes when it has several, in the order they are tried (`host` first); each may end in `:port`. */
  hosts?: string[];
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
  /** When connected to a cluster with several login nodes (or one name with several addresses): which one. */
  loginNode?: string;
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

/** A share just made: what it is, and the link (also the code to paste) for the one user it lets in. */
export interface ShareCreated {
  share: ShareInfo;
  link: string;
}

/**
 * Another user's desktop opened from their share link: a stream through main's bridge that
 * the owner's side keeps view-only. No password: the owner's never leaves the owner's side.
 */
export interface SharedViewerTarget {
  /** ws://127.0.0.1:<port>/viewer?token=…, one stream, as ViewerTarget's. */
  url: string;
  /** The cluster of this app the share was opened through (its Slurm ClusterName is the link's). */
  cluster: string;
  owner: string;
  sessionId: string;
  /** ISO 8601 time. */
  expiresAt: string;
  viewOnly: true;
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
  | { type: 'promptClosed'; id: string }
  /** Electron only: the tray or a notification asks the window to open this session's viewer. */
  | { type: 'openSession'; cluster: string; id: string }
  /** How far a download (`files.download`, by the id its caller chose) has got. */
  | { type: 'fileProgress'; transferId: string; doneBytes: number; totalBytes: number }
  /** Electron only: the system handed the app a porthole://share/… link (a click in a chat or a mail). */
  | { type: 'openShareLink'; link: string };

/** One entry of a session's files folder, as the Files panel lists it. */
export interface RemoteFileEntry {
  name: string;
  kind: 'file' | 'folder';
  size: number;
  /** Epoch milliseconds. */
  modifiedAt: number;
}

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
  /** The cluster's partitions and their limits, live from Slurm. */
  'clusters.info': { args: [cluster: string]; result: ClusterInfo };
  /** The agent's checks of the login node (Slurm, templates, Redis, agent.json). */
  'clusters.doctor': { args: [cluster: string]; result: DoctorCheck[] };
  /** The launchable templates, and the ones that did not load with why (shown as broken, not hidden). */
  'templates.list': { args: [cluster: string]; result: TemplateList };
  'sessions.list': { args: [cluster: string]; result: SessionView[] };
  'sessions.launch': { args: [cluster: string, templateId: string, values: FieldValues]; result: SessionView };
  'sessions.cancel': { args: [cluster: string, id: string]; result: SessionView };
  /** Restarts an idle desktop's clock before its idle stop (SessionView.idleStopAt). */
  'sessions.keepRunning': { args: [cluster: string, id: string]; result: SessionView };
  /** The template and values of a past session, to open the launch form with. */
  'sessions.relaunch': { args: [cluster: string, id: string]; result: { templateId: string; values: FieldValues } };
  'sessions.logs': { args: [cluster: string, id: string, lines?: number]; result: string };
  'sessions.viewerUrl': { args: [cluster: string, id: string]; result: ViewerTarget };
  /** Pairs Moonlight with the session's Sunshine when needed, then starts `moonlight stream`. */
  'viewer.openMoonlight': { args: [cluster: string, id: string]; result: MoonlightOpened };
  'prompts.answer': { args: [id: string, answer: PromptAnswer]; result: void };
  /** The session's files folder (`~/.porthole/sessions/<id>/files`, or the template's) and what it holds. */
  'files.list': { args: [cluster: string, id: string]; result: { folder: string; entries: RemoteFileEntry[] } };
  /** ws://127.0.0.1:<port>/files?token=… for one file's upload (main/files/upload-socket.ts has the wire). */
  'files.uploadUrl': { args: [cluster: string, id: string]; result: string };
  /** A folder for a dropped folder, in the files folder: the name made (`name (2)` when the name was taken). */
  'files.createFolder': { args: [cluster: string, id: string, name: string]; result: string };
  /** Downloads a file of the folder to the workstation's Downloads (never over a file there); `fileProgress` events on the way. */
  'files.download': { args: [cluster: string, id: string, name: string, transferId: string]; result: { savedTo: string } };
  'files.cancelDownload': { args: [transferId: string]; result: void };
  /** Shares a ready VNC session view-only with one other user of the cluster; the link is for them alone. */
  'shares.create': { args: [cluster: string, sessionId: string, user: string, minutes?: number]; result: ShareCreated };
  /** Ends a share: its watchers are cut off at once and the link opens nothing any more. */
  'shares.stop': { args: [cluster: string, sessionId: string, shareId: string]; result: void };
  /** Opens a share link through the cluster whose Slurm ClusterName it names (`cluster` when several are). */
  'shares.open': { args: [link: string, cluster?: string]; result: SharedViewerTarget };
}
export type ApiMethod = keyof ApiMethods;

/** What API_METHOD_TABLE must be: an entry for every method of ApiMethods, and nothing else. */
export type ApiMethodTable = { [M in ApiMethod]: true };

// Every Api method, once: `satisfies` makes a method of ApiMethods without its entry here (or an
// entry without its method) a compile error, so neither transport can miss one.
const API_METHOD_TABLE = {
  'clusters.list': true,
  'clusters.add': true,
  'clusters.update': true,
  'clusters.remove': true,
  'clusters.connect': true,
  'clusters.disconnect': true,
  'clusters.addDemo': true,
  'clusters.info': true,
  'clusters.doctor': true,
  'templates.list': true,
  'sessions.list': true,
  'sessions.launch': true,
  'sessions.cancel': true,
  'sessions.keepRunning': true,
  'sessions.relaunch': true,
  'sessions.logs': true,
  'sessions.viewerUrl': true,
  'viewer.openMoonlight': true,
  'prompts.answer': true,
  'files.list': true,
  'files.uploadUrl': true,
  'files.createFolder': true,
  'files.download': true,
  'files.cancelDownload': true,
  'shares.create': true,
  'shares.stop': true,
  'shares.open': true,
} as const satisfies ApiMethodTable;

export const API_METHODS = Object.keys(API_METHOD_TABLE) as ApiMethod[];

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
 * The web host carries the same outcomes as JSON (the Wire* types below).
 */
export interface PortholeBridge {
  api: { [M in ApiMethod]: (...args: ApiMethods[M]['args']) => Promise<ApiOutcome<M>> };
  subscribe(handler: (event: ApiEvent) => void): () => void;
}

// The web host's wire: the Api over one WebSocket (main/host/server.ts serves it,
// renderer/transport/websocket-link.ts speaks it). Path and token parameter:
// agent/common/web-host-wire.ts.
//
//   URL        ws://127.0.0.1:<port>/api?token=<token>
//              <token> is the `token` query parameter of the address `porthole serve`
//              printed; the page reads it once, keeps it in sessionStorage (per origin, so
//              per port) for reloads, and takes it out of the address bar.
//              Without the right token, or with an Origin other than the page's own
//              (http://127.0.0.1:<port> or http://localhost:<port>), the upgrade is refused (403).
//   request    {"id": 7, "method": "sessions.list", "args": ["demo"]}
//              id: a number the client chooses, unique among its calls in flight;
//              method: one of API_METHODS; args: the argument tuple of ApiMethods[method].
//   answer     {"id": 7, "result": …}                        (result absent for void methods)
//              {"id": 7, "error": {"message": "…", "field": "name"}}   (field only for bad input)
//   push       {"event": ApiEvent}   any time, in order; right after connecting, the server
//              pushes the state of every live connection and every prompt still open.
// Text frames, one JSON object each. The server never sends a request; the client never
// sends anything but requests. A malformed request gets an answer with id null.

export interface WireRequest<M extends ApiMethod = ApiMethod> {
  id: number;
  method: M;
  args: ApiMethods[M]['args'];
}

export type WireAnswer = { id: number | null; result?: unknown } | { id: number | null; error: ApiErrorBody };

export interface WirePush {
  event: ApiEvent;
}

export type WireServerMessage = WireAnswer | WirePush;
