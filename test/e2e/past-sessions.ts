// Months of past sessions on three clusters, as the local history would hold them: for the
// History test and the UI bench (10,000 rows).
import type { SessionView } from '../../main/api';

export function pastSessions(count: number): SessionView[] {
  const clusters = ['hpc1', 'viz', 'gpu-farm'];
  const templates = ['VNC desktop', 'ParaView', 'Matlab', 'GPU desktop'];
  const start = Date.parse('2025-06-01T08:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const submitted = start + i * 47 * 60_000;
    return {
      id: `h${i}`,
      cluster: clusters[i % clusters.length],
      templateId: `t${i % templates.length}`,
      templateName: templates[i % templates.length],
      kind: 'vnc',
      state: 'ended',
      end: i % 17 === 0 ? 'failed' : 'completed',
      reason: i % 17 === 0 ? 'Xvnc exited: cannot open display' : undefined,
      jobId: String(100_000 + i),
      node: `node${String(i % 40).padStart(2, '0')}`,
      values: { partition: i % 5 === 0 ? 'gpu' : 'cpu', hours: 1 + (i % 8), cpus: 1 + (i % 16) },
      submittedAt: new Date(submitted).toISOString(),
      startedAt: new Date(submitted + 30_000).toISOString(),
      endedAt: new Date(submitted + 30_000 + (1 + (i % 8)) * 1_800_000).toISOString(),
    };
  });
}
