// `doctor`: what an admin or a user checks first when a desktop will not start. Each check says
// what it found in a sentence and, when it is not fine, what to do.
import { accessSync, constants, existsSync } from 'node:fs';
import { agentConfigPermissionProblem } from './agent-config';
import type { CommandRunner } from './command-runner';
import { gpuNodeChecks } from './gpu-node-checks';
import type { DoctorCheck } from './protocol';
import type { SessionRegistry } from './redis-registry';
import type { Slurm } from './slurm';
import type { TemplateCatalog } from './template-loader';
import { problemLine } from './template-schema';

export interface DoctorDeps {
  slurm: Slurm;
  run: CommandRunner;
  catalog: TemplateCatalog;
  registry: SessionRegistry;
  sessionsDir: string;
  /** ~/.porthole/agent.json, whether or not it exists. */
  agentConfigFile: string;
  /** Publishes the sessions once, so that the Redis check reflects a real round trip. */
  touchRegistry: () => Promise<void>;
}

const SHARED_FILE_SYSTEMS = /^(nfs|nfs4|lustre|gpfs|cifs|smb2|beegfs|fuse\.|ceph|panfs|wekafs|autofs)/i;

export async function runDoctor(deps: DoctorDeps): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let gpuPartitions: string[] = [];
  try {
    const partitions = await deps.slurm.partitions();
    // Non-default ones first: the default partition of a site is rarely its GPU partition.
    gpuPartitions = partitions
      .filter((p) => p.gpusPerNode > 0)
      .sort((a, b) => Number(a.isDefault) - Number(b.isDefault))
      .map((p) => p.name);
    await deps.slurm.myJobs();
    checks.push({
      name: 'slurm',
      status: 'ok',
      message: `Slurm answers: partitions ${partitions.map((p) => p.name).join(', ') || '(none)'}.`,
    });
  } catch (error) {
    checks.push({
      name: 'slurm',
      status: 'fail',
      message: `Slurm does not answer: ${(error as Error).message}`,
      fix: 'Check that slurmctld runs and that sinfo works on this login node (SLURM_CONF, munge).',
    });
  }

  checks.push(
    deps.catalog.broken.length
      ? {
          name: 'templates',
          status: 'warn',
          message:
            `${deps.catalog.templates.size} templates loaded; broken: ` +
            deps.catalog.broken.map((t) => `${t.id} (${t.problems.map(problemLine).join('; ')})`).join(' | '),
          fix: 'Fix or remove the templates named above; `node agent.cjs templates.check <folder>` shows each problem at its line.',
        }
      : {
          name: 'templates',
          status: 'ok',
          message: `${deps.catalog.templates.size} templates loaded: ${[...deps.catalog.templates.keys()].join(', ')}.`,
        },
  );
  for (const template of deps.catalog.templates.values()) {
    const image = template.file.image;
    if (!image) continue;
    let readable = existsSync(image);
    try {
      accessSync(image, constants.R_OK);
    } catch {
      readable = false;
    }
    checks.push(
      readable
        ? { name: `image ${template.file.id}`, status: 'ok', message: `${image} is there and readable.` }
        : {
            name: `image ${template.file.id}`,
            status: 'warn',
            message: `${image} (template ${template.file.id}) is missing or not readable here.`,
            fix: `Install the image at ${image}, or launch with runtime native.`,
          },
    );
  }

  // A stat that fails leaves the type 'unknown', so the check below warns: that is the finding.
  const fsType = await deps
    .run('stat', ['-f', '-c', '%T', existsSync(deps.sessionsDir) ? deps.sessionsDir : (process.env.HOME ?? '/')], { timeoutMs: 5000 })
    .catch(() => undefined);
  const type = fsType?.stdout.trim() ?? 'unknown';
  checks.push(
    SHARED_FILE_SYSTEMS.test(type)
      ? { name: 'shared folder', status: 'ok', message: `${deps.sessionsDir} is on ${type}, a file system compute nodes share.` }
      : {
          name: 'shared folder',
          status: 'warn',
          message: `${deps.sessionsDir} is on ${type}, which is usually local to this machine.`,
          fix:
            'Compute nodes must see ~/.porthole/sessions; ' +
            'fine when the nodes share this file system (as on a single-machine test cluster), ' +
            'otherwise put the home on a shared file system.',
        },
  );

  for (const tool of ['apptainer', 'singularity']) {
    const found = await deps.run('sh', ['-c', `command -v ${tool}`], { timeoutMs: 5000 }).catch(() => ({ code: 1, stdout: '' }));
    checks.push(
      found.code === 0
        ? { name: tool, status: 'ok', message: `${tool} is at ${found.stdout.trim()}.` }
        : {
            name: tool,
            status: 'warn',
            message: `${tool} is not on PATH of the login node.`,
            fix: `Templates with runtime ${tool} need it on the compute nodes; use runtime native otherwise.`,
          },
    );
  }

  if (gpuPartitions.length) {
    const smi = await deps.run('sh', ['-c', 'command -v nvidia-smi'], { timeoutMs: 5000 }).catch(() => ({ code: 1 }));
    checks.push({
      name: 'gpu',
      status: smi.code === 0 ? 'ok' : 'warn',
      message:
        `GPU partitions: ${gpuPartitions.join(', ')}; nvidia-smi ${smi.code === 0 ? 'is' : 'is not'} ` +
        `on this login node (NVENC and /dev/uinput are checked on a GPU node below).`,
      ...(smi.code === 0 ? {} : { fix: 'Make sure the GPU nodes have the NVIDIA driver with NVENC; GPU desktops pass --nv to Apptainer.' }),
    });
    // Only sites with a Moonlight template need the GPU node's NVENC and uinput: one short srun then.
    if ([...deps.catalog.templates.values()].some((t) => t.file.kind === 'sunshine'))
      checks.push(...(await gpuNodeChecks(deps.run, gpuPartitions[0])));
  }

  const configProblem = agentConfigPermissionProblem(deps.agentConfigFile);
  checks.push(
    configProblem
      ? {
          name: 'agent.json',
          status: 'warn',
          message: configProblem,
          fix: `chmod 600 ${deps.agentConfigFile}, then change the Redis password if it was in there.`,
        }
      : {
          name: 'agent.json',
          status: 'ok',
          message: existsSync(deps.agentConfigFile)
            ? `${deps.agentConfigFile} is yours alone.`
            : `${deps.agentConfigFile} does not exist; the site's defaults apply.`,
        },
  );

  // A registry that cannot be written says so in its status, which the redis check below reports.
  await deps.touchRegistry().catch(() => undefined);
  // A user with no session changed has nothing to write: an empty round still asks Redis.
  await deps.registry.publish([], new Date());
  const redis = deps.registry.status();
  checks.push({
    name: 'redis',
    status: !redis.configured || redis.healthy ? 'ok' : 'warn',
    message: redis.message,
    ...(redis.healthy ? {} : { fix: 'Sessions are kept in their folders meanwhile; start Redis or fix ~/.porthole/agent.json (redis).' }),
  });
  return checks;
}
