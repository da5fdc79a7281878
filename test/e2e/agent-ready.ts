// The tests that launch desktops need the real agent (issue 4) in dist/agent.cjs, with its
// `vnc-desktop` template. While it is not built yet they are skipped with this reason, so the
// summary says plainly what did not run instead of failing on someone else's missing piece.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const agent = join(__dirname, '../../dist/agent.cjs');
let cached: string | null | undefined;

export function agentMissing(): string | null {
  if (cached !== undefined) return cached;
  cached = check();
  return cached;
}

function check(): string | null {
  if (!existsSync(agent)) return `${agent} is not built (npm run build)`;
  try {
    const hello = JSON.parse(execFileSync(process.execPath, [agent, 'hello', '--json'], { encoding: 'utf8', timeout: 10_000 })) as { agentVersion?: string };
    if (!hello.agentVersion) return 'dist/agent.cjs is still the placeholder (issue 4): `hello` gives no agentVersion';
    const templates = execFileSync(process.execPath, [agent, 'templates', '--json'], { encoding: 'utf8', timeout: 10_000 });
    if (!templates.includes('vnc-desktop')) return "the agent has no 'vnc-desktop' template yet";
    return null;
  } catch (error) {
    return `dist/agent.cjs does not answer \`hello --json\` / \`templates.list --json\`: ${(error as Error).message.split('\n')[0]}`;
  }
}
