// The layers of docs/architecture.md hold because lint refuses a crossing. These tests lint
// crafted files placed (virtually) in each folder and check that a crossing is an error and
// the allowed import is not, so a loosened rule shows up here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Only the layer rule runs, without the TypeScript program: a crafted file is in no tsconfig.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { project: false } } },
  ruleFilter: ({ ruleId }) => ruleId === '@typescript-eslint/no-restricted-imports',
});

async function restrictedImportErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  // A file lint could not parse has no rule messages at all: that must fail, not pass as clean.
  assert.deepEqual(
    result.messages.filter((m) => m.fatal),
    [],
    `${file} could not be linted`,
  );
  return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
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
  const errors = await restrictedImportErrors(
    'renderer/crafted.ts',
    "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
  );
  assert.equal(errors.length, 1);
});

test("only main/electron/ may import 'electron'", async () => {
  const inMain = await restrictedImportErrors('main/crafted.ts', "import { app } from 'electron';\nexport const a = app;\n");
  assert.equal(inMain.length, 1);
  assert.match(inMain[0], /Only main\/electron\//);
  const inRenderer = await restrictedImportErrors(
    'renderer/crafted.ts',
    "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n",
  );
  assert.equal(inRenderer.length, 1);
  const inElectron = await restrictedImportErrors('main/electron/crafted.ts', "import { app } from 'electron';\nexport const a = app;\n");
  assert.deepEqual(inElectron, []);
});

test('the agent imports nothing from main/ or renderer/', async () => {
  const fromMain = await restrictedImportErrors(
    'agent/crafted.ts',
    "import type { ApiClient } from '../main/api';\nexport type C = ApiClient;\n",
  );
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

test('the renderer may import values from agent/common/, the shared pure code', async () => {
  const errors = await restrictedImportErrors(
    'renderer/logic/crafted.ts',
    "import { backoffDelay } from '../../agent/common/backoff';\nexport const d = backoffDelay;\n",
  );
  assert.deepEqual(errors, []);
});

test('the renderer may import only types from agent/protocol.ts, and nothing else of the agent', async () => {
  const value = await restrictedImportErrors(
    'renderer/crafted.ts',
    "import { AGENT_METHODS } from '../agent/protocol';\nexport const m = AGENT_METHODS;\n",
  );
  assert.equal(value.length, 1);
  assert.match(value[0], /only types/);
  const type = await restrictedImportErrors(
    'renderer/crafted.ts',
    "import type { Session } from '../agent/protocol';\nexport type S = Session;\n",
  );
  assert.deepEqual(type, []);
  const other = await restrictedImportErrors(
    'renderer/crafted.ts',
    "import { validateValues } from '../agent/template-values';\nexport const v = validateValues;\n",
  );
  assert.equal(other.length, 1);
  assert.match(other[0], /only agent\/common\//);
});

test('main/ and the agent may import agent/common/', async () => {
  assert.deepEqual(
    await restrictedImportErrors(
      'main/ssh/crafted.ts',
      "import { backoffDelay } from '../../agent/common/backoff';\nexport const d = backoffDelay;\n",
    ),
    [],
  );
  assert.deepEqual(
    await restrictedImportErrors(
      'agent/crafted.ts',
      "import { singleQuote } from './common/shell-quote';\nexport const q = singleQuote;\n",
    ),
    [],
  );
});

test('agent/common/ imports only its own files: no Node, DOM library, main/, renderer/ or rest of agent/', async () => {
  const own = await restrictedImportErrors(
    'agent/common/crafted.ts',
    "import { singleQuote } from './shell-quote';\nexport const q = singleQuote;\n",
  );
  assert.deepEqual(own, []);
  const crossings = [
    "import { readFileSync } from 'node:fs';",
    "import { readFileSync } from 'fs';",
    "import { createRoot } from 'react-dom/client';",
    "import type { ApiClient } from '../../main/api';",
    "import { x } from '../../renderer/x';",
    "import { validateValues } from '../template-values';",
    "import type { Session } from '../protocol';",
  ];
  for (const line of crossings) {
    const errors = await restrictedImportErrors('agent/common/crafted.ts', `${line}\nexport const used = 1;\n`);
    assert.equal(errors.length, 1, line);
    assert.match(errors[0], /only its own files/, line);
  }
});
