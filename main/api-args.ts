// The argument tuples of every Api method as zod schemas: both transports check what the
// renderer sent here, once, before a handler sees it (validate at the edge, trust inside).
import { z } from 'zod';
import { SESSION_ID_PATTERN, SESSION_ID_RULE } from '../agent/common/session-id';
import { SHARE_ID_PATTERN, SHARE_ID_RULE, USER_NAME_PATTERN, USER_NAME_RULE } from '../agent/common/share-link';
import type { ApiMethod, ApiMethods } from './api';
import { clusterConfigSchema } from './config/cluster-store';
import { PortholeError } from './errors';

const name = z.string().min(1).max(64);
const sessionId = z.string().regex(SESSION_ID_PATTERN, SESSION_ID_RULE);
const fieldValues = z.record(z.string().max(64), z.union([z.string().max(10_000), z.number(), z.boolean()]));
const transferId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64');
const unixUser = z.string().regex(USER_NAME_PATTERN, USER_NAME_RULE);
const shareMinutes = z.number().int().min(1).max(10_080).optional();
// The link's parts are checked by share-link.ts, which names the part that is wrong.
const shareLink = z.string().min(1).max(4096);
// Clusters are validated field by field by the store, which names the field in its message.
const clusterInput = z.unknown();

const schemas: { [M in ApiMethod]: z.ZodType<unknown[]> } = {
  'clusters.list': z.tuple([]),
  'clusters.add': z.tuple([clusterInput]),
  'clusters.update': z.tuple([name, clusterInput]),
  'clusters.remove': z.tuple([name]),
  'clusters.connect': z.tuple([name]),
  'clusters.disconnect': z.tuple([name]),
  'clusters.addDemo': z.tuple([]),
  'clusters.info': z.tuple([name]),
  'clusters.doctor': z.tuple([name]),
  'templates.list': z.tuple([name]),
  'sessions.list': z.tuple([name]),
  'sessions.launch': z.tuple([name, z.string().min(1).max(128), fieldValues]),
  'sessions.cancel': z.tuple([name, sessionId]),
  'sessions.keepRunning': z.tuple([name, sessionId]),
  'sessions.relaunch': z.tuple([name, sessionId]),
  'sessions.logs': z.tuple([name, sessionId, z.number().int().min(1).max(100_000).optional()]),
  'sessions.viewerUrl': z.tuple([name, sessionId]),
  'viewer.openMoonlight': z.tuple([name, sessionId]),
  'prompts.answer': z.tuple([z.string().min(1).max(64), z.unknown()]),
  // File names are checked by main/files/file-names.ts, which says what is allowed.
  'files.list': z.tuple([name, sessionId]),
  'files.uploadUrl': z.tuple([name, sessionId]),
  'files.createFolder': z.tuple([name, sessionId, z.string().max(1024)]),
  'files.download': z.tuple([name, sessionId, z.string().max(1024), transferId]),
  'files.cancelDownload': z.tuple([transferId]),
  'shares.create': z.tuple([name, sessionId, unixUser, shareMinutes]),
  'shares.stop': z.tuple([name, sessionId, z.string().regex(SHARE_ID_PATTERN, SHARE_ID_RULE)]),
  'shares.open': z.tuple([shareLink, name.optional()]),
};

export function isApiMethod(method: unknown, methods: readonly ApiMethod[]): method is ApiMethod {
  return typeof method === 'string' && (methods as readonly string[]).includes(method);
}

/** The arguments, typed, or an error that names the argument. */
export function parseApiArgs<M extends ApiMethod>(method: M, args: unknown): ApiMethods[M]['args'] {
  const parsed = schemas[method].safeParse(Array.isArray(args) ? trimUndefined(args) : args);
  if (parsed.success) return parsed.data as ApiMethods[M]['args'];
  const issue = parsed.error.issues[0];
  throw new PortholeError(`${method}: argument ${issue.path.join('.') || ''} ${issue.message}`.replace(/\s+/g, ' '), {
    field: issue.path.map(String).join('.') || undefined,
    cause: parsed.error,
  });
}

/**
 * Optional trailing arguments may arrive as undefined (IPC), be left out, or arrive as null (JSON
 * writes an undefined in an array as null: `call('shares.open', link, undefined)` over the web host).
 */
function trimUndefined(args: unknown[]): unknown[] {
  const copy = [...args];
  while (copy.length && (copy[copy.length - 1] === undefined || copy[copy.length - 1] === null)) copy.pop();
  return copy;
}

export { clusterConfigSchema };
