// Where a session's dropped files go: its own `files/` (0700), or the folder of the home its
// template names; a template naming a folder outside the home does not load; and the probe
// write that tells main why SFTP's write failed leaves nothing behind.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SessionFiles } from '../../../agent/session-files';
import { probeWrite, sessionFilesFolder } from '../../../agent/session-files-folder';
import type { TemplateCatalog } from '../../../agent/template-loader';
import { checkTemplateJson, parseTemplateFile } from '../../../agent/template-schema';
import { tempDir } from '../../cluster/fixture';

const ID = '20261130-120000-abcde';

function templateJson(files?: object): string {
  return JSON.stringify({ id: 'desk', name: 'Desk', kind: 'vnc', fields: [], ...(files ? { files } : {}) });
}

function sessionWith(files?: object): { home: string; folder: () => string } {
  const home = tempDir('files-folder');
  const sessionFiles = new SessionFiles(home);
  sessionFiles.create(ID);
  sessionFiles.writeRecord({ id: ID, templateId: 'desk', jobId: '1', values: {}, submittedAt: '2026-11-30T12:00:00Z' });
  const catalog: TemplateCatalog = {
    templates: new Map([['desk', { file: parseTemplateFile(templateJson(files), 'desk/template.json'), jobScript: '', source: 'user' }]]),
    broken: [],
  };
  return { home, folder: () => sessionFilesFolder(sessionFiles, catalog, ID) };
}

describe("a session's files folder", () => {
  it("is the session's own files/, made with mode 0700", () => {
    const { home, folder } = sessionWith();
    const made = folder();
    assert.equal(made, join(home, '.porthole', 'sessions', ID, 'files'));
    assert.equal(statSync(made).mode & 0o777, 0o700);
  });

  it('is the folder of the home the template names, made when missing', () => {
    const { home, folder } = sessionWith({ folder: 'Desktop/drop box' });
    assert.equal(folder(), join(home, 'Desktop', 'drop box'));
    assert.ok(statSync(join(home, 'Desktop', 'drop box')).isDirectory());
  });

  it('a template naming a folder outside the home, or an absolute one, does not load and says what is allowed', () => {
    for (const folder of ['../other', 'a/../../b', '/etc', 'Desktop/', '.', 'a\nb']) {
      const checked = checkTemplateJson(templateJson({ folder }), 'desk/template.json');
      assert.equal(checked.template, undefined, JSON.stringify(folder));
      assert.match(checked.problems[0].message, /a folder relative to the home: .*no \. or \.\. and no leading \//, JSON.stringify(folder));
    }
  });
});

describe('the probe write', () => {
  it('answers null where a write succeeds, and leaves no probe file', () => {
    const { folder } = sessionWith();
    const made = folder();
    assert.deepEqual(probeWrite(made), { code: null });
    assert.deepEqual(readdirSync(made), []);
  });

  it('names the errno where a write fails', () => {
    const result = probeWrite(join(tempDir('files-folder'), 'missing'));
    assert.equal(result.code, 'ENOENT');
    assert.equal(existsSync(join(tempDir('files-folder'), 'missing')), false);
  });
});
