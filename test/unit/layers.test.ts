// The layers of DESIGN.md hold because lint refuses a crossing. These tests lint crafted
// files placed (virtually) in each folder and check that a crossing is an error and the
// allowed import is not, so a loosened rule shows up here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function restrictedImportErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

test('the renderer may import types from main/api.ts', async () => {
  const errors = await restrictedImportErrors(
    'renderer/crafted.ts',
    "import type { ApiClient } from '../main/api';\nexport type Client = ApiClient;\n",
  );
  assert.deepEqual(errors, []);
});

test('the renderer may not import values from main/api.ts', async () => {
  const errors = await restrictedImportErrors(
    'renderer/crafted.ts',
    "import { API_METHODS } from '../main/api';\nexport const methods = API_METHODS;\n",
  );
  assert.equal(errors.length, 1);
  assert.match(errors[0], /only types/);
});

test('the renderer may not import other main/ modules, not even types', async () => {
  const errors = await restrictedImportErrors(
    'renderer/views/crafted.ts',
    "import type { Foo } from '../../main/ssh/connection';\nexport type F = Foo;\n",
  );
  assert.equal(errors.length, 1);
  assert.match(errors[0], /main\/api\.ts/);
});

test('the renderer may not import Node modules', async () => {
  const errors = await restrictedImportErrors('renderer/crafted.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n");
  assert.equal(errors.length, 1);
});

test("only main/electron/ may import 'electron'", async () => {
  const inMain = await restrictedImportErrors('main/crafted.ts', "import { app } from 'electron';\nexport const a = app;\n");
  assert.equal(inMain.length, 1);
  assert.match(inMain[0], /Only main\/electron\//);
  const inRenderer = await restrictedImportErrors('renderer/crafted.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n");
  assert.equal(inRenderer.length, 1);
  const inElectron = await restrictedImportErrors('main/electron/crafted.ts', "import { app } from 'electron';\nexport const a = app;\n");
  assert.deepEqual(inElectron, []);
});

test('the agent imports nothing from main/ or renderer/', async () => {
  const fromMain = await restrictedImportErrors('agent/crafted.ts', "import type { ApiClient } from '../main/api';\nexport type C = ApiClient;\n");
  assert.equal(fromMain.length, 1);
  assert.match(fromMain[0], /uploaded alone/);
  const fromRenderer = await restrictedImportErrors('agent/crafted.ts', "import { x } from '../renderer/x';\nexport const y = x;\n");
  assert.equal(fromRenderer.length, 1);
});

test('main/ never imports renderer/', async () => {
  const errors = await restrictedImportErrors('main/host/crafted.ts', "import { x } from '../../renderer/x';\nexport const y = x;\n");
  assert.equal(errors.length, 1);
  assert.match(errors[0], /never imports renderer/);
});
