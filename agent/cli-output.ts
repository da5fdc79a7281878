// What the CLI prints without --json: short tables a person reads at a terminal.
import type { ClusterInfo, DoctorCheck, Session, SessionConnection, TemplateList, TemplateProblem } from './protocol';
import type { TemplateCheck } from './template-check';
import { problemLine } from './template-schema';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const oneLine = (text = ''): string => text.replace(/\s*\n\s*/g, ' ⏎ ');

export function sessionsTable(sessions: Session[]): string {
  if (!sessions.length) return 'No sessions.';
  return table([
    ['ID', 'TEMPLATE', 'STATE', 'JOB', 'NODE', 'REASON'],
    ...sessions.map((s) => [
      s.id,
      s.templateId,
      s.end ? `ended (${s.end})` : s.state,
      s.jobId,
      s.node ?? '',
      oneLine(s.reason).slice(0, 80),
    ]),
  ]);
}

export function sessionText(session: Session): string {
  return Object.entries(session)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join('\n');
}

export function templatesTable({ templates, broken }: TemplateList): string {
  const launchable = table([
    ['ID', 'KIND', 'SOURCE', 'NAME', 'FIELDS'],
    ...templates.map((t) => [t.id, t.kind, t.source, t.name, t.fields.map((f) => f.name).join(',')]),
  ]);
  const brokenLines = broken.flatMap((t) => [
    `Broken (not loaded): ${t.id} (${t.source})`,
    ...t.problems.map((p) => `  ${problemLine(p)}`),
  ]);
  return [launchable, ...brokenLines].join('\n');
}

/** One problem a line, `file:line:column: message`, as editors and CI read compiler output; a line saying so when all is well. */
export function templateCheckText(checks: TemplateCheck[]): string {
  const problems = checks.flatMap((check) => check.problems.map(problemLine));
  if (problems.length) return problems.join('\n');
  return `${checks.length} template${checks.length === 1 ? '' : 's'} checked, no problems: ${checks.map((c) => c.template?.id).join(', ')}`;
}

export function templateCheckJson(checks: TemplateCheck[]): {
  ok: boolean;
  templates: { dir: string; id?: string; problems: TemplateProblem[] }[];
} {
  return {
    ok: checks.every((check) => !check.problems.length),
    templates: checks.map((check) => ({ dir: check.dir, id: check.template?.id, problems: check.problems })),
  };
}

export function clusterText(info: ClusterInfo): string {
  return (
    `cluster ${info.clusterName}, Slurm ${info.slurmVersion}, user ${info.user}\n` +
    table([
      ['PARTITION', 'MAX TIME', 'NODES', 'CPUS', 'MEM MB', 'GPUS'],
      ...info.partitions.map((p) => [
        `${p.name}${p.isDefault ? '*' : ''}`,
        p.maxTimeMinutes === null ? 'unlimited' : `${p.maxTimeMinutes} min`,
        String(p.nodes),
        String(p.cpusPerNode),
        String(p.memoryMbPerNode),
        String(p.gpusPerNode),
      ]),
    ])
  );
}

export function doctorText(checks: DoctorCheck[]): string {
  return checks.map((c) => `${c.status.toUpperCase().padEnd(4)} ${c.name}: ${c.message}${c.fix ? `\n     fix: ${c.fix}` : ''}`).join('\n');
}

export function connectionText(connection: SessionConnection): string {
  return Object.entries(connection)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join('\n');
}
