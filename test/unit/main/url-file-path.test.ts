// The one path check of both file servers: a URL path names a file inside the renderer folder,
// or it is refused with a reason; it never throws and never leaves the folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileForUrlPath } from '../../../main/host/url-file-path';

const root = '/opt/porthole/dist/renderer';
const refused = (urlPath: string) => {
  const result = fileForUrlPath(root, urlPath);
  assert.equal(result.ok, false, `${urlPath} is refused`);
  return result.ok ? '' : result.why;
};

test('the page and its files map inside the folder; / is index.html', () => {
  assert.deepEqual(fileForUrlPath(root, '/'), { ok: true, file: join(root, 'index.html') });
  assert.deepEqual(fileForUrlPath(root, '/app.js'), { ok: true, file: join(root, 'app.js') });
  assert.deepEqual(fileForUrlPath(root, '/fonts/a%20b.woff2'), { ok: true, file: join(root, 'fonts', 'a b.woff2') });
});

test('traversal is refused, plain or %-encoded', () => {
  assert.match(refused('/../etc/passwd'), /'\.\.' segment/);
  assert.match(refused('/a/../../etc/passwd'), /'\.\.' segment/);
  assert.match(refused('/%2e%2e/etc/passwd'), /'\.\.' segment/);
  assert.match(refused('/./app.js'), /'\.' /);
});

test("a sibling folder whose name starts with the root's is out of reach", () => {
  // The old prefix check let /opt/porthole/dist/renderer-x/… through.
  refused('/../renderer-x/secret');
  refused('/..%2frenderer-x%2fsecret');
});

test('encoded slashes and backslashes cannot make segments', () => {
  assert.match(refused('/..%2f..%2fetc%2fpasswd'), /inside a segment/);
  assert.match(refused('/a%2Fb'), /inside a segment/);
  assert.match(refused('/..%5c..%5cwindows'), /inside a segment/);
  assert.match(refused('/C%3a%5cwindows'), /inside a segment/);
});

test('a bad %-escape is refused with a reason, not thrown', () => {
  assert.match(refused('/%E0%A4%A'), /not a valid %-escape/);
  assert.match(refused('/%'), /not a valid %-escape/);
  assert.match(refused('/app%zz.js'), /not a valid %-escape/);
});

test('NUL and other control characters are refused', () => {
  assert.match(refused('/app.js%00.png'), /control character/);
  assert.match(refused('/app\u0000.js'), /control character/);
  assert.match(refused('/a%0a'), /control character/);
});

test('empty segments and paths not starting with / are refused', () => {
  refused('//etc/passwd');
  refused('/fonts/');
  assert.match(refused('app.js'), /must start with '\/'/);
});
