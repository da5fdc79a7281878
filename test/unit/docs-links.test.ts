// The repository explains itself: README reaches the admin and template guides, every link in
// README and docs/ lands on a file of the repository, and none of them sends a reader outside it.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Markdown link and image targets: `[text](target)`. */
function linkTargets(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

describe('the documentation', () => {
  it('links the admin guide and the template guide from README', () => {
    const targets = linkTargets(readFileSync(join(root, 'README.md'), 'utf8'));
    for (const guide of ['docs/admin.md', 'docs/templates.md']) assert.ok(targets.includes(guide), `README does not link ${guide}`);
  });

  it('has links that land on files of the repository, and none that leaves it', () => {
    for (const document of documents) {
      const text = readFileSync(join(root, document), 'utf8');
      const outside = [...text.matchAll(/https?:\/\/[^\s)>`"']+/g)]
        .map((m) => m[0])
        .filter((url) => !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url));
      assert.deepEqual(outside, [], `${document} points outside the repository`);
      for (const target of linkTargets(text)) {
        const file = target.split('#')[0];
        if (file) assert.ok(existsSync(join(root, dirname(document), file)), `${document} links ${target}, which is not in the repository`);
      }
    }
  });
});
