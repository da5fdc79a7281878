// `templates.check <dir>` on the login node: reads the folder as the agent would and checks
// every template in it (template-check.ts).
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkTemplateSource, type TemplateCheck } from './template-check';
import { readTemplateDir, readTemplateFolder } from './template-loader';

/**
 * A template folder (it has template.json), or a folder of them such as /etc/porthole/templates.
 * A folder with no template in it is a problem too: a typo in the path must not pass as "no problems".
 */
export function checkTemplateFolder(dir: string): TemplateCheck[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return [{ dir, problems: [{ file: dir, line: 1, column: 1, message: 'no such folder' }] }];
  if (existsSync(join(dir, 'template.json'))) return [checkTemplateSource(readTemplateFolder(dir))];
  const sources = readTemplateDir(dir);
  if (!sources.length)
    return [
      { dir, problems: [{ file: dir, line: 1, column: 1, message: `no template.json in ${basename(dir)} or in the folders inside it` }] },
    ];
  return sources.map(checkTemplateSource);
}
