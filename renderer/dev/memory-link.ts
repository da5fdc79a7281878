// DEVELOPMENT ONLY (?vnc=ws://…&vncpw=… points the viewer at a local test VNC): an in-memory Api for working on the UI before main's host and the agent
// exist, and for looking at views quickly. Not bundled into the app (only dev-entry.tsx
// imports it) and never used by the e2e tests, which drive the real `porthole serve`.
import type { ApiEvent, ApiMethod, ApiMethods, ClusterInfo, ClusterView, Prompt, SessionView, TemplateSummary } from '../../main/api';
import { ApiCallError } from '../transport/api-call-error';
import type { ApiLink, LinkStatus } from '../transport/link';

const TEMPLATES: TemplateSummary[] = [
  {
    id: 'vnc-desktop',
    name: 'VNC desktop',
    description: 'A light desktop (twm and xterm) on a compute node, shown here.',
    icon: 'desktop',
    kind: 'vnc',
    source: 'builtin',
    fields: [
      { name: 'partition', type: 'partition', label: 'Partition' },
      { name: 'hours', type: 'number', label: 'Hours', default: 1, min: 1, max: 24 },
      { name: 'cpus', type: 'number', label: 'CPUs', default: 1, min: 1, max: 64 },
      { name: 'memoryGb', type: 'number', label: 'Memory (GB)', default: 2, min: 1, max: 512 },
      { name: 'geometry', type: 'select', label: 'Screen size', default: '1280x800', options: [{ value: '1280x800', label: '1280 × 800' }, { value: '1920x1080', label: '1920 × 1080' }] },
    ],
  },
  { id: 'gpu-desktop', name: 'GPU desktop (Moonlight)', description: 'Sunshine on a GPU node, streamed to Moonlight.', icon: 'gpu', kind: 'sunshine', source: 'site', fields: [{ name: 'partition', type: 'partition', label: 'Partition', requireGpus: true }, { name: 'gpus', type: 'number', label: 'GPUs', default: 1, min: 1, max: 8 }] },
];

const INFO: ClusterInfo = {
  clusterName: 'demo',
  slurmVersion: '22.05.8',
  user: 'porthole',
  partitions: [
    { name: 'cpu', isDefault: true, maxTimeMinutes: 240, nodes: 1, cpusPerNode: 8, memoryMbPerNode: 16384, gpusPerNode: 0, state: 'up' },
    { name: 'gpu', isDefault: false, maxTimeMinutes: 120, nodes: 1, cpusPerNode: 8, memoryMbPerNode: 16384, gpusPerNode: 1, gpuType: 'fake', state: 'up' },
  ],
};

export class MemoryLink implements ApiLink {
  status: LinkStatus = 'online';
  private readonly handlers = new Set<(e: ApiEvent) => void>();
  private readonly statusHandlers = new Set<(s: LinkStatus) => void>();
  private clusters: ClusterView[] = [];
  private sessions: SessionView[] = [];
  private nextJob = 100;
  private pendingPrompt: { prompt: Prompt; resolve: () => void } | null = null;

  constructor(private readonly stepMs = 1500) {}

  subscribe(handler: (e: ApiEvent) => void) {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
  onStatus(handler: (s: LinkStatus) => void) {
    this.statusHandlers.add(handler);
    return () => this.statusHandlers.delete(handler);
  }
  /** For trying the offline banner from the console. */
  setStatus(status: LinkStatus) {
    this.status = status;
    for (const h of this.statusHandlers) h(status);
  }
  private emit(event: ApiEvent) {
    for (const h of this.handlers) h(event);
  }
  private setConnection(name: string, connection: ClusterView['connection']) {
    this.clusters = this.clusters.map((c) => (c.config.name === name ? { ...c, connection } : c));
    this.emit({ type: 'connection', state: connection });
  }

  async call<M extends ApiMethod>(method: M, ...args: ApiMethods[M]['args']): Promise<ApiMethods[M]['result']> {
    await new Promise((r) => setTimeout(r, 60));
    return this.handle(method, args as unknown[]) as Promise<ApiMethods[M]['result']>;
  }

  private async handle(method: ApiMethod, args: unknown[]): Promise<unknown> {
    switch (method) {
      case 'clusters.list':
        return this.clusters;
      case 'clusters.add':
      case 'clusters.addDemo': {
        const config = method === 'clusters.addDemo' ? { name: 'demo', host: '127.0.0.1', port: 22422, user: 'porthole' } : (args[0] as ClusterView['config']);
        if (this.clusters.some((c) => c.config.name === config.name)) throw new ApiCallError({ message: `A cluster named '${config.name}' exists already`, field: 'name' });
        const view: ClusterView = { config, connection: { cluster: config.name, status: 'offline' } };
        this.clusters.push(view);
        return view;
      }
      case 'clusters.remove':
        this.clusters = this.clusters.filter((c) => c.config.name !== args[0]);
        return undefined;
      case 'clusters.connect': {
        const name = args[0] as string;
        this.setConnection(name, { cluster: name, status: 'connecting' });
        await new Promise<void>((resolve) => {
          const prompt: Prompt = { id: `p${Date.now()}`, cluster: name, type: 'hostKey', host: '127.0.0.1', port: 22422, keyType: 'ssh-ed25519', fingerprint: 'SHA256:gqS1J+qUYOK6ilc8MH6b7m5lnSAXsYC57UuNbrN/i1o' };
          this.pendingPrompt = { prompt, resolve };
          this.emit({ type: 'prompt', prompt });
        });
        const state = { cluster: name, status: 'connected' as const };
        this.setConnection(name, state);
        return state;
      }
      case 'clusters.disconnect': {
        const state = { cluster: args[0] as string, status: 'offline' as const };
        this.setConnection(state.cluster, state);
        return state;
      }
      case 'prompts.answer':
        if (this.pendingPrompt) {
          this.emit({ type: 'promptClosed', id: this.pendingPrompt.prompt.id });
          this.pendingPrompt.resolve();
          this.pendingPrompt = null;
        }
        return undefined;
      case 'templates.list':
        return TEMPLATES;
      case 'clusterInfo':
        return { ...INFO, clusterName: args[0] as string };
      case 'sessions.list':
        return this.sessions.filter((s) => s.cluster === args[0]);
      case 'sessions.launch':
        return this.launch(args[0] as string, args[1] as string, args[2] as SessionView['values']);
      case 'sessions.cancel': {
        const s = this.update(args[1] as string, { state: 'ended', end: 'cancelled', endedAt: new Date().toISOString(), reason: 'Cancelled by you' });
        return s;
      }
      case 'sessions.relaunch': {
        const s = this.sessions.find((x) => x.id === args[1]);
        return { templateId: s?.templateId ?? 'vnc-desktop', values: s?.values ?? {} };
      }
      case 'sessions.logs':
        return 'Starting Xvnc :1 on node01\nXvnc answering on 127.0.0.1:5901\n';
      case 'sessions.viewerUrl':
        return { url: new URLSearchParams(location.search).get('vnc') ?? 'ws://127.0.0.1:9/viewer', password: new URLSearchParams(location.search).get('vncpw') ?? '' };
      default:
        throw new ApiCallError({ message: `${method} is not in the development Api` });
    }
  }

  private update(id: string, patch: Partial<SessionView>): SessionView {
    this.sessions = this.sessions.map((s) => (s.id === id ? { ...s, ...patch } : s));
    const s = this.sessions.find((x) => x.id === id)!;
    this.emit({ type: 'session', session: s });
    return s;
  }

  private launch(cluster: string, templateId: string, values: SessionView['values']): SessionView {
    const template = TEMPLATES.find((t) => t.id === templateId)!;
    const id = `s${this.nextJob}`;
    const session: SessionView = { id, cluster, templateId, templateName: template.name, kind: template.kind, state: 'submitted', jobId: String(this.nextJob++), values, submittedAt: new Date().toISOString() };
    this.sessions.push(session);
    setTimeout(() => this.update(id, { state: 'queued', reason: 'Resources: waiting for a node' }), this.stepMs);
    setTimeout(() => this.update(id, { state: 'starting', reason: undefined, node: 'node01', startedAt: new Date().toISOString() }), this.stepMs * 2);
    setTimeout(() => this.update(id, { state: 'ready', endsAt: new Date(Date.now() + Number(values.hours ?? 1) * 3600_000).toISOString() }), this.stepMs * 3);
    return session;
  }
}
