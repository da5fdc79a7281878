// The share methods' arguments at the Api's edge, as both transports deliver them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseApiArgs } from '../../../main/api-args';
import { PortholeError } from '../../../main/errors';

const LINK = 'porthole://share/1/abc';
const SESSION = '20261130-2140-abcde';

test('a cluster left out of shares.open arrives as null over the web host (JSON) and is taken as left out', () => {
  assert.deepEqual(parseApiArgs('shares.open', JSON.parse(JSON.stringify([LINK, undefined]))), [LINK]);
  assert.deepEqual(parseApiArgs('shares.open', [LINK, undefined]), [LINK]);
  assert.deepEqual(parseApiArgs('shares.open', [LINK, 'uni']), [LINK, 'uni']);
});

test('a user name that is not one, or an expiry out of 1 minute … 7 days, is refused naming the argument', () => {
  const refused = (args: unknown[]) =>
    assert.throws(
      () => parseApiArgs('shares.create', args),
      (error: unknown) => error instanceof PortholeError && error.message.startsWith('shares.create: argument'),
    );
  refused(['test', SESSION, 'Bob Smith', 60]);
  refused(['test', SESSION, 'bob', 0]);
  refused(['test', SESSION, 'bob', 10_081]);
  assert.deepEqual(parseApiArgs('shares.create', ['test', SESSION, 'bob', 10_080]), ['test', SESSION, 'bob', 10_080]);
  assert.deepEqual(parseApiArgs('shares.create', ['test', SESSION, 'bob']), ['test', SESSION, 'bob']);
});
