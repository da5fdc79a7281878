// Sharing in words: the colleague's user name checked as it is typed, a pasted link described
// before anything connects, how long a share has left, who watches it, and why a viewer closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatShareLink } from '../../../agent/common/share-link';
import {
  DEFAULT_SHARE_MINUTES,
  describePastedShare,
  expiryWords,
  SHARE_EXPIRY_CHOICES,
  sharedViewerEndWords,
  userNameProblem,
  watcherWords,
} from '../../../renderer/logic/share-words';

const NOW = Date.parse('2026-11-30T22:00:00Z');
const LINK = formatShareLink({
  clusterName: 'hpc1',
  loginNode: 'login1',
  owner: 'alice',
  user: 'bob',
  sessionId: '20261130-2140-abcde',
  shareId: 'k3j9x0a1b2c3',
  secret: 'A'.repeat(42) + 'g',
  expiresAt: '2026-12-01T05:59:00.000Z',
});

test('a user name is taken as Unix spells it; anything else says what was typed and what is allowed', () => {
  assert.equal(userNameProblem('bob'), null);
  assert.equal(userNameProblem('porthole-colleague'), null);
  assert.match(userNameProblem('') ?? '', /Enter your colleague's user name/);
  assert.equal(
    userNameProblem('Bob'),
    '"Bob" is not a user name on the cluster: use lower-case letters, digits, _ and -, starting with a letter or _ (no capitals).',
  );
  assert.match(userNameProblem('Bob Smith') ?? '', /^"Bob Smith" is not a user name/);
  assert.match(userNameProblem('bob@uni.example') ?? '', /their login name, not their full name or e-mail/);
  assert.match(userNameProblem('1bob') ?? '', /starting with a letter or _/);
  assert.match(userNameProblem('b'.repeat(33)) ?? '', /longer than a user name may be \(at most 32/);
});

test('the expiry offered by default is 8 hours, and every choice is one the agent takes (1 minute to 7 days)', () => {
  assert.equal(SHARE_EXPIRY_CHOICES.find((c) => c.minutes === DEFAULT_SHARE_MINUTES)?.label, '8 hours');
  for (const choice of SHARE_EXPIRY_CHOICES) assert.ok(choice.minutes >= 1 && choice.minutes <= 10_080, choice.label);
});

test('how long a share has left, down to the second, then expired', () => {
  const at = (ms: number) => new Date(NOW + ms).toISOString();
  assert.equal(expiryWords(at(8 * 3600_000), NOW), 'expires in 8 h 00 min');
  assert.equal(expiryWords(at(7 * 3600_000 + 59 * 60_000 + 30_000), NOW), 'expires in 7 h 59 min');
  assert.equal(expiryWords(at(3 * 86_400_000 + 5 * 3600_000), NOW), 'expires in 3 d 5 h');
  assert.equal(expiryWords(at(9 * 60_000), NOW), 'expires in 9 min');
  assert.equal(expiryWords(at(45_000), NOW), 'expires in 45 s');
  assert.equal(expiryWords(at(0), NOW), 'expired');
  assert.equal(expiryWords(at(-1000), NOW), 'expired');
  assert.equal(expiryWords('not a time', NOW), 'expired');
});

test('a pasted link is described before it is opened: whose desktop, which cluster, for whom, until when', () => {
  const pasted = describePastedShare(`  ${LINK}\n`, NOW);
  assert.ok(pasted.ok);
  assert.equal(pasted.summary, "alice's desktop on cluster hpc1, shared with bob; expires in 7 h 59 min.");
  assert.equal(pasted.expired, false);
  const late = describePastedShare(LINK, Date.parse('2026-12-01T06:00:00Z'));
  assert.ok(late.ok && late.expired);
  assert.match(late.summary, /the share has expired/);
});

test('a pasted text that is not a share link gets the link reader’s words, naming the part', () => {
  const wrong = describePastedShare('https://example.org/share/1/x', NOW);
  assert.deepEqual(wrong.ok, false);
  assert.match(!wrong.ok ? wrong.problem : '', /must start with porthole:\/\/share\//);
  const cut = describePastedShare(LINK.slice(0, 40), NOW);
  assert.match(!cut.ok ? cut.problem : '', /cut or changed/);
});

test('the owner reads who is watching now', () => {
  const time = (iso: string) => iso.slice(11, 16);
  assert.equal(watcherWords('bob', [], time), 'Not watched now');
  assert.equal(watcherWords('bob', [{ since: '2026-11-30T14:03:00Z' }], time), 'bob is watching (since 14:03)');
  assert.equal(
    watcherWords('bob', [{ since: '2026-11-30T14:03:00Z' }, { since: '2026-11-30T14:05:00Z' }], time),
    'bob is watching in 2 windows',
  );
});

test('a closed shared viewer says why: the owner side’s refusal, or the expiry it knows of', () => {
  const later = new Date(NOW + 3600_000).toISOString();
  assert.equal(sharedViewerEndWords('This share was stopped by its owner', later, NOW), 'This share was stopped by its owner');
  assert.equal(sharedViewerEndWords('anything', new Date(NOW).toISOString(), NOW), 'The share has expired: ask the owner for a new link.');
  assert.match(sharedViewerEndWords(undefined, later, NOW), /closed the connection/);
});
