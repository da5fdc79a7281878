import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatShareLink, parseShareLink, ShareLinkError, type ShareLink } from '../../../agent/common/share-link';

const share: ShareLink = {
  clusterName: 'porthole-test',
  loginNode: 'login1',
  owner: 'porthole',
  user: 'porthole-colleague',
  sessionId: '20261130-2140-abcde',
  shareId: 'k3j9x0a1b2c3',
  secret: 'A'.repeat(42) + 'g',
  expiresAt: '2026-12-01T05:40:00.000Z',
};

/** The link with its JSON replaced: what a changed or hand-made link looks like. */
function linkOf(payload: unknown): string {
  return `porthole://share/1/${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
}
const payload = {
  c: share.clusterName,
  h: share.loginNode,
  o: share.owner,
  u: share.user,
  s: share.sessionId,
  i: share.shareId,
  k: share.secret,
  e: share.expiresAt,
};

function refused(text: string, part: string, message: RegExp): void {
  assert.throws(
    () => parseShareLink(text),
    (error: unknown) => error instanceof ShareLinkError && error.part === part && message.test(error.message),
  );
}

test('a link the agent makes reads back the same share, also pasted with white space around it', () => {
  const link = formatShareLink(share);
  assert.match(link, /^porthole:\/\/share\/1\/[A-Za-z0-9_-]+$/);
  assert.deepEqual(parseShareLink(link), share);
  assert.deepEqual(parseShareLink(`  ${link}\n`), share);
  assert.equal(link, linkOf(payload));
});

test('a link that is not a share link, of another version, or cut, is refused naming what is wrong', () => {
  refused('https://example.org/share/1/abc', 'link', /must start with porthole:\/\/share\//);
  refused(linkOf(payload).replace('/1/', '/2/'), 'version', /version is "2"; this Porthole reads version 1: update Porthole/);
  refused('porthole://share/1/', 'link', /cut or changed/);
  refused(`${linkOf(payload)}/more`, 'link', /cut or changed/);
  refused(linkOf(payload).slice(0, -10), 'link', /does not decode|cut or changed/);
  refused('porthole://share/1/bm90IGpzb24', 'link', /does not decode/);
  refused(linkOf([1, 2]), 'link', /not a share/);
});

test('each bad part is named with what was given and what is allowed', () => {
  refused(linkOf({ ...payload, u: 'Bob!' }), 'u', /user \(u\) is "Bob!"; allowed is a Unix user name/);
  refused(linkOf({ ...payload, o: undefined }), 'o', /owner \(o\) is missing/);
  refused(linkOf({ ...payload, s: '../x' }), 's', /session id \(s\) is "..\/x"; allowed is a session id is lower-case/);
  refused(linkOf({ ...payload, i: 'short' }), 'i', /share id \(i\)/);
  refused(linkOf({ ...payload, h: 'login1;rm -rf' }), 'h', /login node \(h\) is "login1;rm -rf"; allowed is a host name/);
  refused(linkOf({ ...payload, c: '' }), 'c', /cluster name \(c\)/);
  refused(linkOf({ ...payload, e: '2026-13-45T99:00:00Z' }), 'e', /expiry \(e\) .* ISO 8601/);
  refused(linkOf({ ...payload, e: 1700000000 }), 'e', /expiry \(e\) is 1700000000/);
});

test('a bad secret is named but never repeated in the error', () => {
  const secret = 'not-the-right-length';
  assert.throws(
    () => parseShareLink(linkOf({ ...payload, k: secret })),
    (error: unknown) =>
      error instanceof ShareLinkError && error.part === 'k' && !error.message.includes(secret) && /secret \(k\)/.test(error.message),
  );
});

test('the agent cannot make a link the other side would refuse', () => {
  assert.throws(() => formatShareLink({ ...share, user: 'Bob' }), /user \(u\) is "Bob"/);
});
