// Before any e2e test: the built app and agent answer, and the test cluster is up and reachable.
// Anything missing stops the whole run here with what to do, instead of each test failing (or
// skipping) on its own.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadTestCluster, projectRoot, sshRun } from '../cluster/fixture';

const BUILD = 'run node build/bundle.mjs (npm run build)';

function agentProblem(): string | null {
  const agent = join(projectRoot, 'dist/agent.cjs');
  if (!existsSync(agent)) return `${agent} is not built: ${BUILD}`;
  try {
    const hello = JSON.parse(execFileSync(process.execPath, [agent, 'hello', '--json'], { encoding: 'utf8', timeout: 10_000 })) as {
      agentVersion?: string;
    };
    return hello.agentVersion ? null : `${agent} answers \`hello --json\` with no agentVersion: ${BUILD}`;
  } catch (error) {
    return `${agent} does not answer \`hello --json\`: ${(error as Error).message.split('\n')[0]}`;
  }
}

export default async function globalSetup(): Promise<void> {
  const cli = join(projectRoot, 'dist/main/cli.cjs');
  const problems = [existsSync(cli) ? null : `${cli} is not built: ${BUILD}`, agentProblem()];
  try {
    loadTestCluster();
    const reached = await sshRun('true', { timeoutMs: 20_000 });
    if (reached.code !== 0)
      problems.push(
        `the test cluster's login node does not answer ssh (exit ${reached.code}: ${reached.stderr.trim()}); run bash test/cluster/up`,
      );
  } catch (error) {
    problems.push((error as Error).message);
  }
  const found = problems.filter((problem) => problem !== null);
  if (found.length) throw new Error(`The e2e tests cannot run:\n- ${found.join('\n- ')}`);
}
