// The web host's token in the page: taken from the printed address once, out of the address bar
// at once, and kept for a reload in this origin's sessionStorage (never a cookie).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takePageToken, type TokenPage } from '../../../renderer/transport/page-token';

/** A tab: its address, its history entry, and its origin's sessionStorage. */
function tab(href: string, storage = new Map<string, string>()) {
  const page = {
    location: { href },
    history: {
      state: { view: 'clusters' } as unknown,
      replaceState(data: unknown, _unused: string, url?: string) {
        this.state = data;
        page.location.href = new URL(url ?? page.location.href, page.location.href).href;
      },
    },
    sessionStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
    },
  } satisfies TokenPage;
  return { page, storage };
}

test('the token is read from the printed address and taken out of it, keeping the rest', () => {
  const { page } = tab('http://127.0.0.1:8123/?token=s3cret&view=history#top');
  assert.equal(takePageToken(page), 's3cret');
  assert.equal(page.location.href, 'http://127.0.0.1:8123/?view=history#top');
  assert.deepEqual(page.history.state, { view: 'clusters' }, 'the history entry keeps its state');
});

test("a reload finds the token in this origin's sessionStorage", () => {
  const { page, storage } = tab('http://127.0.0.1:8123/?token=s3cret');
  takePageToken(page);
  const reloaded = tab(page.location.href, storage).page;
  assert.equal(takePageToken(reloaded), 's3cret');
  assert.equal(reloaded.location.href, 'http://127.0.0.1:8123/');
});

test('without the printed address there is no token', () => {
  assert.equal(takePageToken(tab('http://127.0.0.1:8123/').page), null);
});

test('with storage turned off, the token still serves this load', () => {
  const { page } = tab('http://127.0.0.1:8123/?token=s3cret');
  const blocked = {
    ...page,
    sessionStorage: {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    },
  };
  assert.equal(takePageToken(blocked), 's3cret');
  assert.equal(takePageToken(blocked), null);
});
