// What Sunshine needs on a GPU node, checked on the node itself (doctor runs on the login node,
// which rarely has a GPU): NVENC for hardware encoding, /dev/uinput for keyboard and mouse.
// One short step on the GPU partition; it gives up at once when no GPU node is free.
import type { CommandRunner } from './command-runner';
import type { DoctorCheck } from './protocol';

// NVENC shows as a numeric "Session Count" in nvidia-smi's ENCODER report; GPUs without
// encoders (A100, H100) print N/A there.
const PROBE = [
  'echo "node=$(hostname -s)"',
  'if command -v nvidia-smi >/dev/null 2>&1; then',
  '  if nvidia-smi -q -d ENCODER 2>/dev/null | grep -Eq "Session Count +: +[0-9]+"; ' +
    'then echo "nvenc=yes $(nvidia-smi --query-gpu=name --format=csv,noheader | head -n 1)"; ' +
    'else echo nvenc=no-encoder; fi',
  'else echo nvenc=no-driver; fi',
  'if [ -w /dev/uinput ]; then echo uinput=writable; elif [ -e /dev/uinput ]; then echo uinput=not-writable; else echo uinput=missing; fi',
].join('\n');

function gpuProbeCommand(partition: string): string[] {
  return [
    'srun',
    `--partition=${partition}`,
    '--gres=gpu:1',
    '--ntasks=1',
    '--time=1',
    '--immediate=15',
    '--quiet',
    '--job-name=porthole-doctor',
    'sh',
    '-c',
    PROBE,
  ];
}

export async function gpuNodeChecks(run: CommandRunner, partition: string): Promise<DoctorCheck[]> {
  const [command, ...args] = gpuProbeCommand(partition);
  const result = await run(command, args, { timeoutMs: 45_000 }).catch((error: Error) => ({ code: 1, stdout: '', stderr: error.message }));
  if (result.code !== 0) {
    const why = result.stderr.trim().split('\n').slice(-2).join(' ') || `srun exited ${result.code}`;
    return [
      {
        name: 'gpu node',
        status: 'warn',
        message: `Could not run a check on a node of partition ${partition}: ${why}`,
        fix: `Run doctor again when a GPU of ${partition} is free; Moonlight desktops need NVENC and /dev/uinput there.`,
      },
    ];
  }
  return parseGpuProbe(result.stdout, partition);
}

/** The probe's `key=value` lines as doctor checks. */
export function parseGpuProbe(stdout: string, partition: string): DoctorCheck[] {
  const facts = new Map(
    stdout
      .split('\n')
      .map((line) => /^(\w+)=(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2]]),
  );
  const node = facts.get('node') || `a node of ${partition}`;
  const nvenc = facts.get('nvenc') ?? '';
  const uinput = facts.get('uinput') ?? '';
  return [
    nvenc.startsWith('yes')
      ? {
          name: 'nvenc',
          status: 'ok',
          message: `${node} (${partition}) has NVENC on ${nvenc.slice(4) || 'its GPU'}: Sunshine encodes in hardware.`,
        }
      : {
          name: 'nvenc',
          status: 'warn',
          message:
            nvenc === 'no-encoder'
              ? `The GPU of ${node} (${partition}) has no NVENC encoder: Sunshine falls back to software encoding.`
              : `nvidia-smi does not run on ${node} (${partition}): ` +
                `no NVIDIA driver, so no NVENC; Sunshine falls back to software encoding.`,
          fix: 'Moonlight desktops stream best from GPUs with NVENC (not A100/H100) and the NVIDIA driver installed on the node.',
        },
    uinput === 'writable'
      ? {
          name: 'uinput',
          status: 'ok',
          message: `/dev/uinput on ${node} (${partition}) is writable: keyboard and mouse reach Moonlight desktops.`,
        }
      : {
          name: 'uinput',
          status: 'warn',
          message:
            `/dev/uinput on ${node} (${partition}) is ${uinput === 'not-writable' ? 'not writable by you' : 'missing'}: ` +
            `a Moonlight desktop shows, but keyboard and mouse do not reach it.`,
          fix:
            'Ask the site to load the uinput module on GPU nodes ' +
            'and give users of a job access to /dev/uinput (e.g. a udev rule for a group).',
        },
  ];
}
