// What the verbs do with sessions: launch, list, show, cancel, connection, logs. Everything it
// depends on is passed in (Slurm adapter, session folders, templates, registry, clock).
import { buildBatchScript, type VncListen } from './batch-script';
import type { WallClock } from './common/clock';
import { BadInputError, NotFoundError } from './errors';
import type { PartitionInfo, Session, SessionConnection } from './protocol';
import { claimOnce, sessionEventsDue, sessionLabels, type SessionEvent } from './metrics-events';
import type { SessionCounters, SessionRegistry } from './redis-registry';
import { deriveSession, type SessionRecord } from './session-state';
import { parseConnectionFile, parseSunshineCredentials } from './connection-file';
import { newSessionId, newSunshineCredentials, newVncPassword, SESSION_FILES, type SessionFiles } from './session-files';
import type { Accounting } from './cluster-facts';
import type { Slurm } from './slurm';
import { SUNSHINE_CONFIG_FILE, sunshineCertSha256 } from './sunshine-certificate';
import type { TemplateCatalog } from './template-loader';
import { validateValues } from './template-values';
import { KEEP_RUNNING_FILE } from './idle-state-file';
import { idleMinutesFor } from './idle-minutes';
import type { SiteIdle } from './config-schemas';
import type { SqueueRow } from './squeue-parser';

export interface SessionServiceDeps {
  slurm: Slurm;
  /** The user's accounts and QOS (cached: cluster-facts.ts); read only for templates with an account or QOS field. */
  accounting?: () => Promise<Accounting>;
  /** The partitions for a launch's checks (cached: cluster-facts.ts), afresh when `wanted` is not among them; sinfo when not given. */
  partitions?: (wanted?: string) => Promise<PartitionInfo[]>;
  files: SessionFiles;
  catalog: TemplateCatalog;
  /** The porthole_* shell functions each batch script carries (templates/lib/job-lib.sh). */
  jobLibrary: string;
  registry: SessionRegistry;
  /** The site metrics' counters (launches, ends, time to ready); none when there is no registry. */
  counters?: SessionCounters;
  now: WallClock;
  /** Where VNC servers listen: `tcp` only for the `direct` route; `socket` when not given. */
  vncListen?: VncListen;
  /** Days an ended session's folder is kept after its end (site.json); kept for good when not given. */
  folderDaysAfterEnd?: number;
  /** site.json's idle stop (idle-minutes.ts). */
  siteIdle?: SiteIdle;
}

export class SessionService {
  /**
   * Records that hold their end for good (`final`) never change again, so a long-lived agent
   * (`serve`) reads each once: a poll then reads only the open sessions, however long the
   * history in a home folder that is usually on NFS.
   */
  private readonly finalRecords = new Map<string, SessionRecord>();
  /**
   * Each session as the registry last took it: the object (an ended session kept in memory is
   * the same object at every poll, no JSON needed), its JSON, and when.
   */
  private readonly registered = new Map<string, { session: Session; text: string; at: number }>();
  /** `<id>/<marker>` claims already answered, so that a poll does not ask the shared home again. */
  private readonly claimsAnswered = new Set<string>();
  /** Slurm's last answer about this user's jobs, for a look that need not ask again (session-poller.ts). */
  private lastJobs: SqueueRow[] | undefined;

  constructor(private readonly deps: SessionServiceDeps) {}

  async launch(templateId: string, given: Record<string, unknown>): Promise<Session> {
    const { files, slurm, catalog, now } = this.deps;
    const template = catalog.templates.get(templateId);
    if (!template) throw unknownTemplate(catalog, templateId);
    const partitionField = template.file.fields.find((f) => f.type === 'partition');
    // The account, QOS, time and partition are checked against accounting (cached in serve, so
    // usually free); read beside the partitions, not after them.
    const needsAccounting = template.file.fields.some(
      (f) => f.type === 'account' || f.type === 'qos' || f.name === 'hours' || f.type === 'partition',
    );
    const [allPartitions, accounting] = await Promise.all([
      partitionField ? this.partitionList(given.partition) : undefined,
      needsAccounting && this.deps.accounting ? this.deps.accounting() : undefined,
    ]);
    // A template that needs GPUs may only go to partitions that have them, and defaults to one.
    const partitions = allPartitions?.filter((p) => !partitionField?.requireGpus || p.gpusPerNode > 0);
    const defaultPartition = (partitions?.find((p) => p.isDefault) ?? (partitionField?.requireGpus ? partitions?.[0] : undefined))?.name;
    const values = validateValues(template.file, given, {
      partitions: partitions?.map((p) => p.name),
      defaultPartition,
      accounts: accounting?.accounts,
      qos: accounting?.qos,
      partitionAccounts: accounting?.partitionAccounts,
    });
    const submittedAt = now();
    const id = newSessionId(submittedAt);
    const dir = files.create(id);
    if (template.file.kind === 'sunshine') files.write(id, SESSION_FILES.sunshineCredentials, newSunshineCredentials(), 0o600);
    else {
      files.write(id, SESSION_FILES.password, newVncPassword() + '\n', 0o600);
      files.write(id, SESSION_FILES.viewOnlyPassword, newVncPassword() + '\n', 0o600);
    }
    files.write(
      id,
      SESSION_FILES.script,
      buildBatchScript({
        template: template.file,
        jobScript: template.jobScript,
        jobLibrary: this.deps.jobLibrary,
        values,
        sessionId: id,
        sessionDir: dir,
        vncListen: this.deps.vncListen ?? 'socket',
        idleMinutes: idleMinutesFor(template.file, values, this.deps.siteIdle),
      }),
      0o700,
    );
    const jobId = await slurm.submit(`${dir}/${SESSION_FILES.script}`, { outputFile: `${dir}/${SESSION_FILES.log}`, workDir: dir });
    const record: SessionRecord = { id, templateId, jobId, values, submittedAt: submittedAt.toISOString() };
    files.writeRecord(record);
    const session = deriveSession(record, {}, files.folderFacts(id), now());
    await this.deps.registry.publish([session], now());
    await this.deps.counters?.count([{ kind: 'launch', labels: sessionLabels(session) }]);
    return session;
  }

  private partitionList(wanted: unknown): Promise<PartitionInfo[]> {
    const { partitions, slurm } = this.deps;
    return partitions ? partitions(typeof wanted === 'string' ? wanted : undefined) : slurm.partitions();
  }

  /**
   * Every session in the folders, with one squeue call for all of them; with `askSlurm` false,
   * with Slurm's last answer instead when it had every open session's job running.
   */
  async list(options: { all?: boolean; askSlurm?: boolean } = {}): Promise<Session[]> {
    const sessions = await this.resolve(this.records(), options.askSlurm ?? true);
    sessions.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
    return options.all
      ? sessions
      : sessions.filter((s) => s.state !== 'ended' || Date.parse(s.endedAt ?? s.submittedAt) > this.deps.now().getTime() - 24 * 3600_000);
  }

  /** Writes every session to the registry now, changed or not: the doctor's real round trip. */
  async registerAll(): Promise<void> {
    this.registered.clear();
    await this.list({ all: true });
  }

  /** Every session's record: ended ones from memory once read, the others from their folders. */
  private records(): SessionRecord[] {
    const { files } = this.deps;
    const names = files.folderNames();
    const present = new Set(names);
    for (const kept of [this.finalRecords, this.registered]) for (const id of kept.keys()) if (!present.has(id)) kept.delete(id);
    return names.flatMap((id) => {
      const known = this.finalRecords.get(id);
      if (known) return this.keptRecord(known);
      if (!files.hasRecord(id)) return [];
      const record = files.readRecord(id);
      if (record.final) this.finalRecords.set(id, record);
      return this.keptRecord(record);
    });
  }

  /** The record, or none once its folder is past the site's keeping time (then removed). */
  private keptRecord(record: SessionRecord): SessionRecord[] {
    const { folderDaysAfterEnd } = this.deps;
    if (!record.final || folderDaysAfterEnd === undefined || !isPastKeeping(record.final, folderDaysAfterEnd, this.deps.now()))
      return [record];
    this.deps.files.removeFolder(record.id);
    this.finalRecords.delete(record.id);
    return [];
  }

  async show(id: string): Promise<Session> {
    const [session] = await this.resolve([this.deps.files.readRecord(id)]);
    return session;
  }

  async cancel(id: string): Promise<Session> {
    const { files, slurm, now } = this.deps;
    const record = files.readRecord(id);
    if (!record.final) {
      files.writeRecord({ ...record, cancelRequestedAt: now().toISOString() });
      await slurm.cancel(record.jobId);
    }
    return this.show(id);
  }

  /** Restarts a ready desktop's idle clock: its watcher reads the file, and the warning goes at once (idle-state-file.ts). */
  async keepRunning(id: string): Promise<Session> {
    const before = await this.show(id);
    if (before.state !== 'ready')
      throw new BadInputError('id', id, `a ready session; this one is ${before.end ? `ended (${before.end})` : before.state}`);
    this.deps.files.write(id, KEEP_RUNNING_FILE, `${this.deps.now().toISOString()}\n`);
    return this.show(id);
  }

  connection(id: string, withSecret: boolean): SessionConnection {
    const { files } = this.deps;
    files.readRecord(id);
    const text = files.read(id, SESSION_FILES.connection);
    if (text === undefined)
      throw new NotFoundError(`Session '${id}' has no desktop server yet: it is not ready (see \`sessions.show ${id}\`).`);
    const connection = parseConnectionFile(text, id);
    if (connection.kind === 'sunshine') {
      const pinned = { ...connection, certSha256: sunshineCertSha256(files.read(id, SUNSHINE_CONFIG_FILE), id) };
      return withSecret ? { ...pinned, ...parseSunshineCredentials(files.read(id, SESSION_FILES.sunshineCredentials) ?? '') } : pinned;
    }
    if (!withSecret) return connection;
    const password = (files.read(id, SESSION_FILES.password) ?? '').trim();
    return password ? { ...connection, password } : connection;
  }

  /** The password with which Xvnc itself ignores a client's input; none for a session started before there was one. */
  viewOnlyPassword(id: string): string | undefined {
    return this.deps.files.read(id, SESSION_FILES.viewOnlyPassword)?.trim() || undefined;
  }

  logs(id: string, lines: number): { text: string } {
    this.deps.files.readRecord(id);
    return { text: this.deps.files.logTail(id, lines) };
  }

  /** One squeue for all; scontrol only for the few jobs that left squeue and are not yet resolved. */
  private async resolve(records: SessionRecord[], askSlurm = true): Promise<Session[]> {
    const { files, slurm, now } = this.deps;
    const open = records.filter((r) => !r.final);
    const jobsById = new Map<string, SqueueRow>();
    if (open.length) {
      // Only an answer that had every open job running: a desktop that answers proves its job
      // started, so a queued job in the last answer is out of date.
      const running = new Set(this.lastJobs?.filter((row) => row.state === 'RUNNING').map((row) => row.jobId));
      if (askSlurm || !open.every((r) => running.has(r.jobId))) this.lastJobs = await slurm.myJobs();
      for (const row of this.lastJobs ?? []) jobsById.set(row.jobId, row);
    }
    const sessions: Session[] = [];
    const events: SessionEvent[] = [];
    for (const record of records) {
      if (record.final) {
        sessions.push(record.final);
        continue;
      }
      const facts = files.folderFacts(record.id);
      const queued = jobsById.get(record.jobId);
      const shown = queued || facts.ended ? undefined : await slurm.showJob(record.jobId);
      const session = deriveSession(record, { queued, shown }, facts, now());
      const settled = session.state === 'ended' && isSettled(session, facts.ended !== undefined, now());
      if (this.deps.counters) events.push(...sessionEventsDue(session, settled, (marker) => this.claim(record.id, marker)));
      if (settled) {
        const final = { ...record, final: session };
        files.writeRecord(final);
        files.removeSecrets(record.id);
        this.finalRecords.set(record.id, final);
      }
      sessions.push(session);
    }
    await this.register(sessions);
    if (events.length) await this.deps.counters?.count(events);
    return sessions;
  }

  /** True the first time any agent process claims this marker of the session (metrics-events.ts). */
  private claim(id: string, marker: string): boolean {
    const key = `${id}/${marker}`;
    if (this.claimsAnswered.has(key)) return false;
    this.claimsAnswered.add(key);
    return claimOnce(this.deps.files.dirOf(id), marker);
  }

  /**
   * Writes to the registry the sessions that changed since it last took them, or that it took
   * REGISTRY_REFRESH_MS ago (a Redis that lost its data in a failover fills up again). Every
   * poll wrote every session, a user's whole history, to a Redis shared by the site. After the
   * registry failed, all of them go again: a session that ended meanwhile gets there too.
   */
  private async register(sessions: Session[]): Promise<void> {
    const { registry, now } = this.deps;
    if (!registry.status().configured) return;
    const at = now().getTime();
    const due = sessions.filter((session) => {
      const last = this.registered.get(session.id);
      return (
        last === undefined || at - last.at >= REGISTRY_REFRESH_MS || (last.session !== session && last.text !== JSON.stringify(session))
      );
    });
    if (due.length === 0) return;
    if (await registry.publish(due, now())) {
      for (const session of due) this.registered.set(session.id, { session, text: JSON.stringify(session), at });
    } else {
      this.registered.clear();
    }
  }
}

/** How often a long-lived agent writes each session to the registry again, changed or not. */
const REGISTRY_REFRESH_MS = 10 * 60_000;

// A job Slurm reports ended may still be writing its last log lines; the `ended` file comes after
// them (EXIT trap). Keep the end for good only then, or after a while without it.
const SETTLE_MS = 10_000;

function isPastKeeping(session: Session, days: number, now: Date): boolean {
  return now.getTime() - Date.parse(session.endedAt ?? session.submittedAt) > days * 24 * 3600_000;
}

function isSettled(session: Session, endedFileSeen: boolean, now: Date): boolean {
  if (endedFileSeen || session.end === 'lost') return true;
  return now.getTime() - Date.parse(session.endedAt ?? session.submittedAt) > SETTLE_MS;
}

/** A template id that cannot launch: a broken template says what breaks it, any other id lists the ones that can. */
function unknownTemplate(catalog: TemplateCatalog, templateId: string): BadInputError {
  const launchable = `choose one of: ${[...catalog.templates.keys()].join(', ')}`;
  const broken = catalog.broken.find((b) => b.id === templateId);
  if (!broken) return new BadInputError('templateId', templateId, launchable);
  const [first] = broken.problems;
  const where = first ? ` (${first.file}:${first.line}:${first.column}: ${first.message})` : '';
  return new BadInputError('templateId', templateId, `a template that loads; this one is broken${where}; ${launchable}`);
}
